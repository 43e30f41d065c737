/**
 * leakgraph/render/timeline-svg — a recorded timeline as an SVG chart: memory over time (heap
 * used, heap total, RSS, children's RSS), the moments snapshots were taken, and dashed
 * least-squares trend lines with their slopes in the legend (as `mprof plot --slope`).
 *
 * Plain SVG 1.1 written by hand; the same timeline always gives the same bytes.
 */

import type { MemorySample, Timeline, Trend, TrendSeries } from '../live/timeline.js';
import { formatBytes } from './format.js';

export interface TimelineSvgOptions {
  /** Chart title (default: the command that was recorded). */
  title?: string;
  /** Pixels (default 960 × 540). */
  width?: number;
  height?: number;
  /** The lines to draw (default all: heap used, heap total, RSS, and children's RSS if sampled). */
  series?: readonly TimelineSeries[];
}

export type TimelineSeries = 'heapUsed' | 'heapTotal' | 'rss' | 'childrenRss';
export const TIMELINE_SERIES: readonly TimelineSeries[] = ['heapUsed', 'heapTotal', 'rss', 'childrenRss'];

type Series = TimelineSeries;

const SERIES: Array<{ key: Series; label: string; color: string }> = [
  { key: 'rss', label: 'RSS', color: '#d62728' },
  { key: 'childrenRss', label: 'children RSS', color: '#2ca02c' },
  { key: 'heapTotal', label: 'heap total', color: '#9ecae1' },
  { key: 'heapUsed', label: 'heap used', color: '#1f77b4' },
];
const TRENDS: Array<{ key: TrendSeries; label: string; color: string }> = [
  { key: 'heapUsed', label: 'heap used trend', color: '#1f77b4' },
  { key: 'rss', label: 'RSS trend', color: '#d62728' },
];
const MARKER_COLOR = '#7f7f7f';
const AXIS_COLOR = '#333333';
const GRID_COLOR = '#e5e5e5';

