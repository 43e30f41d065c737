/**
 * leakgraph/snapshot/columns — number sinks that turn the flat `nodes` and `edges` arrays
 * into one typed array per field, checking every value as it arrives.
 */

import { SnapshotError } from './errors.js';
import type { JsonReader, NumberSink } from './json-reader.js';
import type { EdgeClaims } from './edge-claims.js';
import type { SnapshotLayout } from './meta.js';

/** Sizes in bytes: Uint32 while every one fits, Float64 (exact to 2^53) otherwise. */
export type SizeArray = Uint32Array | Float64Array;

/**
 * Allocates a section's columns, turning an allocation failure (a header count far beyond
 * what the file holds, or than the machine can hold) into a SnapshotError.
 */
function allocate<T>(reader: JsonReader, what: string, count: number, bytesPerItem: number, make: () => T): T {
  try {
    return make();
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    const gigabytes = ((count * bytesPerItem) / 1e9).toFixed(1);
    throw new SnapshotError(reader.file, `${what} ${count} needs ${gigabytes} GB, which cannot be allocated: the header is wrong or the machine has too little memory`, 'snapshot');
  }
}

/** Node records, split into columns indexed by node ordinal. */
export class NodeColumns implements NumberSink {
  readonly types: Uint8Array;
  readonly names: Uint32Array;
  readonly ids: Uint32Array;
  /** Uint32, widened to Float64 (exact to 2^53) if a size passes 4 GiB: V8 stores size_t. */
  selfSizes: SizeArray;
  /** CSR offsets: edges of node k are [firstEdges[k], firstEdges[k + 1]). */
  readonly firstEdges: Uint32Array;
  /** Allocated at the first non-zero trace id: without allocation tracking they are all 0. */
  traceNodeIds: Uint32Array | null = null;
  readonly detachedness: Uint8Array | null;
  /** Largest name string index seen, checked once the strings are known. */
  maxNameIndex = 0;
  private field = 0;
  private ordinal = 0;
  private edgeTotal = 0;
  private values = 0;

  constructor(private readonly layout: SnapshotLayout, reader: JsonReader) {
    const n = layout.nodeCount;
    const columns = allocate(reader, 'node_count', n, 18, () => ({
      types: new Uint8Array(n),
      names: new Uint32Array(n),
      ids: new Uint32Array(n),
      selfSizes: new Uint32Array(n),
      // Shared, as are the edge columns: graph work on other threads reads them in place.
      firstEdges: new Uint32Array(new SharedArrayBuffer((n + 1) * 4)),
      detachedness: layout.nodeField.detachedness >= 0 ? new Uint8Array(n) : null,
    }));
    this.types = columns.types;
    this.names = columns.names;
    this.ids = columns.ids;
    this.selfSizes = columns.selfSizes;
    this.firstEdges = columns.firstEdges;
    this.detachedness = columns.detachedness;
  }

  private widenSizes(reader: JsonReader): Float64Array {
    const wide = allocate(reader, 'node_count', this.layout.nodeCount, 8, () => new Float64Array(this.selfSizes));
    this.selfSizes = wide;
    return wide;
  }

  private allocateTraceIds(reader: JsonReader): Uint32Array {
    const n = this.layout.nodeCount;
    return (this.traceNodeIds = allocate(reader, 'node_count', n, 4, () => new Uint32Array(n)));
  }

  get recordSize(): number {
    return this.layout.nodeFieldCount;
  }

