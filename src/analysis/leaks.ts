/**
 * leakgraph/analysis/leaks — what leaks, found without hand-written filters.
 *
 * Two signals, both from snapshots of one process (object ids are stable across them):
 * - The three-snapshot technique: objects allocated between BASE and TARGET (id in TARGET, not
 *   in BASE) that are still alive in FINAL. V8 internals, numbers and objects owned by another
 *   candidate are left out; the rest are clustered by their retaining path, so ten thousand
 *   `User`s in one `cache` make one cluster.
 * - Growing containers: a Map, Set, Array or dictionary-like object with the same id in every
 *   snapshot whose entry count grows at every step.
 */

import { EphemeronNames } from '../graph/ephemerons.js';
import type { HeapGraph } from '../graph/heap-graph.js';
import { IdIndex, sortedPosition } from '../graph/id-index.js';
import { containerKind, countEntries, isWeakContainer, type ContainerKind } from './containers.js';
import { PathFinder, type RetainingPath } from './path.js';

export interface LeakCluster {
  /** The class holding most of the cluster's retained size (strings only when alone). */
  className: string;
  /** Objects in the cluster (all classes). */
  count: number;
  /** Memory the cluster keeps alive, members owned by other members counted once. */
  retainedSize: number;
  /** Members per class, largest retained size first, strings last. */
  classes: Array<{ className: string; count: number; retainedSize: number }>;
  /** Retaining path of the cluster's largest member. */
  path: RetainingPath;
  exampleIds: number[];
}

export interface GrowingContainer {
  id: number;
  className: string;
  kind: ContainerKind;
  /** WeakMap and WeakSet: entries may be collectable, listed apart. */
  weak: boolean;
  /** Entry count in each snapshot. */
  entries: number[];
  /** Retained size in each snapshot. */
  retainedSizes: number[];
  path: RetainingPath;
}

export interface LeakReport {
  files: string[];
  /** Leaked candidates before clustering and thresholds. */
  candidateCount: number;
  clusters: LeakCluster[];
  growingContainers: GrowingContainer[];
}

export interface LeakOptions {
  /** Leave out clusters and containers retaining less than this in the final snapshot. */
  minRetained: number;
  /** At most this many clusters and containers each (0 = all). */
  top: number;
  /** Called as each snapshot is loaded and analysed. */
  onSnapshot?: (file: string, index: number) => void;
}

export const DEFAULT_MIN_RETAINED = 100_000;
const STRING_CLASSES = new Set(['(string)', '(concatenated string)', '(sliced string)']);
const EXAMPLE_IDS = 5;

/** The ordinal of `id` in the loaded graph, via its index. */
type Lookup = (id: number) => number;

/**
 * Every container of the final snapshot, followed back through the older ones, in typed
 * arrays: a big heap has millions of Arrays and plain objects.
 */
class ContainerTracks {
  readonly ids: Uint32Array;
  readonly kinds: readonly ContainerKind[] = ['Map', 'Set', 'WeakMap', 'WeakSet', 'Array', 'Object'];
  readonly kindCodes: Uint8Array;
  /** entries[snapshot][track] and retainedSizes[snapshot][track]. */
  readonly entries: Float64Array[];
  readonly retainedSizes: Float64Array[];
  /** Still the same container, growing at every step so far. */
  readonly alive: Uint8Array;

  constructor(final: HeapGraph, snapshots: number) {
    const heap = final.snapshot;
    let count = 0;
    for (let node = 0; node < heap.nodeCount; node++) if (containerKind(heap, node) !== null) count++;
    this.ids = new Uint32Array(count);
    this.kindCodes = new Uint8Array(count);
    for (let node = 0, track = 0; node < heap.nodeCount; node++) {
      const kind = containerKind(heap, node);
      if (kind === null) continue;
      this.ids[track] = heap.nodeIds[node];
      this.kindCodes[track++] = this.kinds.indexOf(kind);
    }
    this.entries = Array.from({ length: snapshots }, () => new Float64Array(count));
    this.retainedSizes = Array.from({ length: snapshots }, () => new Float64Array(count));
    this.alive = new Uint8Array(count).fill(1);
  }

  kind(track: number): ContainerKind {
    return this.kinds[this.kindCodes[track]];
  }

