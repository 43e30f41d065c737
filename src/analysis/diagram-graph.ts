/**
 * leakgraph/analysis/diagram-graph — the small subgraphs that diagrams draw, as graphology graphs.
 *
 * - backrefs (objgraph's show_backrefs): who holds the start objects, breadth-first over their
 *   holders up to a depth, stopping at roots, globals and modules, plus the readable path of a
 *   start object (each one, unfolded), so the picture reaches its module or a root.
 * - refs (show_refs): what an object holds, breadth-first over its references.
 * - chain (show_chain): just the retaining paths.
 *
 * Folded (the default): the objects reached the same way (holders of one class through the
 * same edge, or referenced objects of one class through the same edge) are one counted node,
 * "1,200 × Session", and a link carries how many heap edges it stands for; so a Map holding
 * 1,800 Sessions and a listener list holding 1,800 closures over them are three nodes, not
 * thousands. With `fold: false` every object is its own node (objgraph's per-object picture).
 * V8's internals are looked through (analysis/visible-edges). The whole heap stays in typed
 * arrays; only the few dozen nodes drawn become graph nodes.
 */

import { MultiDirectedGraph } from 'graphology';
import type { HeapGraph } from '../graph/heap-graph.js';
import { isUserRoot } from '../graph/roots.js';
import { shortScriptName, type ScriptLocation } from '../graph/scripts.js';
import { nodeInfo, type NodeInfo } from './inspect.js';
import { elementName } from './linked-lists.js';
import type { PathFinder } from './retaining-path.js';
import { DEFAULT_FILTER, Visibility, type DiagramFilter, type VisibleLink } from './visible-edges.js';

/** What a drawn node is. */
export type DrawnKind = 'start' | 'root' | 'global' | 'module' | 'object' | 'more';

export interface DrawnNode extends Partial<NodeInfo> {
  kind: DrawnKind;
  /** Steps from the nearest start object (shades the fill). */
  depth: number;
  /** For functions: where they are defined. */
  location?: ScriptLocation;
  /** A folded node: how many objects it stands for (sizes are their sums, `id` the first's). */
  count?: number;
  /** A folded node's first ids. */
  ids?: number[];
  /** For "more" boxes: how many neighbours are not drawn. */
  more?: number;
  moreLabel?: string;
}

export interface DrawnEdge {
  edgeType: string;
  edgeName: string | number;
  /** Id of the node the edge leaves (to tell WeakMap entry edges apart). */
  fromId: number;
  /** Heap edges the link stands for (folded links). */
  count?: number;
  /** Hidden steps without a written name follow the named edge. */
  elided?: boolean;
}

export type RefGraph = MultiDirectedGraph<DrawnNode, DrawnEdge>;

export interface WalkOptions {
  /** Steps to walk from the start objects. */
  maxDepth: number;
  /** More distinct holders (or references) than this at one node collapse into an "N more" box. */
  tooMany: number;
  /** Stop adding nodes past this many (the path to a root is added whole). */
  maxNodes: number;
  /** Objects reached the same way as one counted node. */
  fold: boolean;
  filter: DiagramFilter;
}

const DEFAULT_WALK: WalkOptions = { maxDepth: 5, tooMany: 10, maxNodes: 40, fold: true, filter: DEFAULT_FILTER };

/** Objects of one folded node whose neighbours are looked at. */
const MAX_MEMBERS_WALKED = 2000;
/** Neighbours of one object looked at when folding. */
const MAX_NEIGHBOURS = 100_000;
/** Groups this big are kept as a byte per node rather than a map entry per member. */
const BIG_GROUP = 4096;
/** Dominators looked at to tell whether a folded node's member is inside another. */
const MAX_DOMINATOR_STEPS = 8;
/** Ids kept on a folded node. */
const GROUP_IDS = 5;

const key = (id: number) => `@${id}`;

/** A node waiting to be expanded: its key, the heap objects it stands for, its depth. */
interface Frontier {
  key: string;
  members: number[];
  depth: number;
}

class RefGraphBuilder {
  readonly graph: RefGraph = new MultiDirectedGraph<DrawnNode, DrawnEdge>();
  /** The drawn node each heap object is in. */
  private readonly keyOf = new Map<number, string>();
  private readonly bigGroups: Array<{ has: (node: number) => boolean; key: string }> = [];
  readonly visibility: Visibility;

