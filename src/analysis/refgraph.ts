/**
 * leakgraph/analysis/refgraph — the small subgraphs that diagrams draw, as graphology graphs.
 *
 * - backrefs (objgraph's show_backrefs): who holds the start objects, breadth-first over
 *   retainers up to a depth, stopping at roots and globals, with "N more retainers" boxes; plus
 *   each start object's retaining path, so the picture always reaches a root.
 * - refs (show_refs): what an object holds, breadth-first over its references.
 * - chain (show_chain): just the retaining paths.
 * The whole heap stays in typed arrays; only the few hundred nodes drawn become graph nodes.
 */

import { MultiDirectedGraph } from 'graphology';
import type { HeapGraph } from '../graph/heap-graph.js';
import { isUserRoot } from '../graph/roots.js';
import { nodeInfo, type NodeInfo } from './inspect.js';
import type { PathFinder } from './path.js';

/** What a drawn node is. */
export type DrawnKind = 'start' | 'root' | 'global' | 'object' | 'more';

export interface DrawnNode extends Partial<NodeInfo> {
  kind: DrawnKind;
  /** Steps from the nearest start object (shades the fill). */
  depth: number;
  /** For functions: where they are defined. */
  location?: { script: string; line: number; column: number };
  /** For "more" boxes: how many neighbours are not drawn. */
  more?: number;
  moreLabel?: string;
}

export interface DrawnEdge {
  edgeType: string;
  edgeName: string | number;
  /** Id of the node the edge leaves (to tell WeakMap entry edges apart). */
  fromId: number;
}

export type RefGraph = MultiDirectedGraph<DrawnNode, DrawnEdge>;

export interface WalkOptions {
  /** Steps to walk from the start objects. */
  maxDepth: number;
  /** More neighbours than this at one node collapse into an "N more" box. */
  tooMany: number;
}

export const DEFAULT_WALK: WalkOptions = { maxDepth: 5, tooMany: 10 };

const key = (id: number) => `@${id}`;

class RefGraphBuilder {
  readonly graph: RefGraph = new MultiDirectedGraph<DrawnNode, DrawnEdge>();

  constructor(private readonly heap: HeapGraph, private readonly finder: PathFinder | null) {}

  kindOf(node: number): DrawnKind {
    const snapshot = this.heap.snapshot;
    if (node === snapshot.rootOrdinal || snapshot.nodeTypes[node] === snapshot.nodeType.synthetic) return 'root';
    if (this.isRootChild(node) && isUserRoot(snapshot, node)) return 'global';
    return 'object';
  }

  /** Adds (or finds) a heap node; keeps the smallest depth seen. */
  addNode(node: number, depth: number, kind?: DrawnKind): string {
    const snapshot = this.heap.snapshot;
    const nodeKey = key(snapshot.nodeIds[node]);
    if (this.graph.hasNode(nodeKey)) {
      if (depth < this.graph.getNodeAttribute(nodeKey, 'depth')) this.graph.setNodeAttribute(nodeKey, 'depth', depth);
      if (kind === 'start') this.graph.setNodeAttribute(nodeKey, 'kind', 'start');
      return nodeKey;
    }
    const attributes: DrawnNode = { ...nodeInfo(this.heap, node), kind: kind ?? this.kindOf(node), depth };
    if (snapshot.nodeTypes[node] === snapshot.nodeType.closure && this.finder) {
      const location = this.finder.scripts.locate(node);
      if (location) attributes.location = location;
    }
    this.graph.addNode(nodeKey, attributes);
    return nodeKey;
  }

  addEdge(from: number, to: number, edge: number): void {
    const snapshot = this.heap.snapshot;
    const fromKey = key(snapshot.nodeIds[from]);
    const toKey = key(snapshot.nodeIds[to]);
    // One drawn edge per heap edge: the edge ordinal is its key.
    const edgeKey = `${edge}`;
    if (this.graph.hasEdge(edgeKey)) return;
    this.graph.addDirectedEdgeWithKey(edgeKey, fromKey, toKey, { edgeType: snapshot.edgeTypeName(edge), edgeName: snapshot.edgeName(edge), fromId: snapshot.nodeIds[from] });
  }

  addMore(at: number, count: number, depth: number, label: string, incoming: boolean): void {
    const nodeKey = `more-${incoming ? 'in' : 'out'}-${this.heap.snapshot.nodeIds[at]}`;
    if (this.graph.hasNode(nodeKey)) return;
    this.graph.addNode(nodeKey, { kind: 'more', depth, more: count, moreLabel: label });
    const atKey = key(this.heap.snapshot.nodeIds[at]);
    if (incoming) this.graph.addDirectedEdgeWithKey(`${nodeKey}-edge`, nodeKey, atKey, { edgeType: 'more', edgeName: '', fromId: -1 });
    else this.graph.addDirectedEdgeWithKey(`${nodeKey}-edge`, atKey, nodeKey, { edgeType: 'more', edgeName: '', fromId: -1 });
  }

  private isRootChild(node: number): boolean {
    const snapshot = this.heap.snapshot;
    const root = snapshot.rootOrdinal;
    for (let edge = snapshot.firstEdges[root]; edge < snapshot.firstEdges[root + 1]; edge++) if (snapshot.edgeTargets[edge] === node) return true;
    return false;
  }

