/**
 * leakgraph/commands/record — runs a Node or Deno program under the inspector, samples its
 * memory, takes snapshots on a schedule or on request, writes the snapshots, timeline.json and
 * timeline.svg, and on request ends with `leaks` on them (mprof run + plot).
 */

import { join } from 'node:path';
import type { LeakReport } from '../analysis/leaks.js';
import { LeakgraphError, UsageError } from '../errors.js';
import { writeFileAtomically } from '../io/atomic-file.js';
import { formatDuration } from '../live/duration.js';
import { startRecording, TIMELINE_FILE, type RecordEvent, type Recording } from '../live/recorder.js';
import type { Timeline } from '../live/timeline.js';
import { leaksJson, type LeaksJson } from '../render/leaks.js';
import { renderTimelineSvg } from '../render/timeline-svg.js';
import { leaksReport } from './leaks.js';
import type { LoadOptions } from './load.js';

export const RECORD_INTERVAL = 100;
export const TIMELINE_SVG_FILE = 'timeline.svg';

export interface RecordCommandOptions extends LoadOptions {
  /** Milliseconds between samples (default 100, at least 10). */
  interval?: number;
  /** Also sample the summed RSS of the program's descendants. */
  includeChildren?: boolean;
  /** Snapshots at these times since the start, in milliseconds. */
  snapshotAt?: number[];
  /** A snapshot every this many milliseconds (at least 100). */
  snapshotEvery?: number;
  /** Stop the program after this many milliseconds; else record until it exits or `signal`. */
  duration?: number;
  /** Record allocation stacks from the start, so that `allocs` can read the snapshots. */
  trackAllocations?: boolean;
  /** Run `leaks` on the first, middle and last snapshots at the end. */
  leaks?: boolean;
  /** With `leaks`: leave out what retains less, in bytes (default 100 kB). */
  minRetained?: number;
  /** Aborting stops the recording (and the program), which is still written. */
  signal?: AbortSignal;
  /** The recording has started: its pid, and `requestSnapshot()` for a snapshot now. */
  onStart?: (recording: Recording) => void;
  onEvent?: (event: RecordEvent) => void;
  /** The program's stderr without the inspector's lines (default: passed to our stderr). */
  onStderr?: (text: string) => void;
  /** The timeline and its picture are written; `leaks`, if asked, comes next. */
  onRecorded?: (recorded: RecordedFiles) => void;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export interface RecordedFiles {
  directory: string;
  timeline: Timeline;
  timelineFile: string;
  svgFile: string;
  /** Stopped through `signal`. */
  interrupted: boolean;
}

export interface RecordReport extends RecordedFiles {
  /** With `leaks`: the snapshots compared and what leaks found in them. */
  leaks?: LeakReport;
}

/** What `leakgraph record --json` prints. */
export interface RecordJson {
  directory: string;
  timelineFile: string;
  svgFile: string;
  /** timeline.json's content. */
  timeline: Timeline;
  leaks?: LeaksJson;
}

function checkRecordOptions(command: readonly string[], options: RecordCommandOptions): void {
  if (command.length === 0) throw new UsageError('record: nothing to run after -- (leakgraph record -o DIR -- node app.js)');
  if ((options.interval ?? RECORD_INTERVAL) < 10) throw new UsageError('record: --interval must be at least 10ms');
  if (options.snapshotEvery !== undefined && options.snapshotEvery < 100) throw new UsageError('record: --snapshot-every must be at least 100ms');
  const { duration } = options;
  const late = duration !== undefined ? options.snapshotAt?.find((at) => at >= duration) : undefined;
  if (late !== undefined) throw new UsageError(`record: --snapshot-at ${formatDuration(late)} is not before --duration ${formatDuration(duration!)}`);
}

/** Records `command` into `directory` and returns everything its text shows. */
export async function recordReport(command: readonly string[], directory: string, options: RecordCommandOptions = {}): Promise<RecordReport> {
  checkRecordOptions(command, options);
  const [program, ...args] = command;
  const recording = await startRecording({
    command: program,
    args,
    outDir: directory,
    interval: options.interval ?? RECORD_INTERVAL,
    includeChildren: options.includeChildren,
    snapshotAt: options.snapshotAt && [...options.snapshotAt].sort((a, b) => a - b),
    snapshotEvery: options.snapshotEvery,
    duration: options.duration,
    trackAllocations: options.trackAllocations,
    env: options.env,
    cwd: options.cwd,
    onEvent: options.onEvent,
    onStderr: options.onStderr,
  });
  options.onStart?.(recording);
  const stop = () => recording.stop();
  if (options.signal?.aborted) stop();
  options.signal?.addEventListener('abort', stop, { once: true });
  let timeline: Timeline;
  try {
    timeline = await recording.finished;
  } finally {
    options.signal?.removeEventListener('abort', stop);
  }
  const svgFile = join(directory, TIMELINE_SVG_FILE);
  await writeFileAtomically(svgFile, renderTimelineSvg(timeline));
  const recorded: RecordedFiles = { directory, timeline, timelineFile: join(directory, TIMELINE_FILE), svgFile, interrupted: options.signal?.aborted === true };
  options.onRecorded?.(recorded);
  if (!options.leaks) return recorded;
  return { ...recorded, leaks: await leaksReport(snapshotsToCompare(recorded), { onProgress: options.onProgress, onPhaseDone: options.onPhaseDone, sourceMaps: options.sourceMaps, minRetained: options.minRetained }) };
}

/** The first, middle and last snapshot of a recording, for `leaks`. */
export function snapshotsToCompare(recorded: Pick<RecordedFiles, 'timeline' | 'directory'>): string[] {
  const files = recorded.timeline.snapshots.map((snapshot) => join(recorded.directory, snapshot.file));
  if (files.length < 2) {
    throw new LeakgraphError(`record --leaks: leaks needs at least two snapshots, and ${files.length === 0 ? 'none was' : 'only one was'} taken (use --snapshot-at or --snapshot-every within --duration)`);
  }
  return [...new Set([files[0], files[Math.floor((files.length - 1) / 2)], files[files.length - 1]])];
}

/** Records `command` into `directory`: what `leakgraph record --json` prints. */
export async function record(command: readonly string[], directory: string, options: RecordCommandOptions = {}): Promise<RecordJson> {
  return recordJson(await recordReport(command, directory, options));
}

export function recordJson(report: RecordReport): RecordJson {
  const { directory, timelineFile, svgFile, timeline } = report;
  return { directory, timelineFile, svgFile, timeline, ...(report.leaks ? { leaks: leaksJson(report.leaks) } : {}) };
}
