/**
 * leakgraph/analysis/older-snapshot-thread — the older snapshots of `leaks` (and the first of
 * `growth`) read in one worker thread, oldest first, while the main thread loads the final one.
 *
 * The worker reads each file (no graph: see analysis/older-snapshot), sends its sorted ids and
 * fingerprint, and answers the main thread's questions (containers, lists, retained sizes) from
 * the heaps it keeps until stopped; the rest is the main thread's, which has time to spare
 * while the worker reads. A broken file comes back as
 * the SnapshotError the main thread would have thrown.
 */

import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { LeakgraphError } from '../errors.js';
import type { InterfaceDefinition } from '../graph/classes.js';
import { SnapshotError } from '../snapshot/errors.js';
import { readSnapshotFile } from '../snapshot/loader.js';
import { readerThreadStarted } from '../snapshot/reader-threads.js';
import { workerScriptFor } from '../snapshot/worker-script.js';
import { OlderSnapshotFacts, type GrowthFacts, type ListQuery, type OlderSnapshot, type TrackCounts } from './older-snapshot.js';
import type { ProcessFingerprint } from './same-process.js';

interface OlderJob {
  kind: 'leakgraph-older-snapshots';
  files: string[];
}

type Request = { id: number; index: number } & (
  | { kind: 'counts'; containerIds: Uint32Array; kindCodes: Uint8Array; lists: readonly ListQuery[]; interfaces: InterfaceDefinition[] }
  | { kind: 'retained'; ids: readonly number[] }
  | { kind: 'growth'; interfaces: InterfaceDefinition[] }
  | { kind: 'close' }
);

type Reply =
  | { kind: 'loaded'; index: number; sortedIds: Uint32Array; fingerprint: ProcessFingerprint }
  | { kind: 'counts'; id: number; counts: TrackCounts }
  | { kind: 'retained'; id: number; sizes: Float64Array }
  | { kind: 'growth'; id: number; facts: GrowthFacts }
  | { kind: 'error'; index?: number; id?: number; message: string; stack?: string; snapshot?: { file: string; problem: string; section?: string; offset?: number } };

/** The older snapshots being read in one worker, oldest first. */
export interface OlderSnapshotsThread {
  /** One per file; a broken file's rejects with its SnapshotError. */
  snapshots: Promise<OlderSnapshot>[];
  /** Ends the worker and lets go of every heap. */
  stop(): void;
}

const script = workerScriptFor(import.meta.url);

/**
 * Starts reading `files` one after the other in one worker (one thread beside the final
 * snapshot's load uses the second core without a start-up per file); null when workers cannot
 * run our modules here (running from TypeScript sources), and the caller reads them itself.
 */
export function startOlderSnapshotsThread(files: string[], command: string): OlderSnapshotsThread | null {
  if (script === null || files.length === 0) return null;
  const worker = new Worker(script, { workerData: { kind: 'leakgraph-older-snapshots', files } satisfies OlderJob });
  // While it reads, the final snapshot's load leaves the second core to it (snapshot/reader-threads).
  const readingDone = readerThreadStarted();
  type Waiter<T> = { resolve: (value: T) => void; reject: (error: Error) => void };
  const loads = files.map(() => ({}) as Waiter<Extract<Reply, { kind: 'loaded' }>>);
  const loaded = loads.map((waiter) => new Promise<Extract<Reply, { kind: 'loaded' }>>((resolve, reject) => Object.assign(waiter, { resolve, reject })));
  const requests = new Map<number, Waiter<Reply>>();
  let nextId = 0;
  let failure: Error | null = null;
  const fail = (error: Error) => {
    readingDone();
    failure ??= error;
    loads.forEach((waiter) => waiter.reject(failure!));
    for (const waiter of requests.values()) waiter.reject(failure);
    requests.clear();
  };
  worker.on('message', (reply: Reply) => {
    if (reply.kind === 'loaded' && reply.index === files.length - 1) readingDone();
    if (reply.kind === 'loaded') return loads[reply.index].resolve(reply);
    const waiter = reply.id !== undefined ? requests.get(reply.id) : undefined;
    if (reply.id !== undefined) requests.delete(reply.id);
    if (reply.kind !== 'error') return waiter?.resolve(reply);
    if (reply.index !== undefined) readingDone();
    if (reply.index !== undefined) loads[reply.index].reject(errorOf(reply));
    else waiter?.reject(errorOf(reply));
  });
  // A thread that dies (out of memory, most likely) ends the command with one line, not a stack trace.
  const died = (why: string) => fail(new LeakgraphError(`${command}: the thread reading the older snapshots stopped (${why}); the machine may be short of memory for ${files.length === 1 ? 'an older snapshot' : `${files.length} older snapshots`} beside the newest`));
  worker.on('error', (error) => died(error.message));
  worker.on('exit', (code) => died(`exit code ${code}`));
  const ask = <K extends Reply['kind']>(request: Request): Promise<Extract<Reply, { kind: K }>> =>
    new Promise((resolve, reject) => {
      if (failure) return reject(failure);
      requests.set(request.id, { resolve: resolve as (reply: Reply) => void, reject });
      worker.postMessage(request);
    });
  const snapshots = loaded.map((promise, index) =>
    promise.then(({ sortedIds, fingerprint }): OlderSnapshot => ({
      sortedIds,
      fingerprint,
      counts: async (containerIds, kindCodes, lists, interfaces) => (await ask<'counts'>({ kind: 'counts', id: nextId++, index, containerIds, kindCodes, lists, interfaces })).counts,
      retainedSizes: async (ids) => (await ask<'retained'>({ kind: 'retained', id: nextId++, index, ids })).sizes,
      growthFacts: async (interfaces) => (await ask<'growth'>({ kind: 'growth', id: nextId++, index, interfaces })).facts,
      close: () => {
        if (!failure) worker.postMessage({ kind: 'close', id: nextId++, index } satisfies Request);
      },
    })),
  );
  // Each failure is reported when its snapshot's turn comes, in file order.
  snapshots.forEach((snapshot) => snapshot.catch(() => undefined));
  return { snapshots, stop: () => void worker.terminate() };
}