  /**
   * Adds a retaining path given as edges from the root: every holder from the global or GC
   * root on (the root itself is not drawn), the last node as a start object.
   */
  addPath(edges: number[]): void {
    const snapshot = this.heap.snapshot;
    const last = edges.length - 1;
    if (last < 0) return;
    this.addNode(snapshot.edgeTargets[edges[0]], last);
    for (let i = 1; i <= last; i++) {
      const holder = snapshot.edgeTargets[edges[i - 1]];
      const target = snapshot.edgeTargets[edges[i]];
      this.addNode(target, last - i, i === last ? 'start' : undefined);
      this.addEdge(holder, target, edges[i]);
    }
  }
}

/** Retaining edges worth drawing: not weak, not the root's own (globals stop the walk). */
function retainerSlots(heap: HeapGraph, node: number): number[] {
  const snapshot = heap.snapshot;
  const { firstRetainer, retainerEdges, retainerNodes } = heap.retainers;
  const slots: number[] = [];
  for (let slot = firstRetainer[node]; slot < firstRetainer[node + 1]; slot++) {
    if (snapshot.edgeTypes[retainerEdges[slot]] === snapshot.edgeType.weak || retainerNodes[slot] === snapshot.rootOrdinal) continue;
    slots.push(slot);
  }
  // Nearest to a root first, so that what is drawn leads to the roots.
  const rank = (slot: number) => {
    const distance = heap.distances[retainerNodes[slot]];
    return distance < 0 ? Number.MAX_SAFE_INTEGER : distance;
  };
  return slots.sort((a, b) => rank(a) - rank(b) || snapshot.nodeIds[retainerNodes[a]] - snapshot.nodeIds[retainerNodes[b]]);
}

/**
 * show_backrefs: the retainers of `starts` (ordinals), breadth first to `maxDepth`, stopping
 * at roots and globals; and each start's retaining path from `finder`, so that a root is
 * always in the picture.
 */
export function backrefGraph(heap: HeapGraph, starts: number[], finder: PathFinder, options: WalkOptions = DEFAULT_WALK): RefGraph {
  const builder = new RefGraphBuilder(heap, finder);
  const { retainerEdges, retainerNodes } = heap.retainers;
  const depthOf = new Map<number, number>();
  const queue: number[] = [];
  for (const start of starts) {
    builder.addNode(start, 0, 'start');
    if (!depthOf.has(start)) {
      depthOf.set(start, 0);
      queue.push(start);
    }
  }
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head];
    const depth = depthOf.get(node)!;
    if (depth >= options.maxDepth || builder.kindOf(node) !== 'object') continue;
    const slots = retainerSlots(heap, node);
    for (const slot of slots.slice(0, options.tooMany)) {
      const holder = retainerNodes[slot];
      builder.addNode(holder, depth + 1);
      builder.addEdge(holder, node, retainerEdges[slot]);
      if (!depthOf.has(holder)) {
        depthOf.set(holder, depth + 1);
        queue.push(holder);
      }
    }
    if (slots.length > options.tooMany) builder.addMore(node, slots.length - options.tooMany, depth + 1, 'more retainers', true);
  }
  for (const start of starts) addRetainingPath(builder, finder, start);
  return builder.graph;
}

function addRetainingPath(builder: RefGraphBuilder, finder: PathFinder, node: number): void {
  const edges = finder.edgesOf(node);
  if (edges) builder.addPath(edges);
}

/** show_refs: what `start` holds, breadth first to `maxDepth` (weak references included). */
export function refGraph(heap: HeapGraph, start: number, finder: PathFinder | null, options: WalkOptions = DEFAULT_WALK): RefGraph {
  const builder = new RefGraphBuilder(heap, finder);
  const snapshot = heap.snapshot;
  builder.addNode(start, 0, 'start');
  const depthOf = new Map<number, number>([[start, 0]]);
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head];
    const depth = depthOf.get(node)!;
    if (depth >= options.maxDepth) continue;
    const edges: number[] = [];
    for (let edge = snapshot.firstEdges[node]; edge < snapshot.firstEdges[node + 1]; edge++) edges.push(edge);
    // Largest retained size first, as inspect lists references.
    edges.sort((a, b) => heap.retainedSizes[snapshot.edgeTargets[b]] - heap.retainedSizes[snapshot.edgeTargets[a]] || a - b);
    for (const edge of edges.slice(0, options.tooMany)) {
      const target = snapshot.edgeTargets[edge];
      builder.addNode(target, depth + 1);
      builder.addEdge(node, target, edge);
      if (!depthOf.has(target)) {
        depthOf.set(target, depth + 1);
        queue.push(target);
      }
    }
    if (edges.length > options.tooMany) builder.addMore(node, edges.length - options.tooMany, depth + 1, 'more references', false);
  }
  return builder.graph;
}

/** show_chain: only the retaining paths of `targets`, from their roots. */
export function chainGraph(heap: HeapGraph, targets: number[], finder: PathFinder): RefGraph {
  const builder = new RefGraphBuilder(heap, finder);
  for (const target of targets) {
    builder.addNode(target, 0, 'start');
    addRetainingPath(builder, finder, target);
  }
  return builder.graph;
}