  take(values: Float64Array, count: number, reader: JsonReader): void {
    const { nodeCount, nodeFieldCount, edgeCount } = this.layout;
    const { type: typeField, name: nameField, id: idField, selfSize: sizeField, edgeCount: edgeCountField, traceNodeId: traceField, detachedness: detachedField } = this.layout.nodeField;
    const typeCount = this.layout.nodeTypeNames.length;
    const { types, names, ids, firstEdges, detachedness } = this;
    let { selfSizes, traceNodeIds } = this;
    const sizeLimit = selfSizes instanceof Uint32Array ? 0xffffffff : Infinity;
    let field = this.field;
    let ordinal = this.ordinal;
    let edgeTotal = this.edgeTotal;
    let maxName = this.maxNameIndex;
    for (let i = 0; i < count; i++) {
      // Whole records at once while they pass every check; a record that fails one (and a
      // record split between batches) goes through the field-by-field path below, which
      // reports the first bad field.
      if (field === 0) {
        while (i + nodeFieldCount <= count && ordinal < nodeCount) {
          const type = values[i + typeField];
          const id = values[i + idField];
          const nextEdgeTotal = edgeTotal + values[i + edgeCountField];
          const trace = traceField >= 0 ? values[i + traceField] : 0;
          const detached = detachedField >= 0 ? values[i + detachedField] : 0;
          const size = values[i + sizeField];
          if (type >= typeCount || id > 0xffffffff || nextEdgeTotal > edgeCount || (trace !== 0 && traceNodeIds === null) || trace > 0xffffffff || detached > 255 || size > sizeLimit) break;
          const name = values[i + nameField];
          types[ordinal] = type;
          names[ordinal] = name;
          if (name > maxName) maxName = name;
          ids[ordinal] = id;
          selfSizes[ordinal] = size;
          edgeTotal = nextEdgeTotal;
          firstEdges[ordinal + 1] = edgeTotal;
          if (trace !== 0) traceNodeIds![ordinal] = trace;
          if (detachedField >= 0) detachedness![ordinal] = detached;
          ordinal++;
          i += nodeFieldCount;
        }
        if (i === count) break;
      }
      const value = values[i];
      if (ordinal >= nodeCount) {
        reader.fail(`more values than node_count ${nodeCount} × ${nodeFieldCount} fields`);
      }
      if (field === typeField) {
        if (value >= typeCount) reader.fail(`node ${ordinal} has type ${value}, but meta.node_types lists ${typeCount} types`);
        types[ordinal] = value;
      } else if (field === nameField) {
        names[ordinal] = value;
        if (value > maxName) maxName = value;
      } else if (field === idField) {
        if (value > 0xffffffff) reader.fail(`node ${ordinal} has id ${value}, larger than 2^32`);
        ids[ordinal] = value;
      } else if (field === sizeField) {
        if (value > 0xffffffff && selfSizes instanceof Uint32Array) selfSizes = this.widenSizes(reader);
        selfSizes[ordinal] = value;
      } else if (field === edgeCountField) {
        edgeTotal += value;
        if (edgeTotal > edgeCount) {
          reader.fail(`the nodes' edge_count values add up to more than edge_count ${edgeCount} (at node ${ordinal})`);
        }
        firstEdges[ordinal + 1] = edgeTotal;
      } else if (field === traceField) {
        if (value > 0xffffffff) reader.fail(`node ${ordinal} has trace_node_id ${value}, larger than 2^32`);
        if (value !== 0) (traceNodeIds ??= this.allocateTraceIds(reader))[ordinal] = value;
      } else if (field === detachedField) {
        if (value > 255) reader.fail(`node ${ordinal} has detachedness ${value}`);
        detachedness![ordinal] = value;
      }
      if (++field === nodeFieldCount) {
        field = 0;
        ordinal++;
      }
    }
    this.field = field;
    this.ordinal = ordinal;
    this.edgeTotal = edgeTotal;
    this.maxNameIndex = maxName;
    this.values += count;
  }

  /** Checks, at the end of the section, that exactly node_count records arrived. */
  finish(reader: JsonReader): void {
    const { nodeCount, nodeFieldCount } = this.layout;
    if (this.field !== 0 || this.ordinal !== nodeCount) {
      reader.fail(`${this.values} values, but node_count ${nodeCount} × ${nodeFieldCount} fields = ${nodeCount * nodeFieldCount}`, reader.pos - 1);
    }
  }

