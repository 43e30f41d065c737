/**
 * leakgraph/graph/retaining-tree — retaining paths from a root to every node, as trees of parent edges.
 *
 * - The shortest tree: one breadth-first search, like DevTools' distances, from the user roots
 *   (globals, DOM tree roots) first, then from the system roots for what those do not reach.
 * - The readable tree: the same search weighted (Dial's buckets), where a step out of the
 *   runtime's code (Node's `node:` closures and contexts, its classes, `process`) costs more
 *   than a step out of the program's or a builtin's, so that a path goes through the holders a
 *   person wrote rather than a detour through timers, `process._events` or the module loader.
 *
 * A node's readable path is used when it is at most MAX_DETOUR steps longer than its shortest
 * one (analysis/path decides); otherwise the shortest path is. Weak edges never count. Among holders of equal cost the
 * most readable edge wins: a property, variable or index over an internal or hidden slot, a
 * user object over a V8 internal holder, and a WeakMap value is reached through its WeakMap's
 * table (how a person reads `map.get(key)`) rather than through its key.
 */

import type { HeapSnapshot } from '../snapshot/heap-snapshot.js';
import { doubled } from '../snapshot/typed-arrays.js';
import { RUNTIME } from './code-origin.js';
import type { EphemeronNames } from './ephemerons.js';
import { edgeSource } from './retainers.js';
import { isUserRoot } from './roots.js';

export const NO_PARENT = 0xffffffff;
/** How many steps longer than the shortest a readable path may be. */
export const MAX_DETOUR = 4;
const STEP_COST = 2;
const RUNTIME_STEP_COST = 3;
const UNREACHED = 0xffffffff;
const SYSTEM_BASE = 1 << 30;

/**
 * Readability ranks (lower reads better) of an edge by its type, and of a holder by its node
 * type (V8 internals read worse than user objects), as tables: looked up once per edge.
 */
function rankTables(heap: HeapSnapshot): { edgeRanks: Uint8Array; holderRanks: Uint8Array } {
  const types = heap.edgeType;
  const edgeRanks = new Uint8Array(256).fill(2);
  for (const type of [types.property, types.context, types.element, types.shortcut]) if (type >= 0) edgeRanks[type] = 0;
  if (types.internal >= 0) edgeRanks[types.internal] = 1;
  const holderRanks = new Uint8Array(256);
  const nodeTypes = heap.nodeType;
  for (const type of [nodeTypes.hidden, nodeTypes.code, nodeTypes.objectShape, nodeTypes.array]) if (type >= 0) holderRanks[type] = 1;
  return { edgeRanks, holderRanks };
}

/** Parent edges of a shortest-path tree (a breadth-first search). */
export function shortestTree(heap: HeapSnapshot, ephemerons: EphemeronNames): Uint32Array {
  return searchTree(heap, ephemerons, () => 1);
}

/**
 * Parent edges of the readable tree. `origin` gives each node's code origin (graph/code-origin);
 * steps out of RUNTIME nodes cost more.
 */
export function readableTree(heap: HeapSnapshot, ephemerons: EphemeronNames, origin: Uint8Array): Uint32Array {
  return searchTree(heap, ephemerons, (node) => (origin[node] === RUNTIME ? RUNTIME_STEP_COST : STEP_COST));
}

/**
 * A least-cost search with integer step costs of at most 3 (Dial's algorithm: four rotating
 * buckets), from the user roots, then from the root for what they do not reach. Returns the
 * parent edge of every node.
 */