  constructor(
    private readonly heap: HeapGraph,
    private readonly finder: PathFinder | null,
    readonly options: WalkOptions,
  ) {
    this.visibility = new Visibility(heap, options.filter, (node) => this.moduleOf(node) !== null);
  }

  /** The script of a module whose top-level scope or record `node` is, else null. */
  moduleOf(node: number): string | null {
    if (!this.finder) return null;
    const script = this.finder.origins.moduleScopeScript(node);
    if (script !== null) return script;
    const snapshot = this.heap.snapshot;
    if (snapshot.nodeTypes[node] !== snapshot.nodeType.hidden || !snapshot.nodeName(node).startsWith('system / SourceTextModule')) return null;
    return this.finder.moduleScript(node) ?? '';
  }

  drawnKey(node: number): string | undefined {
    return this.keyOf.get(node) ?? this.bigGroups.find((group) => group.has(node))?.key;
  }

  /** For a closure, its function's code (SharedFunctionInfo), so that only closures of one function fold; else -1. */
  functionOf(node: number): number {
    const snapshot = this.heap.snapshot;
    return snapshot.nodeTypes[node] === snapshot.nodeType.closure ? snapshot.internalEdgeTarget(node, 'shared') : -1;
  }

  /** The depth of the drawn node `node` is in, or Infinity when it is not drawn. */
  drawnDepth(node: number): number {
    const drawn = this.drawnKey(node);
    return drawn === undefined ? Infinity : this.graph.getNodeAttribute(drawn, 'depth');
  }

  kindOf(node: number): DrawnKind {
    const snapshot = this.heap.snapshot;
    if (node === snapshot.rootOrdinal || snapshot.nodeTypes[node] === snapshot.nodeType.synthetic) return 'root';
    if (this.moduleOf(node) !== null) return 'module';
    if (this.isRootChild(node) && isUserRoot(snapshot, node)) return 'global';
    return 'object';
  }

  /** Adds (or finds) one heap object's node; keeps the smallest depth seen. */
  addNode(node: number, depth: number, kind?: DrawnKind): string {
    const module = this.moduleOf(node);
    if (module !== null && kind !== 'start') return this.addModule(node, module || undefined, depth);
    const known = this.drawnKey(node);
    if (known !== undefined) {
      if (depth < this.graph.getNodeAttribute(known, 'depth')) this.graph.setNodeAttribute(known, 'depth', depth);
      if (kind === 'start') this.graph.setNodeAttribute(known, 'kind', 'start');
      return known;
    }
    const nodeKey = key(this.heap.snapshot.nodeIds[node]);
    this.graph.addNode(nodeKey, { ...this.describe(node), kind: kind ?? this.kindOf(node), depth });
    this.keyOf.set(node, nodeKey);
    return nodeKey;
  }

  /** Adds one counted node for several objects of one class (or one object's node for one). */
  addGroup(members: number[], depth: number, kind?: DrawnKind): string {
    if (members.length === 1) return this.addNode(members[0], depth, kind);
    const ids = this.heap.snapshot.nodeIds;
    const nodeKey = `group-${ids[members[0]]}-${members.length}`;
    if (this.graph.hasNode(nodeKey)) return nodeKey;
    let selfSize = 0;
    let retainedSize = 0;
    const inGroup = membership(members, this.heap.snapshot.nodeCount);
    for (const member of members) {
      selfSize += this.heap.shallowSizes[member];
      // A member that another member dominates (a chain's later links) is in that one's size.
      if (!this.dominatedWithin(member, inGroup)) retainedSize += this.heap.retainedSizes[member];
    }
    const attributes: DrawnNode = { ...this.describe(members[0]), selfSize, retainedSize, count: members.length, ids: members.slice(0, GROUP_IDS).map((member) => ids[member]), kind: kind ?? 'object', depth };
    this.graph.addNode(nodeKey, attributes);
    // A big group is asked by membership test rather than entered object by object.
    if (members.length >= BIG_GROUP) this.bigGroups.push({ has: inGroup, key: nodeKey });
    else for (const member of members) if (!this.keyOf.has(member)) this.keyOf.set(member, nodeKey);
    return nodeKey;
  }

