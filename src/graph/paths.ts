/**
 * leakgraph/graph/paths — the shortest readable retaining path from a root to every node.
 *
 * One breadth-first search, like DevTools' distances: from the user roots (globals, DOM tree
 * roots) first, then from the system roots for what those do not reach. Weak edges never
 * count. A node's parent is chosen among the nodes one level closer to a root, so the path is
 * a shortest one; among those, the most readable edge wins: a property, variable or index over
 * an internal or hidden slot, a user object over a V8 internal holder, and a WeakMap value is
 * reached through its WeakMap's table (how a person reads `map.get(key)`) rather than through
 * its key.
 */

import type { HeapSnapshot } from '../snapshot/heap-snapshot.js';
import type { EphemeronNames } from './ephemerons.js';
import { isUserRoot } from './roots.js';

export const NO_PARENT = 0xffffffff;
const SYSTEM_LEVEL = 1 << 30;

export interface RetainingTree {
  /** Edge by which each node is reached on its path (NO_PARENT for roots and unreachable). */
  parentEdge: Uint32Array;
  /** The holder at the other end of parentEdge. */
  parentNode: Uint32Array;
}

/** Readability rank of an edge (lower reads better). */
function edgeRank(heap: HeapSnapshot, edge: number, source: number, ephemerons: EphemeronNames): number {
  const type = heap.edgeTypes[edge];
  const types = heap.edgeType;
  if (type === types.property || type === types.context || type === types.element || type === types.shortcut) return 0;
  if (type === types.internal) {
    const entry = ephemerons.match(heap.edgeNames[edge]);
    // Of the two edges to a WeakMap value, the table's reads as "the map holds it".
    if (entry !== null) return entry.tableId === heap.nodeIds[source] ? 0 : 3;
    return 1;
  }
  return 2;
}

/** Readability rank of a holder: V8 internals read worse than user objects. */
function holderRank(heap: HeapSnapshot, node: number): number {
  const type = heap.nodeTypes[node];
  const types = heap.nodeType;
  return type === types.hidden || type === types.code || type === types.objectShape || type === types.array ? 1 : 0;
}

export function computeRetainingTree(heap: HeapSnapshot, ephemerons: EphemeronNames): RetainingTree {
  const { nodeCount, firstEdges, edgeTargets, edgeTypes, rootOrdinal } = heap;
  const weak = heap.edgeType.weak;
  const parentEdge = new Uint32Array(nodeCount).fill(NO_PARENT);
  const parentNode = new Uint32Array(nodeCount).fill(NO_PARENT);
  const level = new Int32Array(nodeCount).fill(-1);
  const rank = new Uint8Array(nodeCount);
  const queue = new Uint32Array(nodeCount);

  const search = (head: number, tail: number): number => {
    while (head < tail) {
      const node = queue[head++];
      const nextLevel = level[node] + 1;
      const holder = holderRank(heap, node);
      const end = firstEdges[node + 1];
      for (let edge = firstEdges[node]; edge < end; edge++) {
        if (edgeTypes[edge] === weak) continue;
        const target = edgeTargets[edge];
        const known = level[target];
        if (known !== -1 && known !== nextLevel) continue;
        const candidate = edgeRank(heap, edge, node, ephemerons) * 2 + holder;
        if (known === nextLevel) {
          // Another holder one level up: keep the more readable edge.
          if (candidate < rank[target]) {
            rank[target] = candidate;
            parentEdge[target] = edge;
            parentNode[target] = node;
          }
          continue;
        }
        level[target] = nextLevel;
        rank[target] = candidate;
        parentEdge[target] = edge;
        parentNode[target] = node;
        queue[tail++] = target;
      }
    }
    return tail;
  };

  level[rootOrdinal] = 0;
  let tail = 0;
  for (let edge = firstEdges[rootOrdinal]; edge < firstEdges[rootOrdinal + 1]; edge++) {
    const target = edgeTargets[edge];
    if (level[target] !== -1 || edgeTypes[edge] === weak || !isUserRoot(heap, target)) continue;
    level[target] = 1;
    parentEdge[target] = edge;
    parentNode[target] = rootOrdinal;
    queue[tail++] = target;
  }
  tail = search(0, tail);
  // What only the system roots reach: search again from the root itself, with levels far
  // above the user ones so that no system path replaces a user path.
  const systemStart = tail;
  level[rootOrdinal] = SYSTEM_LEVEL;
  queue[tail++] = rootOrdinal;
  search(systemStart, tail);
  return { parentEdge, parentNode };
}

/** The edges of `node`'s path, from the root side; null when no root reaches it. */
export function pathEdges(tree: RetainingTree, rootOrdinal: number, node: number): number[] | null {
  if (node === rootOrdinal) return [];
  const edges: number[] = [];
  for (let current = node; current !== rootOrdinal; current = tree.parentNode[current]) {
    if (tree.parentEdge[current] === NO_PARENT) return null;
    edges.push(tree.parentEdge[current]);
  }
  return edges.reverse();
}
