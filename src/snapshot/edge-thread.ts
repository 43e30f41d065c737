/**
 * leakgraph/snapshot/edge-thread — reads the `edges` section in a worker thread while the
 * main thread reads `nodes`, so that a large plain file is parsed on two cores.
 *
 * V8 writes `"nodes":[…],"edges":[…]` and the nodes array holds only numbers, so the first
 * ']' after the nodes start ends it. The worker finds that ']' with a native byte search,
 * checks that `"edges":[` follows, and decodes the edges into shared arrays with the same
 * column sink (and checks) as the sequential reader. Anything unexpected before the edges
 * array (another section order, a malformed nodes section) makes it step aside: the main
 * thread then reads the edges itself and reports problems in file order. An error inside the
 * edges array comes back as the same SnapshotError the sequential reader would give.
 */

import { closeSync, openSync, readSync } from 'node:fs';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { openFileAt } from './byte-source.js';
import { allocateEdgeArrays, EdgeColumns, type EdgeArrays } from './columns.js';
import { EdgeClaims } from './edge-claims.js';
import { SnapshotError } from './errors.js';
import { Bytes, JsonReader } from './json-reader.js';
import type { SnapshotLayout } from './meta.js';
import { workerScriptFor } from './worker-script.js';

interface EdgeJob {
  kind: 'leakgraph-edges';
  file: string;
  /** Offset of the nodes array's '['. */
  nodesStart: number;
  layout: SnapshotLayout;
  arrays: EdgeArrays;
  /** The shared count of records not yet claimed (edge-claims). */
  unclaimed: Uint32Array;
}

/** Where the edges array is: its '[' and the offset just past its ']'. */
export interface EdgesLocation {
  arrayStart: number;
  end: number;
}

type WorkerMessage = ({ kind: 'located' } & EdgesLocation) | EdgeThreadResult;

export type EdgeThreadResult =
  | { kind: 'done'; maxStringName: number }
  /** The main thread claimed the records from `records` on: the worker's part ends at byte `partEnd`, just after its last value. */
  | { kind: 'split'; records: number; partEnd: number; maxStringName: number }
  | { kind: 'error'; problem: string; section?: string; offset?: number }
  | { kind: 'stepped aside' };

export interface EdgeThread {
  /** The shared arrays the worker fills. */
  arrays: EdgeArrays;
  /** The records the worker has not claimed yet, for the main thread to read from the end. */
  claims: EdgeClaims;
  /** Known early, from a byte search; null when the worker stepped aside. */
  located: Promise<EdgesLocation | null>;
  result: Promise<EdgeThreadResult>;
  stop(): Promise<void>;
}

const SEARCH_CHUNK = 1024 * 1024;

const workerScript = workerScriptFor(import.meta.url);

/** Whether edges can be read in a worker here. */
export function edgeThreadAvailable(): boolean {
  return workerScript !== null;
}

/**
 * Starts reading the edges of `file` in a worker. `nodesStart` is the offset of the nodes
 * array's '['. The arrays are allocated here, in shared memory, so allocation failures are
 * reported by the caller's reader.
 */
export function startEdgeThread(file: string, nodesStart: number, layout: SnapshotLayout, reader: JsonReader, edgesFromEnd = 0): EdgeThread {
  const arrays = allocateEdgeArrays(reader, layout);
  const claims = EdgeClaims.shared(layout.edgeCount, edgesFromEnd);
  const job: EdgeJob = { kind: 'leakgraph-edges', file, nodesStart, layout, arrays, unclaimed: claims.unclaimed };
  const worker = new Worker(workerScript!, { workerData: job });
  let resolveLocated: (location: EdgesLocation | null) => void = () => {};
  let resolveResult: (result: EdgeThreadResult) => void = () => {};
  const located = new Promise<EdgesLocation | null>((resolve) => (resolveLocated = resolve));
  const result = new Promise<EdgeThreadResult>((resolve) => (resolveResult = resolve));
  const end = (outcome: EdgeThreadResult) => {
    resolveLocated(null); // no effect once located
    resolveResult(outcome);
  };
  worker.on('message', (message: WorkerMessage) => {
    if (message.kind === 'located') resolveLocated({ arrayStart: message.arrayStart, end: message.end });
    else end(message);
  });
  // A crash of the worker (e.g. out of memory) is not the file's fault: read sequentially.
  worker.once('error', () => end({ kind: 'stepped aside' }));
  worker.once('exit', () => end({ kind: 'stepped aside' }));
  return {
    arrays,
    claims,
    located,
    result,
    stop: async () => {
      await worker.terminate();
    },
  };
}

/** Offset of the first ']' at or after `from`, or -1. */
function findByte(file: string, from: number, byte: number): number {
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.allocUnsafe(SEARCH_CHUNK);
    for (let position = from; ; ) {
      const read = readSync(fd, chunk, 0, SEARCH_CHUNK, position);
      if (read === 0) return -1;
      const at = chunk.subarray(0, read).indexOf(byte);
      if (at >= 0) return position + at;
      position += read;
    }
  } finally {
    closeSync(fd);
  }
}

async function runJob(job: EdgeJob, report: (message: WorkerMessage) => void): Promise<EdgeThreadResult> {
  const nodesEnd = findByte(job.file, job.nodesStart + 1, Bytes.CLOSE_BRACKET);
  if (nodesEnd < 0) return { kind: 'stepped aside' };
  const chunks = openFileAt(job.file, nodesEnd + 1);
  const reader = new JsonReader(chunks, job.file, undefined, nodesEnd + 1);
  const claims = new EdgeClaims(job.unclaimed);
  try {
    let arrayStart: number;
    try {
      await reader.expect(Bytes.COMMA, 'expected \',\'');
      if ((await reader.readString()) !== 'edges') return { kind: 'stepped aside' };
      await reader.expect(Bytes.COLON, 'expected \':\'');
      if ((await reader.peek()) !== Bytes.OPEN_BRACKET) return { kind: 'stepped aside' };
      arrayStart = reader.offset();
    } catch {
      return { kind: 'stepped aside' };
    }
    // A numbers-only array ends at its first ']'; if this one does not, the reading below
    // fails and that error is reported before anything the main thread found past it.
    const arrayEnd = findByte(job.file, arrayStart + 1, Bytes.CLOSE_BRACKET);
    if (arrayEnd < 0) return { kind: 'stepped aside' };
    report({ kind: 'located', arrayStart, end: arrayEnd + 1 });
    reader.section = 'edges';
    const edges = new EdgeColumns(job.layout, reader, job.arrays, claims);
    await reader.readNumberArray(edges);
    if (edges.stoppedShort) return { kind: 'split', records: edges.records, partEnd: reader.offset(), maxStringName: edges.maxStringName };
    edges.finish(reader);
    return { kind: 'done', maxStringName: edges.maxStringName };
  } catch (error) {
    // The first error in the file is this one, or one the main thread finds before the edges:
    // reading on from the end would be for nothing.
    claims.stop();
    if (error instanceof SnapshotError) return { kind: 'error', problem: error.problem, section: error.section, offset: error.offset };
    throw error;
  } finally {
    await reader.source.return?.();
  }
}

if (!isMainThread && (workerData as EdgeJob | undefined)?.kind === 'leakgraph-edges') {
  const job = workerData as EdgeJob;
  const report = (message: WorkerMessage) => parentPort!.postMessage(message);
  runJob(job, report).then(report, () => report({ kind: 'stepped aside' }));
}
