// Shared helpers for the loader tests (test/snapshot/*.test.ts).

import { expect } from 'vitest';
import { SnapshotError } from '../../src/snapshot/errors.js';
import type { HeapSnapshot } from '../../src/snapshot/heap-snapshot.js';
import { MINIMAL, minimalHeap, type BuildNode } from '../helpers/snapshot-builder.js';

/** Upper bound for any single load in these tests: a hang shows up as a failure, not a stuck run. */
export const CASE_TIME_LIMIT_MS = 5_000;

/** Rejects when `promise` has not settled after `ms` milliseconds. */
export async function withTimeLimit<T>(promise: Promise<T>, ms = CASE_TIME_LIMIT_MS, what = 'load'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms (hang?)`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The settled outcome of a load, so a test can inspect a rejection without try/catch noise. */
export async function outcome(promise: Promise<HeapSnapshot>, ms = CASE_TIME_LIMIT_MS): Promise<{ snapshot?: HeapSnapshot; error?: unknown }> {
  try {
    return { snapshot: await withTimeLimit(promise, ms) };
  } catch (error) {
    return { error };
  }
}

/**
 * Asserts that the load rejects with a SnapshotError whose message is one line,
 * `<file>: <problem> …`, matching `problem`. Returns the error for further checks.
 */
export async function expectSnapshotError(promise: Promise<HeapSnapshot>, file: string, problem: RegExp): Promise<SnapshotError> {
  const result = await outcome(promise);
  if (result.snapshot) {
    throw new Error(`expected a SnapshotError matching ${problem} for ${file}, but the load resolved (${result.snapshot.nodeCount} nodes)`);
  }
  const error = result.error;
  if (!(error instanceof SnapshotError)) {
    throw new Error(`expected a SnapshotError matching ${problem} for ${file}, got ${describeError(error)}`);
  }
  expect(error).toBeInstanceOf(SnapshotError);
  expect(error.name).toBe('SnapshotError');
  expect(error.message, 'the message must be one line').not.toMatch(/[\r\n\u2028\u2029]/);
  expect(error.message.startsWith(`${file}: `), `message starts with the file name: ${error.message}`).toBe(true);
  expect(error.message).toMatch(problem);
  expect(error.file).toBe(file);
  return error;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.constructor.name}: ${JSON.stringify(error.message)}`;
  return `non-error ${JSON.stringify(error)}`;
}

/** The given chunks as an async stream, exactly as they are. */
export async function* stream(...parts: Array<Buffer | string>): AsyncGenerator<Buffer | string> {
  for (const part of parts) yield part;
}

/** Chunk sizes cycling 1, 2, …, max: every token straddles some chunk boundary. */
export function* cyclingSizes(max = 7): Generator<number> {
  for (let size = 1; ; size = (size % max) + 1) yield size;
}

/** Yields `bytes` as Buffers of the given sizes (copies, so nothing shares the original). */
export async function* chunked(bytes: Buffer | string, sizes: Iterable<number> | number = cyclingSizes()): AsyncGenerator<Buffer> {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  const it = typeof sizes === 'number' ? (function* () { for (;;) yield sizes; })() : sizes[Symbol.iterator]();
  let pos = 0;
  while (pos < buf.length) {
    const size = Math.max(1, it.next().value as number);
    yield Buffer.from(buf.subarray(pos, pos + size));
    pos += size;
  }
}

/** Yields an ASCII text as JS string chunks (readSnapshotStream also takes strings). */
export async function* textChunks(text: string, size: number): AsyncGenerator<string> {
  for (let pos = 0; pos < text.length; pos += size) yield text.slice(pos, pos + size);
}

/** Everything the loader decodes, as plain comparable values (typed arrays compared element-wise). */
export function columnsOf(snap: HeapSnapshot) {
  const locations: Array<[number, number, number, number]> = [];
  for (let o = 0; o < snap.nodeCount; o++) {
    const loc = snap.location(o);
    if (loc) locations.push([o, loc.scriptId, loc.line, loc.column]);
  }
  return {
    nodeCount: snap.nodeCount,
    edgeCount: snap.edgeCount,
    rootOrdinal: snap.rootOrdinal,
    nodeTypeNames: [...snap.nodeTypeNames],
    edgeTypeNames: [...snap.edgeTypeNames],
    nodeTypes: snap.nodeTypes,
    nodeNames: snap.nodeNames,
    nodeIds: snap.nodeIds,
    selfSizes: snap.selfSizes,
    firstEdges: snap.firstEdges,
    traceNodeIds: snap.traceNodeIds,
    detachedness: snap.detachedness,
    edgeTypes: snap.edgeTypes,
    edgeNames: snap.edgeNames,
    edgeTargets: snap.edgeTargets,
    strings: [...snap.strings],
    locations,
  };
}

