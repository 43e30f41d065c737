/**
 * leakgraph/graph/dominator-thread — computes the dominator tree (one SEMI-NCA pass) in a
 * worker thread while the main thread does the classes, shallow sizes and distances, so that
 * a mid-sized heap's graph work uses two cores (the largest compute them on the main thread,
 * for memory).
 *
 * The worker is started before the essential edges are found, so that its start-up overlaps
 * them. It reads the edge targets, edge offsets and essential-edge bits in place (they are
 * in shared memory) and moves its two result arrays back without copying them; its working
 * arrays (four node-sized, a word per back predecessor) die with it.
 */

import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { computeDominators, type DominatorInput, type Dominators } from './dominators.js';
import { workerScriptFor } from '../snapshot/worker-script.js';
import { EdgeBits } from './essential-edges.js';

const nodeLimit = (variable: string, fallback: number): number => (/^\d+$/.test(process.env[variable] ?? '') ? Number(process.env[variable]) : fallback);

/** Below this many nodes starting a thread costs more than it saves (tests lower it). */
const MIN_NODES = nodeLimit('LEAKGRAPH_THREAD_MIN_NODES', 500_000);
/**
 * From this many nodes (snapshots of about 250 MB and up) memory comes first: the worker's
 * arrays beside the main thread's classes, shallow sizes and distances add 12–15 bytes a
 * node to the peak (s600: 1.36× the file with it, 1.2× without) to save 8–13 % of the time,
 * and on heaps this large memory is what decides whether the analysis fits. The dominators
 * are then computed on the main thread before the classes, in memory their arrays leave.
 */
const MAX_NODES = nodeLimit('LEAKGRAPH_THREAD_MAX_NODES', 3_000_000);

interface DominatorJob {
  nodeCount: number;
  edgeCount: number;
  rootOrdinal: number;
  firstEdges: Uint32Array;
  edgeTargets: Uint32Array;
  essentialWords: Uint32Array;
}

interface DominatorReply {
  idom: Uint32Array;
  topDown: Uint32Array;
}

const KIND = 'leakgraph-dominators';
const script = workerScriptFor(import.meta.url);
const shared = (array: Uint32Array) => array.buffer instanceof SharedArrayBuffer;

/** A worker started early (its start-up overlaps the essential edges), waiting for its job. */
export interface DominatorThread {
  /** Hands the worker its job; rejects only if the worker itself fails (the caller then computes here). */
  compute(essential: EdgeBits): Promise<Dominators>;
  /** Stops a worker that will get no job. */
  cancel(): void;
}

/**
 * Starts a worker for the dominators, or returns null when they should be computed on this
 * thread: a small or a very large heap, arrays not in shared memory, or running from
 * TypeScript sources (tests). Until `compute` is called, the waiting worker keeps no one alive.
 */
export function startDominatorThread(heap: DominatorInput): DominatorThread | null {
  if (heap.nodeCount < MIN_NODES || heap.nodeCount >= MAX_NODES || script === null) return null;
  if (!shared(heap.firstEdges) || !shared(heap.edgeTargets)) return null;
  const worker = new Worker(script, { workerData: KIND });
  worker.unref();
  const reply = new Promise<Dominators>((resolve, reject) => {
    worker.once('message', (message: DominatorReply) => resolve(message));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`dominator thread exited with code ${code}`)));
  });
  reply.catch(() => {}); // a failure before `compute` is reported by `compute`
  return {
    compute(essential) {
      const job: DominatorJob = {
        nodeCount: heap.nodeCount,
        edgeCount: heap.edgeCount,
        rootOrdinal: heap.rootOrdinal,
        firstEdges: heap.firstEdges,
        edgeTargets: heap.edgeTargets,
        essentialWords: essential.words,
      };
      worker.ref();
      worker.postMessage(job);
      return reply;
    },
    cancel() {
      void worker.terminate();
    },
  };
}

if (!isMainThread && workerData === KIND) {
  parentPort!.once('message', (job: DominatorJob) => {
    const { idom, topDown } = computeDominators(job, new EdgeBits(job.essentialWords));
    parentPort!.postMessage({ idom, topDown } satisfies DominatorReply, [idom.buffer as ArrayBuffer, topDown.buffer as ArrayBuffer]);
  });
}
