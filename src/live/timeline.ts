/**
 * leakgraph/live/timeline — the memory of a recorded program over time (`timeline.json`):
 * samples, snapshot moments and least-squares trends. The format is in docs/json.md.
 */

import { LiveError } from './errors.js';

export const TIMELINE_VERSION = 1;

/** One measurement; `t` in milliseconds since the program was started, sizes in bytes. */
export interface MemorySample {
  t: number;
  /** V8 heap in use (`Runtime.getHeapUsage` usedSize; `process.memoryUsage().heapUsed`). */
  heapUsed: number;
  /** V8 heap reserved (totalSize; `heapTotal`). */
  heapTotal: number;
  /** Resident set size of the process. */
  rss: number;
  /** Summed resident set size of its descendants (with --include-children). */
  childrenRss?: number;
}

export type SnapshotTrigger = 'at' | 'every' | 'signal';

export interface TimelineSnapshot {
  /** When taking it began, in milliseconds since the program was started. */
  t: number;
  /** File name, relative to the timeline's directory. */
  file: string;
  trigger: SnapshotTrigger;
  /** Bytes. */
  size: number;
  /** Milliseconds it took (the program is paused for most of it). */
  duration: number;
}

/** A least-squares line: `slope` in bytes per second, `intercept` in bytes at t = 0. */
export interface Trend {
  slope: number;
  intercept: number;
}

export type TrendSeries = 'heapUsed' | 'rss';

export type EndReason = 'duration' | 'exit' | 'stopped';

export interface Timeline {
  version: number;
  /** The program as run: command and arguments (leakgraph's `--inspect` flag not included). */
  command: string[];
  pid: number;
  /** ISO time at which the program was started. */
  startedAt: string;
  /** Sampling interval in milliseconds. */
  interval: number;
  includeChildren: boolean;
  /** Milliseconds from the start to the end of the recording. */
  duration: number;
  end: { reason: EndReason; exitCode: number | null; signal: string | null };
  samples: MemorySample[];
  snapshots: TimelineSnapshot[];
  /** Trends of heap used and RSS over all samples; null with fewer than two samples. */
  trends: Record<TrendSeries, Trend | null>;
}

/**
 * The least-squares line through the samples' `series` against time (ordinary least squares,
 * as mprof's `--slope`), with the slope in bytes per second; null with fewer than two
 * distinct times.
 */
export function fitTrend(samples: readonly MemorySample[], series: TrendSeries): Trend | null {
  const n = samples.length;
  if (n < 2) return null;
  // Centre both axes first: absolute byte counts squared lose precision otherwise.
  let meanT = 0;
  let meanY = 0;
  for (const sample of samples) {
    meanT += sample.t / 1000;
    meanY += sample[series];
  }
  meanT /= n;
  meanY /= n;
  let covariance = 0;
  let variance = 0;
  for (const sample of samples) {
    const dt = sample.t / 1000 - meanT;
    covariance += dt * (sample[series] - meanY);
    variance += dt * dt;
  }
  if (variance === 0) return null;
  const slope = covariance / variance;
  return { slope, intercept: meanY - slope * meanT };
}

/** Both trends of a list of samples. */
export function fitTrends(samples: readonly MemorySample[]): Record<TrendSeries, Trend | null> {
  return { heapUsed: fitTrend(samples, 'heapUsed'), rss: fitTrend(samples, 'rss') };
}

/**
 * Reads and checks a timeline (the text of `timeline.json`); `file` names it in errors.
 * @throws LiveError when it is not a leakgraph timeline
 */
export function parseTimeline(text: string, file: string): Timeline {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new LiveError(`${file}: not JSON (${(error as Error).message})`);
  }
  const bad = (what: string): never => {
    throw new LiveError(`${file}: not a leakgraph timeline (${what})`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) bad('expected an object');
  const timeline = value as Partial<Timeline>;
  if (!Array.isArray(timeline.samples)) bad('no "samples" list');
  if (!Array.isArray(timeline.snapshots)) bad('no "snapshots" list');
  if (timeline.version !== TIMELINE_VERSION) bad(`version ${JSON.stringify(timeline.version)}; this leakgraph reads version ${TIMELINE_VERSION}`);
  const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
  timeline.samples!.forEach((sample, i) => {
    if (typeof sample !== 'object' || sample === null) bad(`samples[${i}] is not an object`);
    for (const key of ['t', 'heapUsed', 'heapTotal', 'rss'] as const) if (!isNumber(sample[key])) bad(`samples[${i}].${key} is not a number`);
    if (sample.childrenRss !== undefined && !isNumber(sample.childrenRss)) bad(`samples[${i}].childrenRss is not a number`);
  });
  timeline.snapshots!.forEach((snapshot, i) => {
    if (typeof snapshot !== 'object' || snapshot === null || !isNumber(snapshot.t) || typeof snapshot.file !== 'string') bad(`snapshots[${i}] needs "t" and "file"`);
  });
  return {
    version: TIMELINE_VERSION,
    command: Array.isArray(timeline.command) ? timeline.command.map(String) : [],
    pid: isNumber(timeline.pid) ? timeline.pid : 0,
    startedAt: typeof timeline.startedAt === 'string' ? timeline.startedAt : '',
    interval: isNumber(timeline.interval) ? timeline.interval : 0,
    includeChildren: timeline.includeChildren === true,
    duration: isNumber(timeline.duration) ? timeline.duration : Math.max(0, ...timeline.samples!.map((sample) => sample.t)),
    end: timeline.end ?? { reason: 'exit', exitCode: null, signal: null },
    samples: timeline.samples!,
    snapshots: timeline.snapshots!,
    trends: fitTrends(timeline.samples!),
  };
}

/**
 * The text of `timeline.json`: indented, with one sample and one snapshot per line so that
 * long recordings stay readable and diffable.
 */
export function serializeTimeline(timeline: Timeline): string {
  const lines = ['{'];
  const entries = Object.entries(timeline);
  entries.forEach(([key, value], i) => {
    const comma = i < entries.length - 1 ? ',' : '';
    if (Array.isArray(value) && (key === 'samples' || key === 'snapshots') && value.length > 0) {
      lines.push(`  ${JSON.stringify(key)}: [`);
      value.forEach((item, j) => lines.push(`    ${JSON.stringify(item)}${j < value.length - 1 ? ',' : ''}`));
      lines.push(`  ]${comma}`);
    } else {
      lines.push(`  ${JSON.stringify(key)}: ${JSON.stringify(value)}${comma}`);
    }
  });
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
