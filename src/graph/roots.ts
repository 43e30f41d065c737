/**
 * leakgraph/graph/roots — which children of the root are "user roots".
 *
 * DevTools: a child of the root is a user root when it is not synthetic (a global object,
 * reached by a shortcut edge) or when it is the synthetic "(Document DOM trees)" node.
 * Everything else below the root ("(GC roots)" and its sub-roots) is a system root.
 */

import type { HeapSnapshot } from '../snapshot/heap-snapshot.js';
import { Scratch } from './scratch.js';

export const DOCUMENT_DOM_TREES = '(Document DOM trees)';

export function isUserRoot(heap: HeapSnapshot, ordinal: number): boolean {
  return heap.nodeTypes[ordinal] !== heap.nodeType.synthetic || heap.nodeNameIs(ordinal, DOCUMENT_DOM_TREES);
}

/** True when any child of the root is a user root; false for "expose internals" snapshots. */
export function hasUserRoots(heap: HeapSnapshot): boolean {
  const root = heap.rootOrdinal;
  for (let edge = heap.firstEdges[root]; edge < heap.firstEdges[root + 1]; edge++) {
    if (isUserRoot(heap, heap.edgeTargets[edge])) return true;
  }
  return false;
}

/**
 * Marks "page-owned" nodes: everything reachable through non-weak edges from the root's
 * shortcut targets (globals) and from "(Document DOM trees)". Dominators ignore edges from
 * non-page-owned into page-owned nodes, so debugger and console handles do not steal dominance.
 * The marks (1) are in shared memory: the dominators' worker reads them in place.
 */
export function markPageOwned(heap: HeapSnapshot, scratch = new Scratch()): Uint8Array {
  const { nodeCount, firstEdges, edgeTargets, edgeTypes, rootOrdinal } = heap;
  const { shortcut, element, weak } = heap.edgeType;
  const owned = new Uint8Array(new SharedArrayBuffer(nodeCount));
  const stack = scratch.uint32(nodeCount);
  let top = 0;
  for (let edge = firstEdges[rootOrdinal]; edge < firstEdges[rootOrdinal + 1]; edge++) {
    const type = edgeTypes[edge];
    const target = edgeTargets[edge];
    if (type === element) {
      if (heap.nodeTypes[target] !== heap.nodeType.synthetic || !heap.nodeNameIs(target, DOCUMENT_DOM_TREES)) continue;
    } else if (type !== shortcut) {
      continue;
    }
    if (owned[target]) continue;
    owned[target] = 1;
    stack[top++] = target;
  }
  while (top > 0) {
    const node = stack[--top];
    const end = firstEdges[node + 1];
    for (let edge = firstEdges[node]; edge < end; edge++) {
      const target = edgeTargets[edge];
      if (owned[target] || edgeTypes[edge] === weak) continue;
      owned[target] = 1;
      stack[top++] = target;
    }
  }
  return owned;
}
