/**
 * leakgraph/render/summary — `leakgraph summary` as text and as JSON.
 */

import type { ClassSummary } from '../analysis/summary.js';
import { formatBytes, formatCount, formatDistance, jsonDistance, keyLocation, truncate } from './format.js';
import { renderTable } from './table.js';

export interface SummaryReport {
  file: string;
  nodeCount: number;
  edgeCount: number;
  totalSize: number;
  loadSeconds: number;
  /** Rows to show, already sorted and cut. */
  classes: ClassSummary[];
  /** Number of classes before the cut. */
  classCount: number;
}

const NAME_WIDTH = 60;

export function renderSummaryText(report: SummaryReport): string {
  const header = `${report.file}: ${formatCount(report.nodeCount)} nodes, ${formatCount(report.edgeCount)} edges, ${formatBytes(report.totalSize)} total, loaded in ${report.loadSeconds.toFixed(2)} s`;
  const nameCounts = new Map<string, number>();
  for (const row of report.classes) nameCounts.set(row.name, (nameCounts.get(row.name) ?? 0) + 1);
  const className = (row: ClassSummary) => {
    const suffix = (nameCounts.get(row.name) ?? 0) > 1 ? keyLocation(row.key) : '';
    return truncate(row.name, NAME_WIDTH - suffix.length) + suffix;
  };
  const table = renderTable<ClassSummary>(
    [
      { title: 'Class', align: 'left', value: className },
      { title: 'Count', align: 'right', value: (row) => formatCount(row.count) },
      { title: 'Shallow', align: 'right', value: (row) => formatBytes(row.shallowSize) },
      { title: 'Retained', align: 'right', value: (row) => formatBytes(row.retainedSize) },
      { title: 'Distance', align: 'right', value: (row) => formatDistance(row.distance) },
    ],
    report.classes,
  );
  const footer = report.classes.length < report.classCount ? `\n(${report.classes.length} of ${report.classCount} classes; --top 0 shows all)` : '';
  return `${header}\n\n${table}${footer}\n`;
}

/** What `leakgraph summary --json` prints. */
export interface SummaryJson {
  file: string;
  nodeCount: number;
  edgeCount: number;
  totalSize: number;
  classes: Array<{ key: string; name: string; count: number; shallowSize: number; retainedSize: number; distance: number }>;
}

export function summaryJson(report: SummaryReport): SummaryJson {
  return {
    file: report.file,
    nodeCount: report.nodeCount,
    edgeCount: report.edgeCount,
    totalSize: report.totalSize,
    classes: report.classes.map((row) => ({
      key: row.key,
      name: row.name,
      count: row.count,
      shallowSize: row.shallowSize,
      retainedSize: row.retainedSize,
      distance: jsonDistance(row.distance),
    })),
  };
}
