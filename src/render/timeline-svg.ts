/**
 * leakgraph/render/timeline-svg — a recorded timeline as an SVG chart in two panels over one
 * time axis: heap used on top, on an axis fitted to it, with its dashed least-squares trend;
 * below, RSS (with heap total and children's RSS) on an axis of its own, with the RSS trend.
 * Both panels mark the snapshots and shade the time each took; the trends' slopes are in the
 * legends (as `mprof plot --slope`).
 *
 * Heap used is the signal for a JavaScript leak, and it is small next to RSS (which also
 * counts what the snapshots cost): on one shared axis it is drawn flat. Hence its own panel.
 *
 * Plain SVG 1.1 written by hand; the same timeline always gives the same bytes.
 */

import type { MemorySample, Timeline, Trend, TrendSeries } from '../live/timeline.js';
import { formatBytes } from './format.js';

export interface TimelineSvgOptions {
  /** Chart title (default: the command that was recorded). */
  title?: string;
  /** Pixels (default 960 × 600). */
  width?: number;
  height?: number;
  /**
   * The lines to draw (default all: heap used, heap total, RSS, and children's RSS if sampled).
   * Heap used goes in the upper panel, the others in the lower one; a panel left without
   * lines is left out, and the other takes the whole height.
   */
  series?: readonly TimelineSeries[];
}

export type TimelineSeries = 'heapUsed' | 'heapTotal' | 'rss' | 'childrenRss';
export const TIMELINE_SERIES: readonly TimelineSeries[] = ['heapUsed', 'heapTotal', 'rss', 'childrenRss'];

type Series = TimelineSeries;

interface SeriesStyle {
  key: Series;
  label: string;
  color: string;
  width: number;
}

interface PanelSpec {
  id: string;
  /** Drawn in this order: the last on top. */
  series: SeriesStyle[];
  trend: { key: TrendSeries; label: string; color: string };
  /** Share of the height the two panels get together. */
  weight: number;
}

const HEAP_PANEL: PanelSpec = {
  id: 'heap-used',
  series: [{ key: 'heapUsed', label: 'heap used', color: '#1f77b4', width: 2 }],
  trend: { key: 'heapUsed', label: 'heap used trend', color: '#1f77b4' },
  weight: 0.56,
};
const PROCESS_PANEL: PanelSpec = {
  id: 'rss',
  series: [
    { key: 'heapTotal', label: 'heap total', color: '#74a9cf', width: 1.5 },
    { key: 'childrenRss', label: 'children RSS', color: '#2ca02c', width: 1.5 },
    { key: 'rss', label: 'RSS', color: '#d62728', width: 2 },
  ],
  trend: { key: 'rss', label: 'RSS trend', color: '#d62728' },
  weight: 0.44,
};

const MARKER_COLOR = '#7f7f7f';
const AXIS_COLOR = '#333333';
const GRID_COLOR = '#e5e5e5';
const NOTE_COLOR = '#555555';
const TREND_DASH = '8 5';
const SNAPSHOT_DASH = '2 3';
const NOTE_DASH = '\u2014';

/** Font sizes in pixels: 12 px stays above 10 px on screen down to an 800-pixel-wide picture. */
const FONT = 12;
const HEADING_FONT = 13;
const TITLE_FONT = 15;
/** Baseline-to-baseline distance of rows of 12-13 px text. */
const ROW = 18;

interface Axis {
  /** Bottom and top of the axis, in bytes. */
  low: number;
  high: number;
  /** Tick step in `unit`s. */
  step: number;
  unit: { size: number; name: string };
  /** False when the axis starts above zero (said in the panel's heading, and by a break mark). */
  fromZero: boolean;
}

interface LegendItem {
  label: string;
  color: string;
  width: number;
  dash?: string;
}

