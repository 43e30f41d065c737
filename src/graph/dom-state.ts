/**
 * leakgraph/graph/dom-state — attached/detached state of embedder (DOM) nodes.
 *
 * The embedder reports `detachedness` for some native nodes; DevTools spreads it: anything a
 * native attached node reaches through native nodes is attached, then anything a detached one
 * reaches (and is not attached) is detached. State never passes through JS objects, nor along
 * hidden or weak edges. Detached native nodes are shown as "Detached <name>".
 */

import type { HeapSnapshot } from '../snapshot/heap-snapshot.js';

const ATTACHED = 1;
export const DETACHED = 2;

/**
 * Returns the propagated state per node (0 unknown, 1 attached, 2 detached), or null when the
 * snapshot has no `detachedness` field. A native node is detached iff its state is DETACHED.
 */
export function propagateDomState(heap: HeapSnapshot): Uint8Array | null {
  if (!heap.detachedness) return null;
  const { nodeCount, firstEdges, edgeTargets, edgeTypes, nodeTypes } = heap;
  const native = heap.nodeType.native;
  const { hidden, weak } = heap.edgeType;
  const state = heap.detachedness.slice();
  const visited = new Uint8Array(nodeCount);
  const attached: number[] = [];
  const detached: number[] = [];

  const visit = (node: number, newState: number): void => {
    if (visited[node]) return;
    visited[node] = 1;
    // Every entry from JS into embedder code is a node that knows its own state.
    if (nodeTypes[node] !== native) return;
    state[node] = newState;
    if (newState === ATTACHED) attached.push(node);
    else if (newState === DETACHED) detached.push(node);
  };
  const spread = (node: number, newState: number): void => {
    const end = firstEdges[node + 1];
    for (let edge = firstEdges[node]; edge < end; edge++) {
      const type = edgeTypes[edge];
      if (type !== hidden && type !== weak) visit(edgeTargets[edge], newState);
    }
  };

  const reported = heap.detachedness;
  for (let node = 0; node < nodeCount; node++) {
    if (reported[node] !== 0) visit(node, reported[node]);
  }
  while (attached.length > 0) spread(attached.pop()!, ATTACHED);
  while (detached.length > 0) {
    const node = detached.pop()!;
    if (state[node] !== ATTACHED) spread(node, DETACHED);
  }
  return state;
}
