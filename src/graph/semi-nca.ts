/**
 * leakgraph/graph/semi-nca — the dominator tree in one pass, near-linear on every heap.
 *
 * SEMI-NCA: L. Georgiadis, "Linear-Time Algorithms for Dominators and Related Problems", PhD
 * thesis, Princeton, 2005 (§3.3; also Georgiadis, Tarjan & Werneck, "Finding Dominators in
 * Practice", JGAA 10(1), 2006). Semidominators as in Lengauer & Tarjan, "A fast algorithm for
 * finding dominators in a flowgraph", ACM TOPLAS 1(1), 1979 (EVAL with path compression, here
 * iterative so that paths millions deep cannot overflow the stack); then each immediate
 * dominator is the nearest ancestor of the vertex's DFS parent, in the dominator tree built so
 * far, numbered at most its semidominator. That walk is where SEMI-NCA is quadratic at worst (a
 * long dominator chain under which many vertices have small semidominators, such as a linked
 * list whose values an array also holds), so it jumps by Myers' skew-binary ancestor pointers
 * ("An applicative random-access stack", IPL 17(5), 1983): O(log depth) a vertex, one array.
 *
 * Everything is indexed by DFS number (1 = the root, 0 = none), so the main loops touch memory
 * in order. Predecessors numbered lower than a vertex only ever contribute their own number to
 * its semidominator, so they are folded into it during the search; only the others ("back"
 * predecessors, about 70 % of a heap's edges) are stored.
 *
 * Unreached nodes follow DevTools (devtools-semantics.md §5.3), whose Lengauer–Tarjan gives:
 * each unreached node with no essential retainer is searched from as a child of the root (as if
 * the root held it); nodes still unreached ("alone": cycles held only by themselves) hang from
 * the root, and their edges change no one else's dominator.
 */

import { doubled } from '../snapshot/typed-arrays.js';
import type { Dominators, DominatorInput } from './dominators.js';
import type { EssentialEdges } from './essential-edges.js';

/** Arrays indexed by DFS number (slot 0 unused), named for their role in each phase. */
interface Numbering {
  /** Vertices reached by the searches; numbers above it are the alone ones. */
  reached: number;
  count: number;
  numberOf: Uint32Array; // node → DFS number (0: not yet reached)
  parent: Uint32Array; // DFS parent's number
  semi: Uint32Array; // the smallest lower-numbered predecessor so far
  /** Back predecessors counted per target at `firstBack[target + 2]`. */
  firstBack: Uint32Array;
  /** The search's stack, kept for EVAL's paths and the parents' replay. */
  stack: Uint32Array;
}

/*
 * Memory: four node-sized arrays and a word per back predecessor at the peak. Each array takes
 * a new role when its last one ends: the parents become the forest's ancestors (the last phase
 * finds them again by replaying the search); the back predecessors' offsets, consumed from the
 * top down, take the labels one slot up, then the number → node map; node → number, ancestors
 * and back predecessors become the dominators, depths and jumps; the semidominators become the
 * result.
 */
export function semiNca(heap: DominatorInput, essential: EssentialEdges): Dominators {
  const numbering = numberDepthFirst(heap, essential);
  const back = backPredecessors(heap, essential, numbering);
  const { numberOf, semi, count, firstBack, reached } = numbering;
  const ancestor = numbering.parent;
  computeSemidominators(reached, semi, ancestor, firstBack, back, numbering.stack);
  const vertex = firstBack;
  for (let node = 0; node < count; node++) vertex[numberOf[node]] = node;
  const idom = numberOf;
  const jump = back.length > count ? back : new Uint32Array(count + 1);
  const parentOf = replayParents(heap, essential, vertex, reached, numbering.stack);
  immediateDominators(count, semi, parentOf, idom, ancestor, jump);
  const idomByNode = semi;
  for (let i = 1; i <= count; i++) idomByNode[vertex[i]] = vertex[idom[i]];
  // DFS preorder: every node after its dominator.
  return { idom: idomByNode.subarray(0, count), topDown: vertex.subarray(1, count + 1) };
}

