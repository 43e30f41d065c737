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

import { RUNTIME, USER } from '../graph/code-origin.js';
import type { InterfaceDefinition } from '../graph/classes.js';
import type { HeapGraph } from '../graph/heap-graph.js';
import { presentAmong } from '../graph/id-index.js';
import { readSnapshotFile } from '../snapshot/loader.js';
import { CONTAINER_KINDS, ContainerKinds, isWeakContainer, type ContainerKind } from './containers.js';
import { findFolds, foldedSignature } from './fold.js';
import { findLinkedLists, type LinkedList } from './linked-lists.js';
import { countContainers, olderSnapshotHere, type ListQuery, type OlderSnapshot } from './older-snapshot.js';
import { startOlderSnapshotsThread } from './older-snapshot-thread.js';
import { SameProcessCheck, type SameProcessProblem } from './same-process.js';
import { edgeSource, retainingEdges, type RetainingEdge } from '../graph/retainers.js';
import { heldByOf, holderKey, holderRoutes, MAX_RETAINERS, type HeldBy } from './holders.js';
import { PathFinder, type PhaseTimer, type RetainingPath } from './retaining-path.js';

export interface LeakCluster {
  /**
   * What leaks as a person names it: the program's class whose objects the members keep (the
   * Connection behind a Timeout), else the members' leading class (strings only when alone).
   */
  className: string;
  /** Objects of `className` the cluster keeps. */
  instances: number;
  /** Leaked objects in the cluster (all classes), none owned by another. */
  count: number;
  /** Memory the cluster keeps alive, members owned by other members counted once. */
  retainedSize: number;
  /** Members per class, the program's classes first, then by retained size; strings last. */
  classes: Array<{ className: string; count: number; retainedSize: number }>;
  /** The most common holder's readable path to a `className` object: `holders[0].path`. */
  path: RetainingPath;
  /** The holder a person would name, on `path`. */
  heldBy: HeldBy | null;
  /** Every distinct way the sampled objects are held, the most common first. */
  holders: Array<{ path: RetainingPath; heldBy: HeldBy | null }>;
  /** Each sampled object has a single holder: one cut frees it. Otherwise every holder must let go. */
  freedByOneCut: boolean;
  /** Ids of `className` objects. */
  exampleIds: number[];
}

export interface GrowingContainer {
  id: number;
  className: string;
  /** `List`: a linked list hanging off this object (see `list`); `entries` are its lengths. */
  kind: ContainerKind | 'List';
  /** WeakMap and WeakSet: entries may be collectable, listed apart. */
  weak: boolean;
  /** Entry count in each snapshot. */
  entries: number[];
  /** Retained size in each snapshot. */
  retainedSizes: number[];
  path: RetainingPath;
  /** For a list: the edge to its first element, the edge between elements, and their class. */
  list?: { head: string; next: string; className: string };
}

export interface LeakReport {
  files: string[];
  /** Leaked candidates before clustering and thresholds. */
  candidateCount: number;
  clusters: LeakCluster[];
  growingContainers: GrowingContainer[];
  /** With `force`: why the snapshots may not be one process's, oldest first. */
  sameProcessProblem: SameProcessProblem | null;
}

export interface LeakOptions {
  /** Leave out clusters and containers retaining less than this in the final snapshot. */
  minRetained: number;
  /** At most this many clusters and containers each (0 = all). */
  top: number;
  /** Called as each snapshot is loaded and analysed. */
  onSnapshot?: (file: string, index: number) => void;
  /** Go on when the snapshots may not be one process's, in order (see analysis/same-process). */
  force?: boolean;
  /** Told how long each phase of the analysis of the final snapshot took. */
  onPhaseDone?: PhaseTimer;
  /**
   * How the older snapshots are read (see findLeaks): 'light' (the default) only as far as
   * leaks need, alongside the final one; 'full' through `load`, like the final one.
   */
  older?: 'light' | 'full';
}

export const DEFAULT_MIN_RETAINED = 100_000;
const EXAMPLE_IDS = 5;

/**
 * The containers of the final snapshot that retain at least `minRetained` there (no other can
 * be reported), followed back through the older ones, in typed arrays: a big heap has
 * millions of Arrays and plain objects.
 */
class ContainerTracks {
  readonly ids: Uint32Array;
  /** Each track's node in the final snapshot. */
  readonly nodes: Int32Array;
  readonly kindCodes: Uint8Array;
  /** entries[snapshot][track]; -1 where the container is gone or the id names another kind. */
  readonly entries: Float64Array[];

