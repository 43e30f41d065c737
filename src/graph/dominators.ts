/**
 * leakgraph/graph/dominators — the dominator tree of the heap, rooted at the root node.
 *
 * Two algorithms give the same tree. The iterative one needs three node-sized arrays and
 * nothing per edge, which keeps a large heap's peak memory low; on heaps where it would
 * take too long (long chains of back references, such as a big doubly linked list) it gives
 * up within a bounded amount of work and Lengauer–Tarjan, near-linear on every heap but with
 * a word per edge and six per node, computes the tree instead.
 */

import type { HeapSnapshot } from '../snapshot/heap-snapshot.js';
import type { EdgeBits } from './essential-edges.js';
import { iterativeDominators } from './iterative-dominators.js';
import { lengauerTarjan } from './lengauer-tarjan.js';

export interface Dominators {
  /** Immediate dominator (ordinal) of each node; the root's is the root. */
  idom: Uint32Array;
  /** Every node ordinal once, the root first and every node after its immediate dominator. */
  topDown: Uint32Array;
}

/** What the computation reads of a heap (all of it plain arrays, so a worker can get it). */
export type DominatorInput = Pick<HeapSnapshot, 'nodeCount' | 'edgeCount' | 'rootOrdinal' | 'firstEdges' | 'edgeTargets'>;

export function computeDominators(heap: DominatorInput, essential: EdgeBits): Dominators {
  return iterativeDominators(heap, essential) ?? lengauerTarjan(heap, essential);
}
