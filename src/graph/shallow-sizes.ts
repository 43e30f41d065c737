/**
 * leakgraph/graph/shallow-sizes — DevTools' reassignment of internal storage to its owner.
 *
 * Hidden and array nodes (and native "system / ExternalStringData") have no owner of their
 * own; ownership floods to them along non-weak edges from every other node. One that ends up
 * with exactly one owner gives its shallow size to that owner (unless the owner is synthetic
 * or the root), so an object's exclusive properties and elements stores count in its own
 * size. Skipped for "expose internals" snapshots, which have no user roots.
 */

import type { SizeArray } from '../snapshot/columns.js';
import type { HeapSnapshot } from '../snapshot/heap-snapshot.js';
import { doubled } from '../snapshot/typed-arrays.js';
import { DETACHED } from './dom-state.js';
import { Scratch } from './scratch.js';

const UNVISITED = 0xffffffff;
const MULTIPLE_OWNERS = 0xfffffffe;

/**
 * Returns the shallow sizes after reassignment (a new array; the snapshot's stays raw).
 * @param domState propagated DOM state: DevTools renames detached native nodes before this
 *   step, so a detached "system / ExternalStringData" no longer matches and owns itself
 */
export function reassignShallowSizes(heap: HeapSnapshot, userRootsExist: boolean, domState: Uint8Array | null, scratch = new Scratch()): SizeArray {
  let sizes: SizeArray = heap.selfSizes.slice();
  if (!userRootsExist) return sizes;
  const { nodeCount, firstEdges, edgeTargets, edgeTypes, nodeTypes, rootOrdinal } = heap;
  const { hidden, array, native, synthetic } = heap.nodeType;
  const weak = heap.edgeType.weak;
  const owners = scratch.uint32(nodeCount);
  const isExternalStringData = heap.strings.matcher('system / ExternalStringData');
  for (let node = 0; node < nodeCount; node++) {
    const type = nodeTypes[node];
    const externalString = type === native && isExternalStringData(heap.nodeNames[node]) && (domState === null || domState[node] !== DETACHED);
    if (type === hidden || type === array || externalString) {
      owners[node] = UNVISITED;
    } else {
      owners[node] = node;
    }
  }
  // Ownership floods from each owned node in turn through unowned ones; the result does not
  // depend on the order (a node ends with its one owner, or with MULTIPLE_OWNERS), so the
  // stack only ever holds one flood: unowned nodes, each pushed at most twice.
  let stack = new Uint32Array(1024);
  for (let start = 0; start < nodeCount; start++) {
    if (owners[start] !== start) continue;
    stack[0] = start;
    let top = 1;
    while (top > 0) {
      const node = stack[--top];
      const owner = owners[node];
      const end = firstEdges[node + 1];
      for (let edge = firstEdges[node]; edge < end; edge++) {
        if (edgeTypes[edge] === weak) continue;
        const target = edgeTargets[edge];
        const current = owners[target];
        let push = false;
        if (current === UNVISITED) {
          owners[target] = owner;
          push = true;
        } else if (current !== target && current !== owner && current !== MULTIPLE_OWNERS) {
          owners[target] = MULTIPLE_OWNERS;
          push = true;
        }
        if (push) {
          if (top === stack.length) stack = doubled(stack);
          stack[top++] = target;
        }
      }
    }
  }
  for (let node = 0; node < nodeCount; node++) {
    const owner = owners[node];
    if (owner === UNVISITED || owner === MULTIPLE_OWNERS || owner === node) continue;
    if (nodeTypes[owner] === synthetic || owner === rootOrdinal) continue;
    const sum = sizes[owner] + sizes[node];
    // An owner past 4 GiB: keep every size exact in Float64 from here on.
    if (sum > 0xffffffff && sizes instanceof Uint32Array) sizes = new Float64Array(sizes);
    sizes[owner] = sum;
    sizes[node] = 0;
  }
  return sizes;
}
