/**
 * leakgraph/live/recorder — runs a Node (or Deno) program under the inspector and records its
 * memory over time (`mprof run` for Node), with heap snapshots at chosen moments.
 *
 * The parts each do one job: `inspected-program.ts` starts the program and connects (the
 * inspector's chatter is not passed on), `sampler.ts` takes the samples, `snapshot-queue.ts`
 * the snapshots, `timeline.ts` is the file; the Recorder here keeps time and stops them in
 * order. One inspector session serves the whole recording, so the snapshots share object ids
 * and can be compared.
 */

import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from '../io/atomic-file.js';
import { startAllocationTracking } from './capture.js';
import { LiveError } from './errors.js';
import { startInspected, type InspectedProgram } from './inspected-program.js';
import type { ProgramExit } from './run-program.js';
import { MemorySampler } from './sampler.js';
import { SnapshotQueue, type SnapshotEvent } from './snapshot-queue.js';
import { fitTrends, serializeTimeline, TIMELINE_VERSION, type EndReason, type MemorySample, type Timeline } from './timeline.js';

export { inspectedCommand } from './run-program.js';

export interface RecordOptions {
  /** `node` (or a path to it), a .js/.mjs/.cjs file or `#!…node` script (run with this Node), or `deno`. */
  command: string;
  args: string[];
  /** Directory for the snapshots and timeline.json; created if missing, must not hold a recording. */
  outDir: string;
  /** Milliseconds between samples. */
  interval: number;
  /** Also sample the summed RSS of the program's descendants. */
  includeChildren?: boolean;
  /** Take a snapshot at each of these times (milliseconds since the program was started). */
  snapshotAt?: number[];
  /** Take a snapshot every this many milliseconds. */
  snapshotEvery?: number;
  /** Stop the program after this many milliseconds; otherwise record until it exits or `stop()`. */
  duration?: number;
  /** Record allocation stacks from the start, so that the snapshots can be read by `allocs`. */
  trackAllocations?: boolean;
  /** Milliseconds to wait for the program's inspector (default 20000). */
  startTimeout?: number;
  /** Milliseconds between SIGTERM and SIGKILL when stopping the program (default 5000). */
  stopTimeout?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  onEvent?: (event: RecordEvent) => void;
  /** The program's stderr without the inspector's lines (default: passed to our stderr). */
  onStderr?: (text: string) => void;
}

export type RecordEvent =
  /** The program runs and leakgraph is connected to its inspector. */
  | { type: 'started'; pid: number; inspectorUrl: string }
  | { type: 'sample'; sample: MemorySample }
  | SnapshotEvent
  | { type: 'stopping'; reason: EndReason };

export const TIMELINE_FILE = 'timeline.json';

/** A running recording: started, sampling, snapshotting until it stops. */
export interface Recording {
  readonly pid: number;
  /** The inspector's WebSocket URL. */
  readonly inspectorUrl: string;
  /** Takes a snapshot as soon as the one being taken (if any) is done. */
  requestSnapshot(): void;
  /** Ends the recording: the snapshot being taken completes, then the program is stopped. */
  stop(): void;
  /** The timeline, once the program has stopped and timeline.json is written. */
  readonly finished: Promise<Timeline>;
}

/**
 * Starts the program under the inspector and begins recording.
 * @throws LiveError when the program is not a Node or Deno program, does not start, or its
 *   inspector cannot be reached
 */
export async function startRecording(options: RecordOptions): Promise<Recording> {
  await prepareOutDir(options.outDir);
  const startedAt = new Date().toISOString();
  const startTime = performance.now();
  let recorder: Recorder | null = null;
  const inspected = await startInspected({
    command: options.command,
    args: options.args,
    startTimeout: options.startTimeout,
    env: options.env,
    cwd: options.cwd,
    onStderr: options.onStderr ?? ((text) => process.stderr.write(text)),
    onProgramDone: () => recorder?.programDone(),
  });
  if (options.trackAllocations) await startAllocationTracking(inspected.session).catch(async (error: unknown) => {
    await inspected.session.close();
    await inspected.program.stop(options.stopTimeout ?? 5000);
    throw error;
  });
  recorder = new Recorder(options, inspected, startTime, startedAt);
  return recorder;
}

async function prepareOutDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    const existing = await readdir(dir);
    if (existing.some((name) => name === TIMELINE_FILE || /^snapshot-\d+\.heapsnapshot$/.test(name))) {
      throw new LiveError(`${dir} already holds a recording; give another -o directory or delete it`);
    }
  } catch (error) {
    if (error instanceof LiveError) throw error;
    throw new LiveError(`cannot use ${dir} for the recording: ${(error as Error).message}`);
  }
}

/** Timers that can all be cancelled at once. */
class Timers {
  private readonly pending = new Set<NodeJS.Timeout>();