/** Depth-first numbering over essential edges: the root's search, the orphans', then the rest. */
function numberDepthFirst(heap: DominatorInput, essential: EssentialEdges): Numbering {
  const { nodeCount, rootOrdinal } = heap;
  const size = nodeCount + 1;
  const numbering: Numbering = {
    reached: 0,
    count: 0,
    numberOf: new Uint32Array(size),
    parent: new Uint32Array(size),
    semi: new Uint32Array(size),
    firstBack: new Uint32Array(size + 2),
    stack: new Uint32Array(1024),
  };
  search(heap, essential, numbering, rootOrdinal, 0);
  const { numberOf } = numbering;
  if (numbering.count < nodeCount) {
    const retained = retainedUnreached(heap, essential, numberOf);
    for (let node = 0; node < nodeCount; node++) if (numberOf[node] === 0 && retained[node] === 0) search(heap, essential, numbering, node, 1);
  }
  numbering.reached = numbering.count;
  for (let node = 0; node < nodeCount && numbering.count < nodeCount; node++) if (numberOf[node] === 0) visit(numbering, node, 1);
  return numbering;
}

function visit(numbering: Numbering, node: number, parentNumber: number): number {
  const v = ++numbering.count;
  numbering.numberOf[node] = v;
  numbering.parent[v] = parentNumber;
  numbering.semi[v] = parentNumber; // the parent is a lower-numbered predecessor (orphans: the root's)
  return v;
}

/**
 * One iterative search from `start`. The stack holds pairs (node, next edge), as deep as the
 * search goes. Every essential edge out of a reached vertex is met once: a lower-numbered
 * source is folded into the target's semi, a higher-numbered one counted as a back predecessor.
 */
function search(heap: DominatorInput, essential: EssentialEdges, numbering: Numbering, start: number, parentNumber: number): void {
  const { firstEdges, edgeTargets } = heap;
  const { numberOf, semi, firstBack } = numbering;
  let stack = numbering.stack;
  let top = 0;
  visit(numbering, start, parentNumber);
  stack[0] = start;
  stack[1] = firstEdges[start];
  while (top >= 0) {
    const node = stack[top];
    const v = numberOf[node];
    const end = firstEdges[node + 1];
    let edge = stack[top + 1];
    for (; edge < end; edge++) {
      if (!essential.has(edge, node)) continue;
      const target = edgeTargets[edge];
      const t = numberOf[target];
      if (t === 0) break;
      // Numbered below v: a back predecessor of t (the root's own need none). Above v: a
      // descendant, so v is a lower-numbered predecessor.
      if (t < v) {
        if (t !== 1) firstBack[t + 2]++;
      } else if (v < semi[t]) semi[t] = v;
    }
    if (edge === end) {
      top -= 2;
      continue;
    }
    stack[top + 1] = edge + 1;
    top += 2;
    if (top + 1 >= stack.length) numbering.stack = stack = doubled(stack);
    const target = edgeTargets[edge];
    visit(numbering, target, v);
    stack[top] = target;
    stack[top + 1] = firstEdges[target];
  }
}

/**
 * The DFS parents again, in increasing number, by replaying the search: the parent of the
 * next vertex is the vertex on the replay's stack whose first unused essential edge leads to
 * it (the search took each vertex's edges in order); with the stack empty, it starts a search
 * of its own under the root. Each edge is looked at once more.
 */
function replayParents(heap: DominatorInput, essential: EssentialEdges, vertex: Uint32Array, reached: number, scratch: Uint32Array): (w: number) => number {
  const { firstEdges, edgeTargets } = heap;
  let stack = scratch;
  let top = -2; // pairs (vertex, next edge)
  const push = (v: number): void => {
    top += 2;
    if (top + 1 >= stack.length) stack = doubled(stack);
    stack[top] = v;
    stack[top + 1] = firstEdges[vertex[v]];
  };
  push(1);
  return (w: number): number => {
    if (w > reached) return 1; // alone: under the root, searched from by no one
    const node = vertex[w];
    while (top >= 0) {
      const v = stack[top];
      const source = vertex[v];
      const end = firstEdges[source + 1];
      for (let edge = stack[top + 1]; edge < end; edge++) {
        if (edgeTargets[edge] !== node || !essential.has(edge, source)) continue;
        stack[top + 1] = edge + 1;
        push(w);
        return v;
      }
      top -= 2;
    }
    push(w);
    return 1;
  };
}

