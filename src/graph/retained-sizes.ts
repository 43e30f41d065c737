/**
 * leakgraph/graph/retained-sizes — retained sizes and the dominator tree's child lists.
 */

import type { SizeArray } from '../snapshot/columns.js';
import type { Dominators } from './dominators.js';

/**
 * Retained size of each node: its (reassigned) shallow size plus the retained sizes of the
 * nodes it immediately dominates. Uint32 when the heap's total fits (no retained size can
 * pass it), Float64 otherwise (exact for integers up to 2^53).
 */
export function computeRetainedSizes(dominators: Dominators, shallowSizes: SizeArray): SizeArray {
  const { idom, topDown } = dominators;
  let total = 0;
  for (let node = 0; node < shallowSizes.length; node++) total += shallowSizes[node];
  const retained = total <= 0xffffffff ? new Uint32Array(shallowSizes) : new Float64Array(shallowSizes);
  // Children come after their dominator: add them up from the end.
  for (let i = topDown.length - 1; i >= 1; i--) {
    const node = topDown[i];
    retained[idom[node]] += retained[node];
  }
  return retained;
}

export interface DominatorTree {
  /** Children of node k are children[firstChild[k] .. firstChild[k + 1]). */
  firstChild: Uint32Array;
  children: Uint32Array;
}

/**
 * The dominator tree as CSR child lists (the root is nobody's child). `storage`, at least
 * node-count long, is used for the child lists instead of a new array: the caller's finished
 * top-down order, so that the tree costs one node-sized array.
 */
export function buildDominatorTree(idom: Uint32Array, rootOrdinal: number, storage?: Uint32Array): DominatorTree {
  const nodeCount = idom.length;
  const firstChild = new Uint32Array(nodeCount + 1);
  for (let node = 0; node < nodeCount; node++) if (node !== rootOrdinal) firstChild[idom[node] + 1]++;
  for (let node = 0; node < nodeCount; node++) firstChild[node + 1] += firstChild[node];
  const childCount = Math.max(0, nodeCount - 1);
  const children = storage ? storage.subarray(0, childCount) : new Uint32Array(childCount);
  // firstChild[k] serves as k's cursor, ending at k's end (k + 1's start); one shift restores it.
  for (let node = 0; node < nodeCount; node++) if (node !== rootOrdinal) children[firstChild[idom[node]]++] = node;
  firstChild.copyWithin(1, 0, nodeCount);
  firstChild[0] = 0;
  return { firstChild, children };
}