  /** Entry counts and retained sizes in snapshot `index` (snapshots come oldest first). */
  record(graph: HeapGraph, find: Lookup, index: number): void {
    const heap = graph.snapshot;
    const ephemerons = new EphemeronNames(heap);
    for (let track = 0; track < this.ids.length; track++) {
      if (!this.alive[track]) continue;
      const node = find(this.ids[track]);
      const kind = this.kind(track);
      // Gone, or the id now names something else: not the same container.
      if (node < 0 || containerKind(heap, node) !== kind) {
        this.alive[track] = 0;
        continue;
      }
      const entries = countEntries(heap, ephemerons, node, kind);
      this.entries[index][track] = entries;
      this.retainedSizes[index][track] = graph.retainedSizes[node];
      if (index > 0 && !(entries > this.entries[index - 1][track])) this.alive[track] = 0;
    }
  }

  /** Per-snapshot values of one track. */
  series(values: Float64Array[], track: number): number[] {
    return values.map((snapshot) => snapshot[track]);
  }
}

/**
 * Finds leaks across snapshots of one process, oldest first: BASE is the first, FINAL the
 * last, TARGET the one before FINAL (with two snapshots, TARGET is FINAL). Snapshots are
 * loaded one at a time through `load`, told each file's position in `files` (the newest
 * comes first), so memory holds at most two heaps.
 */
export async function findLeaks(files: string[], load: (file: string, index: number) => Promise<HeapGraph>, options: LeakOptions): Promise<LeakReport> {
  if (files.length < 2) throw new Error('findLeaks needs at least two snapshots');
  const last = files.length - 1;
  options.onSnapshot?.(files[last], last);
  const final = await load(files[last], last);
  const finalIds = new IdIndex(final.snapshot);
  const tracks = new ContainerTracks(final, files.length);

  // Older snapshots: the ids of BASE and TARGET, and each tracked container's state.
  let baseIds: Uint32Array | null = null;
  let targetIds: Uint32Array | null = null;
  for (let index = 0; index < last; index++) {
    options.onSnapshot?.(files[index], index);
    const graph = await load(files[index], index);
    const ids = new IdIndex(graph.snapshot);
    if (index === 0) baseIds = ids.sortedIds;
    if (index === last - 1 && last >= 2) targetIds = ids.sortedIds;
    tracks.record(graph, (id) => ids.find(id), index);
  }
  tracks.record(final, (id) => finalIds.find(id), last);

  const candidates = leakCandidates(final, baseIds!, targetIds);
  const finder = PathFinder.of(final);
  const clusters = clusterCandidates(final, finder, candidates)
    .filter((cluster) => cluster.retainedSize >= options.minRetained)
    .sort((a, b) => b.retainedSize - a.retainedSize || b.count - a.count);
  const growing: GrowingContainer[] = [];
  for (let track = 0; track < tracks.ids.length; track++) {
    if (!tracks.alive[track] || tracks.retainedSizes[last][track] < options.minRetained) continue;
    const node = finalIds.find(tracks.ids[track]);
    const kind = tracks.kind(track);
    growing.push({
      id: tracks.ids[track],
      className: final.classes.names[final.classes.classOf[node]],
      kind,
      weak: isWeakContainer(kind),
      entries: tracks.series(tracks.entries, track),
      retainedSizes: tracks.series(tracks.retainedSizes, track),
      path: finder.pathOf(node),
    });
  }
  growing.sort((a, b) => b.retainedSizes[last] - a.retainedSizes[last] || a.id - b.id);
  const cut = <T>(items: T[]) => (options.top > 0 ? items.slice(0, options.top) : items);
  return { files, candidateCount: candidates.length, clusters: cut(clusters), growingContainers: cut(growing) };
}


/** True for what a person does not read as "my objects": V8's internals and numbers. */
function isNoise(graph: HeapGraph, node: number): boolean {
  const heap = graph.snapshot;
  const type = heap.nodeTypes[node];
  const t = heap.nodeType;
  if (type === t.hidden || type === t.code || type === t.objectShape || type === t.number || type === t.synthetic || type === t.array) return true;
  if (graph.shallowSizes[node] === 0) return true;
  return heap.nodeName(node).startsWith('system / ');
}

/**
 * Final-snapshot objects allocated between BASE and TARGET, without noise, and without those
 * owned (dominated) by another candidate: their memory is in that candidate's retained size.
 */
