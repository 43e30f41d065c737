/**
 * leakgraph/analysis/older-snapshot-thread — an older snapshot of `leaks` read in a worker
 * thread, while the main thread loads the final one.
 *
 * The worker reads the file (no graph: see analysis/older-snapshot), sends its sorted ids and
 * fingerprint, then answers the main thread's questions about containers, lists and retained
 * sizes from the heap it keeps until closed. A broken file comes back as the SnapshotError
 * the main thread would have thrown.
 */

import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { SnapshotError } from '../snapshot/errors.js';
import { readSnapshotFile } from '../snapshot/loader.js';
import { workerScriptFor } from '../snapshot/worker-script.js';
import { OlderSnapshotFacts, type ListQuery, type OlderSnapshot, type TrackCounts } from './older-snapshot.js';
import type { ProcessFingerprint } from './same-process.js';

interface OlderJob {
  kind: 'leakgraph-older-snapshot';
  file: string;
}

type Request = { kind: 'counts'; containerIds: Uint32Array; kindCodes: Uint8Array; lists: readonly ListQuery[] } | { kind: 'retained'; ids: readonly number[] };

type Reply =
  | { kind: 'loaded'; sortedIds: Uint32Array; fingerprint: ProcessFingerprint }
  | { kind: 'counts'; counts: TrackCounts }
  | { kind: 'retained'; sizes: Float64Array }
  | { kind: 'error'; message: string; stack?: string; snapshot?: { file: string; problem: string; section?: string; offset?: number } };

const script = workerScriptFor(import.meta.url);

/**
 * Starts reading `file` in a worker; null when workers cannot run our modules here (running
 * from TypeScript sources), and the caller reads it in this thread.
 */
export function startOlderSnapshotThread(file: string): Promise<OlderSnapshot> | null {
  if (script === null) return null;
  const worker = new Worker(script, { workerData: { kind: 'leakgraph-older-snapshot', file } satisfies OlderJob });
  // Replies come in the order of the requests; the first is the load's.
  const waiting: Array<{ resolve: (reply: Reply) => void; reject: (error: Error) => void }> = [];
  let failure: Error | null = null;
  const fail = (error: Error) => {
    failure ??= error;
    for (const request of waiting.splice(0)) request.reject(failure);
  };
  worker.on('message', (reply: Reply) => {
    const request = waiting.shift();
    if (reply.kind === 'error') request?.reject(errorOf(reply));
    else request?.resolve(reply);
  });
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`older snapshot thread exited with code ${code}`)));
  const next = (request?: Request): Promise<Reply> =>
    new Promise<Reply>((resolve, reject) => {
      if (failure) return reject(failure);
      waiting.push({ resolve, reject });
      if (request) worker.postMessage(request);
    });
  return next().then((loaded) => {
    if (loaded.kind !== 'loaded') throw new Error('older snapshot thread: unexpected reply');
    return {
      sortedIds: loaded.sortedIds,
      fingerprint: loaded.fingerprint,
      counts: async (containerIds, kindCodes, lists) => ((await next({ kind: 'counts', containerIds, kindCodes, lists })) as Extract<Reply, { kind: 'counts' }>).counts,
      retainedSizes: async (ids) => ((await next({ kind: 'retained', ids })) as Extract<Reply, { kind: 'retained' }>).sizes,
      close: () => void worker.terminate(),
    };
  }, (error: Error) => {
    void worker.terminate();
    throw error;
  });
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
  let facts: OlderSnapshotFacts;
  try {
    // No edge thread of its own: this thread already runs beside the final snapshot's load.
    facts = new OlderSnapshotFacts(await readSnapshotFile(job.file, { parallelMinBytes: Infinity }));
  } catch (error) {
    port.postMessage(replyOf(error));
    return;
  }
  const sortedIds = facts.ids.sortedIds.slice();
  port.postMessage({ kind: 'loaded', sortedIds, fingerprint: facts.fingerprint } satisfies Reply, [sortedIds.buffer]);
  port.on('message', (request: Request) => {
    try {
      if (request.kind === 'counts') {
        const counts = facts.counts(request.containerIds, request.kindCodes, request.lists);
        port.postMessage({ kind: 'counts', counts } satisfies Reply, [counts.entries.buffer as ArrayBuffer, counts.lengths.buffer as ArrayBuffer]);
      } else {
        const sizes = facts.retainedSizes(request.ids);
        port.postMessage({ kind: 'retained', sizes } satisfies Reply, [sizes.buffer as ArrayBuffer]);
      }
    } catch (error) {
      port.postMessage(replyOf(error));
    }
  });
}

if (!isMainThread && (workerData as OlderJob | undefined)?.kind === 'leakgraph-older-snapshot') await serve(workerData as OlderJob);