  /** @param now milliseconds on the recording's clock */
  constructor(private readonly now: () => number) {}

  /**
   * Runs `action` once the clock reaches `time`. A timeout counts from the event loop's cached
   * time, which can be a millisecond behind, so it may fire that much early: it waits again.
   */
  at(time: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      if (this.now() < time) this.at(time, action);
      else action();
    }, Math.max(0, time - this.now()));
    this.pending.add(timer);
  }

  cancelAll(): void {
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }
}

class Recorder implements Recording {
  readonly pid: number;
  readonly inspectorUrl: string;
  readonly finished: Promise<Timeline>;
  private readonly sampler: MemorySampler;
  private readonly snapshots: SnapshotQueue;
  private readonly timers = new Timers(() => performance.now() - this.startTime);

  constructor(private readonly options: RecordOptions, private readonly inspected: InspectedProgram, private readonly startTime: number, private readonly startedAt: string) {
    this.pid = inspected.pid;
    this.inspectorUrl = inspected.inspectorUrl;
    const onEvent = (event: RecordEvent) => options.onEvent?.(event);
    this.sampler = new MemorySampler(inspected.session, this.pid, options.includeChildren === true, (sample) => onEvent({ type: 'sample', sample }));
    this.snapshots = new SnapshotQueue({ session: inspected.session, outDir: options.outDir, sampler: this.sampler, elapsed: () => this.elapsed(), onEvent });
    let finish!: (reason: EndReason) => void;
    this.finished = new Promise<EndReason>((resolve) => (finish = resolve)).then((reason) => this.finish(reason));
    this.finished.catch(() => {});
    this.end = finish;
    onEvent({ type: 'started', pid: this.pid, inspectorUrl: this.inspectorUrl });
    void inspected.session.closed.then(() => this.end('exit'));
    void inspected.program.exited.then(() => this.end('exit'));
    this.schedule();
  }

  /** Ends the recording for `reason`; the first reason given is the one kept. */
  private readonly end: (reason: EndReason) => void;

  requestSnapshot(): void {
    this.snapshots.enqueue('signal');
  }

  stop(): void {
    this.end('stopped');
  }

  /** The program has finished and waits for the debugger to disconnect. */
  programDone(): void {
    this.end('exit');
  }

  private elapsed(): number {
    return Math.round(performance.now() - this.startTime);
  }

  private schedule(): void {
    const { interval, snapshotAt = [], snapshotEvery, duration } = this.options;
    const tick = (k: number) => {
      this.timers.at(k * interval, () => {
        this.sampler.sampleAt(this.elapsed());
        // Skip the ticks already missed.
        tick(Math.max(k + 1, Math.ceil((performance.now() - this.startTime) / interval)));
      });
    };
    tick(Math.ceil(this.elapsed() / interval));
    for (const at of snapshotAt) this.timers.at(at, () => this.snapshots.enqueue('at'));
    if (snapshotEvery !== undefined) {
      const every = (k: number) => this.timers.at(k * snapshotEvery, () => {
        this.snapshots.enqueue('every');
        every(k + 1);
      });
      every(1);
    }
    if (duration !== undefined) this.timers.at(duration, () => this.end('duration'));
  }

  private async finish(reason: EndReason): Promise<Timeline> {
    const duration = this.elapsed();
    this.options.onEvent?.({ type: 'stopping', reason });
    this.timers.cancelAll();
    const snapshotsClosed = this.snapshots.close();
    // A sample waits for the program's main thread at most this long; a snapshot being taken is
    // let finish (a second Ctrl-C in the CLI ends everything at once).
    await this.sampler.settled(2000);
    await snapshotsClosed;
    const exit = await this.stopProgram(reason);
    const timeline: Timeline = {
      version: TIMELINE_VERSION,
      command: [this.options.command, ...this.options.args],
      pid: this.pid,
      startedAt: this.startedAt,
      interval: this.options.interval,
      includeChildren: this.options.includeChildren === true,
      duration,
      end: { reason, exitCode: exit?.code ?? null, signal: exit?.signal ?? null },
      samples: this.sampler.samples,
      snapshots: this.snapshots.snapshots,
      trends: fitTrends(this.sampler.samples),
    };
    await writeFileAtomically(join(this.options.outDir, TIMELINE_FILE), serializeTimeline(timeline));
    return timeline;
  }

  /** Closes the session, then ends the program unless it is ending by itself. */
  private async stopProgram(reason: EndReason): Promise<ProgramExit> {
    const { program, session } = this.inspected;
    await session.close();
    // A program that ended waits for the debugger to go; it exits once the session is closed.
    const grace = this.options.stopTimeout ?? 5000;
    if (reason === 'exit' && !(await program.waitForExit(grace))) return program.stop(grace);
    return program.exit ?? program.stop(grace);
  }
}