  /** Whether one of `group` dominates `node`, looking a bounded way up its dominator chain. */
  private dominatedWithin(node: number, group: (node: number) => boolean): boolean {
    const root = this.heap.snapshot.rootOrdinal;
    let current = node;
    for (let steps = 0; steps < MAX_DOMINATOR_STEPS && current !== root; steps++) {
      current = this.heap.idom[current];
      if (group(current)) return true;
    }
    return false;
  }

  /** A module's top-level scope, as the start of a path: "module app.js". */
  addModule(node: number, script: string | undefined, depth: number): string {
    const known = this.keyOf.get(node);
    if (known !== undefined) return known;
    const nodeKey = `module-${this.heap.snapshot.nodeIds[node]}`;
    this.graph.addNode(nodeKey, { id: this.heap.snapshot.nodeIds[node], className: 'module', name: script ? shortScriptName(script) : '', type: 'module', kind: 'module', depth });
    this.keyOf.set(node, nodeKey);
    return nodeKey;
  }

  /** Links `from` to `to` by a visible link; the same name between the same nodes adds up. */
  addLink(fromKey: string, toKey: string, link: VisibleLink, count = 1): void {
    const label = this.visibility.label(link.edges);
    const edgeKey = `${fromKey}->${toKey}:${this.visibility.labelKey(link.edges)}`;
    if (this.graph.hasEdge(edgeKey)) {
      this.graph.updateEdgeAttribute(edgeKey, 'count', (known) => (known ?? 1) + count);
      return;
    }
    const fromId = this.heap.snapshot.nodeIds[link.node];
    this.graph.addDirectedEdgeWithKey(edgeKey, fromKey, toKey, { edgeType: label.edgeType, edgeName: label.edgeName, fromId, count, ...(label.elided ? { elided: true } : {}) });
  }

  addMore(atKey: string, count: number, depth: number, label: string, incoming: boolean): void {
    const nodeKey = `more-${incoming ? 'in' : 'out'}-${atKey}`;
    if (this.graph.hasNode(nodeKey)) return;
    this.graph.addNode(nodeKey, { kind: 'more', depth, more: count, moreLabel: label });
    if (incoming) this.graph.addDirectedEdgeWithKey(`${nodeKey}-edge`, nodeKey, atKey, { edgeType: 'more', edgeName: '', fromId: -1 });
    else this.graph.addDirectedEdgeWithKey(`${nodeKey}-edge`, atKey, nodeKey, { edgeType: 'more', edgeName: '', fromId: -1 });
  }

  private describe(node: number): Omit<DrawnNode, 'kind' | 'depth'> {
    const snapshot = this.heap.snapshot;
    const attributes: Omit<DrawnNode, 'kind' | 'depth'> = nodeInfo(this.heap, node);
    // V8's records drawn as part of a path (a promise's reactions) say what they are.
    attributes.className = elementName(this.heap, node);
    if (snapshot.nodeTypes[node] === snapshot.nodeType.closure && this.finder) {
      // A bound function (`f.bind(x)`) is where its target is defined.
      const bound = snapshot.internalEdgeTarget(node, 'bound_function');
      const location = this.finder.scripts.locate(node) ?? (bound >= 0 ? this.finder.scripts.locate(bound) : null);
      if (location) attributes.location = location;
      if (bound >= 0) attributes.name = `bound ${snapshot.nodeName(bound) || '(anonymous)'}`;
    }
    return attributes;
  }

  private isRootChild(node: number): boolean {
    const snapshot = this.heap.snapshot;
    const root = snapshot.rootOrdinal;
    for (let edge = snapshot.firstEdges[root]; edge < snapshot.firstEdges[root + 1]; edge++) if (snapshot.edgeTargets[edge] === node) return true;
    return false;
  }
}

/** A membership test for a set of nodes: a byte per node for a big set, else a Set. */
function membership(members: number[], nodeCount: number): (node: number) => boolean {
  if (members.length < BIG_GROUP) {
    const set = new Set(members);
    return (node) => set.has(node);
  }
  const marks = new Uint8Array(nodeCount);
  for (const member of members) marks[member] = 1;
  return (node) => marks[node] === 1;
}

