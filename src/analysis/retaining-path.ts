/**
 * leakgraph/analysis/retaining-path — why is this object alive: its readable retaining path (objgraph's
 * find_backref_chain, through the program's holders, at most MAX_DETOUR steps longer than the
 * shortest), where a person starts reading it, and which objects of a class to ask about.
 */

import type { HeapGraph } from '../graph/heap-graph.js';
import { CodeOrigins } from '../graph/code-origin.js';
import { EphemeronNames } from '../graph/ephemerons.js';
import { BASE_SYSTEM_DISTANCE } from '../graph/distances.js';
import { MAX_DETOUR, NO_PARENT, readableTree, shortestTree, treeChain, treeChainLength } from '../graph/retaining-tree.js';
import { edgeSource } from '../graph/retainers.js';
import { ScriptNames, shortScriptName, type ScriptLocation } from '../graph/scripts.js';
import { sourceMapsOf } from '../graph/source-maps.js';
import { edgeToken, findFolds, type Fold } from './fold.js';
import { nodeInfo, type NodeInfo } from './inspect.js';

export interface PathStep {
  edgeType: string;
  edgeName: string | number;
  node: NodeInfo;
  /** For functions: where they are defined (1-based line and column; `original` from a source map). */
  location?: ScriptLocation;
}

export interface RetainingPath {
  target: NodeInfo;
  /** From the root side; the first step's edge leaves the root. Empty when unreachable. */
  steps: PathStep[];
  unreachable: boolean;
  /** Repeated stretches of `steps` (linked lists, closure chains), shown folded. */
  folds: Fold[];
  /**
   * Where a person would start reading: for module state (an ES module's record, or the
   * top-level scope of a module or script), the step of the module itself; otherwise 0.
   */
  readableStart: number;
  /** The module at `readableStart` (script URL), when the path was shortened. */
  module?: string;
  /** Export name of the module binding the path goes through, when known. */
  exportName?: string;
}

const finders = new WeakMap<HeapGraph, PathFinder>();

/** Told how long each phase of an analysis took. */
export type PhaseTimer = (phase: string, milliseconds: number) => void;

/** What path queries share for one snapshot: the retaining trees, script names and code origins. */
export class PathFinder {
  /** The finder of a loaded heap, built once (its retaining tree is a search of the whole heap). */
  static of(graph: HeapGraph, onPhaseDone?: PhaseTimer): PathFinder {
    let finder = finders.get(graph);
    if (!finder) finders.set(graph, (finder = new PathFinder(graph, onPhaseDone)));
    return finder;
  }

  /** Parent edges of the readable paths, and of the shortest ones (built when first needed). */
  private readonly readable: Uint32Array;
  private shortest: Uint32Array | null = null;
  private readonly ephemerons: EphemeronNames;
  readonly scripts: ScriptNames;
  readonly origins: CodeOrigins;
  private readonly tokens = new Map<number, string>();

  constructor(
    readonly graph: HeapGraph,
    onPhaseDone?: PhaseTimer,
  ) {
    const start = performance.now();
    this.scripts = new ScriptNames(graph.snapshot, sourceMapsOf(graph));
    this.origins = new CodeOrigins(graph.snapshot, this.scripts, graph.classes.classOf, graph.classes.names.length);
    onPhaseDone?.('code origins', performance.now() - start);
    this.ephemerons = new EphemeronNames(graph.snapshot);
    const searched = performance.now();
    this.readable = readableTree(graph.snapshot, this.ephemerons, this.origins.origin);
    onPhaseDone?.('readable paths', performance.now() - searched);
  }

  /**
   * The edges of `node`'s path from the root side, or null when no root reaches it: its
   * readable path unless that is more than MAX_DETOUR steps longer than the shortest one (its
   * DevTools distance, or for what only the system roots reach, a breadth-first search).
   */
  edgesOf(node: number): number[] | null {
    const heap = this.graph.snapshot;
    if (node === heap.rootOrdinal) return [];
    const readable = treeChain(heap, this.readable, node);
    if (readable === null) return null;
    const distance = this.graph.distances[node];
    const shortest = distance > 0 && distance < BASE_SYSTEM_DISTANCE ? distance : treeChainLength(heap, this.shortestTree(), node);
    return readable.length <= shortest + MAX_DETOUR ? readable : treeChain(heap, this.shortestTree(), node);
  }

  private shortestTree(): Uint32Array {
    return (this.shortest ??= shortestTree(this.graph.snapshot, this.ephemerons));
  }

  /**
   * At most `maxSteps` edges of `node`'s readable path, the nearest to it, from the root side;
   * `complete` when they reach the root. Cheap on a long chain, where a whole path would not be.
   */
  tailEdges(node: number, maxSteps: number): { edges: number[]; complete: boolean } {
    const heap = this.graph.snapshot;
    const edges: number[] = [];
    let current = node;
    while (current !== heap.rootOrdinal && edges.length < maxSteps) {
      const edge = this.readable[current];
      if (edge === NO_PARENT) return { edges: [], complete: false };
      edges.push(edge);
      current = edgeSource(heap, edge);
    }
    return { edges: edges.reverse(), complete: current === heap.rootOrdinal };
  }

