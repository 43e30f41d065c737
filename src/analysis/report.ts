/**
 * leakgraph/analysis/report — everything a bug report needs from snapshots of one process,
 * each snapshot loaded once: the verdict (each leak with how it grew, its holders and what to
 * cut), overviews and statistics, growth, leaks, the diagrams of the top leaks and the details
 * of every object the report names.
 */

import type { HeapGraph } from '../graph/heap-graph.js';
import type { InterfaceDefinition } from '../graph/classes.js';
import { IdIndex } from '../graph/id-index.js';
import { DOCUMENT_DOM_TREES } from '../graph/roots.js';
import { classCounts, classInstances, computeGrowth, sortGrowth, type ClassGrowth, type ClassInstances } from './growth.js';
import { inspectNode, type InspectResult } from './inspect.js';
import { heldByOf, type HeldBy } from './holders.js';
import { findLeaks, type GrowingContainer, type LeakCluster, type LeakReport } from './leaks.js';
import { objectsOfClass, PathFinder, type RetainingPath } from './retaining-path.js';
import { backrefGraph, type RefGraph } from './diagram-graph.js';
import { heapStatistics, type HeapStatistics } from './statistics.js';
import { sortClasses, summarizeClasses, type ClassSummary } from './summary.js';
import { processFingerprint } from './same-process.js';

export interface SnapshotOverview {
  file: string;
  nodeCount: number;
  edgeCount: number;
  totalSize: number;
  statistics: HeapStatistics;
}

export interface ReportDiagram {
  title: string;
  /** What it draws: `cluster:N` (the Nth cluster, from 1) or `container:ID`. */
  subject: string;
  graph: RefGraph;
}

/**
 * One leak as the report's first screen states it: a cluster (what, how it grew, its holders)
 * or a growing container that no shown cluster's holder paths pass through.
 */
export type LeakVerdict =
  | {
      kind: 'cluster';
      /** Its number among the clusters, from 1. */
      number: number;
      cluster: LeakCluster;
      /** The cluster's class in every snapshot (all its objects, leaked or not), when it changed. */
      classGrowth: { counts: number[]; retainedSizes: number[] } | null;
      /** A growing container on one of its holders' paths (a holder's own container first). */
      container: GrowingContainer | null;
    }
  | {
      kind: 'container';
      container: GrowingContainer;
      /** The holder a person would name for the container itself (null: only the runtime's). */
      heldBy: HeldBy | null;
    };

export interface ReportData {
  files: string[];
  /** Each leak in a sentence's worth of data: clusters first, then uncovered growing containers. */
  verdicts: LeakVerdict[];
  /** The heap has a DOM (a page): `(Document DOM trees)` holds documents, or DOM nodes are detached. */
  dom: boolean;
  overviews: SnapshotOverview[];
  /** Largest classes of the last snapshot. */
  topClasses: ClassSummary[];
  /**
   * Classes that changed between the first and the last snapshot (null with one file), without
   * rows that did not change and, in a heap without a DOM, without the embedder's rows
   * (`Node / …`, `Detached Node / …`).
   */
  growth: ClassGrowth[] | null;
  leaks: LeakReport | null;
  diagrams: ReportDiagram[];
  /** Details of the objects the report links to, by id. */
  details: Map<number, InspectResult>;
}

export interface ReportOptions {
  minRetained: number;
  /** Rows of the growth and class tables; clusters and containers shown. */
  top: number;
  /**
   * Start objects per diagram, at most (0 = all): a cluster's diagram starts from its leaked
   * objects of its class (allocated between the first and the TARGET snapshot), its examples first.
   */
  diagramObjects: number;
  /** References and retainers listed per object detail. */
  detailLimit: number;
  /** Go on when the snapshots may not be one process's, oldest first (see analysis/same-process). */
  force?: boolean;
}

/** Loads a snapshot fully; shape classes as given (the newest snapshot's, for comparisons). */
export type FullLoader = (file: string, interfaces?: InterfaceDefinition[]) => Promise<HeapGraph>;

const DIAGRAMS = 3;