function searchTree(heap: HeapSnapshot, ephemerons: EphemeronNames, stepCost: (holder: number) => number): Uint32Array {
  const { nodeCount, firstEdges, edgeTargets, edgeTypes, edgeNames, nodeTypes, nodeIds, rootOrdinal } = heap;
  const { weak, internal } = heap.edgeType;
  const { edgeRanks, holderRanks } = rankTables(heap);
  const parentEdge = new Uint32Array(nodeCount).fill(NO_PARENT);
  const cost = new Uint32Array(nodeCount).fill(UNREACHED);
  const rank = new Uint8Array(nodeCount);
  let buckets = [0, 1, 2, 3].map(() => new Uint32Array(1024));
  const sizes = [0, 0, 0, 0];
  const push = (node: number, at: number) => {
    const slot = at & 3;
    if (sizes[slot] === buckets[slot].length) buckets[slot] = doubled(buckets[slot]);
    buckets[slot][sizes[slot]++] = node;
  };

  const run = (start: number) => {
    let pending = sizes[0] + sizes[1] + sizes[2] + sizes[3];
    for (let at = start; pending > 0; at++) {
      const slot = at & 3;
      // Drained first in, first out, as a breadth-first search would: nothing is pushed into
      // the bucket being drained, since every step costs at least 1.
      const bucket = buckets[slot];
      const size = sizes[slot];
      sizes[slot] = 0;
      pending -= size;
      for (let k = 0; k < size; k++) {
        const node = bucket[k];
        if (cost[node] !== at) continue;
        const holder = holderRanks[nodeTypes[node]];
        const next = at + stepCost(node);
        for (let edge = firstEdges[node], end = firstEdges[node + 1]; edge < end; edge++) {
          const type = edgeTypes[edge];
          if (type === weak) continue;
          const target = edgeTargets[edge];
          const known = cost[target];
          if (known < next) continue;
          let edgeRank = edgeRanks[type];
          if (type === internal) {
            // Of the two edges to a WeakMap value, the table's reads as "the map holds it".
            const entry = ephemerons.match(edgeNames[edge]);
            if (entry !== null) edgeRank = entry.tableId === nodeIds[node] ? 0 : 3;
          }
          const candidate = edgeRank * 2 + holder;
          if (known === next) {
            // Another holder at the same cost: keep the more readable edge.
            if (candidate < rank[target]) {
              rank[target] = candidate;
              parentEdge[target] = edge;
            }
            continue;
          }
          cost[target] = next;
          rank[target] = candidate;
          parentEdge[target] = edge;
          push(target, next);
          pending++;
        }
      }
    }
  };

  cost[rootOrdinal] = 0;
  for (let edge = firstEdges[rootOrdinal]; edge < firstEdges[rootOrdinal + 1]; edge++) {
    const target = edgeTargets[edge];
    if (cost[target] !== UNREACHED || edgeTypes[edge] === weak || !isUserRoot(heap, target)) continue;
    cost[target] = 1;
    parentEdge[target] = edge;
    push(target, 1);
  }
  run(1);
  // What only the system roots reach: search again from the root itself, with costs far
  // above the user ones so that no system path replaces a user path.
  cost[rootOrdinal] = SYSTEM_BASE;
  push(rootOrdinal, SYSTEM_BASE);
  run(SYSTEM_BASE);
  buckets = [];
  return parentEdge;
}

/** The edges of `node`'s chain in a tree (parent edges), from the root side; null when it has none. */
export function treeChain(heap: HeapSnapshot, parents: Uint32Array, node: number): number[] | null {
  const edges: number[] = [];
  for (let current = node; current !== heap.rootOrdinal; current = edgeSource(heap, edges[edges.length - 1])) {
    if (parents[current] === NO_PARENT || edges.length > heap.nodeCount) return null;
    edges.push(parents[current]);
  }
  return edges.reverse();
}

/** Steps of `node`'s chain in a tree, or -1 when it has none. */
export function treeChainLength(heap: HeapSnapshot, parents: Uint32Array, node: number): number {
  let length = 0;
  for (let current = node; current !== heap.rootOrdinal; current = edgeSource(heap, parents[current])) {
    if (parents[current] === NO_PARENT || length > heap.nodeCount) return -1;
    length++;
  }
  return length;
}