  constructor(final: HeapGraph, snapshots: number, minRetained: number) {
    const heap = final.snapshot;
    const kinds = new ContainerKinds(heap);
    const tracked = (node: number) => final.retainedSizes[node] >= minRetained && kinds.codeOf(node) >= 0;
    let count = 0;
    for (let node = 0; node < heap.nodeCount; node++) if (tracked(node)) count++;
    this.ids = new Uint32Array(count);
    this.nodes = new Int32Array(count);
    this.kindCodes = new Uint8Array(count);
    for (let node = 0, track = 0; node < heap.nodeCount; node++) {
      if (!tracked(node)) continue;
      const code = kinds.codeOf(node);
      this.ids[track] = heap.nodeIds[node];
      this.nodes[track] = node;
      this.kindCodes[track++] = code;
    }
    this.entries = new Array<Float64Array>(snapshots);
    this.entries[snapshots - 1] = countContainers(heap, this.nodes, this.kindCodes);
  }

  /** Same container in every snapshot, with more entries at every step. */
  private grewAtEveryStep(track: number): boolean {
    for (let index = 0; index < this.entries.length; index++) {
      const entries = this.entries[index][track];
      if (entries < 0 || (index > 0 && !(entries > this.entries[index - 1][track]))) return false;
    }
    return true;
  }

  /** The containers that grew at every step. */
  growing(final: HeapGraph): GrowingTrack[] {
    const found: GrowingTrack[] = [];
    for (let track = 0; track < this.ids.length; track++) {
      const node = this.nodes[track];
      if (!this.grewAtEveryStep(track)) continue;
      const kind = CONTAINER_KINDS[this.kindCodes[track]];
      found.push({
        id: this.ids[track],
        className: final.classes.names[final.classes.classOf[node]],
        kind,
        weak: isWeakContainer(kind),
        entries: this.entries.map((snapshot) => snapshot[track]),
        node,
        finalRetained: final.retainedSizes[node],
      });
    }
    return found;
  }
}

/** A container or list that grew at every step, before its older retained sizes are asked for. */
type GrowingTrack = Omit<GrowingContainer, 'retainedSizes' | 'path'> & { node: number; finalRetained: number };

/**
 * Finds leaks across snapshots of one process, oldest first: BASE is the first, FINAL the
 * last, TARGET the one before FINAL (with two snapshots, TARGET is FINAL).
 *
 * `load` loads a snapshot fully (`loadSnapshot`, or the CLI's loader with its progress line),
 * told each file's position in `files`. By default (`older: 'light'`) it is called for the
 * final snapshot only: the older ones are read by findLeaks itself, in a worker thread while
 * the final one loads (in this thread when workers cannot run, as from TypeScript sources),
 * and only as far as leaks need (analysis/older-snapshot): ids, a fingerprint, container
 * entries and list lengths, and the exact retained sizes of the growing containers shown.
 * With `older: 'full'` every snapshot goes through `load`, the newest first, one at a time
 * (for callers that want every heap anyway, like the report); the results are the same.
 */
export async function findLeaks(files: string[], load: (file: string, index: number) => Promise<HeapGraph>, options: LeakOptions): Promise<LeakReport> {
  if (files.length < 2) throw new Error('findLeaks needs at least two snapshots');
  const last = files.length - 1;
  const full = options.older === 'full';
  const thread = full ? null : startOlderSnapshotsThread(files.slice(0, last), 'leaks');
  const opened: OlderSnapshot[] = [];
  const openOlder = async (index: number): Promise<OlderSnapshot> => {
    const older = await (thread?.snapshots[index] ?? openOlderHere(files[index], full ? () => load(files[index], index) : null));
    opened.push(older);
    return older;
  };
  try {
    return await findLeaksIn(files, load, options, openOlder, !full);
  } finally {
    opened.forEach((older) => older.close());
    thread?.stop();
  }
}

/** An older snapshot in this thread: from its full graph when `loadFully` is given, else only read. */
async function openOlderHere(file: string, loadFully: (() => Promise<HeapGraph>) | null): Promise<OlderSnapshot> {
  if (!loadFully) return olderSnapshotHere(await readSnapshotFile(file));
  const graph = await loadFully();
  return olderSnapshotHere(graph.snapshot, graph);
}

type Timed = <T>(phase: string, work: () => T) => T;

/**
 * The analysis, given the final snapshot's `load` and the older snapshots' `openOlder`. With
 * `pathsFirst` the final snapshot's paths are searched before the older snapshots are waited
 * for (they are being read elsewhere meanwhile).
 */
