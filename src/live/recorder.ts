/**
 * leakgraph/live/recorder — runs a Node program under the inspector and records its memory
 * over time (`mprof run` for Node), with heap snapshots at chosen moments.
 *
 * The program is started with `--inspect=127.0.0.1:0`; the port V8 picked is read from the
 * "Debugger listening on ws://…" line on its stderr (that line and the inspector's other
 * chatter are not passed on). One inspector session serves the whole recording, so the
 * snapshots share object ids and can be compared. Every interval a sample is taken: heap used
 * and heap total from `Runtime.getHeapUsage`, RSS from the OS. Snapshots are taken one at a
 * time; samples pause while one is taken, since the program is paused too.
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readSync, closeSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { LiveError } from './errors.js';
import { InspectorSession } from './inspector-client.js';
import { readDescendantsRss, readRss } from './memory.js';
import { snapshotToFile, type SnapshotProgress } from './snapshot-to-file.js';
import { fitTrends, serializeTimeline, TIMELINE_VERSION, type EndReason, type MemorySample, type SnapshotTrigger, type Timeline, type TimelineSnapshot } from './timeline.js';

export interface RecordOptions {
  /** `node` (or a path to it), or a .js/.mjs/.cjs file or `#!…node` script, run with this Node. */
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
  | { type: 'snapshot-progress'; index: number; trigger: SnapshotTrigger; progress: SnapshotProgress }
  | { type: 'snapshot-done'; index: number; snapshot: TimelineSnapshot; path: string }
  | { type: 'snapshot-failed'; index: number; message: string }
  /** A `snapshotEvery` tick came while a snapshot was still being taken. */
  | { type: 'snapshot-skipped'; t: number }
  | { type: 'stopping'; reason: EndReason };

export const TIMELINE_FILE = 'timeline.json';
const INSPECT_FLAG = '--inspect=127.0.0.1:0';
const LISTENING = /^Debugger listening on (ws:\/\/\S+)\s*$/;
/** Lines the inspector writes to the program's stderr. */
const INSPECTOR_LINES = [LISTENING, /^For help, see: https:\/\/nodejs\.org\/\S*\s*$/, /^Debugger attached\.\s*$/, /^Waiting for the debugger to disconnect\.\.\.\s*$/, /^Debugger ending on ws:\/\/\S+\s*$/];
const INSPECTOR_PREFIXES = ['Debugger listening on ', 'For help, see: ', 'Debugger attached.', 'Waiting for the debugger to disconnect...', 'Debugger ending on '];
const PROGRAM_DONE = /^Waiting for the debugger to disconnect\.\.\.\s*$/;

/** The file and arguments that start `command` with leakgraph's inspector flag. */
export function inspectedCommand(command: string, args: string[]): { file: string; args: string[] } {
  const name = basename(command).toLowerCase();
  if (/^node(js)?(\.exe)?$/.test(name) || command === process.execPath) return { file: command, args: [INSPECT_FLAG, ...args] };
  if (/\.[cm]?js$/i.test(command) || hasNodeShebang(command)) return { file: process.execPath, args: [INSPECT_FLAG, command, ...args] };
  throw new LiveError(`record runs Node programs: COMMAND must be node or a .js, .mjs or .cjs file, not "${command}" (a wrapper such as npm would be recorded instead of your program; run node directly)`);
}

