/**
 * leakgraph/graph/retained-sizes — retained sizes and the dominator tree's child lists.
 */

import type { SizeArray } from '../snapshot/columns.js';
import { doubled } from '../snapshot/typed-arrays.js';
import type { ClassIds } from './classes.js';
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

/**
 * Per class, the sum of retained sizes of its non-zero-size instances that have no ancestor
 * of the same class in the dominator tree. One iterative walk of the tree, keeping for each
 * class whether an instance is on the current path.
 */
export function computeClassRetainedSizes(tree: DominatorTree, rootOrdinal: number, classOf: ClassIds, classCount: number, shallowSizes: SizeArray, retainedSizes: SizeArray): Float64Array {
  const { firstChild, children } = tree;
  const result = new Float64Array(classCount);
  const onPath = new Uint8Array(classCount);
  // The current path of the walk: each level's node and its next child slot, with the top
  // bit set when the node marked its class. As deep as the tree, not as large as the heap.
  const MARKED = 0x80000000;
  let pathNodes: Uint32Array = new Uint32Array(256);
  let nextSlots: Uint32Array = new Uint32Array(256);
  let depth = 0;
  const enter = (node: number): void => {
    const classId = classOf[node];
    let slot = firstChild[node];
    if (!onPath[classId] && shallowSizes[node] !== 0) {
      result[classId] += retainedSizes[node];
      if (slot !== firstChild[node + 1]) {
        onPath[classId] = 1;
        slot |= MARKED;
      }
    }
    if (depth === pathNodes.length) {
      pathNodes = doubled(pathNodes);
      nextSlots = doubled(nextSlots);
    }
    pathNodes[depth] = node;
    nextSlots[depth++] = slot;
  };
  enter(rootOrdinal);
  while (depth > 0) {
    const node = pathNodes[depth - 1];
    const slot = nextSlots[depth - 1] & ~MARKED;
    if (slot < firstChild[node + 1]) {
      nextSlots[depth - 1]++;
      enter(children[slot]);
    } else {
      if (nextSlots[depth - 1] & MARKED) onPath[classOf[node]] = 0;
      depth--;
    }
  }
  return result;
}
