/**
 * leakgraph/graph/iterative-dominators — the dominator tree by iterating to a fixed point,
 * in three node-sized arrays and no memory per edge.
 *
 * Cooper, Harvey & Kennedy's iterative algorithm ("A Simple, Fast Dominance Algorithm",
 * 2001), turned around so that it needs no predecessor index: rather than each node taking
 * the nearest common ancestor (NCA) of its predecessors, each node pushes itself to its
 * successors, idom(s) ← NCA(idom(s), p). Nodes are numbered in breadth-first order over
 * essential edges, the first pass runs in that order (so a node's first candidate is its BFS
 * parent, with a smaller number), and later passes alternate direction until one changes
 * nothing. Candidates only move up, so every candidate has a smaller number than its node
 * and an NCA is found by walking up from the larger number.
 *
 * Why the fixed point is the dominator tree. (1) Nothing that truly dominates is ever lost:
 * each update keeps "every strict dominator of s dominates its candidate parent" (for a
 * first candidate p, a predecessor, because every path to p extends to s; for an NCA n of
 * s's old candidate and a predecessor p, because s's dominators lie on both tree paths and,
 * by the same property along the path from p up to n, dominate n), and by induction up the
 * tree every dominator of a node is a tree ancestor. (2) When a pass changes nothing, each
 * edge p → s has idom(s) as a tree ancestor of p, and then every tree parent dominates its
 * child: a path to s that avoided idom(s) would have to enter its subtree by an edge whose
 * target's candidate lies outside it.
 *
 * Unreached nodes follow DevTools' rules, as in Lengauer–Tarjan: nodes without an essential
 * retainer are searched from as children of the root; nodes still unreached hang from the root.
 *
 * The NCA walks grow with the depth of the candidate tree, so long chains of back references
 * make a pass quadratic; past a budget of work this returns null and the caller falls back.
 */

import type { Dominators, DominatorInput } from './dominators.js';
import type { EdgeBits } from './essential-edges.js';

const NONE = 0xffffffff;
/** Heaps seen so far settle in 4–7 passes and under 11 walk steps per edge. */
const MAX_PASSES = 12;
const STEPS_PER_EDGE = 24;

export function iterativeDominators(heap: DominatorInput, essential: EdgeBits): Dominators | null {
  const { nodeCount, edgeCount, firstEdges, edgeTargets, rootOrdinal } = heap;
  // node → BFS number; at the end, reused for the immediate dominators by node.
  const number = new Uint32Array(nodeCount).fill(NONE);
  const order = new Uint32Array(nodeCount); // BFS number → node, doubling as the BFS queue
  const dom = new Uint32Array(nodeCount).fill(NONE); // BFS number → candidate's BFS number
  let count = 0;
  const search = (start: number): void => {
    number[start] = count;
    order[count++] = start;
    for (let head = count - 1; head < count; head++) {
      const node = order[head];
      const end = firstEdges[node + 1];
      for (let edge = firstEdges[node]; edge < end; edge++) {
        if (!essential.has(edge)) continue;
        const target = edgeTargets[edge];
        if (number[target] === NONE) {
          number[target] = count;
          order[count++] = target;
        }
      }
    }
  };

  search(rootOrdinal);
  dom[0] = 0;
  if (count < nodeCount) {
    const retained = new Uint8Array(nodeCount);
    for (let edge = 0; edge < edgeCount; edge++) if (essential.has(edge)) retained[edgeTargets[edge]] = 1;
    for (let node = 0; node < nodeCount; node++) {
      if (number[node] === NONE && retained[node] === 0) {
        dom[count] = 0; // its only retainer is the root
        search(node);
      }
    }
  }
  const reached = count;
  for (let node = 0; node < nodeCount && count < nodeCount; node++) {
    if (number[node] === NONE) {
      number[node] = count;
      order[count] = node;
      dom[count++] = 0;
    }
  }

  const budget = STEPS_PER_EDGE * edgeCount + nodeCount;
  let steps = 0;
  for (let pass = 0, changed = true; changed; pass++) {
    if (pass === MAX_PASSES) return null;
    changed = false;
    const forward = pass % 2 === 0;
    for (let k = 0; k < reached; k++) {
      const from = forward ? k : reached - 1 - k;
      if (dom[from] === NONE) continue; // cannot happen: a node's BFS parent comes first
      const node = order[from];
      const end = firstEdges[node + 1];
      for (let edge = firstEdges[node]; edge < end; edge++) {
        if (!essential.has(edge)) continue;
        const to = number[edgeTargets[edge]];
        if (to === 0 || to >= reached) continue; // the root, or a node no reached node retains
        const candidate = dom[to];
        if (candidate === NONE) {
          dom[to] = from;
          changed = true;
        } else if (candidate !== 0) {
          let a = from;
          let b = candidate;
          while (a !== b) {
            while (a > b) {
              a = dom[a];
              steps++;
            }
            while (b > a) {
              b = dom[b];
              steps++;
            }
          }
          if (a !== candidate) {
            dom[to] = a;
            changed = true;
          }
        }
      }
      if (steps > budget) return null;
    }
  }

  for (let node = 0; node < nodeCount; node++) number[node] = order[dom[number[node]]];
  return { idom: number, topDown: order };
}