  /** Sum of all edge_count fields. */
  get edgeCountSum(): number {
    return this.edgeTotal;
  }
}

export interface EdgeArrays {
  types: Uint8Array;
  names: Uint32Array;
  targets: Uint32Array;
}

/** The edge columns for `layout`, in shared memory: graph work on other threads reads them in place. */
export function allocateEdgeArrays(reader: JsonReader, layout: SnapshotLayout): EdgeArrays {
  const e = layout.edgeCount;
  return allocate(reader, 'edge_count', e, 9, () => ({
    types: new Uint8Array(new SharedArrayBuffer(e)),
    names: new Uint32Array(new SharedArrayBuffer(e * 4)),
    targets: new Uint32Array(new SharedArrayBuffer(e * 4)),
  }));
}

/**
 * Reads the `edges` array at the reader's position into `arrays` (allocated when absent),
 * checking every value and the count.
 */
export async function readEdgeSection(reader: JsonReader, layout: SnapshotLayout, arrays?: EdgeArrays): Promise<EdgeColumns> {
  const edges = new EdgeColumns(layout, reader, arrays);
  await reader.readNumberArray(edges);
  edges.finish(reader);
  return edges;
}

/**
 * What is wrong with `value` as field `field` of edge `ordinal`, or null: the checks every
 * edge value passes, whichever way the array is read (`take`'s fast path makes the same ones
 * on whole records, and hands a record that fails one to these).
 */
export function edgeValueProblem(layout: SnapshotLayout, ordinal: number, field: number, value: number): string | null {
  const { type, name, toNode } = layout.edgeField;
  const typeCount = layout.edgeTypeNames.length;
  if (field === type) return value >= typeCount ? `edge ${ordinal} has type ${value}, but meta.edge_types lists ${typeCount} types` : null;
  if (field === name) return value > 0xffffffff ? `edge ${ordinal} has name_or_index ${value}, larger than 2^32` : null;
  if (field !== toNode) return null;
  if (value % layout.nodeFieldCount !== 0) return `edge ${ordinal} has to_node ${value}, not a multiple of the ${layout.nodeFieldCount} node fields`;
  if (value >= layout.nodeCount * layout.nodeFieldCount) return `edge ${ordinal} has to_node ${value}, past the last node (node_count ${layout.nodeCount})`;
  return null;
}

/** Edge records, split into columns indexed by edge ordinal. */
export class EdgeColumns implements NumberSink {
  readonly types: Uint8Array;
  /** String index, or the element/hidden index for those edge types. */
  readonly names: Uint32Array;
  /** Target node ordinal (the file stores ordinal × node field count). */
  readonly targets: Uint32Array;
  /** Largest string index naming an edge (not element or hidden), checked once strings are known. */
  maxStringName = 0;
  private field = 0;
  private ordinal = 0;
  private values = 0;
  /** Set when the claims ran out before the last record: the rest is read from the end. */
  stoppedShort = false;
  claim?: (wanted: number) => number;

  /**
   * @param columns arrays to fill (e.g. shared with another thread); allocated when absent
   * @param claims shared with a reader from the array's end: records are taken from them
   */
  constructor(
    private readonly layout: SnapshotLayout,
    reader: JsonReader,
    columns?: EdgeArrays,
    claims?: EdgeClaims,
  ) {
    columns ??= allocateEdgeArrays(reader, layout);
    this.types = columns.types;
    this.names = columns.names;
    this.targets = columns.targets;
    if (claims) this.claim = (wanted) => this.claimFrom(claims, wanted);
  }

  get recordSize(): number {
    return this.layout.edgeFieldCount;
  }

  /**
   * Whole records from the claims. With the array's last record among them, the rest of the
   * array is this reader's: it reads on to the ']' in the sequential reader's batches, so that
   * values left over are found as they would be there.
   */
  private claimFrom(claims: EdgeClaims, wanted: number): number {
    const { edgeCount, edgeFieldCount } = this.layout;
    if (this.ordinal >= edgeCount) return wanted;
    const records = claims.claim(Math.floor(wanted / edgeFieldCount));
    this.stoppedShort = records === 0;
    return this.ordinal + records === edgeCount ? wanted : records * edgeFieldCount;
  }

