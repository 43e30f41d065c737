/**
 * leakgraph/analysis/inspect — everything about one object: what it holds, what holds it,
 * and the chain of dominators that decides who frees it.
 */

import { displayName } from '../graph/names.js';
import type { HeapGraph } from '../graph/heap-graph.js';
import { edgeSource } from '../graph/retainers.js';
import { ScriptNames, type ScriptLocation } from '../graph/scripts.js';
import { sourceMapsOf } from '../graph/source-maps.js';

export interface NodeInfo {
  id: number;
  type: string;
  name: string;
  className: string;
  /** Shallow size as DevTools shows it (internals moved into their owner). */
  selfSize: number;
  retainedSize: number;
}

export interface ReferenceInfo {
  edgeType: string;
  edgeName: string | number;
  to: NodeInfo;
}

export interface RetainerInfo {
  edgeType: string;
  edgeName: string | number;
  from: NodeInfo;
}

export interface InspectResult extends NodeInfo {
  distance: number;
  /** Where a function (or an object's constructor) is defined; `original` from a source map. */
  location?: ScriptLocation;
  /** Outgoing edges, largest retained size first. */
  references: ReferenceInfo[];
  referenceCount: number;
  /** Incoming edges (not weak, not from the root), nearest to a root first. */
  retainers: RetainerInfo[];
  retainerCount: number;
  /** Immediate dominator first, the root last. */
  dominators: NodeInfo[];
}

export function nodeInfo(graph: HeapGraph, node: number): NodeInfo {
  const heap = graph.snapshot;
  return {
    id: heap.nodeIds[node],
    type: heap.nodeTypeName(node),
    name: displayName(heap, graph.domState, node),
    className: graph.classes.names[graph.classes.classOf[node]],
    selfSize: graph.shallowSizes[node],
    retainedSize: graph.retainedSizes[node],
  };
}

function compareNames(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  // String names before numeric ones, as DevTools sorts edge names.
  if (typeof a === 'number') return 1;
  if (typeof b === 'number') return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The dominators of `node` (ordinals), the immediate one first, the root last. */
export function dominatorChain(graph: HeapGraph, node: number): number[] {
  const chain: number[] = [];
  for (let current = node; current !== graph.snapshot.rootOrdinal; ) {
    current = graph.idom[current];
    chain.push(current);
  }
  return chain;
}

/** Sort key for a retainer's distance: unreachable and system-only come last. */
function distanceRank(distance: number): number {
  return distance < 0 ? Number.MAX_SAFE_INTEGER : distance;
}

/**
 * Describes the object with snapshot id `id`, or returns null when there is none.
 * @param limit most references and retainers to list (0 = all)
 */
export function inspectObject(graph: HeapGraph, id: number, limit = 0): InspectResult | null {
  const node = graph.snapshot.findNodeById(id);
  return node < 0 ? null : inspectNode(graph, node, limit);
}

/** Same as inspectObject, for a node ordinal. */
export function inspectNode(graph: HeapGraph, node: number, limit = 0): InspectResult {
  const heap = graph.snapshot;
  const cut = <T>(items: T[]): T[] => (limit > 0 ? items.slice(0, limit) : items);

  const outgoing: number[] = [];
  for (let edge = heap.firstEdges[node]; edge < heap.firstEdges[node + 1]; edge++) outgoing.push(edge);
  outgoing.sort((a, b) => graph.retainedSizes[heap.edgeTargets[b]] - graph.retainedSizes[heap.edgeTargets[a]] || compareNames(heap.edgeName(a), heap.edgeName(b)));

  const { firstRetainer, retainerEdges } = graph.retainers;
  const sourceOf = (slot: number) => edgeSource(heap, retainerEdges[slot]);
  const incoming: number[] = [];
  for (let slot = firstRetainer[node]; slot < firstRetainer[node + 1]; slot++) {
    // DevTools hides weak retainers and the root's own edges.
    if (heap.edgeTypes[retainerEdges[slot]] === heap.edgeType.weak || sourceOf(slot) === heap.rootOrdinal) continue;
    incoming.push(slot);
  }
  const retainerName = (slot: number) => displayName(heap, graph.domState, sourceOf(slot));
  incoming.sort((a, b) => distanceRank(graph.distances[sourceOf(a)]) - distanceRank(graph.distances[sourceOf(b)]) || compareNames(retainerName(a), retainerName(b)) || a - b);

  const dominators = dominatorChain(graph, node).map((dominator) => nodeInfo(graph, dominator));
  const location = new ScriptNames(heap, sourceMapsOf(graph)).locate(node);

  return {
    ...nodeInfo(graph, node),
    distance: graph.distances[node],
    ...(location ? { location } : {}),
    references: cut(outgoing).map((edge) => ({ edgeType: heap.edgeTypeName(edge), edgeName: heap.edgeName(edge), to: nodeInfo(graph, heap.edgeTargets[edge]) })),
    referenceCount: outgoing.length,
    retainers: cut(incoming).map((slot) => ({ edgeType: heap.edgeTypeName(retainerEdges[slot]), edgeName: heap.edgeName(retainerEdges[slot]), from: nodeInfo(graph, sourceOf(slot)) })),
    retainerCount: incoming.length,
    dominators,
  };
}
