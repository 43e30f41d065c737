/**
 * leakgraph/graph/retained-sizes — retained sizes and the dominator tree's child lists.
 */

import type { SizeArray } from '../snapshot/columns.js';
import type { Dominators } from './dominators.js';

/**
 * Retained size of each node: its (reassigned) shallow size plus the retained sizes of the
 * nodes it immediately dominates. Float64, exact for integers up to 2^53.
 */
export function computeRetainedSizes(dominators: Dominators, shallowSizes: SizeArray): Float64Array {
  const { idom, preorder } = dominators;
  const retained = new Float64Array(shallowSizes);
  // Children come after their dominator in preorder: add them up from the end.
  for (let i = preorder.length - 1; i >= 1; i--) {
    const node = preorder[i];
    retained[idom[node]] += retained[node];
  }
  return retained;
}

export interface DominatorTree {
  /** Children of node k are children[firstChild[k] .. firstChild[k + 1]). */
  firstChild: Uint32Array;
  children: Uint32Array;
}

/** The dominator tree as CSR child lists (the root is nobody's child). */
export function buildDominatorTree(idom: Uint32Array, rootOrdinal: number): DominatorTree {
  const nodeCount = idom.length;
  const firstChild = new Uint32Array(nodeCount + 1);
  for (let node = 0; node < nodeCount; node++) if (node !== rootOrdinal) firstChild[idom[node] + 1]++;
  for (let node = 0; node < nodeCount; node++) firstChild[node + 1] += firstChild[node];
  const next = firstChild.slice(0, nodeCount);
  const children = new Uint32Array(Math.max(0, nodeCount - 1));
  for (let node = 0; node < nodeCount; node++) if (node !== rootOrdinal) children[next[idom[node]]++] = node;
  return { firstChild, children };
}