function leakCandidates(final: HeapGraph, baseIds: Uint32Array, targetIds: Uint32Array | null): number[] {
  const heap = final.snapshot;
  const isCandidate = new Uint8Array(heap.nodeCount);
  for (let node = 0; node < heap.nodeCount; node++) {
    const id = heap.nodeIds[node];
    if (sortedPosition(baseIds, id) >= 0) continue;
    if (targetIds !== null && sortedPosition(targetIds, id) < 0) continue;
    if (isNoise(final, node)) continue;
    isCandidate[node] = 1;
  }
  // Walk the dominator tree, keeping whether a candidate is above the current node.
  const { firstChild, children } = final.dominatorTree;
  const kept: number[] = [];
  const stack = new Uint32Array(heap.nodeCount);
  const insideCandidate = new Uint8Array(heap.nodeCount);
  let top = 0;
  stack[top++] = heap.rootOrdinal;
  while (top > 0) {
    const node = stack[--top];
    const inside = insideCandidate[top];
    if (isCandidate[node] && !inside) kept.push(node);
    const below = inside || isCandidate[node];
    for (let i = firstChild[node]; i < firstChild[node + 1]; i++) {
      insideCandidate[top] = below;
      stack[top++] = children[i];
    }
  }
  return kept;
}

function heapEdgeIsConsoleHandle(graph: HeapGraph, edge: number): boolean {
  const heap = graph.snapshot;
  return !heap.edgeHasIndexName(edge) && heap.strings.get(heap.edgeNames[edge]).endsWith(' / DevTools console');
}

/** An edge name with indices and random-looking keys collapsed, so paths of siblings agree. */
function normalizedEdge(graph: HeapGraph, edge: number): string {
  const heap = graph.snapshot;
  const type = heap.edgeTypeName(edge);
  if (heap.edgeHasIndexName(edge)) return `${type}:[]`;
  const name = heap.strings.get(heap.edgeNames[edge]);
  if (/^\d+( \/ .*)?$/.test(name)) return `${type}:{}`;
  if (looksGenerated(name)) return `${type}:*`;
  return `${type}:${name}`;
}

/** Keys made by programs rather than written by people: numbers, ids, hashes, UUIDs. */
function looksGenerated(name: string): boolean {
  if (/^-?\d+(\.\d+)?$/.test(name)) return true;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(name)) return true;
  if (/^[0-9a-f]{12,}$/i.test(name)) return true;
  const digits = name.replace(/\D/g, '').length;
  return name.length >= 6 && digits >= 3 && digits / name.length >= 0.3;
}

/**
 * Groups candidates by the path of holders that keeps them (classes and normalized edges from
 * the root to the candidate's holder), so the keys and the values of one cache share a cluster.
 */
function clusterCandidates(final: HeapGraph, finder: PathFinder, candidates: number[]): LeakCluster[] {
  const heap = final.snapshot;
  const { classOf, names } = final.classes;
  const groups = new Map<string, number[]>();
  for (const node of candidates) {
    const edges = finder.edgesOf(node);
    // Held for the debugger or console ($0, logged values): the tool's doing, not the program's.
    if (edges !== null && edges.some((edge) => heapEdgeIsConsoleHandle(final, edge))) continue;
    let signature = '(unreachable)';
    if (edges !== null) {
      const parts: string[] = [];
      for (let i = 0; i < edges.length; i++) {
        parts.push(normalizedEdge(final, edges[i]));
        if (i < edges.length - 1) parts.push(names[classOf[heap.edgeTargets[edges[i]]]]);
      }
      signature = parts.join('\u0000');
    }
    let group = groups.get(signature);
    if (!group) groups.set(signature, (group = []));
    group.push(node);
  }
  const clusters: LeakCluster[] = [];
  for (const members of groups.values()) {
    members.sort((a, b) => final.retainedSizes[b] - final.retainedSizes[a] || heap.nodeIds[a] - heap.nodeIds[b]);
    const byClass = new Map<string, { className: string; count: number; retainedSize: number }>();
    let retainedSize = 0;
    for (const node of members) {
      const className = names[classOf[node]];
      let entry = byClass.get(className);
      if (!entry) byClass.set(className, (entry = { className, count: 0, retainedSize: 0 }));
      entry.count++;
      entry.retainedSize += final.retainedSizes[node];
      retainedSize += final.retainedSizes[node];
    }
    // A person names a leak by its objects: strings (keys, names) come after any other class.
    const stringsLast = (entry: { className: string }) => (STRING_CLASSES.has(entry.className) ? 1 : 0);
    const classes = [...byClass.values()].sort((a, b) => stringsLast(a) - stringsLast(b) || b.retainedSize - a.retainedSize || b.count - a.count);
    const top = classes[0].className;
    clusters.push({
      className: top,
      count: members.length,
      retainedSize,
      classes,
      path: finder.pathOf(members[0]),
      exampleIds: members.filter((node) => names[classOf[node]] === top).slice(0, EXAMPLE_IDS).map((node) => heap.nodeIds[node]),
    });
  }
  return clusters;
}
