/**
 * leakgraph/commands/summary — the heap grouped by class, as DevTools' Summary view.
 */

import { sortClasses, summarizeClasses, type SummarySort } from '../analysis/summary.js';
import { summaryJson, type SummaryJson, type SummaryReport } from '../render/summary.js';
import { loadGraph, type LoadOptions, type SnapshotSource } from './load.js';
import { checkCount } from './checks.js';

export interface SummaryOptions extends LoadOptions {
  /** The N largest classes (0 = all; default 25). */
  top?: number;
  /** Order of the rows (default 'retained'). */
  sort?: SummarySort;
}

/** Rows of a table by default, as growth, report and allocs show. */
export const SUMMARY_TOP = 20;

/** The summary with everything its text shows (the load's time, classes before the cut). */
export async function summaryReport(source: SnapshotSource, options: SummaryOptions = {}): Promise<SummaryReport> {
  checkCount('summary', 'top', options.top);
  const { graph, file, loadSeconds } = await loadGraph(source, options);
  const sorted = sortClasses(summarizeClasses(graph), options.sort ?? 'retained');
  const top = options.top ?? SUMMARY_TOP;
  return {
    file,
    nodeCount: graph.snapshot.nodeCount,
    edgeCount: graph.snapshot.edgeCount,
    totalSize: graph.totalSize,
    loadSeconds,
    classes: top === 0 ? sorted : sorted.slice(0, top),
    classCount: sorted.length,
  };
}

/** The heap of `source` by class, largest first: what `leakgraph summary --json` prints. */
export async function summary(source: SnapshotSource, options: SummaryOptions = {}): Promise<SummaryJson> {
  return summaryJson(await summaryReport(source, options));
}