/** Which unreached nodes have an essential retainer (only unreached nodes can hold them). */
function retainedUnreached(heap: DominatorInput, essential: EssentialEdges, numberOf: Uint32Array): Uint8Array {
  const { nodeCount, firstEdges, edgeTargets } = heap;
  const retained = new Uint8Array(nodeCount);
  for (let source = 0; source < nodeCount; source++) {
    if (numberOf[source] !== 0) continue;
    const end = firstEdges[source + 1];
    for (let edge = firstEdges[source]; edge < end; edge++) if (essential.has(edge, source)) retained[edgeTargets[edge]] = 1;
  }
  return retained;
}

/** The back predecessors (numbers) of each reached vertex, as CSR over `firstBack`. */
function backPredecessors(heap: DominatorInput, essential: EssentialEdges, numbering: Numbering): Uint32Array {
  const { nodeCount, firstEdges, edgeTargets } = heap;
  const { numberOf, firstBack, reached } = numbering;
  // Counted one slot late, so after the prefix sum firstBack[t + 1] is t's start; filling
  // advances it to t's end, which leaves firstBack[t] = t's start for every t.
  for (let i = 1; i < firstBack.length; i++) firstBack[i] += firstBack[i - 1];
  const back = new Uint32Array(firstBack[firstBack.length - 1]);
  for (let source = 0; source < nodeCount; source++) {
    const s = numberOf[source];
    if (s > reached) continue; // alone: its edges count for no one
    const end = firstEdges[source + 1];
    for (let edge = firstEdges[source]; edge < end; edge++) {
      if (!essential.has(edge, source)) continue;
      const t = numberOf[edgeTargets[edge]];
      if (t < s && t !== 1) back[firstBack[t + 1]++] = s;
    }
  }
  return back;
}

/**
 * Semidominators, vertices in decreasing number. A vertex numbered above the current one is
 * in the forest (linked to its parent); its label, the smallest semidominator on its
 * compressed path up to the first vertex not yet linked, is what EVAL returns. Labels live in
 * `firstBack` one slot up (label of x at x + 1): offsets above the current vertex's are spent.
 */
function computeSemidominators(reached: number, semi: Uint32Array, ancestor: Uint32Array, firstBack: Uint32Array, back: Uint32Array, stack: Uint32Array): void {
  let path = stack;
  for (let w = reached; w >= 2; w--) {
    let smallest = semi[w];
    const end = firstBack[w + 1];
    for (let slot = firstBack[w]; slot < end; slot++) {
      const v = back[slot];
      let top = v;
      let depth = 0;
      while (ancestor[top] > w) {
        if (depth === path.length) path = doubled(path);
        path[depth++] = top;
        top = ancestor[top];
      }
      // Compress from the top down: each vertex on the path then points past the linked part.
      while (depth > 0) {
        const u = path[--depth];
        const a = ancestor[u];
        if (firstBack[a + 1] < firstBack[u + 1]) firstBack[u + 1] = firstBack[a + 1];
        ancestor[u] = ancestor[a];
      }
      if (firstBack[v + 1] < smallest) smallest = firstBack[v + 1];
    }
    semi[w] = smallest;
    firstBack[w + 1] = smallest;
  }
}

/**
 * idom(w) = the nearest dominator-tree ancestor of parent(w) numbered at most semi(w),
 * vertices in increasing number (a dominator is always numbered below). Numbers fall going
 * up the tree, so a jump may be taken whenever it lands still above semi(w).
 */
function immediateDominators(count: number, semi: Uint32Array, parentOf: (w: number) => number, idom: Uint32Array, depth: Uint32Array, jump: Uint32Array): void {
  idom[1] = 1;
  depth[1] = 0;
  jump[1] = 1;
  for (let w = 2; w <= count; w++) {
    const limit = semi[w];
    let x = parentOf(w);
    while (x > limit) {
      const far = jump[x];
      x = far > limit ? far : idom[x];
    }
    idom[w] = x;
    depth[w] = depth[x] + 1;
    // Skew-binary jumps: two equal spans above x merge into one.
    const j = jump[x];
    jump[w] = depth[x] - depth[j] === depth[j] - depth[jump[j]] ? jump[j] : x;
  }
}