function hasNodeShebang(file: string): boolean {
  try {
    const fd = openSync(file, 'r');
    try {
      const head = Buffer.alloc(128);
      const length = readSync(fd, head, 0, head.length, 0);
      return /^#!.*\bnode\b/.test(head.subarray(0, length).toString('utf8').split('\n')[0]);
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

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
 * @throws LiveError when the program is not a Node program, does not start, or its
 *   inspector cannot be reached
 */
export async function startRecording(options: RecordOptions): Promise<Recording> {
  const { file, args } = inspectedCommand(options.command, options.args);
  await prepareOutDir(options.outDir);
  const recorder = new Recorder(options);
  await recorder.start(file, args);
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

class Recorder implements Recording {
  pid = 0;
  inspectorUrl = '';
  readonly finished: Promise<Timeline>;
  private resolveFinished!: (timeline: Timeline) => void;
  private rejectFinished!: (error: Error) => void;
  private child!: ChildProcess;
  private session!: InspectorSession;
  private startTime = 0;
  private startedAt = '';
  private exit: { code: number | null; signal: string | null } | null = null;
  private readonly exited: Promise<void>;
  private markExited!: () => void;
  private readonly stderrDone: Promise<void>;
  private markStderrDone!: () => void;
  private readonly samples: MemorySample[] = [];
  private readonly snapshots: TimelineSnapshot[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private sampling: Promise<void> | null = null;
  private snapshotting: Promise<void> | null = null;
  private snapshotBusy = false;
  private readonly queue: SnapshotTrigger[] = [];
  private stopping = false;
  private started = false;
  private stderrTail = '';
  private onListening: ((url: string) => void) | null = null;
  private readonly killOnExit = () => this.child?.kill('SIGKILL');

  constructor(private readonly options: RecordOptions) {
    this.finished = new Promise((resolve, reject) => {
      this.resolveFinished = resolve;
      this.rejectFinished = reject;
    });
    this.finished.catch(() => {});
    this.exited = new Promise((resolve) => (this.markExited = resolve));
    this.stderrDone = new Promise((resolve) => (this.markStderrDone = resolve));
  }

  async start(file: string, args: string[]): Promise<void> {
    this.startedAt = new Date().toISOString();
    this.startTime = performance.now();
    const listening = new Promise<string>((resolve, reject) => {
      this.onListening = resolve;
      this.child = spawn(file, args, { stdio: ['inherit', 'inherit', 'pipe'], env: this.options.env ?? process.env, cwd: this.options.cwd });
      this.child.once('error', (error) => reject(new LiveError(`cannot start ${this.options.command}: ${error.message}`)));
      this.child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        this.markExited();
        reject(new LiveError(`${this.options.command} exited (${signal ?? `code ${code}`}) before its inspector started`));
        void this.stopWith('exit');
      });
      this.child.stderr!.setEncoding('utf8');
      this.child.stderr!.on('data', (text: string) => this.stderrData(text));
      this.child.stderr!.on('end', () => {
        this.flushStderr();
        this.markStderrDone();
      });
    });
    process.on('exit', this.killOnExit);
    const timeout = this.options.startTimeout ?? 20_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      this.inspectorUrl = await Promise.race([
        listening,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new LiveError(`${this.options.command} did not open its inspector within ${timeout / 1000} s`)), timeout);
        }),
      ]);
      this.pid = this.child.pid!;
      this.session = await InspectorSession.connect(this.inspectorUrl);
      // Harmless unless the program was started with --inspect-brk: then it runs now.
      await this.session.send('Runtime.runIfWaitingForDebugger').catch(() => {});
    } catch (error) {
      // A program that ends at once may be gone before the connection is made: say so, after
      // passing on what it wrote to stderr.
      const exitedEarly = this.exit !== null || (this.child?.pid !== undefined && (await this.waitForExit(1000)));
      this.child?.kill('SIGKILL');
      await this.waitForExit(1000);
      await Promise.race([this.stderrDone, new Promise((resolve) => setTimeout(resolve, 1000))]);
      process.off('exit', this.killOnExit);
      if (exitedEarly && this.exit && !(error instanceof LiveError && /before its inspector started/.test(error.message))) {
        throw new LiveError(`${this.options.command} exited (${this.exit.signal ?? `code ${this.exit.code}`}) before leakgraph could connect to its inspector`);
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
    this.started = true;
    this.options.onEvent?.({ type: 'started', pid: this.pid, inspectorUrl: this.inspectorUrl });
    void this.session.closed.then(() => this.stopWith('exit'));
    this.schedule();
  }

  requestSnapshot(): void {
    this.enqueue('signal');
  }

  stop(): void {
    void this.stopWith('stopped');
  }

  private elapsed(): number {
    return Math.round(performance.now() - this.startTime);
  }

  private later(milliseconds: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, Math.max(0, milliseconds));
    this.timers.add(timer);
  }

  private schedule(): void {
    const { interval, snapshotAt = [], snapshotEvery, duration } = this.options;
    const tick = (k: number) => {
      this.later(k * interval - (performance.now() - this.startTime), () => {
        if (this.stopping) return;
        if (!this.sampling && !this.snapshotBusy) this.sampling = this.sample().finally(() => (this.sampling = null));
        // Skip the ticks already missed.
        tick(Math.max(k + 1, Math.ceil((performance.now() - this.startTime) / interval)));
      });
    };
    tick(Math.ceil(this.elapsed() / interval));
    for (const at of snapshotAt) this.later(at - this.elapsed(), () => this.enqueue('at'));
    if (snapshotEvery !== undefined) {
      const every = (k: number) => this.later(k * snapshotEvery - this.elapsed(), () => {
        this.enqueue('every');
        every(k + 1);
      });
      every(1);
    }
    if (duration !== undefined) this.later(duration - this.elapsed(), () => void this.stopWith('duration'));
  }

  private async sample(): Promise<void> {
    const t = this.elapsed();
    try {
      const [usage, rss, childrenRss] = await Promise.all([
        this.session.send<{ usedSize: number; totalSize: number }>('Runtime.getHeapUsage'),
        readRss(this.pid),
        this.options.includeChildren ? readDescendantsRss(this.pid) : Promise.resolve(undefined),
      ]);
      if (rss === null || this.snapshotBusy) return;
      const sample: MemorySample = { t, heapUsed: usage.usedSize, heapTotal: usage.totalSize, rss };
      if (childrenRss !== undefined) sample.childrenRss = childrenRss;
      this.samples.push(sample);
      this.options.onEvent?.({ type: 'sample', sample });
    } catch {
      // The program is going away; the recording stops on its own.
    }
  }

  private enqueue(trigger: SnapshotTrigger): void {
    if (this.stopping) return;
    if (trigger === 'every' && (this.snapshotting || this.queue.length > 0)) {
      this.options.onEvent?.({ type: 'snapshot-skipped', t: this.elapsed() });
      return;
    }
    this.queue.push(trigger);
    this.snapshotting ??= this.drainQueue().finally(() => (this.snapshotting = null));
  }

  private async drainQueue(): Promise<void> {
    while (this.queue.length > 0 && !this.stopping) {
      const trigger = this.queue.shift()!;
      const index = this.snapshots.length + 1;
      const name = `snapshot-${String(index).padStart(3, '0')}.heapsnapshot`;
      const path = join(this.options.outDir, name);
      this.snapshotBusy = true;
      // Let a sample in flight finish first: it would otherwise wait for the snapshot.
      await this.sampling;
      const t = this.elapsed();
      try {
        const info = await snapshotToFile(this.session, path, {
          onProgress: (progress) => this.options.onEvent?.({ type: 'snapshot-progress', index, trigger, progress }),
        });
        const snapshot: TimelineSnapshot = { t, file: name, trigger, size: info.size, duration: Math.round(info.milliseconds) };
        this.snapshots.push(snapshot);
        this.options.onEvent?.({ type: 'snapshot-done', index, snapshot, path });
      } catch (error) {
        this.options.onEvent?.({ type: 'snapshot-failed', index, message: (error as Error).message });
      } finally {
        this.snapshotBusy = false;
      }
    }
  }

  private stopPromise: Promise<void> | null = null;

  private stopWith(reason: EndReason): Promise<void> {
    this.stopPromise ??= this.finish(reason).then(
      (timeline) => this.resolveFinished(timeline),
      (error: Error) => this.rejectFinished(error),
    );
    return this.stopPromise;
  }

  private async finish(reason: EndReason): Promise<Timeline> {
    const duration = this.elapsed();
    this.stopping = true;
    if (this.started) this.options.onEvent?.({ type: 'stopping', reason });
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    // A sample waits for the program's main thread at most this long; a snapshot being taken is
    // let finish (a second Ctrl-C in the CLI ends everything at once).
    await Promise.race([this.sampling, new Promise((resolve) => setTimeout(resolve, 2000))]);
    await this.snapshotting;
    await this.session?.close();
    // A program that ended waits for the debugger to go; it exits once the session is closed.
    const stopTimeout = this.options.stopTimeout ?? 5000;
    if (!this.exit && reason !== 'exit') this.child.kill('SIGTERM');
    if (!(await this.waitForExit(stopTimeout)) && reason === 'exit') this.child.kill('SIGTERM');
    if (!(await this.waitForExit(stopTimeout))) {
      this.child.kill('SIGKILL');
      await this.waitForExit(stopTimeout);
    }
    process.off('exit', this.killOnExit);
    const timeline: Timeline = {
      version: TIMELINE_VERSION,
      command: [this.options.command, ...this.options.args],
      pid: this.pid,
      startedAt: this.startedAt,
      interval: this.options.interval,
      includeChildren: this.options.includeChildren === true,
      duration,
      end: { reason, exitCode: this.exit?.code ?? null, signal: this.exit?.signal ?? null },
      samples: this.samples,
      snapshots: this.snapshots,
      trends: fitTrends(this.samples),
    };
    // A program that never got going leaves no recording behind.
    if (this.started) await writeAtomically(join(this.options.outDir, TIMELINE_FILE), serializeTimeline(timeline));
    return timeline;
  }

  private async waitForExit(milliseconds: number): Promise<boolean> {
    if (this.exit) return true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([this.exited.then(() => false), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), milliseconds)))]);
    clearTimeout(timer);
    return !timedOut;
  }

  private stderrData(text: string): void {
    const lines = (this.stderrTail + text).split('\n');
    this.stderrTail = lines.pop()!;
    let passed = '';
    for (const line of lines) {
      const listening = LISTENING.exec(line);
      if (listening && this.onListening) {
        this.onListening(listening[1]);
        this.onListening = null;
      }
      if (PROGRAM_DONE.test(line) && this.session) void this.stopWith('exit');
      if (!INSPECTOR_LINES.some((pattern) => pattern.test(line))) passed += `${line}\n`;
    }
    // Pass on a partial line at once unless it may be the start of an inspector line.
    const tail = this.stderrTail;
    if (tail !== '' && !INSPECTOR_PREFIXES.some((prefix) => prefix.startsWith(tail) || tail.startsWith(prefix))) {
      passed += tail;
      this.stderrTail = '';
    }
    if (passed !== '') this.writeStderr(passed);
  }

  private flushStderr(): void {
    if (this.stderrTail !== '' && !INSPECTOR_LINES.some((pattern) => pattern.test(this.stderrTail))) this.writeStderr(this.stderrTail);
    this.stderrTail = '';
  }

  private writeStderr(text: string): void {
    if (this.options.onStderr) this.options.onStderr(text);
    else process.stderr.write(text);
  }
}

/** Writes `file` under a temporary name and renames it into place. */
async function writeAtomically(file: string, content: string): Promise<void> {
  const partial = `${file}.partial-${process.pid}`;
  try {
    await writeFile(partial, content);
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw new LiveError(`cannot write ${file}: ${(error as Error).message}`);
  }
}
