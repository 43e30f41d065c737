/**
 * leakgraph/analysis/why — what keeps one object alive, in the words a fix needs: every holder
 * (each with its readable path), its dominator chain, and what single cut would free it.
 */

import type { HeapGraph } from '../graph/heap-graph.js';
import { retainingEdges } from '../graph/retainers.js';
import { heldByOf, holderKey, holderRoutes, MAX_RETAINERS, type HeldBy } from './holders.js';
import { dominatorChain, nodeInfo, type NodeInfo } from './inspect.js';
import { PathFinder, type RetainingPath } from './retaining-path.js';

export interface WhyHolder {
  path: RetainingPath;
  heldBy: HeldBy | null;
}

/**
 * One holder: removing the object from it frees `frees` bytes. Several: every holder must let
 * go, or the nearest dominator a program can drop (`dominator`, which frees `frees`) must go.
 */
export type WhyCut =
  | { kind: 'holder'; heldBy: HeldBy | null; frees: number }
  | { kind: 'dominator'; dominator: NodeInfo; frees: number }
  | { kind: 'every-holder'; frees: number };

export interface WhyResult {
  target: NodeInfo;
  /** The distinct ways it is held, its readable path first; empty when no root reaches it. */
  holders: WhyHolder[];
  /** Immediate dominator first, the root last. */
  dominators: NodeInfo[];
  cut: WhyCut | null;
}

/** Why node `node` (an ordinal) is alive. */
export function explainRetention(graph: HeapGraph, node: number): WhyResult {
  const finder = PathFinder.of(graph);
  const holders: WhyHolder[] = [];
  const keys = new Set<string>();
  const retainers = retainingEdges(graph.snapshot, [node], MAX_RETAINERS).get(node)!;
  for (const route of holderRoutes(finder, node, retainers, true)) {
    const heldBy = heldByOf(finder, route.edges);
    const key = `${holderKey(heldBy, route)}\u0000${heldBy?.container.id ?? route.signature}`;
    if (keys.has(key)) continue;
    keys.add(key);
    holders.push({ path: finder.pathAlong(node, route.edges), heldBy });
  }
  const dominators = dominatorChain(graph, node);
  return { target: nodeInfo(graph, node), holders, dominators: dominators.map((dominator) => nodeInfo(graph, dominator)), cut: cutOf(graph, node, holders, dominators) };
}

function cutOf(graph: HeapGraph, node: number, holders: WhyHolder[], dominators: number[]): WhyCut | null {
  if (holders.length === 0) return null;
  const frees = graph.retainedSizes[node];
  // One holder frees it when its container is one of its dominators (or the object itself).
  const container = holders[0].heldBy?.container.id;
  const ids = graph.snapshot.nodeIds;
  if (holders.length === 1 && (container === undefined || container === ids[node] || dominators.some((dominator) => ids[dominator] === container))) {
    return { kind: 'holder', heldBy: holders[0].heldBy, frees };
  }
  const dominator = droppableDominator(graph, dominators);
  return dominator === undefined ? { kind: 'every-holder', frees } : { kind: 'dominator', dominator: nodeInfo(graph, dominator), frees: graph.retainedSizes[dominator] };
}

/**
 * The nearest dominator a program can let go of: one of its objects or functions below its
 * module state (dropping a module's scope or exports is no fix), not V8's internals.
 */
function droppableDominator(graph: HeapGraph, dominators: number[]): number | undefined {
  const heap = graph.snapshot;
  const origins = PathFinder.of(graph).origins;
  for (const node of dominators) {
    const type = heap.nodeTypes[node];
    const name = heap.nodeName(node);
    if (origins.moduleScopeScript(node) !== null || name.startsWith('system / SourceTextModule') || graph.distances[node] <= 1) return undefined;
    if (type === heap.nodeType.closure || (type === heap.nodeType.object && !name.startsWith('system / '))) return node;
  }
  return undefined;
}
