/**
 * leakgraph/graph/lengauer-tarjan — the dominator tree in near-linear time on any heap.
 *
 * Lengauer & Tarjan, "A fast algorithm for finding dominators in a flowgraph", ACM TOPLAS 1(1),
 * 1979 — the simple variant (path compression, LINK without balancing), written iteratively
 * so that paths millions of nodes deep cannot overflow the stack. Only essential edges count.
 * `computeDominators` runs it when the leaner iterative algorithm gives up (long chains).
 *
 * Nodes the root cannot reach are handled as DevTools does, so results agree on every heap:
 * first each unreached node with no essential retainer (only weak ones) is searched from as a
 * child of the root, then any node still unreached (e.g. a cycle held only by itself) is
 * numbered alone as a child of the root. Every node ends with an immediate dominator; the
 * root's is itself.
 *
 * The working set is six node-sized arrays plus the essential predecessors (source nodes
 * only), and slots are shared where lifetimes allow: a vertex's DFS parent and its forest
 * ancestor share one slot (the parent is read only until the vertex is linked), and its
 * bucket link shares a slot with its dominator (set when it leaves the bucket).
 */

import { doubled } from '../snapshot/typed-arrays.js';
import type { Dominators, DominatorInput } from './dominators.js';
import type { EdgeBits } from './essential-edges.js';

/** Set in `up[v]` while v is not yet linked into the forest: the slot then holds its DFS parent. */
const UNLINKED = 0x80000000;
const VERTEX = 0x7fffffff;

/** Essential predecessors of each vertex, as CSR over vertex numbers (ordinal + 1). */
function essentialPredecessors(heap: DominatorInput, essential: EdgeBits): { first: Uint32Array; sources: Uint32Array } {
  const { nodeCount, firstEdges, edgeTargets } = heap;
  // Counted one slot late (v's count at v + 2) so that after the prefix sum first[v + 1] is
  // v's start; filling advances it to v's end, which leaves first[v] = v's start for all v.
  const first = new Uint32Array(nodeCount + 3);
  let total = 0;
  for (let source = 0; source < nodeCount; source++) {
    const end = firstEdges[source + 1];
    for (let edge = firstEdges[source]; edge < end; edge++) {
      if (essential.has(edge)) {
        first[edgeTargets[edge] + 3]++;
        total++;
      }
    }
  }
  for (let v = 1; v < first.length; v++) first[v] += first[v - 1];
  const sources = new Uint32Array(total);
  for (let source = 0; source < nodeCount; source++) {
    const end = firstEdges[source + 1];
    for (let edge = firstEdges[source]; edge < end; edge++) {
      if (essential.has(edge)) sources[first[edgeTargets[edge] + 2]++] = source + 1;
    }
  }
  return { first, sources };
}

export function lengauerTarjan(heap: DominatorInput, essential: EdgeBits): Dominators {
  const { nodeCount, firstEdges, edgeTargets } = heap;
  const predecessors = essentialPredecessors(heap, essential);
  const firstPredecessor = predecessors.first;
  const predecessorSources = predecessors.sources;
  // Vertices are numbered 1..n (ordinal + 1) so that 0 can mean "none", as in the paper.
  const size = nodeCount + 1;
  const up = new Uint32Array(size);
  const vertex = new Uint32Array(size);
  const label = new Uint32Array(size);
  const semi = new Uint32Array(size);
  // During the search: each vertex's next edge. Then: bucket links, then immediate dominators.
  const dom = new Uint32Array(size);
  const bucketHead = new Uint32Array(size);
  const nextEdge = dom;
  const bucketNext = dom;
  let count = 0;

  const number = (v: number): void => {
    semi[v] = ++count;
    vertex[count] = v;
    label[v] = v;
  };
  const parentOf = (v: number): number => up[v] & VERTEX;

  /** Iterative DFS over essential edges from vertex `start`, in edge order. */
  const search = (start: number): void => {
    nextEdge[start] = firstEdges[start - 1];
    let v = start;
    while (v !== 0) {
      if (semi[v] === 0) number(v);
      const parent = parentOf(v);
      let next = parent;
      const end = firstEdges[v];
      for (let edge = nextEdge[v]; edge < end; edge++) {
        if (!essential.has(edge)) continue;
        const w = edgeTargets[edge] + 1;
        if (semi[w] === 0) {
          up[w] = v | UNLINKED;
          nextEdge[w] = firstEdges[w - 1];
          nextEdge[v] = edge + 1;
          next = w;
          break;
        }
      }
      if (next === parent) nextEdge[v] = end;
      v = next;
    }
  };

  const r = heap.rootOrdinal + 1;
  up.fill(UNLINKED);
  search(r);
  if (count < nodeCount) {
    for (let v = 1; v <= nodeCount; v++) {
      if (semi[v] === 0 && firstPredecessor[v] === firstPredecessor[v + 1]) {
        up[v] = r | UNLINKED;
        search(v);
      }
    }
  }
  if (count < nodeCount) {
    for (let v = 1; v <= nodeCount; v++) {
      if (semi[v] === 0) {
        up[v] = r | UNLINKED;
        number(v);
      }
    }
  }

  // EVAL with iterative path compression; `path` grows as deep paths need it.
  let path = new Uint32Array(1024);
  const evaluate = (v: number): number => {
    if (up[v] & UNLINKED) return v;
    let depth = 0;
    let u = v;
    while ((up[up[u]] & UNLINKED) === 0) {
      if (++depth === path.length) path = doubled(path);
      path[depth] = u;
      u = up[u];
    }
    while (depth > 0) {
      const w = path[depth--];
      const a = up[w];
      if (semi[label[a]] < semi[label[w]]) label[w] = label[a];
      up[w] = up[a];
    }
    return label[v];
  };

  for (let i = count; i >= 2; i--) {
    const w = vertex[i];
    const from = firstPredecessor[w];
    const to = firstPredecessor[w + 1];
    for (let slot = from; slot < to; slot++) {
      const u = evaluate(predecessorSources[slot]);
      if (semi[u] < semi[w]) semi[w] = semi[u];
    }
    // A node with no essential retainer hangs from the root.
    if (from === to) semi[w] = semi[r];
    const bucketOwner = vertex[semi[w]];
    bucketNext[w] = bucketHead[bucketOwner];
    bucketHead[bucketOwner] = w;
    const p = parentOf(w);
    up[w] = p; // LINK
    for (let v = bucketHead[p]; v !== 0; ) {
      const next = bucketNext[v];
      const u = evaluate(v);
      dom[v] = semi[u] < semi[v] ? u : p;
      v = next;
    }
    bucketHead[p] = 0;
  }
  // Vertices left in a bucket whose owner had no children get no dominator here (0), which
  // the last step below turns into the root's, as in the array-per-role original.
  for (let owner = 1; owner <= nodeCount; owner++) {
    for (let v = bucketHead[owner]; v !== 0; ) {
      const next = bucketNext[v];
      dom[v] = 0;
      v = next;
    }
  }
  dom[0] = r;
  dom[r] = r;
  for (let i = 2; i <= count; i++) {
    const w = vertex[i];
    if (dom[w] !== vertex[semi[w]]) dom[w] = dom[dom[w]];
  }

  // Results in place, shifted from vertex numbers to ordinals.
  for (let ordinal = 0; ordinal < nodeCount; ordinal++) dom[ordinal] = dom[ordinal + 1] - 1;
  for (let i = 1; i <= count; i++) vertex[i - 1] = vertex[i] - 1;
  // DFS preorder: every node after its dominator.
  return { idom: dom.subarray(0, nodeCount), topDown: vertex.subarray(0, count) };
}