/** Neighbours of a frontier node grouped as they will be drawn: by class and link, or one by one. */
interface Neighbours {
  /** The class and link name they share (or the object, unfolded). */
  key: string;
  objects: number[];
  /** A link of one of them, for the drawn name. */
  link: VisibleLink;
  /** Heap edges between them and the frontier node. */
  edges: number;
}

function groupNeighbours(builder: RefGraphBuilder, heap: HeapGraph, item: Frontier, next: (node: number) => VisibleLink[]): Neighbours[] {
  const { classOf } = heap.classes;
  const ids = heap.snapshot.nodeIds;
  const isMember = membership(item.members, heap.snapshot.nodeCount);
  const groups = new Map<string, Neighbours & { seen: Set<number> }>();
  for (const member of item.members.slice(0, MAX_MEMBERS_WALKED)) {
    for (const link of next(member)) {
      // Links between the members of one folded node (a list's own links) are inside it.
      if (isMember(link.node)) continue;
      // Modules are never folded: each is where a reader starts.
      const alone = !builder.options.fold || builder.moduleOf(link.node) !== null;
      const groupKey = alone ? `${ids[link.node]}` : `${classOf[link.node]}\u0000${builder.functionOf(link.node)}\u0000${builder.visibility.labelKey(link.edges)}`;
      let group = groups.get(groupKey);
      if (!group) groups.set(groupKey, (group = { key: groupKey, objects: [], link, edges: 0, seen: new Set() }));
      group.edges++;
      if (!group.seen.has(link.node)) {
        group.seen.add(link.node);
        group.objects.push(link.node);
      }
    }
  }
  // Most heap edges first; then by the first object's id, so the picture is the same every run.
  return [...groups.values()].sort((a, b) => b.edges - a.edges || ids[a.objects[0]] - ids[b.objects[0]]);
}

/** Breadth-first from `starts` over `next` (holders or references), folding as options say. */
function expand(builder: RefGraphBuilder, heap: HeapGraph, starts: number[], incoming: boolean, budget: number): void {
  const { options } = builder;
  const queue: Frontier[] = options.fold
    ? [{ key: builder.addGroup(starts, 0, 'start'), members: starts, depth: 0 }]
    : starts.map((start) => ({ key: builder.addNode(start, 0, 'start'), members: [start], depth: 0 }));
  const expanded = new Set<string>();
  // Every neighbour counts: folded, a Map's thousands of entries are one node; unfolded, the
  // first few are drawn and the rest counted in an "N more" box.
  const limit = MAX_NEIGHBOURS;
  const next = incoming ? (node: number) => builder.visibility.retainers(node, limit) : (node: number) => builder.visibility.references(node, limit);
  for (let head = 0; head < queue.length && builder.graph.order + 1 < budget; head++) {
    const item = queue[head];
    if (expanded.has(item.key) || item.depth >= options.maxDepth) continue;
    expanded.add(item.key);
    // Roots, globals and modules are where a reader stops.
    if (incoming && item.members.length === 1 && builder.kindOf(item.members[0]) !== 'object') continue;
    const groups = groupNeighbours(builder, heap, item, next);
    for (const group of groups.slice(0, options.tooMany)) {
      // One place is kept for an "N more" box.
      if (builder.graph.order + 1 >= budget) break;
      const objects = group.objects;
      const known = objects.length === 1 ? builder.drawnKey(objects[0]) : undefined;
      // Already drawn nearer the start: something this node holds (or is), not its holder;
      // but a module, global or root only ever holds.
      if (objects.every((object) => builder.drawnDepth(object) <= item.depth && builder.kindOf(object) === 'object')) continue;
      const groupKey = known ?? builder.addGroup(objects, item.depth + 1);
      if (incoming) builder.addLink(groupKey, item.key, group.link, group.edges);
      else builder.addLink(item.key, groupKey, { node: item.members[0], edges: group.link.edges }, group.edges);
      queue.push({ key: groupKey, members: objects, depth: item.depth + 1 });
    }
    const hidden = groups.slice(options.tooMany).reduce((sum, group) => sum + group.objects.length, 0);
    if (hidden > 0) builder.addMore(item.key, hidden, item.depth + 1, incoming ? 'more holders' : 'more references', incoming);
  }
}