/**
 * Fast equality of two columnsOf() results (vitest's deep equality walks typed arrays
 * element by element, which takes seconds on real snapshots). Reports the first field that differs.
 */
export function expectSameColumns(actual: ReturnType<typeof columnsOf>, expected: ReturnType<typeof columnsOf>, label = ''): void {
  const differing: string[] = [];
  for (const key of Object.keys(expected) as Array<keyof typeof expected>) {
    const a = actual[key] as unknown;
    const b = expected[key] as unknown;
    if (ArrayBuffer.isView(a) && ArrayBuffer.isView(b)) {
      const same = a.constructor === b.constructor && a.byteLength === b.byteLength
        && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
      if (!same) differing.push(key);
    } else if (Array.isArray(a) && Array.isArray(b)) {
      let same = a.length === b.length;
      for (let i = 0; same && i < a.length; i++) same = JSON.stringify(a[i]) === JSON.stringify(b[i]);
      if (!same) differing.push(key);
    } else if (JSON.stringify(a) !== JSON.stringify(b)) {
      differing.push(key);
    }
  }
  expect(differing, `columns that differ ${label}`).toEqual([]);
}

/** The graph in words (type names, names, ids…), independent of field order and string table. */
export function graphOf(snap: HeapSnapshot) {
  const nodes = [];
  for (let o = 0; o < snap.nodeCount; o++) {
    const edges = [];
    for (let e = snap.firstEdges[o]!; e < snap.firstEdges[o + 1]!; e++) {
      edges.push({ type: snap.edgeTypeName(e), name: snap.edgeName(e), to: snap.nodeIds[snap.edgeTargets[e]!] });
    }
    nodes.push({
      type: snap.nodeTypeName(o),
      name: snap.nodeName(o),
      id: snap.nodeIds[o],
      selfSize: snap.selfSizes[o],
      location: snap.location(o),
      edges,
    });
  }
  return nodes;
}

/**
 * A small heap that uses every edge type, detachedness, trace node ids, a location and
 * names with escapes, on V8's skeleton (see minimalHeap):
 *   5  object "User"        id 11  ← global.user, element 0 of the array, weak from the closure
 *   6  string "alice\n\"x\"" id 13
 *   7  array  "(object elements)" id 15 (hidden edge from User, element edges to User/string)
 *   8  closure "handler"    id 17  context edge "self" → User, internal "shared" → code
 *   9  code   "(code)"      id 19
 *  10  native "HTMLDivElement" id 21  detached
 */
export function richHeap(): BuildNode[] {
  const nodes = minimalHeap();
  nodes[MINIMAL.global]!.edges!.push(
    { type: 'property', name: 'user', to: 5 },
    { type: 'property', name: 'handler', to: 8 },
    { type: 'shortcut', name: 'div', to: 10 },
  );
  nodes.push(
    {
      type: 'object', name: 'User', id: 11, selfSize: 32, traceNodeId: 3, detachedness: 1,
      edges: [
        { type: 'property', name: 'name', to: 6 },
        { type: 'hidden', name: 3, to: 7 },
        { type: 'internal', name: 'map', to: 9 },
      ],
    },
    { type: 'string', name: 'alice\n"x"', id: 13, selfSize: 20, traceNodeId: 4 },
    {
      type: 'array', name: '(object elements)', id: 15, selfSize: 40,
      edges: [
        { type: 'element', name: 0, to: 5 },
        { type: 'element', name: 7, to: 6 },
      ],
    },
    {
      type: 'closure', name: 'handler', id: 17, selfSize: 64, traceNodeId: 1,
      edges: [
        { type: 'context', name: 'self', to: 5 },
        { type: 'internal', name: 'shared', to: 9 },
        { type: 'weak', name: 'weak_ref', to: 5 },
      ],
    },
    { type: 'code', name: '(code)', id: 19, selfSize: 128 },
    { type: 'native', name: 'HTMLDivElement', id: 21, selfSize: 96, detachedness: 2 },
  );
  return nodes;
}

export const RICH_LOCATIONS = [
  { node: 5, scriptId: 12, line: 4, column: 2 },
  { node: 8, scriptId: 12, line: 40, column: 17 },
];

/** A deterministic pseudo-random byte sequence (xorshift32). */
export function pseudoRandomBytes(length: number, seed = 0x2545f491): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0;
  for (let i = 0; i < length; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}
