/**
 * leakgraph/analysis/report — everything a bug report needs from snapshots of one process,
 * each snapshot loaded once: overviews and statistics, growth, leaks, the diagrams of the top
 * leaks and the details of every object the report names.
 */

import type { HeapGraph } from '../graph/heap-graph.js';
import type { InterfaceDefinition } from '../graph/classes.js';
import { IdIndex } from '../graph/id-index.js';
import { classCounts, classInstances, computeGrowth, sortGrowth, type ClassGrowth, type ClassInstances } from './growth.js';
import { inspectNode, type InspectResult } from './inspect.js';
import { findLeaks, type LeakReport } from './leaks.js';
import { PathFinder, type RetainingPath } from './path.js';
import { backrefGraph, type RefGraph } from './refgraph.js';
import { heapStatistics, type HeapStatistics } from './statistics.js';
import { sortClasses, summarizeClasses, type ClassSummary } from './summary.js';

export interface SnapshotOverview {
  file: string;
  nodeCount: number;
  edgeCount: number;
  totalSize: number;
  statistics: HeapStatistics;
}

export interface ReportDiagram {
  title: string;
  graph: RefGraph;
}

export interface ReportData {
  files: string[];
  overviews: SnapshotOverview[];
  /** Largest classes of the last snapshot. */
  topClasses: ClassSummary[];
  /** Classes that changed between the first and the last snapshot (null with one file). */
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
  /** Start objects per diagram. */
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
  const last = files.length - 1;

  // Every snapshot passes through here once: the newest first (its shapes classify the rest).
  const loadOnce = async (file: string, index: number): Promise<HeapGraph> => {
    const graph = await load(file, final?.interfaces);
    overviews[index] = { file, nodeCount: graph.snapshot.nodeCount, edgeCount: graph.snapshot.edgeCount, totalSize: graph.totalSize, statistics: heapStatistics(graph) };
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
    leaks = await findLeaks(files, loadOnce, { minRetained: options.minRetained, top: options.top, force: options.force });
  } else {
    await loadOnce(files[0], 0);
  }
  const finalGraph = final as HeapGraph | null;
  if (!finalGraph) throw new Error('report: the newest snapshot was not loaded');
  const growth =
    files.length >= 2
      ? sortGrowth(computeGrowth(firstInstances!, middleCounts.slice(1, last), lastInstances!), 'count').slice(0, options.top)
      : null;

  const ids = new IdIndex(finalGraph.snapshot);
  const finder = PathFinder.of(finalGraph);
  const diagrams: ReportDiagram[] = [];
  for (const cluster of leaks?.clusters.slice(0, DIAGRAMS) ?? []) {
    const starts = cluster.exampleIds.slice(0, options.diagramObjects).map((id) => ids.find(id));
    diagrams.push({ title: `What retains the leaked ${cluster.className} objects`, graph: backrefGraph(finalGraph, starts, finder) });
  }
  if (diagrams.length === 0 && leaks?.growingContainers.length) {
    const container = leaks.growingContainers[0];
    diagrams.push({ title: `What retains the growing ${container.className} @${container.id}`, graph: backrefGraph(finalGraph, [ids.find(container.id)], finder) });
  }

  // Details for every object the report names: path steps, examples, containers.
  const linked = new Set<number>();
  const addPath = (path: RetainingPath) => path.steps.forEach((step) => linked.add(step.node.id));
  for (const cluster of leaks?.clusters ?? []) {
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
    overviews,
    topClasses: sortClasses(summarizeClasses(finalGraph), 'retained').slice(0, options.top),
    growth,
    leaks,
    diagrams,
    details,
  };
}
