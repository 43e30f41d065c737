/**
 * leakgraph/graph/retainers — the reverse edge index (who points at each node), in CSR form.
 *
 * The retainers of node t are slots [firstRetainer[t], firstRetainer[t + 1]); slot i holds the
 * retaining edge. Within a node, retainers are ordered by edge, so by source ordinal, then by
 * edge order, as DevTools orders them.
 */

import type { HeapSnapshot } from '../snapshot/heap-snapshot.js';

export interface Retainers {
  firstRetainer: Uint32Array;
  /** The retaining edges; the node each leaves is `edgeSource(heap, edge)`. */
  retainerEdges: Uint32Array;
}

/**
 * Builds the retainer index with one counting pass and one filling pass over the edges. Only
 * the edges are stored: an edge's source is found by binary search (edgeSource), which halves
 * the index and its build's scattered writes.
 */
export function buildRetainers(heap: HeapSnapshot): Retainers {
  const { nodeCount, edgeCount, edgeTargets } = heap;
  const firstRetainer = new Uint32Array(nodeCount + 1);
  for (let edge = 0; edge < edgeCount; edge++) firstRetainer[edgeTargets[edge] + 1]++;
  for (let node = 0; node < nodeCount; node++) firstRetainer[node + 1] += firstRetainer[node];
  const nextSlot = firstRetainer.slice(0, nodeCount);
  const retainerEdges = new Uint32Array(edgeCount);
  for (let edge = 0; edge < edgeCount; edge++) retainerEdges[nextSlot[edgeTargets[edge]]++] = edge;
  return { firstRetainer, retainerEdges };
}

/** The node an edge leaves: the last node whose first edge is at or before it. */
export function edgeSource(heap: HeapSnapshot, edge: number): number {
  const firstEdges = heap.firstEdges;
  let low = 0;
  let high = heap.nodeCount - 1;
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    if (firstEdges[middle] <= edge) low = middle;
    else high = middle - 1;
  }
  // Nodes without edges share their first edge with the next node: the owner is the last of them.
  return low;
}

/** A strong edge into a node, and the node it leaves. */
export interface RetainingEdge {
  edge: number;
  source: number;
}

/**
 * The strong (not weak) retaining edges of a few nodes, at most `limit` each, in one pass over
 * the edges: cheaper than the whole index when only a sample of objects is asked about.
 */
export function retainingEdges(heap: HeapSnapshot, targets: Iterable<number>, limit: number): Map<number, RetainingEdge[]> {
  const found = new Map<number, RetainingEdge[]>();
  const wanted = new Uint8Array(heap.nodeCount);
  for (const target of targets) {
    wanted[target] = 1;
    found.set(target, []);
  }
  const { firstEdges, edgeTargets, edgeTypes } = heap;
  const weak = heap.edgeType.weak;
  for (let source = 0; source < heap.nodeCount; source++) {
    for (let edge = firstEdges[source], end = firstEdges[source + 1]; edge < end; edge++) {
      const target = edgeTargets[edge];
      if (!wanted[target] || edgeTypes[edge] === weak) continue;
      const list = found.get(target)!;
      if (list.length < limit) list.push({ edge, source });
    }
  }
  return found;
}
