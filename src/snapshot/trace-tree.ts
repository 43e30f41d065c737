/**
 * leakgraph/snapshot/trace-tree — the allocation trace tree (`trace_tree`), read as it streams.
 *
 * Snapshots taken with allocation tracking carry the call tree of every allocation the
 * tracker saw. V8 writes it as nested arrays: a trace node is `trace_node_fields.length`
 * consecutive values (`id, function_info_index, count, size, [children…]`), where the
 * `children` value is an array holding the children's records flattened the same way; the
 * top-level array holds the root's record. Nesting is as deep as the deepest call stack, so
 * the reader keeps its own stack instead of recursing, and stores one slot per trace node in
 * typed arrays, in the file's order (pre-order: every parent comes before its children).
 */

import type { JsonReader } from './json-reader.js';
import type { TraceNodeFields } from './meta.js';

const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const ZERO = 0x30;
const NINE = 0x39;

/** The allocation trace tree: one slot per trace node, addressed by index (pre-order). */
export class TraceTree {
  /** Number of trace nodes. */
  readonly length: number;
  /** The node's id, what a heap node's `trace_node_id` refers to. */
  readonly ids: Uint32Array;
  /** Index of the parent trace node; -1 for a top-level node (the root). */
  readonly parents: Int32Array;
  /** Index of the node's function in `trace_function_infos` (record number, not offset). */
  readonly functionInfoIndices: Uint32Array;
  /** Allocations the tracker recorded at this exact stack, freed ones included. */
  readonly counts: Float64Array;
  /** Their bytes. */
  readonly sizes: Float64Array;
  private readonly byId: Map<number, number>;

  constructor(data: { ids: Uint32Array; parents: Int32Array; functionInfoIndices: Uint32Array; counts: Float64Array; sizes: Float64Array }, byId: Map<number, number>) {
    this.length = data.ids.length;
    this.ids = data.ids;
    this.parents = data.parents;
    this.functionInfoIndices = data.functionInfoIndices;
    this.counts = data.counts;
    this.sizes = data.sizes;
    this.byId = byId;
  }

  /** Index of the trace node with this id, or -1. */
  indexOfId(id: number): number {
    return this.byId.get(id) ?? -1;
  }

  /** Largest function info index used, or -1 for an empty tree. */
  maxFunctionInfoIndex(): number {
    let max = -1;
    for (let i = 0; i < this.length; i++) if (this.functionInfoIndices[i] > max) max = this.functionInfoIndices[i];
    return max;
  }
}

/** Growable columns for the trace nodes while they stream in. */
class TraceColumns {
  length = 0;
  ids = new Uint32Array(256);
  parents = new Int32Array(256);
  functionInfoIndices = new Uint32Array(256);
  counts = new Float64Array(256);
  sizes = new Float64Array(256);

  add(parent: number): number {
    if (this.length === this.ids.length) this.grow();
    const index = this.length++;
    this.parents[index] = parent;
    return index;
  }

  private grow(): void {
    const capacity = this.ids.length * 2;
    const grown = <T extends Uint32Array | Int32Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.ids = grown(this.ids, (n) => new Uint32Array(n));
    this.parents = grown(this.parents, (n) => new Int32Array(n));
    this.functionInfoIndices = grown(this.functionInfoIndices, (n) => new Uint32Array(n));
    this.counts = grown(this.counts, (n) => new Float64Array(n));
    this.sizes = grown(this.sizes, (n) => new Float64Array(n));
  }
}

/** Where the scan is between chunks. */
enum Expect {
  /** just after '[': a value or ']' */
  ValueOrEnd,
  /** after ',': a value */
  Value,
  /** after a value: ',' or ']' */
  CommaOrEnd,
  /** inside a number */
  InNumber,
}

/**
 * Reads the `trace_tree` value (after its key and colon) into a TraceTree.
 * @throws SnapshotError for anything but nested arrays of trace node records of non-negative
 *   integers, a record with the wrong number of values, duplicate ids, or the end of input
 */
export async function readTraceTree(reader: JsonReader, fields: TraceNodeFields): Promise<TraceTree> {
  await reader.expect(OPEN_BRACKET, 'expected an array');
  const scan = new TraceScan(fields);
  while (!scan.run(reader)) {
    if (!(await reader.more())) reader.truncated();
  }
  return scan.finish(reader);
}

class TraceScan {
  private readonly columns = new TraceColumns();
  /** Saved (parent, node, field) of the enclosing arrays. */
  private readonly stack: number[] = [];
  /** Trace node owning the array being read (-1 at the top level). */
  private parent = -1;
  /** Trace node whose record is being read at this level (-1 before the first). */
  private node = -1;
  /** Position in that record of the next value. */
  private field = 0;
  private state = Expect.ValueOrEnd;
  private value = 0;