function errorOf(reply: Extract<Reply, { kind: 'error' }>): Error {
  if (reply.snapshot) return new SnapshotError(reply.snapshot.file, reply.snapshot.problem, reply.snapshot.section, reply.snapshot.offset);
  const error = new Error(reply.message);
  if (reply.stack) error.stack = reply.stack;
  return error;
}

function replyOf(error: unknown): Reply {
  if (error instanceof SnapshotError) return { kind: 'error', message: error.message, snapshot: { file: error.file, problem: error.problem, section: error.section, offset: error.offset } };
  const known = error instanceof Error ? error : new Error(String(error));
  return { kind: 'error', message: known.message, stack: known.stack };
}

async function serve(job: OlderJob): Promise<void> {
  const port = parentPort!;
  const facts: OlderSnapshotFacts[] = [];
  // Questions about a snapshot already read are answered between the next one's chunks.
  port.on('message', (request: Request) => {
    try {
      if (request.kind === 'close') {
        delete facts[request.index];
      } else if (request.kind === 'counts') {
        const counts = facts[request.index].counts(request.containerIds, request.kindCodes, request.lists, request.interfaces);
        port.postMessage({ kind: 'counts', id: request.id, counts } satisfies Reply, [counts.entries.buffer as ArrayBuffer, counts.lengths.buffer as ArrayBuffer]);
      } else if (request.kind === 'retained') {
        const sizes = facts[request.index].retainedSizes(request.ids);
        port.postMessage({ kind: 'retained', id: request.id, sizes } satisfies Reply, [sizes.buffer as ArrayBuffer]);
      } else {
        const answer = facts[request.index].growthFacts(request.interfaces);
        const { start, ids, sizes } = answer.instances;
        port.postMessage({ kind: 'growth', id: request.id, facts: answer } satisfies Reply, [start.buffer as ArrayBuffer, ids.buffer as ArrayBuffer, sizes.buffer as ArrayBuffer]);
      }
    } catch (error) {
      port.postMessage({ ...replyOf(error), id: request.id });
    }
  });
  for (const [index, file] of job.files.entries()) {
    try {
      // No edge thread of its own: this thread already runs beside the final snapshot's load.
      facts[index] = new OlderSnapshotFacts(await readSnapshotFile(file, { parallelMinBytes: Infinity }));
    } catch (error) {
      port.postMessage({ ...replyOf(error), index });
      return;
    }
    const sortedIds = facts[index].ids.sortedIds.slice();
    port.postMessage({ kind: 'loaded', index, sortedIds, fingerprint: facts[index].fingerprint } satisfies Reply, [sortedIds.buffer]);
  }
}

if (!isMainThread && (workerData as OlderJob | undefined)?.kind === 'leakgraph-older-snapshots') await serve(workerData as OlderJob);