export async function buildReport(files: string[], load: FullLoader, options: ReportOptions): Promise<ReportData> {
  const overviews: SnapshotOverview[] = [];
  let final: HeapGraph | null = null;
  let firstInstances: ClassInstances | null = null;
  let lastInstances: ClassInstances | null = null;
  const middleCounts: ReadonlyMap<string, number>[] = [];
  /** Retained size per class key, in each snapshot. */
  const classRetained: ReadonlyMap<string, number>[] = [];
  /** The largest odd (V8's own) object id of each snapshot: V8 hands them out in increasing order. */
  const maxIds: number[] = [];
  const last = files.length - 1;

  // Every snapshot passes through here once: the newest first (its shapes classify the rest).
  const loadOnce = async (file: string, index: number): Promise<HeapGraph> => {
    const graph = await load(file, final?.interfaces);
    overviews[index] = { file, nodeCount: graph.snapshot.nodeCount, edgeCount: graph.snapshot.edgeCount, totalSize: graph.totalSize, statistics: heapStatistics(graph) };
    classRetained[index] = new Map(graph.classes.keys.map((key, c) => [key, graph.classRetainedSizes[c]]));
    maxIds[index] = processFingerprint(graph.snapshot).maxId;
    if (index === last) {
      final = graph;
      lastInstances = classInstances(graph);
    } else if (index === 0) {
      firstInstances = classInstances(graph);
    } else {
      middleCounts[index] = classCounts(graph);
    }
    return graph;
  };

  let leaks: LeakReport | null = null;
  if (files.length >= 2) {
    leaks = await findLeaks(files, loadOnce, { minRetained: options.minRetained, top: options.top, force: options.force, older: 'full' });
  } else {
    await loadOnce(files[0], 0);
  }
  const finalGraph = final as HeapGraph | null;
  if (!finalGraph) throw new Error('report: the newest snapshot was not loaded');
  const dom = hasDom(finalGraph);
  const allGrowth = files.length >= 2 ? sortGrowth(computeGrowth(firstInstances!, middleCounts.slice(1, last), lastInstances!), 'count') : null;
  const growth = allGrowth?.filter((row) => showGrowthRow(row, dom)).slice(0, options.top) ?? null;

  const ids = IdIndex.of(finalGraph.snapshot);
  const finder = PathFinder.of(finalGraph);
  const containerHolder = (container: GrowingContainer): HeldBy | null => {
    const node = ids.find(container.id);
    const edges = node >= 0 ? finder.edgesOf(node) : null;
    return edges ? heldByOf(finder, edges) : null;
  };
  const verdicts = leaks ? leakVerdicts(leaks, allGrowth ?? [], classRetained, containerHolder) : [];
  const diagrams: ReportDiagram[] = [];
  leaks?.clusters.slice(0, DIAGRAMS).forEach((cluster, i) => {
    const starts = leakedObjects(finalGraph, ids, cluster, leaks!.clusters, maxIds, options.diagramObjects);
    diagrams.push({ title: `What retains the leaked ${cluster.className} objects`, subject: `cluster:${i + 1}`, graph: backrefGraph(finalGraph, starts, finder) });
  });
  if (diagrams.length === 0 && leaks?.growingContainers.length) {
    const container = leaks.growingContainers[0];
    diagrams.push({ title: `What retains the growing ${container.className} @${container.id}`, subject: `container:${container.id}`, graph: backrefGraph(finalGraph, [ids.find(container.id)], finder) });
  }

  // Details for every object the report names: path steps, examples, containers.
  const linked = new Set<number>();
  const addPath = (path: RetainingPath) => path.steps.forEach((step) => linked.add(step.node.id));
  for (const cluster of leaks?.clusters ?? []) {
    cluster.holders.forEach((holder) => addPath(holder.path));
    addPath(cluster.path);
    cluster.exampleIds.forEach((id) => linked.add(id));
  }
  for (const container of leaks?.growingContainers ?? []) addPath(container.path);
  const details = new Map<number, InspectResult>();
  for (const id of [...linked].sort((a, b) => a - b)) {
    const node = ids.find(id);
    if (node >= 0) details.set(id, inspectNode(finalGraph, node, options.detailLimit));
  }

  return {
    files,
    verdicts,
    dom,
    overviews,
    topClasses: sortClasses(summarizeClasses(finalGraph), 'retained').slice(0, options.top),
    growth,
    leaks,
    diagrams,
    details,
  };
}

/**
 * The leaks of the verdict: every cluster shown, with its class's growth row and a growing
 * container its holders go through; then the growing containers no cluster's holder paths
 * pass through, with the holder of each.
 */