  /** Records read so far: this reader's part runs up to it. */
  get records(): number {
    return this.ordinal;
  }

  take(values: Float64Array, count: number, reader: JsonReader): void {
    const { edgeCount, edgeFieldCount, nodeFieldCount, nodeCount } = this.layout;
    const { type: typeField, name: nameField, toNode: toField } = this.layout.edgeField;
    const typeCount = this.layout.edgeTypeNames.length;
    const nodeIndexLimit = nodeCount * nodeFieldCount;
    const { types, names, targets } = this;
    const elementType = this.layout.edgeTypeNames.indexOf('element');
    const hiddenType = this.layout.edgeTypeNames.indexOf('hidden');
    let maxStringName = this.maxStringName;
    let field = this.field;
    let ordinal = this.ordinal;
    for (let i = 0; i < count; i++) {
      // Whole records at once while they pass every check (see NodeColumns.take).
      if (field === 0) {
        while (i + edgeFieldCount <= count && ordinal < edgeCount) {
          const type = values[i + typeField];
          const name = values[i + nameField];
          const toNode = values[i + toField];
          const target = toNode / nodeFieldCount;
          if (type >= typeCount || name > 0xffffffff || toNode >= nodeIndexLimit || target !== Math.floor(target)) break;
          types[ordinal] = type;
          names[ordinal] = name;
          if (name > maxStringName && type !== elementType && type !== hiddenType) maxStringName = name;
          targets[ordinal] = target;
          ordinal++;
          i += edgeFieldCount;
        }
        if (i === count) break;
      }
      const value = values[i];
      if (ordinal >= edgeCount) reader.fail(`more values than edge_count ${edgeCount} × ${edgeFieldCount} fields`);
      const problem = edgeValueProblem(this.layout, ordinal, field, value);
      if (problem !== null) reader.fail(problem);
      if (field === typeField) {
        types[ordinal] = value;
      } else if (field === nameField) {
        names[ordinal] = value;
        // The type comes first in V8's layout; if a producer puts it later, count the name anyway.
        if (value > maxStringName && (typeField > nameField || (types[ordinal] !== elementType && types[ordinal] !== hiddenType))) maxStringName = value;
      } else if (field === toField) {
        targets[ordinal] = value / nodeFieldCount;
      }
      if (++field === edgeFieldCount) {
        field = 0;
        ordinal++;
      }
    }
    this.field = field;
    this.ordinal = ordinal;
    this.maxStringName = maxStringName;
    this.values += count;
  }

  finish(reader: JsonReader): void {
    const { edgeCount, edgeFieldCount } = this.layout;
    if (this.field !== 0 || this.ordinal !== edgeCount) {
      reader.fail(`${this.values} values, but edge_count ${edgeCount} × ${edgeFieldCount} fields = ${edgeCount * edgeFieldCount}`, reader.pos - 1);
    }
  }
}

/** A growable list of numbers, for the small sections (locations, samples, trace infos). */
export class NumberList implements NumberSink {
  private data = new Float64Array(1024);
  length = 0;

  take(values: Float64Array, count: number): void {
    if (this.length + count > this.data.length) {
      const grown = new Float64Array(Math.max(this.data.length * 2, this.length + count));
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    }
    this.data.set(values.subarray(0, count), this.length);
    this.length += count;
  }

  toArray(): Float64Array {
    return this.data.slice(0, this.length);
  }

  /** The numbers as Uint32 when every one fits (half the memory), else as Float64. */
  toCompactArray(): Uint32Array | Float64Array {
    const values = this.data.subarray(0, this.length);
    for (let i = 0; i < values.length; i++) if (values[i] > 0xffffffff) return values.slice();
    return new Uint32Array(values); // the reader takes non-negative integers only
  }
}
