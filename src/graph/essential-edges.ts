/**
 * leakgraph/graph/essential-edges — the edges that count for dominators, as DevTools decides.
 *
 * An edge S → T retains T unless: it is the table → value edge of a WeakMap entry (the value
 * is kept by its key instead); it is weak; it is a self edge; or, when S is not the root, it
 * is a shortcut, or it goes from a node outside the page into a page-owned one (so handles of
 * the debugger or console do not dominate page objects).
 */

import type { HeapSnapshot } from '../snapshot/heap-snapshot.js';
import type { EphemeronNames } from './ephemerons.js';

/** A fixed-size bit set over edge ordinals. */
export class EdgeBits {
  /** @param words one bit per edge, e.g. another thread's set */
  constructor(readonly words: Uint32Array) {}
  /** An empty set over `size` edges, in shared memory so that a worker thread can read it. */
  static shared(size: number): EdgeBits {
    return new EdgeBits(new Uint32Array(new SharedArrayBuffer(((size + 31) >>> 5) * 4)));
  }
  has(index: number): boolean {
    return (this.words[index >>> 5] & (1 << (index & 31))) !== 0;
  }
  set(index: number): void {
    this.words[index >>> 5] |= 1 << (index & 31);
  }
}

export function findEssentialEdges(heap: HeapSnapshot, pageOwned: Uint8Array, ephemerons: EphemeronNames): EdgeBits {
  const { nodeCount, firstEdges, edgeTargets, edgeTypes, rootOrdinal } = heap;
  const { weak, shortcut, internal } = heap.edgeType;
  const essential = EdgeBits.shared(heap.edgeCount);
  for (let source = 0; source < nodeCount; source++) {
    const isRoot = source === rootOrdinal;
    const sourceOwned = pageOwned[source];
    const end = firstEdges[source + 1];
    for (let edge = firstEdges[source]; edge < end; edge++) {
      const type = edgeTypes[edge];
      if (type === weak) continue;
      if (type === internal && ephemerons.isFromTable(edge, source)) continue;
      const target = edgeTargets[edge];
      if (target === source) continue;
      if (!isRoot) {
        if (type === shortcut) continue;
        if (pageOwned[target] && !sourceOwned) continue;
      }
      essential.set(edge);
    }
  }
  return essential;
}