function leakVerdicts(
  leaks: LeakReport,
  growth: readonly ClassGrowth[],
  classRetained: readonly ReadonlyMap<string, number>[],
  containerHolder: (container: GrowingContainer) => HeldBy | null,
): LeakVerdict[] {
  const verdicts: LeakVerdict[] = [];
  const covered = new Set<number>();
  leaks.clusters.forEach((cluster, i) => {
    const onPaths = new Set<number>();
    for (const holder of [{ path: cluster.path }, ...cluster.holders]) holder.path.steps.forEach((step) => onPaths.add(step.node.id));
    onPaths.forEach((id) => covered.add(id));
    const holderContainers = new Set(cluster.holders.map((holder) => holder.heldBy?.container.id));
    const containers = leaks.growingContainers.filter((container) => onPaths.has(container.id));
    const container = containers.find((candidate) => holderContainers.has(candidate.id)) ?? containers[0] ?? null;
    // The class's row: by name (a class defined in two places has two rows; the larger growth).
    const row = growth.filter((candidate) => candidate.name === cluster.className).sort((a, b) => b.countDelta - a.countDelta)[0];
    const classGrowth = row ? { counts: row.counts, retainedSizes: classRetained.map((sizes) => sizes.get(row.key) ?? 0) } : null;
    verdicts.push({ kind: 'cluster', number: i + 1, cluster, classGrowth, container });
  });
  for (const container of leaks.growingContainers) {
    if (!covered.has(container.id)) verdicts.push({ kind: 'container', container, heldBy: containerHolder(container) });
  }
  return verdicts;
}

/**
 * A page's heap: its `(Document DOM trees)` holds documents, or some DOM node is detached
 * (Node's embedder objects are `Node / …`, some marked detached, with no DOM behind them).
 */
function hasDom(graph: HeapGraph): boolean {
  const heap = graph.snapshot;
  const root = heap.rootOrdinal;
  for (let edge = heap.firstEdges[root]; edge < heap.firstEdges[root + 1]; edge++) {
    const child = heap.edgeTargets[edge];
    if (heap.nodeTypes[child] === heap.nodeType.synthetic && heap.nodeNameIs(child, DOCUMENT_DOM_TREES) && heap.firstEdges[child + 1] > heap.firstEdges[child]) return true;
  }
  return graph.classes.names.some((name) => name.startsWith('Detached ') && !name.startsWith('Detached Node / '));
}

/** The embedder's (DOM) classes: `Node / …` in Node, `Detached …` in a page. */
function isEmbedderClass(name: string): boolean {
  return name.startsWith('Detached ') || name.startsWith('Node / ');
}

/**
 * Rows of "What grew": not those that did not change; in a heap without a DOM, not the
 * embedder's (`Node / …`, `Detached Node / …`): Node renumbers its native objects in every
 * snapshot, so they all look new and deleted.
 */
function showGrowthRow(row: ClassGrowth, dom: boolean): boolean {
  if (row.countDelta === 0 && row.new === 0 && row.deleted === 0) return false;
  return dom || !isEmbedderClass(row.name);
}

/**
 * The objects a cluster's picture starts from: its examples, then the other objects of its class
 * allocated in the candidates' interval (after the first snapshot, by TARGET: between their
 * largest ids), so that the picture counts what the verdict counts. Only the examples when
 * another cluster has the same class. At most `limit` (0 = all).
 */
export function leakedObjects(graph: HeapGraph, ids: IdIndex, cluster: LeakCluster, clusters: readonly LeakCluster[], maxIds: readonly number[], limit: number): number[] {
  const starts = cluster.exampleIds.map((id) => ids.find(id)).filter((node) => node >= 0);
  const cap = (nodes: number[]) => (limit > 0 ? nodes.slice(0, limit) : nodes);
  if (clusters.filter((other) => other.className === cluster.className).length > 1 || maxIds.length < 2) return cap(starts);
  const after = maxIds[0];
  const by = maxIds[maxIds.length >= 3 ? maxIds.length - 2 : maxIds.length - 1];
  const examples = new Set(starts);
  const nodeIds = graph.snapshot.nodeIds;
  for (const node of objectsOfClass(graph, cluster.className, 0)) {
    if (!examples.has(node) && nodeIds[node] > after && nodeIds[node] <= by) starts.push(node);
  }
  return cap(starts);
}
