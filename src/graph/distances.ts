/**
 * leakgraph/graph/distances — how far each node is from the user roots, as DevTools counts.
 *
 * Breadth-first search from the user roots (globals, "(Document DOM trees)") at distance 1;
 * then from the root itself, whose distance is BASE_SYSTEM_DISTANCE when user roots exist, so
 * objects reachable only through system roots land at BASE_SYSTEM_DISTANCE + depth. Nodes
 * never reached keep NO_DISTANCE. Weak edges are never followed, and three edge rules of
 * DevTools' JSHeapSnapshot apply (see `followEdge`).
 */

import type { HeapSnapshot } from '../snapshot/heap-snapshot.js';
import type { EphemeronNames } from './ephemerons.js';
import { isUserRoot } from './roots.js';
import { Scratch } from './scratch.js';

export const NO_DISTANCE = -5;
export const BASE_SYSTEM_DISTANCE = 100_000_000;

/** Returns the distance of every node (Int32, NO_DISTANCE for unreachable nodes). */
export function computeDistances(heap: HeapSnapshot, ephemerons: EphemeronNames, scratch = new Scratch()): Int32Array {
  const { nodeCount, firstEdges, edgeTargets, edgeTypes, edgeNames, nodeTypes, strings, rootOrdinal } = heap;
  const { weak, internal } = heap.edgeType;
  const { hidden, array } = heap.nodeType;
  const distances = new Int32Array(nodeCount).fill(NO_DISTANCE);
  // A user root reached by several root edges is queued once per edge, as in DevTools (it
  // matters for the WeakMap pair rule below): the queue holds each node once, plus those.
  let repeatedSeeds = 0;
  for (let edge = firstEdges[rootOrdinal]; edge < firstEdges[rootOrdinal + 1]; edge++) {
    const target = edgeTargets[edge];
    if (isUserRoot(heap, target)) {
      if (distances[target] === 1) repeatedSeeds++;
      distances[target] = 1;
    }
  }
  const queue = scratch.uint32(nodeCount + repeatedSeeds);
  // The first edge of a WeakMap pair met while its value is unvisited is skipped, the second
  // followed, so the value's distance is max(key, table) + 1 (crbug.com/1290800). The set is
  // shared by both searches, as in DevTools.
  const pendingPairs = new Set<string>();
  const isNativeContext = strings.matcher('system / NativeContext');
  const isMapDescriptors = strings.matcher('(map descriptors)');

  const search = (queueLength: number): void => {
    let head = 0;
    while (head < queueLength) {
      const node = queue[head++];
      const distance = distances[node] + 1;
      const type = nodeTypes[node];
      // Edge rules that depend only on the source node.
      const skipSloppyMap = type === hidden && isNativeContext(heap.nodeNames[node]);
      const legacyDescriptors = type === array && isMapDescriptors(heap.nodeNames[node]);
      const end = firstEdges[node + 1];
      for (let edge = firstEdges[node]; edge < end; edge++) {
        if (edgeTypes[edge] === weak) continue;
        const target = edgeTargets[edge];
        if (distances[target] !== NO_DISTANCE) continue;
        if (skipSloppyMap && !heap.edgeHasIndexName(edge) && strings.equals(edgeNames[edge], 'sloppy_function_map')) continue;
        if (legacyDescriptors) {
          // Legacy descriptor arrays: [0], [1] and every key/type slot, not the value slots
          // (shared descriptors would make distances wrong; crbug.com/413608).
          const index = parseInt(String(heap.edgeName(edge)), 10);
          if (!(index < 2 || index % 3 !== 1)) continue;
        } else if (edgeTypes[edge] === internal) {
          const entry = ephemerons.match(edgeNames[edge]);
          if (entry !== null && !pendingPairs.delete(entry.pair)) {
            pendingPairs.add(entry.pair);
            continue;
          }
        }
        distances[target] = distance;
        queue[queueLength++] = target;
      }
    }
  };

  let queued = 0;
  for (let edge = firstEdges[rootOrdinal]; edge < firstEdges[rootOrdinal + 1]; edge++) {
    const target = edgeTargets[edge];
    if (isUserRoot(heap, target)) queue[queued++] = target;
  }
  search(queued);
  distances[rootOrdinal] = queued > 0 ? BASE_SYSTEM_DISTANCE : 0;
  queue[0] = rootOrdinal;
  search(1);
  return distances;
}
