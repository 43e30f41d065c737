/**
 * leakgraph/graph/dominators — the dominator tree of the heap, rooted at the root node.
 *
 * One pass of SEMI-NCA (`semi-nca.ts`), near-linear on every heap, DevTools' rules for which
 * edges count (`essential-edges.ts`) and for unreached nodes.
 */

import type { HeapSnapshot } from '../snapshot/heap-snapshot.js';
import type { EssentialEdges } from './essential-edges.js';
import { semiNca } from './semi-nca.js';

export interface Dominators {
  /** Immediate dominator (ordinal) of each node; the root's is the root. */
  idom: Uint32Array;
  /** Every node ordinal once, the root first and every node after its immediate dominator. */
  topDown: Uint32Array;
}

/** What the computation reads of a heap (all of it plain arrays, so a worker can get it). */
export type DominatorInput = Pick<HeapSnapshot, 'nodeCount' | 'edgeCount' | 'rootOrdinal' | 'firstEdges' | 'edgeTargets'>;

export function computeDominators(heap: DominatorInput, essential: EssentialEdges): Dominators {
  return semiNca(heap, essential);
}