  constructor(private readonly fields: TraceNodeFields) {}

  /** Scans the bytes of the current chunk; true once the top-level array's ']' was consumed. */
  run(reader: JsonReader): boolean {
    const { fieldCount, children } = this.fields;
    const buf = reader.buf;
    const end = buf.length;
    let pos = reader.pos;
    while (pos < end) {
      const byte = buf[pos];
      if (byte >= ZERO && byte <= NINE) {
        if (this.state === Expect.InNumber) {
          this.value = this.value * 10 + (byte - ZERO);
        } else if (this.state === Expect.CommaOrEnd) {
          reader.fail('expected \',\' or \']\' after a value', pos);
        } else {
          if (this.field === children) reader.fail('expected the children array of a trace node, found a number', pos);
          this.startValue();
          this.value = byte - ZERO;
          this.state = Expect.InNumber;
        }
        pos++;
        continue;
      }
      if (this.state === Expect.InNumber) this.endNumber(reader, pos);
      switch (byte) {
        case 0x20: case 0x0a: case 0x0d: case 0x09:
          break;
        case COMMA:
          if (this.state !== Expect.CommaOrEnd) reader.fail('unexpected \',\'', pos);
          this.state = Expect.Value;
          break;
        case OPEN_BRACKET:
          if (this.state === Expect.CommaOrEnd) reader.fail('expected \',\' or \']\' after a value', pos);
          if (this.field !== children) reader.fail('unexpected \'[\' where a trace node has a number', pos);
          this.startValue();
          this.stack.push(this.parent, this.node, this.field);
          this.parent = this.node;
          this.node = -1;
          this.field = 0;
          this.state = Expect.ValueOrEnd;
          break;
        case CLOSE_BRACKET: {
          if (this.state === Expect.Value) reader.fail('unexpected \']\' after \',\'', pos);
          if (this.field !== 0) reader.fail(`a trace node record ends after ${this.field} of its ${fieldCount} values`, pos);
          if (this.stack.length === 0) {
            reader.pos = pos + 1;
            return true;
          }
          this.field = this.stack.pop()!;
          this.node = this.stack.pop()!;
          this.parent = this.stack.pop()!;
          this.nextField();
          this.state = Expect.CommaOrEnd;
          break;
        }
        default:
          if (byte === 0x2d || byte === 0x2e || byte === 0x65 || byte === 0x45) {
            reader.fail(`unsupported number syntax '${String.fromCharCode(byte)}' (only non-negative integers are allowed)`, pos);
          }
          reader.fail(`unexpected ${describe(byte)} in the trace tree`, pos);
      }
      pos++;
    }
    reader.pos = pos;
    return false;
  }

  /** A value starts at the current field: the first value of a record makes a new trace node. */
  private startValue(): void {
    if (this.field === 0) this.node = this.columns.add(this.parent);
  }

  private endNumber(reader: JsonReader, pos: number): void {
    const value = this.value;
    if (value > Number.MAX_SAFE_INTEGER) reader.fail('number too large', pos);
    const { id, functionInfoIndex, count, size } = this.fields;
    const field = this.field;
    const node = this.node;
    const columns = this.columns;
    if (field === id || field === functionInfoIndex) {
      if (value > 0xffffffff) reader.fail(`${field === id ? 'trace node id' : 'function_info_index'} ${value} is 2^32 or more`, pos);
      if (field === id) columns.ids[node] = value;
      else columns.functionInfoIndices[node] = value;
    } else if (field === count) {
      columns.counts[node] = value;
    } else if (field === size) {
      columns.sizes[node] = value;
    }
    this.nextField();
    this.state = Expect.CommaOrEnd;
  }

  private nextField(): void {
    this.field = this.field + 1 === this.fields.fieldCount ? 0 : this.field + 1;
  }

  finish(reader: JsonReader): TraceTree {
    const { length } = this.columns;
    const data = {
      ids: this.columns.ids.slice(0, length),
      parents: this.columns.parents.slice(0, length),
      functionInfoIndices: this.columns.functionInfoIndices.slice(0, length),
      counts: this.columns.counts.slice(0, length),
      sizes: this.columns.sizes.slice(0, length),
    };
    const byId = new Map<number, number>();
    for (let index = 0; index < length; index++) {
      const id = data.ids[index];
      if (byId.has(id)) reader.fail(`trace node id ${id} appears twice`);
      byId.set(id, index);
    }
    return new TraceTree(data, byId);
  }
}

function describe(byte: number): string {
  if (byte >= 0x21 && byte < 0x7f) return `'${String.fromCharCode(byte)}'`;
  return `byte 0x${byte.toString(16).padStart(2, '0')}`;
}
