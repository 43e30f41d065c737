/**
 * leakgraph/render/leaks — `leakgraph leaks` as text and as JSON.
 */

import { basename } from 'node:path';
import type { LeakReport } from '../analysis/leaks.js';
import { formatBytes, formatCount } from './format.js';
import { jsonPath, pathLines } from './path.js';

export function renderLeaksText(report: LeakReport, minRetained: number, full: boolean): string {
  const files = report.files.map((file) => basename(file));
  const final = files[files.length - 1];
  const target = files.length >= 3 ? files[files.length - 2] : final;
  const lines: string[] = [];
  lines.push(`Leak candidates in ${final}: ${formatCount(report.candidateCount)} objects allocated after ${files[0]}${target !== final ? ` and by ${target}` : ''}, still alive.`);
  const strong = report.growingContainers.filter((container) => !container.weak);
  const weak = report.growingContainers.filter((container) => container.weak);
  if (report.clusters.length === 0 && report.growingContainers.length === 0) {
    lines.push('', `No leak retaining ${formatBytes(minRetained)} or more (--min-retained).`);
    return `${lines.join('\n')}\n`;
  }
  if (report.clusters.length > 0) {
    lines.push('', `Leaked objects, by what holds them (retaining ${formatBytes(minRetained)} or more):`);
    report.clusters.forEach((cluster, i) => {
      const others = cluster.classes.slice(1, 4).map((entry) => `${formatCount(entry.count)} ${entry.className}`);
      const more = cluster.classes.length > 4 ? `, ${cluster.classes.length - 4} more classes` : '';
      const main = cluster.classes[0];
      lines.push('', `${i + 1}. ${formatCount(main.count)} × ${cluster.className}${others.length ? ` (with ${others.join(', ')}${more})` : ''}: ${formatCount(cluster.count)} objects retaining ${formatBytes(cluster.retainedSize)}`);
      lines.push(...pathLines(cluster.path, full, '     '));
      lines.push(`     e.g. ${cluster.exampleIds.map((id) => `@${id}`).join(' ')}`);
    });
  }
  const containerSection = (title: string, containers: typeof strong) => {
    if (containers.length === 0) return;
    lines.push('', title);
    containers.forEach((container, i) => {
      const entries = container.entries.map(formatCount).join(' → ');
      const sizes = container.retainedSizes.map(formatBytes).join(' → ');
      lines.push('', `${i + 1}. ${container.className} @${container.id}: ${entries} entries, retaining ${sizes}`);
      lines.push(...pathLines(container.path, full, '     '));
    });
  };
  containerSection('Containers that grew at every step:', strong);
  containerSection('WeakMaps and WeakSets that grew at every step (their entries may be collectable):', weak);
  return `${lines.join('\n')}\n`;
}

export function renderLeaksJson(report: LeakReport): string {
  return `${JSON.stringify(
    {
      files: report.files,
      clusters: report.clusters.map((cluster) => ({
        className: cluster.className,
        count: cluster.count,
        retainedSize: cluster.retainedSize,
        path: jsonPath(cluster.path),
        exampleIds: cluster.exampleIds,
        classes: cluster.classes,
      })),
      growingContainers: report.growingContainers.map((container) => ({
        id: container.id,
        className: container.className,
        weak: container.weak,
        entries: container.entries,
        retainedSizes: container.retainedSizes,
        path: jsonPath(container.path),
      })),
    },
    null,
    2,
  )}\n`;
}
