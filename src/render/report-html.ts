/**
 * leakgraph/render/report-html — one self-contained HTML file to attach to a bug report:
 * no scripts, no network, no external assets; diagrams are inline SVG, and every `@id` links
 * to that object's details further down.
 *
 * It leads with the verdict: each leak in one sentence (what, how it grew, held by what, what
 * to cut), then the leaks' pictures, then the evidence (growth, leaks and containers with
 * their paths, the snapshots' statistics, the largest classes, the objects).
 */

import { basename } from 'node:path';
import type { ClassGrowth } from '../analysis/growth.js';
import { holderName, type HeldBy } from '../analysis/holders.js';
import type { GrowingContainer, LeakCluster } from '../analysis/leaks.js';
import type { InspectResult, NodeInfo } from '../analysis/inspect.js';
import type { RetainingPath } from '../analysis/retaining-path.js';
import type { LeakVerdict, ReportData, SnapshotOverview } from '../analysis/report.js';
import type { HeapStatistics } from '../analysis/statistics.js';
import { formatLocation, type ScriptLocation } from '../graph/scripts.js';
import { formatBytes, formatCount, formatDistance, formatEdge, truncate } from './format.js';
import { describeEdge, moduleName } from './path.js';

function escapeHtml(text: string): string {
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
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 1.5em auto; max-width: 1200px; padding: 0 1em; color: #222; }
h1 { font-size: 1.5em; margin: 0 0 0.1em; } h2 { margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; } h3 { margin-bottom: 0.3em; }
.files { margin: 0 0 0.3em; overflow-wrap: anywhere; }
table { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 14px; } .wide { overflow-x: auto; } #overview-table { font-size: 13px; } td.file { white-space: nowrap; } th, td { padding: 0.2em 0.7em; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
th { background: #f6f6f6; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code, .path { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.88em; }
.path { background: #fafafa; border: 1px solid #eee; padding: 0.5em 0.8em; margin: 0.4em 0; list-style: none; }
.path li { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; } .path details { color: #777; } .path summary { cursor: pointer; }
.edge { color: #666; } .muted { color: #6b6b6b; } .grew { color: #c62828; font-weight: bold; }
#verdict h2 { margin-top: 1em; border: 0; }
.verdicts { list-style: none; padding: 0; margin: 0.5em 0 0; }
.verdict { border-left: 4px solid #c62828; background: #fdf3f2; padding: 0.6em 1em; margin: 0 0 0.8em; }
.verdict .sentence { font-size: 1.2em; line-height: 1.45; margin: 0; }
.verdict .what { color: #b71c1c; } .verdict code { font-size: 0.92em; background: #fff; border: 1px solid #ecd3d0; border-radius: 3px; padding: 0 0.2em; }
.verdict .holders { font-size: 1.1em; margin: 0.3em 0 0; padding-left: 1.4em; } .verdict .holders li { margin: 0.15em 0; }
.verdict .cut { font-weight: 600; }
.verdict .more { margin: 0.35em 0 0; font-size: 0.93em; }
.clean { border-left: 4px solid #2e7d32; background: #f1f8f1; padding: 0.6em 1em; font-size: 1.15em; }
.diagram { overflow: auto; width: fit-content; max-width: 100%; max-height: 85vh; border: 1px solid #ddd; margin: 0.5em 0 1.5em; background: #fff; }
.diagram svg { display: block; max-width: none; }
.legend span { display: inline-block; margin-right: 1em; } .swatch { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.3em; vertical-align: -0.05em; }
.object { border-top: 1px solid #eee; padding-top: 0.5em; } :target { background: #fff8d6; }
a { color: #1a5fb4; text-decoration: none; } a:hover { text-decoration: underline; }
`;

function idLink(id: number, known: ReadonlyMap<number, unknown>): string {
  return known.has(id) ? `<a href="#obj-${id}">@${id}</a>` : `@${id}`;
}

function describeNode(node: NodeInfo, known: ReadonlyMap<number, unknown>, location?: ScriptLocation): string {
  if (node.type === 'closure') {
    const where = location ? ` <span class="muted">${escapeHtml(formatLocation(location))}</span>` : '';
    return `${escapeHtml(truncate(node.name || '(anonymous)', 60))}()${where} ${idLink(node.id, known)}`;
  }
  const name = node.name && node.name !== node.className ? ` <span class="muted">${escapeHtml(JSON.stringify(truncate(node.name, 60)))}</span>` : '';
  return `${escapeHtml(truncate(node.className, 60))}${name} ${idLink(node.id, known)}`;
}

function pathList(path: RetainingPath, known: ReadonlyMap<number, unknown>): string {
  if (path.unreachable) return '<p class="muted">No root reaches it (held only by weak references or cycles).</p>';
  const foldAt = new Map(path.folds.map((fold) => [fold.start, fold]));
  const stepItem = (index: number): string => {
    const step = path.steps[index];
    return index === 0 ? describeNode(step.node, known, step.location) : `<span class="edge">› ${escapeHtml(describeEdge(step, path.steps[index - 1].node.id))}</span> ${describeNode(step.node, known, step.location)}`;
  };
  // Steps [from, to) one an item, a folded run as one: its first step, how often it repeats, and where it ends.
  const items = (from: number, to: number): string[] => {
    const lines: string[] = [];
    for (let index = from; index < to; index++) {
      const fold = foldAt.get(index);
      const end = fold ? fold.start + fold.period * fold.times - 1 : index;
      if (fold && end < to) {
        lines.push(`<li>${stepItem(index)} <span class="muted">×${fold.times}${fold.period > 1 ? ` (${fold.period} steps each)` : ''}, to</span> ${describeNode(path.steps[end].node, known, path.steps[end].location)}</li>`);
        index = end;
        continue;
      }
      lines.push(`<li>${stepItem(index)}</li>`);
    }
    return lines;
  };
  // Module state reads from its module, as `leaks` prints it; the steps from a root before it fold away.
  const start = path.readableStart;
  if (start === 0) return `<ol class="path">${items(0, path.steps.length).join('')}</ol>`;
  const before = `<li><details><summary>${start} steps from a root before the module</summary><ol class="path">${items(0, start).join('')}</ol></details></li>`;
  const module = `<li>${escapeHtml(moduleName(path.module))} ${idLink(path.steps[start].node.id, known)}</li>`;
  return `<ol class="path">${before}${module}${items(start + 1, path.steps.length).join('')}</ol>`;
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
    return `<tr><td class="file">${escapeHtml(basename(overview.file))}</td><td class="num">${formatCount(overview.nodeCount)}</td><td class="num">${formatCount(overview.edgeCount)}</td><td class="num">${formatBytes(overview.totalSize)}</td>${cells}</tr>`;
  });
  const bars = overviews.map((overview) => `<div>${statisticsBar(overview.statistics)} <span class="muted">${escapeHtml(basename(overview.file))}</span></div>`).join('');
  const legend = STATISTIC_PARTS.map((part) => `<span><i class="swatch" style="background:${part.color}"></i>${part.label}</span>`).join('');
  return `<h2 id="overview">Snapshots</h2>
<div class="wide"><table id="overview-table"><thead><tr><th>File</th><th class="num">Nodes</th><th class="num">Edges</th><th class="num">Total</th>${STATISTIC_PARTS.map((part) => `<th class="num">${part.label}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>
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

function growthSection(growth: ClassGrowth[], files: string[], dom: boolean): string {
  const rows = growth.map((row) => {
    const grew = row.grewEveryStep && row.counts.length >= 3 ? ' <span class="grew" title="grew at every step">↑</span>' : '';
    return `<tr><td>${escapeHtml(truncate(row.name, 70))}${grew}</td><td>${sparkline(row.counts)}</td><td class="num">${row.counts.map(formatCount).join(' → ')}</td><td class="num">${formatCount(row.new)}</td><td class="num">${formatCount(row.deleted)}</td><td class="num">${signed(row.countDelta, formatCount)}</td><td class="num">${formatBytes(row.allocSize)}</td><td class="num">${formatBytes(row.freedSize)}</td><td class="num">${signed(row.sizeDelta, formatBytes)}</td></tr>`;
  });
  return `<h2 id="growth">What grew</h2>
<p class="muted">Per class, the count in each snapshot (${files.map((file) => escapeHtml(basename(file))).join(', ')}), and between the first and the last by object id, as DevTools' Comparison view; ↑ marks classes that grew at every step. Classes that did not change are left out${dom ? '' : ', and so are Node\'s native objects (<code>Node / …</code>, <code>Detached Node / …</code>): there is no DOM, and Node renumbers them in every snapshot'}.</p>
<table id="growth-table"><thead><tr><th>Class</th><th>Counts</th><th class="num"></th><th class="num">New</th><th class="num">Deleted</th><th class="num">Δ count</th><th class="num">Alloc.</th><th class="num">Freed</th><th class="num">Δ size</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function signed(value: number, format: (value: number) => string): string {
  return value > 0 ? `+${format(value)}` : format(value);
}

/**
 * A phrase of the library (a holder's description, `holderName`) as HTML: `name` in code,
 * `@123` linked to the object when the report has its details.
 */
function phraseHtml(text: string, known: ReadonlyMap<number, unknown>): string {
  return escapeHtml(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/@(\d+)/g, (_, id: string) => idLink(Number(id), known));
}

/**
 * A holder as the verdict and the evidence describe it: the library's description, or for a
 * path only V8's internals hold (no step a program wrote), `holderName(null)` and the end of
 * that path from its last named step (`->detached Array @57359 › [60]`), which tells such
 * ways apart.
 */
function holderPhrase(holder: { path: RetainingPath; heldBy: HeldBy | null }, known: ReadonlyMap<number, unknown>): string {
  if (holder.heldBy) return phraseHtml(holder.heldBy.description, known);
  const steps = holder.path.steps;
  if (steps.length < 2) return escapeHtml(holderName(null));
  let from = Math.max(1, steps.length - 3);
  for (let i = steps.length - 2; i >= 1; i--) {
    if (steps[i].edgeType === 'context' || steps[i].edgeType === 'property') {
      from = i;
      break;
    }
  }
  const tail = steps.slice(from).map((step, k) => {
    const edge = `<code>${escapeHtml(describeEdge(step, steps[from + k - 1].node.id))}</code>`;
    return from + k === steps.length - 1 ? edge : `${edge} ${escapeHtml(truncate(step.node.className, 40))} ${idLink(step.node.id, known)}`;
  });
  return `${escapeHtml(holderName(null))}, through ${tail.join(' › ')}`;
}

/**
 * What a person does to let go of one holder: delete from it, or drop the closure. `named`:
 * the holder was just described, so a closure is "the closure" (with what keeps it).
 */
function cutPhrase(heldBy: HeldBy, known: ReadonlyMap<number, unknown>, named = false): string {
  if (heldBy.owner.kind !== 'closure') return `removing them from ${phraseHtml(holderName(heldBy), known)}`;
  if (!named) return `letting go of ${phraseHtml(holderName(heldBy), known)}`;
  return `letting go of the ${heldBy.owner.bound ? 'bound function' : 'closure'}${heldBy.keptBy?.hint ? ` (${escapeHtml(heldBy.keptBy.hint)})` : ''}`;
}

function arrows(values: readonly number[], format: (value: number) => string): string {
  return values.map(format).join(' → ');
}

/** A container as the verdict names it: the holder whose container it is, else its class and id. */
function containerName(container: GrowingContainer, cluster: LeakCluster | null, known: ReadonlyMap<number, unknown>): string {
  const holder = cluster?.holders.find((entry) => entry.heldBy?.container.id === container.id)?.heldBy;
  return holder ? phraseHtml(holderName(holder), known) : `${escapeHtml(container.className)} ${idLink(container.id, known)}`;
}

/** Entries of a container, or the links of a list. */
function entriesPhrase(container: GrowingContainer): string {
  return container.list ? `linked ${escapeHtml(container.list.className)}` : 'entries';
}

/** One leak in one sentence: what and how it grew, held by what, and what to cut. */
function verdictItem(verdict: LeakVerdict, known: ReadonlyMap<number, unknown>, diagramOf: ReadonlyMap<string, number>): string {
  if (verdict.kind === 'container') {
    const { container, heldBy } = verdict;
    const weak = container.weak ? ` <span class="muted">(a ${escapeHtml(container.className)}: its entries may be collectable)</span>` : '';
    const held = heldBy ? `, held by ${phraseHtml(heldBy.description, known)}` : '';
    const cut = heldBy ? `: <span class="cut">${container.list ? 'unlinking them from' : 'removing entries from'} ${phraseHtml(holderName(heldBy), known)} frees them</span>` : '';
    const picture = diagramOf.get(`container:${container.id}`);
    const more = [`<a href="#container-${container.id}">its path</a>`, ...(picture ? [`<a href="#diagram-${picture}">its picture</a>`] : [])];
    return `<li class="verdict" id="verdict-container-${container.id}"><p class="sentence"><strong class="what">${escapeHtml(container.className)} ${idLink(container.id, known)}</strong>${weak} grew ${arrows(container.entries, formatCount)} ${entriesPhrase(container)}, retaining <strong>${arrows(container.retainedSizes, formatBytes)}</strong>${held}${cut}.</p>
<p class="more muted">${more.join(' · ')}</p></li>`;
  }
  const { cluster, classGrowth, container, number } = verdict;
  // How it grew: the class in every snapshot, else the growing container it is in.
  let grew = '';
  if (classGrowth) grew = ` (all ${escapeHtml(cluster.className)} objects in the snapshots: ${arrows(classGrowth.counts, formatCount)}, retaining ${arrows(classGrowth.retainedSizes, formatBytes)})`;
  else if (container) grew = ` (in ${containerName(container, cluster, known)}: ${arrows(container.entries, formatCount)} ${entriesPhrase(container)}, retaining ${arrows(container.retainedSizes, formatBytes)})`;
  const what = `<strong class="what">${formatCount(cluster.instances)} × ${escapeHtml(cluster.className)}</strong>, retaining <strong>${formatBytes(cluster.retainedSize)}</strong>${grew}`;
  const picture = diagramOf.get(`cluster:${number}`);
  const more = `<p class="more muted"><a href="#cluster-${number}">${cluster.holders.length > 1 ? 'their paths' : 'its path'}</a>${picture ? ` · <a href="#diagram-${picture}">its picture</a>` : ''} · e.g. ${cluster.exampleIds.map((id) => idLink(id, known)).join(' ')}</p>`;
  if (cluster.holders.length > 1) {
    const holders = cluster.holders.map((holder) => `<li>${holderPhrase(holder, known)}</li>`);
    const cutText = cluster.freedByOneCut ? 'each object has one of these holders, and removing it from that one frees it' : 'every holder must let go';
    return `<li class="verdict" id="verdict-${number}"><p class="sentence">${what}, are held ${cluster.holders.length} ways, and <span class="cut">${cutText}</span>:</p>
<ul class="holders">${holders.join('')}</ul>${more}</li>`;
  }
  const held = ` are held by ${holderPhrase({ path: cluster.path, heldBy: cluster.heldBy }, known)}`;
  const cut = cluster.freedByOneCut && cluster.heldBy ? `; one holder: <span class="cut">${cutPhrase(cluster.heldBy, known, true)} frees them</span>` : '';
  return `<li class="verdict" id="verdict-${number}"><p class="sentence">${what},${held}${cut}.</p>${more}</li>`;
}

function verdictSection(data: ReportData): string {
  const leaks = data.leaks;
  const parts = ['<section id="verdict">'];
  if (!leaks) {
    parts.push('<h2>Verdict</h2><p class="clean">One snapshot: what leaks takes two or more snapshots of one process, oldest first. Below are the snapshot\'s statistics and its largest classes.</p>');
  } else if (data.verdicts.length === 0) {
    parts.push('<h2>Verdict: no leak found</h2><p class="clean" id="no-leaks">No leak passes the thresholds: neither a cluster of leaked objects nor a container that grew at every step retains enough (<code>--min-retained</code>).</p>');
  } else {
    const diagramOf = new Map(data.diagrams.map((diagram, i) => [diagram.subject, i + 1]));
    parts.push(`<h2>Verdict: ${data.verdicts.length === 1 ? 'a leak' : `${data.verdicts.length} leaks`}</h2>`);
    parts.push(`<ol class="verdicts">${data.verdicts.map((verdict) => verdictItem(verdict, data.details, diagramOf)).join('\n')}</ol>`);
  }
  if (leaks) parts.push(`<p class="muted">${candidatesPhrase(data)}</p>`);
  parts.push('</section>');
  return parts.join('\n');
}

function candidatesPhrase(data: ReportData): string {
  const leaks = data.leaks!;
  const name = (i: number) => escapeHtml(basename(leaks.files[i]));
  const last = leaks.files.length - 1;
  return `Leaked objects: allocated after ${name(0)}${leaks.files.length >= 3 ? ` and by ${name(last - 1)}` : ''}, still alive in ${name(last)} (${formatCount(leaks.candidateCount)} candidates), grouped by what holds them; containers: the same object in every snapshot, with more entries at every step.`;
}

/** The pictures of the leaks, at their natural size in scrolling boxes. */
function diagramsSection(data: ReportData, svgs: string[]): string {
  if (data.diagrams.length === 0) return '';
  const parts = [`<h2 id="pictures">${data.diagrams.length === 1 ? 'The leak\'s shape' : 'The leaks\' shapes'}</h2>`];
  data.diagrams.forEach((diagram, i) => {
    parts.push(`<h3>${escapeHtml(diagram.title)}</h3><div class="diagram" id="diagram-${i + 1}">${readableSvg(svgs[i])}</div>`);
  });
  return parts.join('\n');
}

/** The evidence of the leaks: each cluster with every holder's path, and the growing containers. */
function leaksSection(data: ReportData): string {
  const leaks = data.leaks!;
  const known = data.details;
  const parts: string[] = ['<h2 id="leaks">What leaks, and how it is held</h2>'];
  if (leaks.clusters.length === 0 && leaks.growingContainers.length === 0) parts.push('<p>No leak passes the thresholds.</p>');
  leaks.clusters.forEach((cluster, i) => {
    const classes = cluster.classes.map((entry) => `${formatCount(entry.count)} ${escapeHtml(entry.className)}`).join(', ');
    const heldBy = cluster.heldBy ? `, held by ${phraseHtml(cluster.heldBy.description, known)}` : '';
    parts.push(`<div class="cluster" id="cluster-${i + 1}"><h3>${i + 1}. ${formatCount(cluster.instances)} × ${escapeHtml(cluster.className)}${heldBy} — ${formatCount(cluster.count)} objects retaining ${formatBytes(cluster.retainedSize)}</h3>
<p class="muted">${classes}. Examples: ${cluster.exampleIds.map((id) => idLink(id, known)).join(' ')}</p>`);
    const holders = cluster.holders.length > 0 ? cluster.holders : [{ path: cluster.path, heldBy: cluster.heldBy }];
    holders.forEach((holder, h) => {
      if (holders.length > 1) parts.push(`<p>${h === 0 ? 'Held' : 'Also held'} by ${holderPhrase(holder, known)}:</p>`);
      parts.push(pathList(holder.path, known));
    });
    if (cluster.holders.length > 1) parts.push(`<p>${cluster.freedByOneCut ? 'Each object has one holder, among' : 'Every holder must let go:'} ${cluster.holders.map((holder) => phraseHtml(holderName(holder.heldBy), known)).join(', ')}.</p>`);
    else if (cluster.freedByOneCut && cluster.heldBy) parts.push(`<p>One holder: ${cutPhrase(cluster.heldBy, known)} frees them.</p>`);
    parts.push('</div>');
  });
  if (leaks.growingContainers.length > 0) {
    parts.push('<h3 id="containers">Containers that grew at every step</h3>');
    const rows = leaks.growingContainers.map(
      (container) =>
        `<tr><td>${escapeHtml(container.className)} ${idLink(container.id, known)}${container.list ? ` <span class="muted">(a list of ${escapeHtml(container.list.className)}: .${escapeHtml(container.list.head)} then .${escapeHtml(container.list.next)})</span>` : ''}${container.weak ? ' <span class="muted">(weak: entries may be collectable)</span>' : ''}</td><td>${sparkline(container.entries)}</td><td class="num">${container.entries.map(formatCount).join(' → ')}</td><td class="num">${container.retainedSizes.map(formatBytes).join(' → ')}</td></tr>`,
    );
    parts.push(`<table id="containers-table"><thead><tr><th>Container</th><th>Entries</th><th class="num"></th><th class="num">Retained</th></tr></thead><tbody>${rows.join('')}</tbody></table>`);
    for (const container of leaks.growingContainers) parts.push(`<div id="container-${container.id}"><p>Path to ${escapeHtml(container.className)} ${idLink(container.id, known)}:</p>${pathList(container.path, known)}</div>`);
  }
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
function inlineSvg(svg: string): string {
  const start = svg.indexOf('<svg');
  return start >= 0 ? svg.slice(start) : svg;
}

/** Smallest label on screen, in CSS pixels. */
export const MIN_LABEL_PX = 10;
const PX_PER_UNIT: Record<string, number> = { '': 1, px: 1, pt: 4 / 3, pc: 16, in: 96, cm: 96 / 2.54, mm: 96 / 25.4 };

/**
 * The SVG inline at its natural size (a scrolling box holds it), made larger when its smallest
 * label would be under MIN_LABEL_PX on screen: Graphviz gives `width`/`height` in points and
 * draws in a `viewBox`, with `font-size`s in its units.
 */
export function readableSvg(svg: string): string {
  const inline = inlineSvg(svg);
  const open = /^<svg\b[^>]*>/.exec(inline);
  if (!open) return inline;
  const tag = open[0];
  const width = /\swidth="([\d.]+)([a-z]*)"/.exec(tag);
  const height = /\sheight="([\d.]+)([a-z]*)"/.exec(tag);
  const viewBox = /\sviewBox="[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)"/.exec(tag);
  const fonts = [...inline.matchAll(/font-size="([\d.]+)(?:px)?"/g)].map((match) => Number(match[1])).filter((size) => size > 0);
  if (!width || !height || !viewBox || fonts.length === 0 || !(width[2] in PX_PER_UNIT) || !(height[2] in PX_PER_UNIT)) return inline;
  const widthPx = Number(width[1]) * PX_PER_UNIT[width[2]];
  const heightPx = Number(height[1]) * PX_PER_UNIT[height[2]];
  // The graph's own scale (Graphviz: transform="scale(1 1) …" on the graph group).
  const scaled = /<g\b[^>]*\bclass="graph"[^>]*\btransform="[^"]*scale\(([\d.]+)/.exec(inline);
  const scale = (widthPx / Number(viewBox[1])) * (scaled ? Number(scaled[1]) : 1);
  const smallest = Math.min(...fonts) * scale;
  const grow = smallest > 0 && smallest < MIN_LABEL_PX ? MIN_LABEL_PX / smallest : 1;
  const sized = tag.replace(width[0], ` width="${(widthPx * grow).toFixed(0)}px"`).replace(height[0], ` height="${(heightPx * grow).toFixed(0)}px"`);
  return sized + inline.slice(tag.length);
}

export function renderReportHtml(data: ReportData, svgs: string[], version: string): string {
  const names = data.files.map((file) => basename(file));
  const title = `leakgraph report: ${names.join(', ')}`;
  // The verdict first, then the leaks' pictures, then the evidence.
  const sections = [verdictSection(data), diagramsSection(data, svgs)];
  if (data.growth) sections.push(growthSection(data.growth, data.files, data.dom));
  if (data.leaks) sections.push(leaksSection(data));
  sections.push(overviewSection(data.overviews));
  sections.push(classesSection(data));
  if (data.details.size > 0) sections.push(detailsSection(data.details));
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><h1>leakgraph report</h1>
<p class="files">${names.map(escapeHtml).join(' → ')}</p>
<p class="muted">Made by leakgraph ${escapeHtml(version)} from ${names.length > 1 ? 'V8 heap snapshots of one process, oldest first' : 'a V8 heap snapshot'}. Sizes are DevTools' shallow and retained sizes; ids (@123) are the snapshot's object ids, as DevTools shows them, and link to the objects' details.</p>
${sections.filter((section) => section !== '').join('\n')}
</body></html>
`;
}
