/**
 * leakgraph/graph/dominator-thread — computes the dominator tree (one SEMI-NCA pass) in a
 * worker thread while the main thread does the classes and shallow sizes, so that a large
 * heap's graph work uses two cores.
 *
 * The worker reads the edge targets, edge offsets and essential-edge bits in place (they are
 * in shared memory) and moves its two result arrays back without copying them; its working
 * arrays (five node-sized, a word per back predecessor) die with it.
 */

import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { computeDominators, type DominatorInput, type Dominators } from './dominators.js';
import { workerScriptFor } from '../snapshot/worker-script.js';
import { EdgeBits } from './essential-edges.js';

/** Below this many nodes starting a thread costs more than it saves (tests lower it). */
const MIN_NODES = /^\d+$/.test(process.env.LEAKGRAPH_THREAD_MIN_NODES ?? '') ? Number(process.env.LEAKGRAPH_THREAD_MIN_NODES) : 500_000;

interface DominatorJob {
  kind: 'leakgraph-dominators';
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

const script = workerScriptFor(import.meta.url);
const shared = (array: Uint32Array) => array.buffer instanceof SharedArrayBuffer;

/**
 * Starts the computation in a worker, or returns null when it should run on this thread:
 * a small heap, arrays not in shared memory, or running from TypeScript sources (tests).
 * The promise rejects only if the worker itself fails; the caller then computes here.
 */
export function startDominatorThread(heap: DominatorInput, essential: EdgeBits): Promise<Dominators> | null {
  if (heap.nodeCount < MIN_NODES || script === null) return null;
  if (!shared(heap.firstEdges) || !shared(heap.edgeTargets) || !shared(essential.words)) return null;
  const job: DominatorJob = {
    kind: 'leakgraph-dominators',
    nodeCount: heap.nodeCount,
    edgeCount: heap.edgeCount,
    rootOrdinal: heap.rootOrdinal,
    firstEdges: heap.firstEdges,
    edgeTargets: heap.edgeTargets,
    essentialWords: essential.words,
  };
  const worker = new Worker(script, { workerData: job });
  return new Promise<Dominators>((resolve, reject) => {
    worker.once('message', (reply: DominatorReply) => resolve(reply));
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`dominator thread exited with code ${code}`)));
  });
}

if (!isMainThread && (workerData as DominatorJob | undefined)?.kind === 'leakgraph-dominators') {
  const job = workerData as DominatorJob;
  const { idom, topDown } = computeDominators(job, new EdgeBits(job.essentialWords));
  parentPort!.postMessage({ idom, topDown } satisfies DominatorReply, [idom.buffer as ArrayBuffer, topDown.buffer as ArrayBuffer]);
}
