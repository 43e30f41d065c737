/**
 * leakgraph/render/growth — `leakgraph growth` as text and as JSON.
 */

import type { ClassGrowth, SnapshotInfo } from '../analysis/growth.js';
import { formatBytes, formatCount, keyLocation, truncate } from './format.js';
import { renderTable, type Column } from './table.js';

export interface GrowthTextReport {
  files: SnapshotInfo[];
  /** Rows to show, already filtered, sorted and cut. */
  classes: ClassGrowth[];
  /** Rows before the cut to `--top` (after `--min-delta`). */
  matching: number;
  /** Classes with new or deleted objects, before `--min-delta`. */
  changed: number;
  /** The `--min-delta` used. */
  minDelta: number;
}

/** Lines are kept to this width when class names allow. */
const LINE_WIDTH = 100;
const MIN_NAME_WIDTH = 18;
const GREW_MARK = '↑';

/** "+1,600", "-3", "0". */
function signedCount(value: number): string {
  return value > 0 ? `+${formatCount(value)}` : formatCount(value);
}

/** "+115 kB", "-3.20 kB", "0 B". */
function signedBytes(value: number): string {
  return value > 0 ? `+${formatBytes(value)}` : formatBytes(value);
}

export function renderGrowthText(report: GrowthTextReport): string {
  const header = report.files.map((file) => `${file.file}: ${formatCount(file.nodeCount)} nodes, ${formatBytes(file.totalSize)} total`).join('\n');
  if (report.classes.length === 0) {
    const what =
      report.changed === 0
        ? 'No class has new or deleted objects between the first and the last snapshot'
        : `No class changed by ${formatCount(report.minDelta)} objects or more (${formatCount(report.changed)} classes changed; see --min-delta)`;
    return `${header}\n\n${what}.\n`;
  }
  const showMark = report.files.length >= 3;
  // Counts are padded per snapshot so that the arrows line up.
  const snapshotCount = report.files.length;
  const countWidths = Array.from({ length: snapshotCount }, (_, i) => Math.max(...report.classes.map((row) => formatCount(row.counts[i]).length)));
  const countsCell = (row: ClassGrowth) => {
    const counts = row.counts.map((count, i) => formatCount(count).padStart(countWidths[i])).join(' → ');
    return showMark ? `${counts} ${row.grewEveryStep ? GREW_MARK : ' '}` : counts;
  };
  const rest: Column<ClassGrowth>[] = [
    { title: 'Counts', align: 'left', value: countsCell },
    { title: 'New', align: 'right', value: (row) => formatCount(row.new) },
    { title: 'Deleted', align: 'right', value: (row) => formatCount(row.deleted) },
    { title: 'Δ count', align: 'right', value: (row) => signedCount(row.countDelta) },
    { title: 'Alloc.', align: 'right', value: (row) => formatBytes(row.allocSize) },
    { title: 'Freed', align: 'right', value: (row) => formatBytes(row.freedSize) },
    { title: 'Δ size', align: 'right', value: (row) => signedBytes(row.sizeDelta) },
  ];
  // The class name gets whatever the other columns leave of the line.
  const restWidth = Math.max(...renderTable(rest, report.classes).split('\n').map((line) => line.length));
  const nameWidth = Math.max(MIN_NAME_WIDTH, LINE_WIDTH - restWidth - 2);
  const nameCounts = new Map<string, number>();
  for (const row of report.classes) nameCounts.set(row.name, (nameCounts.get(row.name) ?? 0) + 1);
  const className = (row: ClassGrowth) => {
    const suffix = (nameCounts.get(row.name) ?? 0) > 1 ? keyLocation(row.key) : '';
    return truncate(row.name, Math.max(1, nameWidth - suffix.length)) + suffix;
  };
  const table = renderTable<ClassGrowth>([{ title: 'Class', align: 'left', value: className }, ...rest], report.classes);
  const notes: string[] = [];
  if (showMark && report.classes.some((row) => row.grewEveryStep)) notes.push(`${GREW_MARK} grew at every step`);
  if (report.classes.length < report.matching) notes.push(`${report.classes.length} of ${report.matching} classes; --top 0 shows all`);
  const footer = notes.length > 0 ? `\n(${notes.join('; ')})` : '';
  return `${header}\n\n${table}${footer}\n`;
}

export interface GrowthJsonReport {
  files: SnapshotInfo[];
  classes: ClassGrowth[];
}

export function growthJson(report: GrowthJsonReport) {
  return {
    files: report.files.map((file) => file.file),
    classes: report.classes.map((row) => ({
      key: row.key,
      name: row.name,
      counts: row.counts,
      new: row.new,
      deleted: row.deleted,
      countDelta: row.countDelta,
      allocSize: row.allocSize,
      freedSize: row.freedSize,
      sizeDelta: row.sizeDelta,
      grewEveryStep: row.grewEveryStep,
    })),
  };
}

/** What `leakgraph growth --json` prints. */
export type GrowthJson = ReturnType<typeof growthJson>;
