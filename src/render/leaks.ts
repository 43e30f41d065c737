/**
 * leakgraph/render/leaks — `leakgraph leaks` as text and as JSON.
 */

import { basename } from 'node:path';
import { holderName, INTERNAL_HOLDER, type HeldBy } from '../analysis/holders.js';
import { heldOnlyByRuntime, type LeakCluster, type LeakReport } from '../analysis/leaks.js';
import { formatBytes, formatCount, listText, plural } from './format.js';
import { jsonPath, pathLines } from './path.js';

export function renderLeaksText(report: LeakReport, minRetained: number, full: boolean): string {
  const files = report.files.map((file) => basename(file));
  const final = files[files.length - 1];
  const target = files.length >= 3 ? files[files.length - 2] : final;
  const lines: string[] = [];
  lines.push(`Leak candidates in ${final}: ${plural(report.candidateCount, 'object')} allocated after ${files[0]}${target !== final ? ` and by ${target}` : ''}, still alive.`);
  const strong = report.growingContainers.filter((container) => !container.weak);
  const weak = report.growingContainers.filter((container) => container.weak);
  if (report.clusters.length === 0 && report.growingContainers.length === 0) {
    lines.push('', `No leak retaining ${formatBytes(minRetained)} or more (--min-retained).`);
    return `${lines.join('\n')}\n`;
  }
  if (report.clusters.length > 0) {
    lines.push('', `Leaked objects, by what holds them (retaining ${formatBytes(minRetained)} or more):`);
    report.clusters.forEach((cluster, i) => lines.push('', ...clusterLines(cluster, i + 1, full)));
  }
  const containerSection = (title: string, containers: typeof strong) => {
    if (containers.length === 0) return;
    lines.push('', title);
    containers.forEach((container, i) => {
      const entries = container.entries.map(formatCount).join(' → ');
      const sizes = container.retainedSizes.map(formatBytes).join(' → ');
      const what = container.list ? `linked ${container.list.className} (.${container.list.head} then .${container.list.next})` : 'entries';
      lines.push('', `${i + 1}. ${container.className} @${container.id}: ${entries} ${what}, retaining ${sizes}`);
      lines.push(...pathLines(container.path, full, '     '));
    });
  };
  containerSection('Containers that grew at every step:', strong);
  containerSection('WeakMaps and WeakSets that grew at every step (their entries may be collectable):', weak);
  return `${lines.join('\n')}\n`;
}

/** One cluster: what leaks and who holds it, its path, its other holders, and what frees it. */
function clusterLines(cluster: LeakCluster, number: number, full: boolean): string[] {
  const shown = cluster.classes.slice(0, 4).map((entry) => `${formatCount(entry.count)} ${entry.className}`);
  const more = cluster.classes.length > 4 ? `, ${cluster.classes.length - 4} more classes` : '';
  const heldBy = cluster.heldBy ? `, held by ${cluster.heldBy.description}` : '';
  const lines = [
    `${number}. ${formatCount(cluster.instances)} × ${cluster.className}${heldBy}`,
    `   ${plural(cluster.count, 'leaked object')} retaining ${formatBytes(cluster.retainedSize)}: ${shown.join(', ')}${more}`,
    ...pathLines(cluster.path, full, '     '),
  ];
  for (const holder of cluster.holders.slice(1, 1 + MAX_OTHER_HOLDERS)) {
    lines.push(`   also held by ${holder.heldBy?.description ?? INTERNAL_HOLDER}:`);
    lines.push(...pathLines(holder.path, full, '     '));
  }
  if (cluster.holders.length > 1 + MAX_OTHER_HOLDERS) lines.push(`   … and ${cluster.holders.length - 1 - MAX_OTHER_HOLDERS} more holders (--json lists them)`);
  const verdict = clusterVerdict(cluster);
  if (verdict !== null) lines.push(`   ${verdict}`);
  lines.push(`   e.g. ${cluster.exampleIds.map((id) => `@${id}`).join(' ')}`);
  return lines;
}

/** What frees a cluster, in one sentence (the text and the explorer say the same); null when nothing can be said. */
export function clusterVerdict(cluster: Pick<LeakCluster, 'holders' | 'heldBy' | 'freedByOneCut'>): string | null {
  const names = listText([...new Set(cluster.holders.map((holder) => holderName(holder.heldBy)))]);
  if (heldOnlyByRuntime(cluster)) return `Held only by the runtime's own code and ${INTERNAL_HOLDER}: not state the program keeps (a runtime that loads its modules lazily leaves such objects).`;
  if (!cluster.freedByOneCut && cluster.holders.length > 1) return `Every holder must let go: ${names}.`;
  if (cluster.holders.length > 1) return `Each object has one holder, among ${names}: removing them from it frees them.`;
  if (cluster.freedByOneCut && cluster.heldBy) return `One holder: ${cutText(cluster.heldBy)} frees them.`;
  return null;
}

/** What a person does to let go: delete from a container, or drop the closure. */
function cutText(heldBy: HeldBy): string {
  return heldBy.owner.kind === 'closure' ? `letting go of ${holderName(heldBy)}` : `removing them from ${holderName(heldBy)}`;
}

/** Other holders shown in full under a cluster. */
const MAX_OTHER_HOLDERS = 3;

export function leaksJson(report: LeakReport) {
  return {
    files: report.files,
    clusters: report.clusters.map((cluster) => ({
      className: cluster.className,
      instances: cluster.instances,
      count: cluster.count,
      retainedSize: cluster.retainedSize,
      path: jsonPath(cluster.path),
      heldBy: cluster.heldBy,
      holders: cluster.holders.map((holder) => jsonPath(holder.path)),
      holderNames: cluster.holders.map((holder) => holder.heldBy),
      freedByOneCut: cluster.freedByOneCut,
      verdict: clusterVerdict(cluster),
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
      ...(container.list ? { list: container.list } : {}),
    })),
  };
}

/** What `leakgraph leaks --json` prints. */
export type LeaksJson = ReturnType<typeof leaksJson>;