  /** One token per step (its edge as signatures see it, and the class it reaches), for folding. */
  stepTokens(edges: readonly number[]): string[] {
    const heap = this.graph.snapshot;
    const { classOf, names } = this.graph.classes;
    let holder = edges.length > 0 ? edgeSource(heap, edges[0]) : heap.rootOrdinal;
    return edges.map((edge) => {
      const target = heap.edgeTargets[edge];
      // Paths of siblings share most of their edges: each edge's token is made once.
      let token = this.tokens.get(edge);
      if (token === undefined) this.tokens.set(edge, (token = `${edgeToken(heap, edge, holder)}\u0000${names[classOf[target]]}`));
      holder = target;
      return token;
    });
  }

  /** The retaining path of node `node` (an ordinal). */
  pathOf(node: number): RetainingPath {
    const edges = this.edgesOf(node);
    return edges === null ? { target: nodeInfo(this.graph, node), steps: [], unreachable: true, folds: [], readableStart: 0 } : this.pathAlong(node, edges);
  }

  /** A path made of given edges ending at `node`. */
  pathAlong(node: number, edges: number[]): RetainingPath {
    const steps = edges.map((edge) => this.step(edge));
    return { target: nodeInfo(this.graph, node), steps, unreachable: false, folds: findFolds(this.stepTokens(edges)), ...this.moduleStart(edges) };
  }

  private step(edge: number): PathStep {
    const heap = this.graph.snapshot;
    const to = heap.edgeTargets[edge];
    const step: PathStep = { edgeType: heap.edgeTypeName(edge), edgeName: heap.edgeName(edge), node: nodeInfo(this.graph, to) };
    if (heap.nodeTypes[to] === heap.nodeType.closure) {
      const location = this.scripts.locate(to);
      if (location) step.location = location;
    }
    return step;
  }

  /**
   * Module state sits some twenty steps below `global`, inside Node's loader or behind whatever
   * first reaches one of the module's functions. A person reads such a path from the module:
   * find the last module on the path, either an ES module's record ("system / SourceTextModule",
   * whose exports table names the binding) or the top-level scope of a module or script (the
   * context of its top-level functions, CommonJS and ES modules alike).
   */
  moduleStart(edges: readonly number[]): { readableStart: number; module?: string; exportName?: string } {
    const heap = this.graph.snapshot;
    for (let i = edges.length - 2; i >= 1; i--) {
      const node = heap.edgeTargets[edges[i]];
      const scopeScript = this.origins.moduleScopeScript(node);
      if (scopeScript !== null) return { readableStart: i, module: scopeScript };
      if (heap.nodeTypes[node] !== heap.nodeType.hidden || !heap.nodeName(node).startsWith('system / SourceTextModule')) continue;
      const script = this.moduleScript(node);
      const exportName = this.exportName(edges, i);
      return { readableStart: i, ...(script ? { module: script } : {}), ...(exportName ? { exportName } : {}) };
    }
    return { readableStart: 0 };
  }

  /** The script of a module record, through its function (directly or via its generator). */
  moduleScript(record: number): string | null {
    const heap = this.graph.snapshot;
    for (let edge = heap.firstEdges[record]; edge < heap.firstEdges[record + 1]; edge++) {
      let child = heap.edgeTargets[edge];
      if (heap.nodeTypes[child] === heap.nodeType.object && heap.nodeNameIs(child, 'Generator')) {
        child = heap.internalEdgeTarget(child, 'function');
        if (child < 0) continue;
      }
      if (heap.nodeTypes[child] !== heap.nodeType.closure) continue;
      const location = this.scripts.locate(child);
      if (location) return location.script;
    }
    return null;
  }

  /**
   * Exports sit in a hash table beside the module record: the table's slot k holds the
   * binding's Cell and slot k - 1 its name.
   */
  private exportName(edges: readonly number[], recordStep: number): string | null {
    const heap = this.graph.snapshot;
    if (recordStep + 2 >= edges.length) return null;
    const table = heap.edgeTargets[edges[recordStep + 1]];
    const cellEdge = edges[recordStep + 2];
    const slot = Number(heap.edgeName(cellEdge));
    if (!Number.isInteger(slot) || !heap.nodeName(heap.edgeTargets[cellEdge]).startsWith('system / Cell')) return null;
    const nameNode = heap.internalEdgeTarget(table, String(slot - 1));
    return nameNode >= 0 && heap.nodeTypes[nameNode] === heap.nodeType.string ? heap.nodeName(nameNode) : null;
  }
}


/**
 * The objects of class `className` (by class name, all keys with that name), largest
 * retained size first, at most `limit` (0 = all).
 */
export function objectsOfClass(graph: HeapGraph, className: string, limit: number): number[] {
  const { names } = graph.classes;
  return objectsOfClasses(graph, (classId) => names[classId] === className, limit);
}

/** The objects of the classes `wanted` picks (by class id), largest retained size first, then by id; at most `limit` (0 = all). */
export function objectsOfClasses(graph: HeapGraph, isWanted: (classId: number) => boolean, limit: number): number[] {
  const { classOf, names } = graph.classes;
  const wanted = Uint8Array.from(names, (_name, id) => (isWanted(id) ? 1 : 0));
  const found: number[] = [];
  for (let node = 0; node < classOf.length; node++) {
    if (wanted[classOf[node]] && graph.shallowSizes[node] > 0) found.push(node);
  }
  const ids = graph.snapshot.nodeIds;
  found.sort((a, b) => graph.retainedSizes[b] - graph.retainedSizes[a] || ids[a] - ids[b]);
  return limit > 0 ? found.slice(0, limit) : found;
}

export { shortScriptName };
