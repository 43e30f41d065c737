/**
 * leakgraph/render/report-html — one self-contained HTML file to attach to a bug report:
 * no scripts, no network, no external assets; diagrams are inline SVG, and every `@id` links
 * to that object's details further down.
 */

import { basename } from 'node:path';
import type { ClassGrowth } from '../analysis/growth.js';
import type { InspectResult, NodeInfo } from '../analysis/inspect.js';
import type { RetainingPath } from '../analysis/path.js';
import type { ReportData, SnapshotOverview } from '../analysis/report.js';
import type { HeapStatistics } from '../analysis/statistics.js';
import { shortScriptName } from '../graph/scripts.js';
import { formatBytes, formatCount, formatDistance, formatEdge, truncate } from './format.js';
import { describeEdge } from './path.js';

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const STATISTIC_PARTS: Array<{ key: keyof HeapStatistics; label: string; color: string }> = [
  { key: 'code', label: 'Code', color: '#f4b400' },
  { key: 'strings', label: 'Strings', color: '#db4437' },
  { key: 'jsArrays', label: 'JS arrays', color: '#4285f4' },
  { key: 'typedArrays', label: 'Typed arrays', color: '#0f9d58' },
  { key: 'system', label: 'System objects', color: '#9e9e9e' },
  { key: 'otherJs', label: 'Other JS objects', color: '#ab47bc' },
  { key: 'otherNative', label: 'Other non-JS objects', color: '#00acc1' },
];

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1200px; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; } h3 { margin-bottom: 0.3em; }
table { border-collapse: collapse; margin: 0.5em 0 1em; } th, td { padding: 0.2em 0.7em; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
th { background: #f6f6f6; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code, .path { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.path { background: #fafafa; border: 1px solid #eee; padding: 0.5em 0.8em; margin: 0.4em 0; list-style: none; }
.path li { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.edge { color: #666; } .muted { color: #777; } .grew { color: #c62828; font-weight: bold; }
.diagram { overflow: auto; border: 1px solid #ddd; margin: 0.5em 0 1.5em; background: #fff; }
.diagram svg { display: block; max-width: 100%; height: auto; }
.legend span { display: inline-block; margin-right: 1em; } .swatch { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.3em; vertical-align: -0.05em; }
.object { border-top: 1px solid #eee; padding-top: 0.5em; } :target { background: #fff8d6; }
a { color: #1a5fb4; text-decoration: none; } a:hover { text-decoration: underline; }
`;

function idLink(id: number, known: ReadonlyMap<number, unknown>): string {
  return known.has(id) ? `<a href="#obj-${id}">@${id}</a>` : `@${id}`;
}

function describeNode(node: NodeInfo, known: ReadonlyMap<number, unknown>, location?: { script: string; line: number; column: number }): string {
  if (node.type === 'closure') {
    const where = location ? ` <span class="muted">${escapeHtml(`${shortScriptName(location.script)}:${location.line}:${location.column}`)}</span>` : '';
    return `${escapeHtml(truncate(node.name || '(anonymous)', 60))}()${where} ${idLink(node.id, known)}`;
  }
  const name = node.name && node.name !== node.className ? ` <span class="muted">${escapeHtml(JSON.stringify(truncate(node.name, 60)))}</span>` : '';
  return `${escapeHtml(truncate(node.className, 60))}${name} ${idLink(node.id, known)}`;
}

function pathList(path: RetainingPath, known: ReadonlyMap<number, unknown>): string {
  if (path.unreachable) return '<p class="muted">No root reaches it (held only by weak references or cycles).</p>';
  const foldAt = new Map(path.folds.map((fold) => [fold.start, fold]));
  const items: string[] = [];
  for (let index = 0; index < path.steps.length; index++) {
    const step = path.steps[index];
    const edge = index === 0 ? '' : `<span class="edge">› ${escapeHtml(describeEdge(step, path.steps[index - 1].node.id))}</span> `;
    const fold = foldAt.get(index);
    if (fold) {
      // A folded run: its first step, how often it repeats, and where it ends.
      const end = fold.start + fold.period * fold.times - 1;
      items.push(`<li>${edge}${describeNode(step.node, known, step.location)} <span class="muted">×${fold.times}${fold.period > 1 ? ` (${fold.period} steps each)` : ''}, to</span> ${describeNode(path.steps[end].node, known, path.steps[end].location)}</li>`);
      index = end;
      continue;
    }
    items.push(`<li>${edge}${describeNode(step.node, known, step.location)}</li>`);
  }
  return `<ol class="path">${items.join('')}</ol>`;
}

/** A horizontal bar of the statistics parts, in DevTools' categories. */
function statisticsBar(statistics: HeapStatistics): string {
  const width = 600;
  let x = 0;
  const rects = STATISTIC_PARTS.map((part) => {
    const value = Math.max(0, statistics[part.key]);
    const w = statistics.total > 0 ? (value / statistics.total) * width : 0;
    const rect = `<rect x="${x.toFixed(2)}" y="0" width="${w.toFixed(2)}" height="18" fill="${part.color}"><title>${escapeHtml(`${part.label}: ${formatBytes(value)}`)}</title></rect>`;
    x += w;
    return rect;
  });
  return `<svg class="bar" width="${width}" height="18" viewBox="0 0 ${width} 18" role="img" aria-label="heap statistics">${rects.join('')}</svg>`;
}

function overviewSection(overviews: SnapshotOverview[]): string {
  const rows = overviews.map((overview) => {
    const s = overview.statistics;
    const cells = STATISTIC_PARTS.map((part) => `<td class="num">${formatBytes(s[part.key])}</td>`).join('');
    return `<tr><td>${escapeHtml(basename(overview.file))}</td><td class="num">${formatCount(overview.nodeCount)}</td><td class="num">${formatCount(overview.edgeCount)}</td><td class="num">${formatBytes(overview.totalSize)}</td>${cells}</tr>`;
  });
  const bars = overviews.map((overview) => `<div>${statisticsBar(overview.statistics)} <span class="muted">${escapeHtml(basename(overview.file))}</span></div>`).join('');
  const legend = STATISTIC_PARTS.map((part) => `<span><i class="swatch" style="background:${part.color}"></i>${part.label}</span>`).join('');
  return `<h2 id="overview">Snapshots</h2>
<table id="overview-table"><thead><tr><th>File</th><th class="num">Nodes</th><th class="num">Edges</th><th class="num">Total</th>${STATISTIC_PARTS.map((part) => `<th class="num">${part.label}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>
${bars}<p class="legend">${legend}</p>`;
}

/** Counts across snapshots drawn small. */
function sparkline(counts: number[]): string {
  const width = 80;
  const height = 18;
  const max = Math.max(...counts, 1);
  const min = Math.min(...counts, 0);
  const span = max - min || 1;
  const points = counts.map((count, i) => `${((i / Math.max(1, counts.length - 1)) * (width - 4) + 2).toFixed(1)},${(height - 2 - ((count - min) / span) * (height - 4)).toFixed(1)}`);
  return `<svg class="spark" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${counts.join(' → ')}"><polyline points="${points.join(' ')}" fill="none" stroke="#1a5fb4" stroke-width="1.5"/></svg>`;
}

function growthSection(growth: ClassGrowth[], files: string[]): string {
  const rows = growth.map((row) => {
    const grew = row.grewEveryStep && row.counts.length >= 3 ? ' <span class="grew" title="grew at every step">↑</span>' : '';
    return `<tr><td>${escapeHtml(truncate(row.name, 70))}${grew}</td><td>${sparkline(row.counts)}</td><td class="num">${row.counts.map(formatCount).join(' → ')}</td><td class="num">${formatCount(row.new)}</td><td class="num">${formatCount(row.deleted)}</td><td class="num">${signed(row.countDelta, formatCount)}</td><td class="num">${formatBytes(row.allocSize)}</td><td class="num">${formatBytes(row.freedSize)}</td><td class="num">${signed(row.sizeDelta, formatBytes)}</td></tr>`;
  });
  return `<h2 id="growth">What grew</h2>
<p class="muted">Per class, the count in each snapshot (${files.map((file) => escapeHtml(basename(file))).join(', ')}), and between the first and the last by object id, as DevTools' Comparison view; ↑ marks classes that grew at every step.</p>
<table id="growth-table"><thead><tr><th>Class</th><th>Counts</th><th class="num"></th><th class="num">New</th><th class="num">Deleted</th><th class="num">Δ count</th><th class="num">Alloc.</th><th class="num">Freed</th><th class="num">Δ size</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function signed(value: number, format: (value: number) => string): string {
  return value > 0 ? `+${format(value)}` : format(value);
}

function leaksSection(data: ReportData, svgs: string[]): string {
  const leaks = data.leaks!;
  const known = data.details;
  const parts: string[] = ['<h2 id="leaks">What leaks</h2>'];
  parts.push(`<p class="muted">Objects allocated after ${escapeHtml(basename(leaks.files[0]))}${leaks.files.length >= 3 ? ` and by ${escapeHtml(basename(leaks.files[leaks.files.length - 2]))}` : ''} that are still alive in ${escapeHtml(basename(leaks.files[leaks.files.length - 1]))} (${formatCount(leaks.candidateCount)} candidates), grouped by what holds them.</p>`);
  if (leaks.clusters.length === 0 && leaks.growingContainers.length === 0) parts.push('<p id="no-leaks">No leak passes the thresholds.</p>');
  leaks.clusters.forEach((cluster, i) => {
    const classes = cluster.classes.map((entry) => `${formatCount(entry.count)} ${escapeHtml(entry.className)}`).join(', ');
    const heldBy = cluster.heldBy ? `, held by ${escapeHtml(cluster.heldBy.description)}` : '';
    parts.push(`<div class="cluster"><h3>${i + 1}. ${formatCount(cluster.instances)} × ${escapeHtml(cluster.className)}${heldBy} — ${formatCount(cluster.count)} objects retaining ${formatBytes(cluster.retainedSize)}</h3>
<p class="muted">${classes}. Examples: ${cluster.exampleIds.map((id) => idLink(id, known)).join(' ')}</p>${pathList(cluster.path, known)}</div>`);
  });
  if (leaks.growingContainers.length > 0) {
    parts.push('<h3 id="containers">Containers that grew at every step</h3>');
    const rows = leaks.growingContainers.map(
      (container) =>
        `<tr><td>${escapeHtml(container.className)} ${idLink(container.id, known)}${container.weak ? ' <span class="muted">(weak: entries may be collectable)</span>' : ''}</td><td>${sparkline(container.entries)}</td><td class="num">${container.entries.map(formatCount).join(' → ')}</td><td class="num">${container.retainedSizes.map(formatBytes).join(' → ')}</td></tr>`,
    );
    parts.push(`<table id="containers-table"><thead><tr><th>Container</th><th>Entries</th><th class="num"></th><th class="num">Retained</th></tr></thead><tbody>${rows.join('')}</tbody></table>`);
    for (const container of leaks.growingContainers) parts.push(`<p>Path to ${escapeHtml(container.className)} ${idLink(container.id, known)}:</p>${pathList(container.path, known)}`);
  }
  data.diagrams.forEach((diagram, i) => {
    parts.push(`<h3>${escapeHtml(diagram.title)}</h3><div class="diagram" id="diagram-${i + 1}">${svgs[i]}</div>`);
  });
  return parts.join('\n');
}

function classesSection(data: ReportData): string {
  const rows = data.topClasses.map(
    (row) => `<tr><td>${escapeHtml(truncate(row.name, 70))}</td><td class="num">${formatCount(row.count)}</td><td class="num">${formatBytes(row.shallowSize)}</td><td class="num">${formatBytes(row.retainedSize)}</td><td class="num">${formatDistance(row.distance)}</td></tr>`,
  );
  return `<h2 id="classes">Largest classes in ${escapeHtml(basename(data.files[data.files.length - 1]))}</h2>
<table id="classes-table"><thead><tr><th>Class</th><th class="num">Count</th><th class="num">Shallow</th><th class="num">Retained</th><th class="num">Distance</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function detailsSection(details: Map<number, InspectResult>): string {
  const parts = ['<h2 id="objects">Objects</h2>'];
  for (const [id, object] of details) {
    const references = object.references.map((ref) => `<tr><td><code>${escapeHtml(formatEdge(ref.edgeType, ref.edgeName))}</code></td><td class="num">${formatBytes(ref.to.retainedSize)}</td><td>${describeNode(ref.to, details)}</td></tr>`);
    const retainers = object.retainers.map((ret) => `<tr><td>${describeNode(ret.from, details)}</td><td><code>${escapeHtml(formatEdge(ret.edgeType, ret.edgeName))}</code></td></tr>`);
    parts.push(`<div class="object" id="obj-${id}"><h3>${escapeHtml(truncate(object.className, 70))} @${id}</h3>
<p>${escapeHtml(object.type)}${object.name && object.name !== object.className ? `, ${escapeHtml(JSON.stringify(truncate(object.name, 80)))}` : ''}; shallow ${formatBytes(object.selfSize)}, retained ${formatBytes(object.retainedSize)}, distance ${formatDistance(object.distance)}; dominated by ${object.dominators[0] ? describeNode(object.dominators[0], details) : '—'}</p>
<table><thead><tr><th>References (${formatCount(object.referenceCount)})</th><th class="num">Retained</th><th></th></tr></thead><tbody>${references.join('')}</tbody></table>
<table><thead><tr><th>Retainers (${formatCount(object.retainerCount)})</th><th></th></tr></thead><tbody>${retainers.join('')}</tbody></table></div>`);
  }
  return parts.join('\n');
}

/** Strips the XML prologue of Graphviz's SVG so it can sit inside HTML. */
export function inlineSvg(svg: string): string {
  const start = svg.indexOf('<svg');
  return start >= 0 ? svg.slice(start) : svg;
}

export function renderReportHtml(data: ReportData, svgs: string[], version: string): string {
  const title = `leakgraph report: ${data.files.map((file) => basename(file)).join(', ')}`;
  const sections = [overviewSection(data.overviews)];
  if (data.growth) sections.push(growthSection(data.growth, data.files));
  if (data.leaks) sections.push(leaksSection(data, svgs.map(inlineSvg)));
  sections.push(classesSection(data));
  if (data.details.size > 0) sections.push(detailsSection(data.details));
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(title)}</h1>
<p class="muted">Made by leakgraph ${escapeHtml(version)} from V8 heap snapshots. Sizes are DevTools' shallow and retained sizes; ids (@123) are the snapshot's object ids, as DevTools shows them.</p>
${sections.join('\n')}
</body></html>
`;
}
