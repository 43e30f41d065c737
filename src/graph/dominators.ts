/**
 * leakgraph/graph/dominators — the dominator tree of the heap, rooted at the root node.
 *
 * Lengauer & Tarjan, "A fast algorithm for finding dominators in a flowgraph", ACM TOPLAS 1(1),
 * 1979 — the simple variant (path compression, LINK without balancing), written iteratively
 * so that paths millions of nodes deep cannot overflow the stack. Only essential edges count.
 *
 * Nodes the root cannot reach are handled as DevTools does, so results agree on every heap:
 * first each unreached node with no essential retainer (only weak ones) is searched from as a
 * child of the root, then any node still unreached (e.g. a cycle held only by itself) is
 * numbered alone as a child of the root. Every node ends with an immediate dominator; the
 * root's is itself.
 */

import type { HeapSnapshot } from '../snapshot/heap-snapshot.js';
import type { EdgeBits } from './essential-edges.js';
import type { Retainers } from './retainers.js';

export interface Dominators {
  /** Immediate dominator (ordinal) of each node; the root's is the root. */
  idom: Uint32Array;
  /** Node ordinals in DFS preorder; every node after its dominator. */
  preorder: Uint32Array;
}

export function computeDominators(heap: HeapSnapshot, retainers: Retainers, essential: EdgeBits): Dominators {
  const { nodeCount, firstEdges, edgeTargets } = heap;
  const { firstRetainer, retainerEdges, retainerNodes } = retainers;
  // Vertices are numbered 1..n (ordinal + 1) so that 0 can mean "none", as in the paper.
  const size = nodeCount + 1;
  const parent = new Uint32Array(size);
  const ancestor = new Uint32Array(size);
  const vertex = new Uint32Array(size);
  const label = new Uint32Array(size);
  const semi = new Uint32Array(size);
  const dom = new Uint32Array(size);
  const nextEdge = new Uint32Array(size);
  const bucketHead = new Uint32Array(size);
  const bucketNext = new Uint32Array(size);
  let count = 0;

  const number = (v: number): void => {
    semi[v] = ++count;
    vertex[count] = v;
    label[v] = v;
  };

  /** Iterative DFS over essential edges from vertex `start`, in edge order. */
  const search = (start: number): void => {
    nextEdge[start] = firstEdges[start - 1];
    let v = start;
    while (v !== 0) {
      if (semi[v] === 0) number(v);
      let next = parent[v];
      const end = firstEdges[v];
      for (let edge = nextEdge[v]; edge < end; edge++) {
        if (!essential.has(edge)) continue;
        const w = edgeTargets[edge] + 1;
        if (semi[w] === 0) {
          parent[w] = v;
          nextEdge[w] = firstEdges[w - 1];
          nextEdge[v] = edge + 1;
          next = w;
          break;
        }
      }
      if (next === parent[v]) nextEdge[v] = end;
      v = next;
    }
  };

  const hasEssentialRetainer = (v: number): boolean => {
    const ordinal = v - 1;
    for (let slot = firstRetainer[ordinal]; slot < firstRetainer[ordinal + 1]; slot++) {
      if (essential.has(retainerEdges[slot])) return true;
    }
    return false;
  };

  const r = heap.rootOrdinal + 1;
  search(r);
  if (count < nodeCount) {
    for (let v = 1; v <= nodeCount; v++) {
      if (semi[v] === 0 && !hasEssentialRetainer(v)) {
        parent[v] = r;
        search(v);
      }
    }
  }
  if (count < nodeCount) {
    for (let v = 1; v <= nodeCount; v++) {
      if (semi[v] === 0) {
        parent[v] = r;
        number(v);
      }
    }
  }

  // EVAL with iterative path compression; `path` is reused between calls.
  const path = new Uint32Array(size);
  const evaluate = (v: number): number => {
    if (ancestor[v] === 0) return v;
    let depth = 0;
    let u = v;
    while (ancestor[ancestor[u]] !== 0) {
      path[++depth] = u;
      u = ancestor[u];
    }
    while (depth > 0) {
      const w = path[depth--];
      const a = ancestor[w];
      if (semi[label[a]] < semi[label[w]]) label[w] = label[a];
      ancestor[w] = ancestor[a];
    }
    return label[v];
  };

  for (let i = count; i >= 2; i--) {
    const w = vertex[i];
    const ordinal = w - 1;
    let retained = false;
    for (let slot = firstRetainer[ordinal]; slot < firstRetainer[ordinal + 1]; slot++) {
      if (!essential.has(retainerEdges[slot])) continue;
      retained = true;
      const u = evaluate(retainerNodes[slot] + 1);
      if (semi[u] < semi[w]) semi[w] = semi[u];
    }
    // A node with no essential retainer hangs from the root.
    if (!retained) semi[w] = semi[r];
    const bucketOwner = vertex[semi[w]];
    bucketNext[w] = bucketHead[bucketOwner];
    bucketHead[bucketOwner] = w;
    const p = parent[w];
    ancestor[w] = p; // LINK
    for (let v = bucketHead[p]; v !== 0; v = bucketNext[v]) {
      const u = evaluate(v);
      dom[v] = semi[u] < semi[v] ? u : p;
    }
    bucketHead[p] = 0;
  }
  dom[0] = r;
  dom[r] = r;
  for (let i = 2; i <= count; i++) {
    const w = vertex[i];
    if (dom[w] !== vertex[semi[w]]) dom[w] = dom[dom[w]];
  }

  const idom = new Uint32Array(nodeCount);
  const preorder = new Uint32Array(nodeCount);
  for (let ordinal = 0; ordinal < nodeCount; ordinal++) idom[ordinal] = dom[ordinal + 1] - 1;
  for (let i = 1; i <= count; i++) preorder[i - 1] = vertex[i] - 1;
  return { idom, preorder };
}