async function findLeaksIn(
  files: string[],
  load: (file: string, index: number) => Promise<HeapGraph>,
  options: LeakOptions,
  openOlder: (index: number) => Promise<OlderSnapshot>,
  pathsFirst: boolean,
): Promise<LeakReport> {
  const last = files.length - 1;
  const timed: Timed = (phase, work) => {
    const start = performance.now();
    const result = work();
    options.onPhaseDone?.(phase, performance.now() - start);
    return result;
  };
  const sameProcess = new SameProcessCheck(files, { force: options.force === true });
  options.onSnapshot?.(files[last], last);
  const final = await load(files[last], last);
  // The main thread's share while a worker still reads: the final's fingerprint.
  timed('fingerprint', () => sameProcess.add(last, final.snapshot));
  const tracks = timed('containers', () => new ContainerTracks(final, files.length, options.minRetained));
  const lists = timed('linked lists', () => new ListTracks(final, files.length, options.minRetained));
  let finder = pathsFirst ? PathFinder.of(final, options.onPhaseDone) : null;
  // The candidates walk the dominator tree: built now, while a worker may still be reading.
  if (pathsFirst) timed('dominator tree', () => final.dominatorTree);
  const older = await followOlderSnapshots(files, openOlder, sameProcess, { tracks, lists, interfaces: final.interfaces }, options);
  finder ??= PathFinder.of(final, options.onPhaseDone);

  const cut = <T>(items: T[]) => (options.top > 0 ? items.slice(0, options.top) : items);
  const growing = cut([...tracks.growing(final), ...lists.growing(final)].sort((a, b) => b.finalRetained - a.finalRetained || a.id - b.id));
  // Their retained sizes in the older snapshots are worked out there while this thread goes on.
  const olderRetained = Promise.all(older.map((snapshot) => snapshot.retainedSizes(growing.map((track) => track.id))));
  olderRetained.catch(() => undefined);

  // New since BASE; and allocated in the interval the candidates come from (after BASE, by TARGET).
  const finalIds = final.snapshot.nodeIds;
  const inBase = presentAmong(finalIds, older[0].sortedIds);
  const inTarget = last >= 2 ? presentAmong(finalIds, older[last - 1].sortedIds) : null;
  const isNew = (node: number) => inBase[node] === 0;
  const leakedInInterval = (node: number) => inBase[node] === 0 && (inTarget === null || inTarget[node] === 1);
  const candidates = timed('candidates', () => leakCandidates(final, leakedInInterval));
  const shown = clusterCandidates(final, finder, candidates, isNew, leakedInInterval, timed)
    .filter((cluster) => cluster.retainedSize >= options.minRetained)
    .sort((a, b) => b.retainedSize - a.retainedSize || b.count - a.count);
  const clusters = timed('holders', () => programHeldFirst(addHolders(finder, cut(shown), isNew)));
  const start = performance.now();
  const sizes = await olderRetained;
  options.onPhaseDone?.('older retained sizes', performance.now() - start);
  const growingContainers = growing.map(({ node, finalRetained, list, ...track }, i): GrowingContainer => ({
    ...track,
    retainedSizes: [...sizes.map((snapshot) => snapshot[i]), finalRetained],
    path: finder.pathOf(node),
    ...(list ? { list } : {}),
  }));
  return { files, candidateCount: candidates.length, clusters, growingContainers, sameProcessProblem: sameProcess.problem };
}

/** Each older snapshot in turn, oldest first: its fingerprint checked, its containers' entries and lists' lengths recorded. */
async function followOlderSnapshots(
  files: string[],
  openOlder: (index: number) => Promise<OlderSnapshot>,
  sameProcess: SameProcessCheck,
  { tracks, lists, interfaces }: { tracks: ContainerTracks; lists: ListTracks; interfaces: InterfaceDefinition[] },
  options: LeakOptions,
): Promise<OlderSnapshot[]> {
  const older: OlderSnapshot[] = [];
  for (let index = 0; index < files.length - 1; index++) {
    options.onSnapshot?.(files[index], index);
    const start = performance.now();
    const snapshot = await openOlder(index);
    older.push(snapshot);
    sameProcess.addFingerprint(index, snapshot.fingerprint);
    const counts = await snapshot.counts(tracks.ids, tracks.kindCodes, lists.queries, interfaces);
    options.onPhaseDone?.('older snapshots', performance.now() - start);
    tracks.entries[index] = counts.entries;
    lists.record(counts.lengths, index);
  }
  return older;
}