interface Panel {
  spec: PanelSpec;
  series: SeriesStyle[];
  trend: (PanelSpec['trend'] & { line: Trend }) | null;
  axis: Axis;
  heading: string;
  note: string;
  /** Heading (with the note) and legend laid out in rows: each item's x and row. */
  items: Array<{ x: number; row: number; kind: 'heading' | 'legend'; legend?: LegendItem }>;
  rows: number;
  /** Where the heading starts (its first row's top). */
  headingTop: number;
  top: number;
  bottom: number;
}

/** Renders the timeline as an SVG document. */
export function renderTimelineSvg(timeline: Timeline, options: TimelineSvgOptions = {}): string {
  const width = options.width ?? 960;
  const height = options.height ?? 600;
  const left = 64;
  const right = width - 24;
  const plotWidth = right - left;
  const samples = timeline.samples;
  const hasChildren = samples.some((sample) => sample.childrenRss !== undefined);
  const wanted = options.series ?? TIMELINE_SERIES;
  const snapshots = timeline.snapshots;

  // Time from the start, shared by the panels.
  const lastT = Math.max(timeline.duration, ...samples.map((sample) => sample.t), ...snapshots.map((snapshot) => snapshot.t), 1000) / 1000;
  const minutes = lastT > 600;
  const timeUnit = minutes ? 60 : 1;
  const xStep = niceStep(lastT / timeUnit, clamp(Math.floor(plotWidth / 60), 2, 10));
  // A recording of 4.001 s gets an axis to 4 s, not 5 (the last millisecond is clipped).
  const xMax = Math.max(1, Math.ceil(lastT / timeUnit / xStep - 0.01)) * xStep * timeUnit;
  const x = (seconds: number) => left + (seconds / xMax) * plotWidth;
  const t0 = samples.length > 0 ? samples[0].t / 1000 : 0;
  const t1 = samples.length > 0 ? samples[samples.length - 1].t / 1000 : 0;

  // The panels with something to draw, each with its axis and its heading laid out in rows.
  // Their heights depend on the headings' rows, and how many ticks fit on an axis on its
  // height: laid out again until the ticks stay the same.
  const specs = [HEAP_PANEL, PROCESS_PANEL]
    .map((spec) => ({ spec, series: spec.series.filter((entry) => wanted.includes(entry.key) && (entry.key !== 'childrenRss' || hasChildren)) }))
    .filter((entry) => entry.series.length > 0);
  const makePanel = ({ spec, series }: (typeof specs)[number], ticks: number): Panel => {
    const line = wanted.includes(spec.trend.key) && samples.length >= 2 ? timeline.trends[spec.trend.key] : null;
    const trend = line ? { ...spec.trend, line } : null;
    const values: number[] = [];
    for (const sample of samples) for (const entry of series) if (sample[entry.key] !== undefined) values.push(sample[entry.key]!);
    if (trend) values.push(Math.max(0, trend.line.intercept + trend.line.slope * t0), Math.max(0, trend.line.intercept + trend.line.slope * t1));
    const axis = fitAxis(values, ticks);
    const heading = `${listLabels(series.slice().reverse().map((entry) => entry.label))} (${axis.unit.name})`;
    const note = axis.fromZero ? '' : `axis from ${tickLabel(axis.low / axis.unit.size, axis.step)} ${axis.unit.name}, not 0`;
    const legend: LegendItem[] = [
      ...series.slice().reverse().map((entry) => ({ label: entry.label, color: entry.color, width: entry.width })),
      ...(trend ? [{ label: `${trend.label} ${formatRate(trend.line.slope)}`, color: trend.color, width: 2, dash: TREND_DASH }] : []),
    ];
    const panel: Panel = { spec, series, trend, axis, heading, note, items: [], rows: 0, headingTop: 0, top: 0, bottom: 0 };
    layoutHeading(panel, legend, left, right);
    return panel;
  };

  // Vertical layout: title, then each panel under its heading, then the time axis and the
  // snapshot legend under the last one.
  const headerBottom = 50;
  const numbersRow = snapshots.length > 0 ? 18 : 8;
  const betweenPanels = 14;
  const footer = snapshots.length > 0 ? 70 : 46;
  const layout = (ticks: number[]): Panel[] => {
    const panels = specs.map((entry, i) => makePanel(entry, ticks[i]));
    let fixed = headerBottom + footer;
    panels.forEach((panel, i) => (fixed += panel.rows * ROW + (i === 0 ? numbersRow : 8) + (i > 0 ? betweenPanels : 0)));
    const free = Math.max(40 * panels.length, height - fixed);
    const totalWeight = panels.reduce((sum, panel) => sum + panel.spec.weight, 0);
    let cursor = headerBottom;
    panels.forEach((panel, i) => {
      if (i > 0) cursor += betweenPanels;
      panel.headingTop = cursor;
      cursor += panel.rows * ROW + (i === 0 ? numbersRow : 8);
      panel.top = cursor;
      panel.bottom = Math.round(cursor + (free * panel.spec.weight) / totalWeight);
      cursor = panel.bottom;
    });
    return panels;
  };
  // About one tick every 40 pixels, so that tick labels keep apart.
  const ticksFor = (panels: Panel[]) => panels.map((panel) => clamp(Math.floor((panel.bottom - panel.top) / 40), 2, 6));
  let panels = layout(specs.map(() => 5));
  for (let round = 0; round < 3; round++) {
    const ticks = ticksFor(panels);
    const next = layout(ticks);
    const settled = ticksFor(next).every((count, i) => count === ticks[i]);
    panels = next;
    if (settled) break;
  }
  const plotBottom = panels.length > 0 ? panels[panels.length - 1].bottom : height - footer;

  const out: string[] = [];
  const title = options.title ?? (timeline.command.length > 0 ? `leakgraph record: ${timeline.command.join(' ')}` : 'leakgraph timeline');
  const subtitle = [
    timeline.pid ? `pid ${timeline.pid}` : '',
    `${samples.length} samples${timeline.interval ? ` every ${timeline.interval} ms` : ''}`,
    `${snapshots.length} snapshot${snapshots.length === 1 ? '' : 's'}`,
    `${num(timeline.duration / 1000)} s`,
  ].filter(Boolean).join(', ');
  out.push(
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="${FONT}" role="img">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<defs>${panels.map((panel) => `<clipPath id="clip-${panel.spec.id}"><rect x="${left}" y="${panel.top}" width="${plotWidth}" height="${panel.bottom - panel.top}"/></clipPath>`).join('')}</defs>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="${TITLE_FONT}" font-weight="bold">${escapeXml(fitText(title, width - 16, TITLE_FONT, true))}</text>`,
    `<text x="${width / 2}" y="40" text-anchor="middle" fill="${NOTE_COLOR}">${escapeXml(fitText(subtitle, width - 16, FONT))}</text>`,
  );

  // A line breaks where a snapshot was taken: the program was paused, and not sampled.
  const snapshotTimes = snapshots.map((snapshot) => snapshot.t);
  const timeTicks: number[] = [];
  for (let value = 0; value <= xMax / timeUnit + 1e-9; value += xStep) timeTicks.push(value);

  panels.forEach((panel, index) => {
    const { axis, top, bottom } = panel;
    const y = (bytes: number) => bottom - ((bytes - axis.low) / (axis.high - axis.low)) * (bottom - top);
    const last = index === panels.length - 1;
    out.push(`<g class="panel" id="panel-${panel.spec.id}">`);

    // Heading: what is drawn and in which unit, whether the axis starts above zero, the legend.
    out.push('<g class="heading">');
    for (const item of panel.items) {
      const baseline = panel.headingTop + 14 + item.row * ROW;
      if (item.kind === 'heading') {
        const note = panel.note ? `<tspan class="axis-note" font-size="${FONT}" font-weight="normal" fill="${NOTE_COLOR}"> ${NOTE_DASH} ${escapeXml(panel.note)}</tspan>` : '';
        out.push(`<text x="${item.x}" y="${baseline}" font-size="${HEADING_FONT}" font-weight="bold">${escapeXml(panel.heading)}${note}</text>`);
      } else {
        const legend = item.legend!;
        out.push(`<line x1="${item.x}" y1="${baseline - 4}" x2="${item.x + 24}" y2="${baseline - 4}" stroke="${legend.color}" stroke-width="${legend.width}"${legend.dash ? ` stroke-dasharray="${legend.dash}"` : ''}/>`);
        out.push(`<text x="${item.x + 30}" y="${baseline}">${escapeXml(legend.label)}</text>`);
      }
    }
    out.push('</g>');

    // Grid and ticks: the time ticks in every panel, their labels under the last one.
    out.push('<g class="grid" stroke-width="1">');
    for (const value of timeTicks) {
      const px = num(x(value * timeUnit));
      out.push(`<line x1="${px}" y1="${top}" x2="${px}" y2="${bottom}" stroke="${GRID_COLOR}"/>`);
      out.push(`<line x1="${px}" y1="${bottom}" x2="${px}" y2="${bottom + 5}" stroke="${AXIS_COLOR}"/>`);
      if (last) out.push(`<text class="time-tick" x="${px}" y="${bottom + 18}" text-anchor="middle">${tickLabel(value, xStep)}</text>`);
    }
    const low = axis.low / axis.unit.size;
    const high = axis.high / axis.unit.size;
    for (let i = 0; low + i * axis.step <= high + axis.step * 1e-6; i++) {
      const value = low + i * axis.step;
      const py = num(y(value * axis.unit.size));
      out.push(`<line x1="${left}" y1="${py}" x2="${right}" y2="${py}" stroke="${GRID_COLOR}"/>`);
      out.push(`<line x1="${left - 5}" y1="${py}" x2="${left}" y2="${py}" stroke="${AXIS_COLOR}"/>`);
      out.push(`<text class="memory-tick" x="${left - 8}" y="${num(y(value * axis.unit.size) + 4)}" text-anchor="end">${tickLabel(value, axis.step)}</text>`);
    }
    out.push('</g>');
    out.push(`<rect x="${left}" y="${top}" width="${plotWidth}" height="${bottom - top}" fill="none" stroke="${AXIS_COLOR}"/>`);
    if (!axis.fromZero) {
      // The axis broken just above its foot: it does not start at zero.
      const by = bottom - 9;
      out.push(`<g class="axis-break"><path d="M${left - 6} ${by + 5}L${left + 6} ${by - 1}L${left + 6} ${by + 3}L${left - 6} ${by + 9}Z" fill="#ffffff" stroke="none"/><path d="M${left - 6} ${by + 5}L${left + 6} ${by - 1}M${left - 6} ${by + 9}L${left + 6} ${by + 3}" stroke="${AXIS_COLOR}" fill="none"/></g>`);
    }

    // Snapshot moments, with a band for the time each took (the program is paused, no samples).
    out.push(`<g class="snapshot-durations" fill="${MARKER_COLOR}" fill-opacity="0.15" stroke="none" clip-path="url(#clip-${panel.spec.id})">`);
    for (const snapshot of snapshots) {
      const bandWidth = x((snapshot.t + (snapshot.duration ?? 0)) / 1000) - x(snapshot.t / 1000);
      if (bandWidth >= 0.5) out.push(`<rect x="${num(x(snapshot.t / 1000))}" y="${top}" width="${num(bandWidth)}" height="${bottom - top}"/>`);
    }
    out.push('</g>');
    out.push(`<g class="snapshots" stroke="${MARKER_COLOR}" stroke-width="1" stroke-dasharray="${SNAPSHOT_DASH}">`);
    let lastLabelEnd = -Infinity;
    snapshots.forEach((snapshot, i) => {
      const px = x(snapshot.t / 1000);
      // The file names on hover, once (in the first panel).
      const hover = index === 0 ? `<title>${escapeXml(`${snapshot.file} at ${num(snapshot.t / 1000)} s`)}</title>` : '';
      out.push(`<line x1="${num(px)}" y1="${top}" x2="${num(px)}" y2="${bottom}"${hover ? `>${hover}</line>` : '/>'}`);
      // Numbers above the first panel, as many as fit side by side.
      const label = String(i + 1);
      const half = textWidth(label, FONT) / 2;
      if (index === 0 && px - half >= lastLabelEnd + 4) {
        out.push(`<text class="snapshot-number" x="${num(px)}" y="${top - 5}" text-anchor="middle" stroke="none" fill="${MARKER_COLOR}">${label}</text>`);
        lastLabelEnd = px + half;
      }
    });
    out.push('</g>');

    // The lines, then the trend over the time the samples span.
    out.push(`<g class="series" clip-path="url(#clip-${panel.spec.id})" fill="none" stroke-linejoin="round">`);
    if (samples.length === 0) {
      out.push(`<text x="${num(left + plotWidth / 2)}" y="${num((top + bottom) / 2 + 4)}" text-anchor="middle" fill="${NOTE_COLOR}" stroke="none">no samples</text>`);
    }
    for (const entry of panel.series) {
      for (const run of runs(samples.filter((sample) => sample[entry.key] !== undefined), snapshotTimes).map((part) => decimate(part, entry.key, (t) => Math.floor(x(t / 1000))))) {
        const points = run.map((sample) => `${num(x(sample.t / 1000))},${num(y(sample[entry.key] ?? 0))}`);
        // A sample alone between two snapshots is a dot: a line of one point draws nothing.
        if (points.length === 1) {
          const [cx, cy] = points[0].split(',');
          out.push(`<circle class="${entry.key}" cx="${cx}" cy="${cy}" r="${entry.width}" fill="${entry.color}" stroke="none"/>`);
        } else out.push(`<polyline class="${entry.key}" stroke="${entry.color}" stroke-width="${entry.width}" points="${points.join(' ')}"/>`);
      }
    }
    if (panel.trend) {
      const trend = panel.trend;
      const at = (seconds: number) => trend.line.intercept + trend.line.slope * seconds;
      out.push(`<line class="${trend.key}-trend" x1="${num(x(t0))}" y1="${num(y(at(t0)))}" x2="${num(x(t1))}" y2="${num(y(at(t1)))}" stroke="${trend.color}" stroke-width="2" stroke-dasharray="${TREND_DASH}"/>`);
    }
    out.push('</g>');
    out.push('</g>');
  });

  // Under the last panel: what the time axis counts, and what the snapshot marks mean.
  out.push(`<text x="${num(left + plotWidth / 2)}" y="${plotBottom + 36}" text-anchor="middle">time (${minutes ? 'min' : 's'})</text>`);
  if (snapshots.length > 0) {
    const long = 'snapshot (shaded while taken: the program is paused, not sampled)';
    const room = right - left - 30;
    const label = textWidth(long, FONT) <= room ? long : fitText('snapshot (shaded while taken)', room, FONT);
    out.push('<g class="legend">');
    out.push(`<line x1="${left}" y1="${plotBottom + 54}" x2="${left + 24}" y2="${plotBottom + 54}" stroke="${MARKER_COLOR}" stroke-width="1" stroke-dasharray="${SNAPSHOT_DASH}"/>`);
    out.push(`<text x="${left + 30}" y="${plotBottom + 58}">${escapeXml(label)}</text>`);
    out.push('</g>');
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/**
 * The axis for `values` (bytes): from zero when the values then fill at least half its height;
 * otherwise fitted to them, starting at a round value below the lowest. A fitted axis still
 * spans at least a quarter of its top value, so that a flat, noisy line is not blown up to
 * the whole height.
 */
function fitAxis(values: readonly number[], ticks: number): Axis {
  let min = Infinity;
  let max = 0;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  if (!(max > 0)) return { low: 0, high: 1000, step: 0.2, unit: { size: 1e3, name: 'kB' }, fromZero: true };
  min = Math.max(0, min);
  const unit = max >= 1e9 ? { size: 1e9, name: 'GB' } : max >= 1e6 ? { size: 1e6, name: 'MB' } : { size: 1e3, name: 'kB' };
  const fromZero = max - min >= max / 2;
  const bottom = fromZero ? 0 : Math.min(min, max * 0.75);
  const span = (max - bottom) / unit.size;
  const step = niceStep(span, ticks);
  // A little room above and below the lines, so that none runs along the frame.
  const pad = span * 0.04;
  let low = fromZero ? 0 : Math.max(0, Math.floor((bottom / unit.size - pad) / step + 1e-9)) * step;
  const high = Math.max(low + step, Math.ceil((max / unit.size + pad) / step - 1e-9) * step);
  if (low <= 0) low = 0;
  return { low: low * unit.size, high: high * unit.size, step, unit, fromZero: low === 0 };
}

/**
 * Lays out a panel's heading, its note (when the axis does not start at zero) and its legend
 * from `left` to `right`, left to right, starting a new row where the next would not fit.
 */
function layoutHeading(panel: Panel, legend: LegendItem[], left: number, right: number): void {
  const pieces: Array<{ kind: 'heading' | 'legend'; width: number; legend?: LegendItem }> = [
    { kind: 'heading', width: textWidth(panel.heading, HEADING_FONT, true) + (panel.note ? textWidth(` ${NOTE_DASH} ${panel.note}`, FONT) : 0) },
    ...legend.map((item) => ({ kind: 'legend' as const, width: 30 + textWidth(item.label, FONT), legend: item })),
  ];
  let row = 0;
  let cursor = left;
  for (const piece of pieces) {
    if (cursor > left && cursor + piece.width > right) {
      row++;
      cursor = left;
    }
    panel.items.push({ x: Math.round(cursor), row, kind: piece.kind, legend: piece.legend });
    cursor += piece.width + 22;
  }
  panel.rows = row + 1;
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
  const text = value.toFixed(decimals);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

/** "Heap used", "RSS and heap total", "RSS, children RSS and heap total". */
function listLabels(labels: readonly string[]): string {
  const text = labels.length <= 1 ? (labels[0] ?? '') : `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;
  return text.charAt(0).toUpperCase() + text.slice(1);
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

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/**
 * A generous estimate of how wide `text` is in a sans-serif font of `size` pixels (wider than
 * DejaVu Sans and Liberation Sans measure), so that laid-out labels never touch.
 */
function textWidth(text: string, size: number, bold = false): number {
  let ems = 0;
  for (const char of text) {
    if (char === ' ') ems += 0.32;
    else if ('mwMW'.includes(char)) ems += 0.92;
    else if ('fijlrt'.includes(char)) ems += 0.4;
    else if (/[a-z]/.test(char)) ems += 0.6;
    else if (/[A-Z]/.test(char)) ems += 0.76;
    else if (/[0-9]/.test(char)) ems += 0.64;
    else if ('.,:;()[]/-+|\'"!'.includes(char)) ems += 0.42;
    else ems += 1;
  }
  return Math.ceil(ems * size * (bold ? 1.1 : 1));
}

/** `text`, cut with "…" to fit in `width` pixels. */
function fitText(text: string, width: number, size: number, bold = false): string {
  if (textWidth(text, size, bold) <= width) return text;
  let length = text.length;
  while (length > 1 && textWidth(`${text.slice(0, length)}…`, size, bold) > width) length--;
  return `${text.slice(0, length)}…`;
}

function escapeXml(text: string): string {
  // Characters XML 1.0 does not allow at all are dropped.
  return text
    // eslint-disable-next-line no-control-regex -- keeps only the characters XML allows
    .replace(/[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}