/** Renders the timeline as an SVG document. */
export function renderTimelineSvg(timeline: Timeline, options: TimelineSvgOptions = {}): string {
  const width = options.width ?? 960;
  const height = options.height ?? 540;
  const plot = { left: 84, right: width - 28, top: 64, bottom: height - 108 };
  const plotWidth = plot.right - plot.left;
  const plotHeight = plot.bottom - plot.top;
  const samples = timeline.samples;
  const hasChildren = samples.some((sample) => sample.childrenRss !== undefined);
  const wanted = options.series ?? TIMELINE_SERIES;
  const series = SERIES.filter((entry) => wanted.includes(entry.key) && (entry.key !== 'childrenRss' || hasChildren));

  // Axes: time from the start; memory from zero.
  const lastT = Math.max(timeline.duration, ...samples.map((sample) => sample.t), ...timeline.snapshots.map((snapshot) => snapshot.t), 1000) / 1000;
  const minutes = lastT > 600;
  const timeUnit = minutes ? 60 : 1;
  const xStep = niceStep(lastT / timeUnit, 8);
  // A recording of 4.001 s gets an axis to 4 s, not 5 (the last millisecond is clipped).
  const xMax = Math.max(1, Math.ceil(lastT / timeUnit / xStep - 0.01)) * xStep * timeUnit;
  let yTop = 0;
  for (const sample of samples) for (const entry of series) yTop = Math.max(yTop, sample[entry.key] ?? 0);
  const yUnit = yTop >= 1e9 ? { size: 1e9, name: 'GB' } : yTop >= 1e6 ? { size: 1e6, name: 'MB' } : { size: 1e3, name: 'kB' };
  const yStep = niceStep(Math.max(yTop, 1) / yUnit.size, 6);
  const yMax = Math.max(1, Math.ceil(yTop / yUnit.size / yStep - 1e-9)) * yStep * yUnit.size;
  const x = (seconds: number) => plot.left + (seconds / xMax) * plotWidth;
  const y = (bytes: number) => plot.bottom - (bytes / yMax) * plotHeight;

  const out: string[] = [];
  const title = options.title ?? (timeline.command.length > 0 ? `leakgraph record: ${timeline.command.join(' ')}` : 'leakgraph timeline');
  const subtitle = [
    timeline.pid ? `pid ${timeline.pid}` : '',
    `${samples.length} samples${timeline.interval ? ` every ${timeline.interval} ms` : ''}`,
    `${timeline.snapshots.length} snapshot${timeline.snapshots.length === 1 ? '' : 's'}`,
    `${num(timeline.duration / 1000)} s`,
  ].filter(Boolean).join(', ');
  out.push(
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12" role="img">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<defs><clipPath id="plot-area"><rect x="${plot.left}" y="${plot.top}" width="${plotWidth}" height="${plotHeight}"/></clipPath></defs>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(truncate(title, 110))}</text>`,
    `<text x="${width / 2}" y="40" text-anchor="middle" fill="#555555">${escapeXml(subtitle)}</text>`,
  );

  // Grid, ticks and labels.
  out.push('<g class="grid" stroke-width="1">');
  for (let value = 0; value <= xMax / timeUnit + 1e-9; value += xStep) {
    const px = num(x(value * timeUnit));
    out.push(`<line x1="${px}" y1="${plot.top}" x2="${px}" y2="${plot.bottom}" stroke="${GRID_COLOR}"/>`);
    out.push(`<line x1="${px}" y1="${plot.bottom}" x2="${px}" y2="${plot.bottom + 5}" stroke="${AXIS_COLOR}"/>`);
    out.push(`<text x="${px}" y="${plot.bottom + 19}" text-anchor="middle" stroke="none">${tickLabel(value, xStep)}</text>`);
  }
  for (let value = 0; value <= yMax / yUnit.size + 1e-9; value += yStep) {
    const py = num(y(value * yUnit.size));
    out.push(`<line x1="${plot.left}" y1="${py}" x2="${plot.right}" y2="${py}" stroke="${GRID_COLOR}"/>`);
    out.push(`<line x1="${plot.left - 5}" y1="${py}" x2="${plot.left}" y2="${py}" stroke="${AXIS_COLOR}"/>`);
    out.push(`<text x="${plot.left - 8}" y="${num(y(value * yUnit.size) + 4)}" text-anchor="end" stroke="none">${tickLabel(value, yStep)}</text>`);
  }
  out.push('</g>');
  out.push(`<rect x="${plot.left}" y="${plot.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="${AXIS_COLOR}"/>`);
  out.push(`<text x="${num(plot.left + plotWidth / 2)}" y="${plot.bottom + 38}" text-anchor="middle">time (${minutes ? 'min' : 's'})</text>`);
  out.push(`<text x="18" y="${num(plot.top + plotHeight / 2)}" text-anchor="middle" transform="rotate(-90 18 ${num(plot.top + plotHeight / 2)})">memory (${yUnit.name})</text>`);

  // Snapshot moments, with a band for the time each took (the program is paused, no samples).
  out.push(`<g class="snapshot-durations" fill="${MARKER_COLOR}" fill-opacity="0.12" stroke="none" clip-path="url(#plot-area)">`);
  for (const snapshot of timeline.snapshots) {
    const bandWidth = x((snapshot.t + (snapshot.duration ?? 0)) / 1000) - x(snapshot.t / 1000);
    if (bandWidth >= 0.5) out.push(`<rect x="${num(x(snapshot.t / 1000))}" y="${plot.top}" width="${num(bandWidth)}" height="${plotHeight}"/>`);
  }
  out.push('</g>');
  out.push(`<g class="snapshots" stroke="${MARKER_COLOR}" stroke-width="1" stroke-dasharray="2 3">`);
  timeline.snapshots.forEach((snapshot, i) => {
    const px = num(x(snapshot.t / 1000));
    out.push(`<line x1="${px}" y1="${plot.top}" x2="${px}" y2="${plot.bottom}"><title>${escapeXml(`${snapshot.file} at ${num(snapshot.t / 1000)} s`)}</title></line>`);
    out.push(`<text x="${px}" y="${plot.top - 6}" text-anchor="middle" stroke="none" fill="${MARKER_COLOR}">${i + 1}</text>`);
  });
  out.push('</g>');

  // Series, then trend lines over the time the samples span.
  out.push('<g class="series" clip-path="url(#plot-area)" fill="none" stroke-width="1.5" stroke-linejoin="round">');
  if (samples.length === 0) {
    out.push(`<text x="${num(plot.left + plotWidth / 2)}" y="${num(plot.top + plotHeight / 2)}" text-anchor="middle" fill="#555555" stroke="none">no samples</text>`);
  }
  // A line breaks where a snapshot was taken: the program was paused, and not sampled.
  const snapshotTimes = timeline.snapshots.map((snapshot) => snapshot.t);
  for (const entry of series) {
    for (const run of runs(samples.filter((sample) => sample[entry.key] !== undefined), snapshotTimes).map((part) => decimate(part, entry.key, (t) => Math.floor(x(t / 1000))))) {
      const points = run.map((sample) => `${num(x(sample.t / 1000))},${num(y(sample[entry.key] ?? 0))}`).join(' ');
      out.push(`<polyline class="${entry.key}" stroke="${entry.color}" points="${points}"/>`);
    }
  }
  const trendEntries = TRENDS.filter((entry) => wanted.includes(entry.key)).map((entry) => ({ ...entry, trend: timeline.trends[entry.key] })).filter((entry): entry is typeof entry & { trend: Trend } => entry.trend !== null);
  if (samples.length >= 2) {
    const t0 = samples[0].t / 1000;
    const t1 = samples[samples.length - 1].t / 1000;
    for (const entry of trendEntries) {
      const at = (seconds: number) => entry.trend.intercept + entry.trend.slope * seconds;
      out.push(`<line class="${entry.key}-trend" x1="${num(x(t0))}" y1="${num(y(at(t0)))}" x2="${num(x(t1))}" y2="${num(y(at(t1)))}" stroke="${entry.color}" stroke-width="2" stroke-dasharray="8 5"/>`);
    }
  }
  out.push('</g>');

  // Legend, two rows under the axis.
  const legend: Array<{ label: string; color: string; dash?: string; width: number }> = [
    ...series.slice().reverse().map((entry) => ({ label: entry.label, color: entry.color, width: 1.5 })),
    ...(timeline.snapshots.length > 0 ? [{ label: 'snapshot (shaded while taken)', color: MARKER_COLOR, dash: '2 3', width: 1 }] : []),
  ];
  const trendLegend = trendEntries.map((entry) => ({ label: `${entry.label} ${formatRate(entry.trend.slope)}`, color: entry.color, dash: '8 5', width: 2 }));
  out.push('<g class="legend">');
  [legend, trendLegend].forEach((row, rowIndex) => {
    let cursor = plot.left;
    const rowY = plot.bottom + 62 + rowIndex * 22;
    for (const item of row) {
      out.push(`<line x1="${cursor}" y1="${rowY - 4}" x2="${cursor + 24}" y2="${rowY - 4}" stroke="${item.color}" stroke-width="${item.width}"${item.dash ? ` stroke-dasharray="${item.dash}"` : ''}/>`);
      out.push(`<text x="${cursor + 30}" y="${rowY}">${escapeXml(item.label)}</text>`);
      cursor += 30 + textWidth(item.label) + 24;
    }
  });
  out.push('</g>');
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** "+1.23 MB/s", "-512 B/s": a slope in bytes per second. */
export function formatRate(bytesPerSecond: number): string {
  const sign = bytesPerSecond < 0 ? '-' : '+';
  const magnitude = Math.abs(bytesPerSecond);
  return `${sign}${formatBytes(magnitude < 1000 ? Math.round(magnitude) : magnitude)}/s`;
}

/** 1, 2 or 5 × 10^k: a tick step giving about `count` ticks over `span`. */
function niceStep(span: number, count: number): number {
  const raw = span / count;
  if (!(raw > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const normal = raw / magnitude;
  return (normal <= 1 ? 1 : normal <= 2 ? 2 : normal <= 5 ? 5 : 10) * magnitude;
}

/** A tick value with as many decimals as its step needs. */
function tickLabel(value: number, step: number): string {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return value.toFixed(decimals);
}

/** The samples cut wherever one of `cuts` (times) falls between two in a row. */
function runs(samples: MemorySample[], cuts: readonly number[]): MemorySample[][] {
  const result: MemorySample[][] = [];
  for (const sample of samples) {
    const current = result[result.length - 1];
    const previous = current?.[current.length - 1];
    if (current && !cuts.some((cut) => cut >= previous!.t && cut < sample.t)) current.push(sample);
    else result.push([sample]);
  }
  return result;
}

/**
 * At most four points per pixel column (`column` maps a time to it): each column keeps its
 * first, lowest, highest and last sample, so peaks survive.
 */
function decimate(samples: readonly MemorySample[], key: Series, column: (t: number) => number): MemorySample[] {
  const kept: MemorySample[] = [];
  let start = 0;
  while (start < samples.length) {
    const here = column(samples[start].t);
    let end = start;
    let low = start;
    let high = start;
    while (end + 1 < samples.length && column(samples[end + 1].t) === here) {
      end++;
      if (samples[end][key]! < samples[low][key]!) low = end;
      if (samples[end][key]! > samples[high][key]!) high = end;
    }
    for (const index of [...new Set([start, low, high, end])].sort((a, b) => a - b)) kept.push(samples[index]);
    start = end + 1;
  }
  return kept;
}

/** Coordinates with one decimal, without "-0". */
function num(value: number): string {
  const text = (Math.round(value * 10) / 10).toString();
  return text === '-0' ? '0' : text;
}

/** Roughly how wide `text` is at 12 px sans-serif, for laying out the legend. */
function textWidth(text: string): number {
  return Math.ceil(text.length * 6.6);
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

function escapeXml(text: string): string {
  // Characters XML 1.0 does not allow at all are dropped.
  return text
    .replace(/[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