/** The linked lists of the final snapshot whose holder retains at least `minRetained` there, followed back through the older ones. */
class ListTracks {
  private readonly lists: LinkedList[];
  /** What the older snapshots are asked about: each list's holder id and links. */
  readonly queries: ListQuery[];
  /** lengths[track][snapshot]; -1 where the holder is gone. */
  private readonly lengths: number[][];

  constructor(final: HeapGraph, snapshots: number, minRetained: number) {
    this.lists = findLinkedLists(final).filter((list) => final.retainedSizes[list.holder] >= minRetained);
    this.queries = this.lists.map(({ head, next, className, holder }) => ({ head, next, className, holderId: final.snapshot.nodeIds[holder] }));
    this.lengths = this.lists.map((list) => {
      const series = new Array<number>(snapshots).fill(0);
      series[snapshots - 1] = list.length;
      return series;
    });
  }

  /** Lengths in older snapshot `index`. */
  record(lengths: Float64Array, index: number): void {
    this.lengths.forEach((series, track) => (series[index] = lengths[track]));
  }

  /** Lists whose holder is in every snapshot, longer at every step. */
  growing(final: HeapGraph): GrowingTrack[] {
    const found: GrowingTrack[] = [];
    this.lists.forEach((list, track) => {
      const lengths = this.lengths[track];
      const grew = lengths.every((length, index) => length >= 0 && (index === 0 || length > lengths[index - 1]));
      if (!grew) return;
      found.push({
        id: this.queries[track].holderId,
        className: final.classes.names[final.classes.classOf[list.holder]],
        kind: 'List',
        weak: false,
        entries: lengths,
        node: list.holder,
        finalRetained: final.retainedSizes[list.holder],
        list: { head: list.head, next: list.next, className: list.className },
      });
    });
    return found;
  }
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
function leakCandidates(final: HeapGraph, leakedInInterval: (node: number) => boolean): number[] {
  const heap = final.snapshot;
  const isCandidate = new Uint8Array(heap.nodeCount);
  for (let node = 0; node < heap.nodeCount; node++) {
    if (leakedInInterval(node) && !isNoise(final, node)) isCandidate[node] = 1;
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

/**
 * Groups candidates by how they are held: the nearest holder on their path that is not itself
 * leaked (it was in BASE), named by its class and the edge into it, then the folded steps from
 * it down to the candidate. So the keys and the values of one cache share a cluster, and so do
 * the 600 Timeouts of one timer list however deep each sits in it.
 */
function clusterCandidates(
  final: HeapGraph,
  finder: PathFinder,
  candidates: number[],
  isNew: (node: number) => boolean,
  leakedInInterval: (node: number) => boolean,
  timed: <T>(phase: string, work: () => T) => T,
): UnheldCluster[] {
  const groups = timed('folded clusters', () => {
    const byHolder = new Map<string, number[]>();
    for (const node of candidates) {
      const { edges, complete } = finder.tailEdges(node, MAX_TAIL);
      // Held for the debugger or console ($0, logged values): the tool's doing, not the program's.
      if (complete && edges.some((edge) => heapEdgeIsConsoleHandle(final, edge))) continue;
      const signature = edges.length === 0 ? '(unreachable)' : holderSignature(finder, edges, complete, isNew);
      let group = byHolder.get(signature);
      if (!group) byHolder.set(signature, (group = []));
      group.push(node);
    }
    return byHolder;
  });
  return timed('names', () => describeClusters(final, finder, groups, leakedInInterval));
}

/** Each group of candidates as a cluster: what it is, what holds it, how much it keeps. */
function describeClusters(final: HeapGraph, finder: PathFinder, groups: Map<string, number[]>, leakedInInterval: (node: number) => boolean): UnheldCluster[] {
  const heap = final.snapshot;
  const { classOf, names } = final.classes;
  const subjects = new SubjectFinder(final, finder, leakedInInterval);
  const clusters: UnheldCluster[] = [];
  for (const members of groups.values()) {
    members.sort((a, b) => final.retainedSizes[b] - final.retainedSizes[a] || heap.nodeIds[a] - heap.nodeIds[b]);
    const byClass = new Map<string, { className: string; count: number; retainedSize: number; tier: number }>();
    let retainedSize = 0;
    for (const node of members) {
      const className = names[classOf[node]];
      let entry = byClass.get(className);
      if (!entry) byClass.set(className, (entry = { className, count: 0, retainedSize: 0, tier: subjects.tier(node) }));
      entry.count++;
      entry.retainedSize += final.retainedSizes[node];
      retainedSize += final.retainedSizes[node];
    }
    // A person names a leak by its objects: the program's classes first, strings (keys) last.
    const classes = [...byClass.values()].sort((a, b) => b.tier - a.tier || b.retainedSize - a.retainedSize || b.count - a.count);
    const subject = subjects.of(members, classes[0].className);
    clusters.push({
      className: subject.className,
      instances: subject.nodes.length,
      count: members.length,
      retainedSize,
      classes: classes.map(({ className, count, retainedSize }) => ({ className, count, retainedSize })),
      exampleIds: subject.nodes.slice(0, EXAMPLE_IDS).map((node) => heap.nodeIds[node]),
      subjects: subject.nodes,
    });
  }
  return clusters;
}

/** A cluster before its holders are looked for (only the clusters shown get them). */
type UnheldCluster = Omit<LeakCluster, 'path' | 'heldBy' | 'holders' | 'freedByOneCut'> & { subjects: number[] };

/** Whether no holder of the cluster is the program's: only the runtime's own code and V8's internals keep it. */
export function heldOnlyByRuntime(cluster: Pick<LeakCluster, 'holders'>): boolean {
  return cluster.holders.every((holder) => holder.heldBy === null);
}

/**
 * Clusters a program holds first, by size; then those only the runtime holds (a runtime that
 * loads its own modules lazily, as Deno does, leaves such objects between snapshots).
 */
function programHeldFirst(clusters: LeakCluster[]): LeakCluster[] {
  return [...clusters.filter((cluster) => !heldOnlyByRuntime(cluster)), ...clusters.filter(heldOnlyByRuntime)];
}

/** Holders of the clusters shown, with one pass over the edges for all their sampled objects. */
function addHolders(finder: PathFinder, clusters: UnheldCluster[], leaked: (node: number) => boolean): LeakCluster[] {
  const samples = clusters.map((cluster) => cluster.subjects.slice(0, HOLDER_SAMPLE));
  const retainers = retainingEdges(finder.graph.snapshot, samples.flat(), MAX_RETAINERS);
  return clusters.map(({ subjects, ...cluster }, i) => ({ ...cluster, ...describeHolders(finder, subjects[0], samples[i], retainers, leaked) }));
}

/**
 * The holder part of a cluster key (see clusterCandidates), from the last steps of a path
 * (`edges`, the whole path when `complete`). A holder inside a folded run (an old Timeout in a
 * timer list that also holds new ones) gives way to the run's own holder; with no old holder in
 * a long path's last steps, the class at their top stands for it, so that the elements of a long
 * chain share one key without a walk of the whole chain each.
 */
function holderSignature(finder: PathFinder, edges: number[], complete: boolean, isNew: (node: number) => boolean): string {
  const heap = finder.graph.snapshot;
  const { classOf, names } = finder.graph.classes;
  const tokens = finder.stepTokens(edges);
  let holder = edges.length - 2;
  while (holder >= 0 && isNew(heap.edgeTargets[edges[holder]])) holder--;
  // Latest fold first: moving the holder before one fold may move it into an earlier one.
  for (const fold of findFolds(tokens).reverse()) {
    if (holder >= fold.start && holder < fold.start + fold.period * fold.times) holder = fold.start - 1;
  }
  const tail = tokens.slice(holder + 1);
  const tailClasses = edges.slice(holder + 1).map((edge) => names[classOf[heap.edgeTargets[edge]]]);
  const folds = findFolds(tail);
  const last = folds.at(-1);
  // The last step's class is left out (unless folded), so a Map's keys and values share a cluster.
  if (!last || last.start + last.period * last.times < tail.length) tail[tail.length - 1] = beforeClass(tail[tail.length - 1]);
  const above = holder >= 0 ? tokens[holder] : complete ? '(root)' : `(deep) ${names[classOf[edgeSource(heap, edges[0])]]}`;
  return `${above}\u0001${foldedSignature(tail, tailClasses, folds)}`;
}

/** A step's token without the class part (from its U+0000 on). */
function beforeClass(token: string): string {
  const classAt = token.indexOf('\u0000');
  return classAt < 0 ? token : token.slice(0, classAt);
}

/** Steps of a candidate's path looked at for its holder: a chain's elements need no more. */
const MAX_TAIL = 64;
/** Objects of a cluster whose holders are sampled (each costs a few path walks). */
const HOLDER_SAMPLE = 12;

/**
 * The cluster's holders: the distinct ways its sampled objects are held, the most common
 * first, with what a person would name as the holder, and whether one cut frees them.
 */
function describeHolders(
  finder: PathFinder,
  first: number,
  sample: number[],
  retainers: Map<number, RetainingEdge[]>,
  leaked: (node: number) => boolean,
): Pick<LeakCluster, 'path' | 'heldBy' | 'holders' | 'freedByOneCut'> {
  const found = new Map<string, { node: number; edges: number[]; heldBy: HeldBy | null; objects: number }>();
  let freedByOneCut = true;
  for (const node of sample) {
    const keys = new Set<string>();
    for (const route of holderRoutes(finder, node, retainers.get(node)!)) {
      const heldBy = heldByOf(finder, route.edges, leaked);
      const key = holderKey(heldBy, route);
      if (keys.has(key)) continue;
      keys.add(key);
      const known = found.get(key);
      if (known) known.objects++;
      else found.set(key, { node, edges: route.edges, heldBy, objects: 1 });
    }
    if (keys.size !== 1) freedByOneCut = false;
  }
  if (found.size === 0) return { path: finder.pathOf(first), heldBy: null, holders: [], freedByOneCut: false };
  const holders = [...found.values()]
    .sort((a, b) => b.objects - a.objects)
    .map((holder) => ({ path: finder.pathAlong(holder.node, holder.edges), heldBy: holder.heldBy }));
  return { path: holders[0].path, heldBy: holders[0].heldBy, holders, freedByOneCut };
}

/**
 * What a cluster is about: the objects of the program's own classes that its members keep (a
 * Timeout's Connection, a listener's Order), found as the outermost such objects in the
 * members' dominator subtrees, counting those allocated in the same interval as the candidates
 * (the head of a linked list dominates the nodes added after TARGET too); without any, the
 * members of the cluster's leading class.
 */
class SubjectFinder {
  private readonly stack: Uint32Array;
  /** Per stack slot: the class of the program-class object above it, or -1. */
  private readonly within: Int32Array;

  constructor(
    private readonly graph: HeapGraph,
    private readonly finder: PathFinder,
    private readonly leakedInInterval: (node: number) => boolean,
  ) {
    this.stack = new Uint32Array(graph.snapshot.nodeCount);
    this.within = new Int32Array(graph.snapshot.nodeCount);
  }

  /** 3: the program's classes; 2: builtins and plain objects; 1: the runtime's classes and functions; 0: strings. */
  tier(node: number): number {
    const heap = this.graph.snapshot;
    const type = heap.nodeTypes[node];
    const origin = this.finder.origins.origin[node];
    if (type === heap.nodeType.object) {
      if (heap.nodeName(node).startsWith('system / ')) return 0;
      return origin === USER ? 3 : origin === RUNTIME ? 1 : 2;
    }
    if (type === heap.nodeType.closure || type === heap.nodeType.regexp) return 1;
    return 0;
  }

  of(members: number[], leadingClass: string): { className: string; nodes: number[] } {
    const { classOf, names } = this.graph.classes;
    const found: number[] = [];
    for (const member of members) this.collect(member, found);
    if (found.length === 0) return { className: leadingClass, nodes: members.filter((node) => names[classOf[node]] === leadingClass) };
    const byClass = new Map<string, number>();
    for (const node of found) byClass.set(names[classOf[node]], (byClass.get(names[classOf[node]]) ?? 0) + 1);
    const className = [...byClass.entries()].sort((a, b) => b[1] - a[1])[0][0];
    return { className, nodes: found.filter((node) => names[classOf[node]] === className) };
  }

  /**
   * The outermost program-class objects at or below `member` in the dominator tree, and below
   * each of them the objects of its own class (a chain of configs, a hand-written list).
   */
  private collect(member: number, found: number[]): void {
    const { firstChild, children } = this.graph.dominatorTree;
    const classOf = this.graph.classes.classOf;
    const stack = this.stack;
    const within = this.within;
    let top = 0;
    stack[top] = member;
    within[top++] = -1;
    while (top > 0) {
      const node = stack[--top];
      let inside = within[top];
      if (inside < 0 ? this.tier(node) === 3 && this.leakedInInterval(node) : classOf[node] === inside && this.leakedInInterval(node)) {
        found.push(node);
        inside = classOf[node];
      }
      for (let i = firstChild[node + 1] - 1; i >= firstChild[node]; i--) {
        stack[top] = children[i];
        within[top++] = inside;
      }
    }
  }
}