/**
 * show_backrefs: the holders of `starts` (ordinals), breadth first to `maxDepth`, stopping at
 * roots and globals; and the first start's readable path, so that its module or a root is
 * always in the picture.
 */
export function backrefGraph(heap: HeapGraph, starts: number[], finder: PathFinder, options: Partial<WalkOptions> = {}): RefGraph {
  const builder = new RefGraphBuilder(heap, finder, { ...DEFAULT_WALK, ...options });
  const pathLength = finder.edgesOf(starts[0])?.length ?? 0;
  // The path is drawn whole; the walk leaves it room within maxNodes.
  expand(builder, heap, starts, true, Math.max(2, builder.options.maxNodes - Math.min(pathLength, builder.options.maxNodes / 2)));
  for (const start of builder.options.fold ? starts.slice(0, 1) : starts) addFoldedPath(builder, heap, finder, start);
  return builder.graph;
}

/** show_refs: what `start` (or each of several starts) holds, breadth first to `maxDepth`. */
export function refGraph(heap: HeapGraph, start: number | number[], finder: PathFinder | null, options: Partial<WalkOptions> = {}): RefGraph {
  const builder = new RefGraphBuilder(heap, finder, { ...DEFAULT_WALK, maxDepth: 3, ...options });
  expand(builder, heap, typeof start === 'number' ? [start] : start, false, builder.options.maxNodes);
  return builder.graph;
}

/**
 * show_chain: only the readable retaining paths of `targets`, from their modules or roots; a
 * run of objects of one class linked the same way (a linked list, a timer list) is one node.
 */
export function chainGraph(heap: HeapGraph, targets: number[], finder: PathFinder, options: Partial<WalkOptions> = {}): RefGraph {
  const builder = new RefGraphBuilder(heap, finder, { ...DEFAULT_WALK, ...options });
  for (const target of targets) addFoldedPath(builder, heap, finder, target);
  return builder.graph;
}

/**
 * The readable path of `target` from where a person reads it (its module, or a root): shown
 * objects only, each hidden stretch one link, each folded run (see analysis/fold) one counted
 * node; objects already drawn are reused.
 */
function addFoldedPath(builder: RefGraphBuilder, heap: HeapGraph, finder: PathFinder, target: number): void {
  const edges = finder.edgesOf(target);
  if (!edges) {
    builder.addNode(target, 0, 'start');
    return;
  }
  const path = finder.pathAlong(target, edges);
  const snapshot = heap.snapshot;
  const last = edges.length - 1;
  const runAt = new Map(path.folds.filter((fold) => fold.start > path.readableStart).map((fold) => [fold.start, fold]));
  const start = path.readableStart;
  let holder = snapshot.edgeTargets[edges[start]];
  let holderKey: string | null = start > 0 ? builder.addModule(holder, path.module, last - start) : builder.visibility.isHidden(holder) ? null : builder.addNode(holder, last);
  let pending: number[] = [];
  for (let i = start + 1; i <= last; i++) {
    const fold = runAt.get(i);
    let targetKey: string;
    let reached: number;
    if (fold) {
      // The run's objects at the same place in each repetition: one counted node.
      const members: number[] = [];
      for (let k = 0; k < fold.times; k++) members.push(snapshot.edgeTargets[edges[fold.start + k * fold.period + fold.period - 1]]);
      pending.push(edges[i]);
      i = fold.start + fold.period * fold.times - 1;
      reached = snapshot.edgeTargets[edges[i]];
      targetKey = builder.addGroup(members, last - i);
    } else {
      reached = snapshot.edgeTargets[edges[i]];
      pending.push(edges[i]);
      if (i < last && builder.visibility.isHidden(reached)) continue;
      targetKey = builder.addNode(reached, last - i, i === last ? 'start' : undefined);
    }
    if (holderKey !== null && holderKey !== targetKey && !builder.graph.hasDirectedEdge(holderKey, targetKey)) builder.addLink(holderKey, targetKey, { node: holder, edges: pending }, fold ? fold.times : 1);
    holder = reached;
    holderKey = targetKey;
    pending = [];
  }
}
