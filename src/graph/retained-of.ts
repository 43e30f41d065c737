/**
 * leakgraph/graph/retained-of — exact retained sizes of a few nodes, without computing the
 * whole dominator tree.
 *
 * A node X dominates N when every path from the root to N passes through X, so X's retained
 * size is the shallow size of what the root can no longer reach once X is taken out: one
 * search of the heap per node. The graph searched is the one the dominators see (essential
 * edges, DevTools' reassigned shallow sizes, and the same rules for unreached nodes: those
 * without an essential retainer hang from the root and are searched from; nodes still
 * unreached dominate only themselves). For many nodes the dominator tree is cheaper, and is
 * computed instead: the figures are the same either way.
 */

import type { SizeArray } from '../snapshot/columns.js';
import type { HeapSnapshot } from '../snapshot/heap-snapshot.js';
import { propagateDomState } from './dom-state.js';
import { computeDominators } from './dominators.js';
import { EphemeronNames } from './ephemerons.js';
import { EssentialEdges } from './essential-edges.js';
import { computeRetainedSizes } from './retained-sizes.js';
import { hasUserRoots, markPageOwned } from './roots.js';
import { reassignShallowSizes } from './shallow-sizes.js';

/** Past this many nodes one dominator computation costs less than a search per node. */
const MAX_SEARCHES = 8;

/** Retained sizes of `nodes` (ordinals), exactly as the full graph's `retainedSizes` gives them. */
export function retainedSizesOf(heap: HeapSnapshot, nodes: ArrayLike<number>): Float64Array {
  const sizes = new Float64Array(nodes.length);
  if (nodes.length === 0) return sizes;
  const domState = propagateDomState(heap);
  const essential = EssentialEdges.of(heap, markPageOwned(heap), new EphemeronNames(heap));
  const shallow = reassignShallowSizes(heap, hasUserRoots(heap), domState);
  if (nodes.length > MAX_SEARCHES) {
    const retained = computeRetainedSizes(computeDominators(heap, essential), shallow);
    for (let i = 0; i < nodes.length; i++) sizes[i] = retained[nodes[i]];
    return sizes;
  }
  const search = new DominanceSearch(heap, essential);
  for (let i = 0; i < nodes.length; i++) sizes[i] = search.retainedSize(nodes[i], shallow);
  return sizes;
}

/** Searches of the dominators' graph from its starts, optionally with one node taken out. */
class DominanceSearch {
  /** The root, then the unreached nodes without an essential retainer (children of the root). */
  private readonly starts: number[];
  /** Reached from the starts in the whole graph: only these can be dominated by another node. */
  private readonly reached: Uint8Array;
  private readonly seen: Uint8Array;
  private readonly queue: Uint32Array;

  constructor(
    private readonly heap: HeapSnapshot,
    private readonly essential: EssentialEdges,
  ) {
    const { nodeCount, firstEdges, edgeTargets, rootOrdinal } = heap;
    this.seen = new Uint8Array(nodeCount);
    this.queue = new Uint32Array(nodeCount);
    this.starts = [rootOrdinal];
    this.search(-1);
    const retainedByEdge = new Uint8Array(nodeCount);
    for (let source = 0; source < nodeCount; source++) {
      const end = firstEdges[source + 1];
      for (let edge = firstEdges[source]; edge < end; edge++) if (essential.has(edge, source)) retainedByEdge[edgeTargets[edge]] = 1;
    }
    for (let node = 0; node < nodeCount; node++) if (!this.seen[node] && !retainedByEdge[node]) this.starts.push(node);
    this.search(-1);
    this.reached = this.seen.slice();
  }

  /** Marks in `seen` what the starts reach without passing through `removed` (-1: none). */
  private search(removed: number): void {
    const { firstEdges, edgeTargets } = this.heap;
    const { seen, queue, essential } = this;
    seen.fill(0);
    let tail = 0;
    for (const start of this.starts) {
      if (start === removed || seen[start]) continue;
      seen[start] = 1;
      queue[tail++] = start;
    }
    if (removed >= 0) seen[removed] = 1;
    for (let head = 0; head < tail; head++) {
      const node = queue[head];
      const end = firstEdges[node + 1];
      for (let edge = firstEdges[node]; edge < end; edge++) {
        const target = edgeTargets[edge];
        if (seen[target] || !essential.has(edge, node)) continue;
        seen[target] = 1;
        queue[tail++] = target;
      }
    }
  }

  retainedSize(node: number, shallow: SizeArray): number {
    if (node === this.heap.rootOrdinal || !this.reached[node]) {
      if (node !== this.heap.rootOrdinal) return shallow[node];
      let total = 0;
      for (let n = 0; n < shallow.length; n++) total += shallow[n];
      return total;
    }
    this.search(node);
    // `node` itself was marked as taken out, so it is counted apart.
    let total = shallow[node];
    const { seen, reached } = this;
    for (let n = 0; n < seen.length; n++) if (reached[n] && !seen[n]) total += shallow[n];
    return total;
  }
}
