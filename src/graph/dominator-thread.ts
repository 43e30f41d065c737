/**
 * leakgraph/graph/dominator-thread — computes the dominator tree (one SEMI-NCA pass) in a
 * worker thread while the main thread does the classes, shallow sizes and distances, so that
 * a mid-sized heap's graph work uses two cores (the largest compute them on the main thread,
 * for memory).
 *
 * The worker is started as soon as the node count is known (loading a file: at its header),
 * so that its start-up (about 0.1 s on two busy cores) overlaps the reading. It reads the
 * edges, edge offsets and page-owned marks in place (they are in shared memory) to apply the
 * essential-edge rule itself, and moves its two result arrays back without copying them; its
 * working arrays (four node-sized, a word per back predecessor) die with it.
 */

import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { computeDominators, type DominatorInput, type Dominators } from './dominators.js';
import { workerScriptFor } from '../snapshot/worker-script.js';
import { EssentialEdges, type EssentialEdgesData } from './essential-edges.js';

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
  essential: EssentialEdgesData;
}

interface DominatorReply {
  idom: Uint32Array;
  topDown: Uint32Array;
}

const KIND = 'leakgraph-dominators';
const script = workerScriptFor(import.meta.url);
const shared = (array: Uint32Array | Uint8Array) => array.buffer instanceof SharedArrayBuffer;

/** A worker started early (its start-up overlaps the reading), waiting for its job. */
export interface DominatorThread {
  /**
   * Hands the worker its job, or returns null (and stops the worker) when the heap's arrays are
   * not in shared memory; rejects only if the worker itself fails. Either way the caller then
   * computes the dominators itself.
   */
  compute(heap: DominatorInput, essential: EssentialEdges): Promise<Dominators> | null;
  /** Stops a worker that will get no job. */
  cancel(): void;
}

/**
 * Starts a worker for the dominators of a heap of `nodeCount` nodes, or returns null when they
 * should be computed on this thread: a small or a very large heap, or running from TypeScript
 * sources (tests). Until `compute` is called, the waiting worker keeps no one alive.
 */
export function startDominatorThread(nodeCount: number): DominatorThread | null {
  if (nodeCount < MIN_NODES || nodeCount >= MAX_NODES || script === null) return null;
  const worker = new Worker(script, { workerData: KIND });
  worker.unref();
  const reply = new Promise<Dominators>((resolve, reject) => {
    worker.once('message', (message: DominatorReply) => resolve(message));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`dominator thread exited with code ${code}`)));
  });
  reply.catch(() => {}); // a failure before `compute` is reported by `compute`
  return {
    compute(heap, essential) {
      const { data } = essential;
      if (![heap.firstEdges, heap.edgeTargets, data.edgeTypes, data.edgeNames, data.nodeFlags].every(shared)) {
        void worker.terminate();
        return null;
      }
      const job: DominatorJob = {
        nodeCount: heap.nodeCount,
        edgeCount: heap.edgeCount,
        rootOrdinal: heap.rootOrdinal,
        firstEdges: heap.firstEdges,
        edgeTargets: heap.edgeTargets,
        essential: data,
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
    const { idom, topDown } = computeDominators(job, new EssentialEdges(job.essential));
    parentPort!.postMessage({ idom, topDown } satisfies DominatorReply, [idom.buffer as ArrayBuffer, topDown.buffer as ArrayBuffer]);
  });
}
