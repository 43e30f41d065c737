/**
 * `leakgraph record [options] -- COMMAND [ARGS…]` — runs a Node program under the inspector,
 * samples its memory, takes snapshots on a schedule or on SIGUSR2, and writes the snapshots,
 * timeline.json and timeline.svg; `--leaks` ends with `leaks` on them (mprof run + plot).
 */

import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_MIN_RETAINED, findLeaks } from '../src/analysis/leaks.js';
import { formatDuration, parseDurationList } from '../src/live/duration.js';
import { startRecording, type RecordEvent } from '../src/live/recorder.js';
import { formatBytes } from '../src/render/format.js';
import { renderLeaksText } from '../src/render/leaks.js';
import { renderRecordingText } from '../src/render/timeline.js';
import { renderTimelineSvg } from '../src/render/timeline-svg.js';
import { loadForCli, parseByteSize, parseDuration, UsageError, writeFileAtomically, writeOut } from './common.js';
import { ProgressLine } from './progress.js';

interface RecordOptions {
  output: string;
  interval: number;
  includeChildren?: boolean;
  snapshotAt?: number[];
  snapshotEvery?: number;
  duration?: number;
  leaks?: boolean;
  minRetained: number;
  fail?: boolean;
  quiet?: boolean;
}

const EXIT_LEAKS_FOUND = 1;
const EXIT_INTERRUPTED = 130;

function parseTimes(value: string): number[] {
  const times = parseDurationList(value);
  if (times === null) throw new InvalidArgumentError('expected durations with units, like 5s,10s,15s');
  return times.sort((a, b) => a - b);
}

export function recordCommand(): Command {
  return new Command('record')
    .description('run a Node program under the inspector and record its memory over time (heap used, heap total, RSS), with heap snapshots; writes the snapshots, timeline.json and timeline.svg (heap used above on its own axis, RSS below)')
    .usage('[options] -- COMMAND [ARGS...]')
    .argument('<command...>', 'node [NODE-OPTIONS] SCRIPT [ARGS…], or a .js/.mjs/.cjs script (after --)')
    .requiredOption('-o, --output <dir>', 'directory for the snapshots, timeline.json and timeline.svg (created if missing)')
    .addOption(new Option('--interval <duration>', 'time between samples').argParser(parseDuration).default(100, '100ms'))
    .option('--include-children', 'also sample the summed RSS of the program\'s child processes')
    .option('--snapshot-at <times>', 'take snapshots at these times since the start, e.g. 5s,10s,15s', parseTimes)
    .option('--snapshot-every <duration>', 'take a snapshot every DURATION, e.g. 30s', parseDuration)
    .option('--duration <duration>', 'stop the program after DURATION (default: record until it exits, or Ctrl-C)', parseDuration)
    .option('--leaks', 'at the end, run leaks on the first, middle and last snapshots and print its report')
    .option('--min-retained <bytes>', 'with --leaks: leave out what retains less', parseByteSize, DEFAULT_MIN_RETAINED)
    .option('--fail', 'with --leaks: exit with code 1 when a leak is found')
    .option('-q, --quiet', 'no progress on stderr')
    .addHelpText('after', `
SIGUSR2 sent to leakgraph takes a snapshot at once; Ctrl-C stops the recording (and the program)
and still writes everything.

Examples:
  leakgraph record -o run1 --snapshot-at 5s,10s,15s --duration 20s --leaks -- node server.js
  leakgraph record -o run2 --snapshot-every 1m -- node --max-old-space-size=512 worker.js --queue jobs
  leakgraph plot run1/timeline.json -o run1.svg`)
    .action(async (commandLine: string[], options: RecordOptions) => {
      const snapshotEvery = options.snapshotEvery;
      if (options.interval < 10) throw new UsageError('record: --interval must be at least 10ms');
      if (snapshotEvery !== undefined && snapshotEvery < 100) throw new UsageError('record: --snapshot-every must be at least 100ms');
      if ((options.minRetained !== DEFAULT_MIN_RETAINED || options.fail) && !options.leaks) throw new UsageError('record: --min-retained and --fail go with --leaks');
      const late = options.duration !== undefined ? options.snapshotAt?.find((at) => at >= options.duration!) : undefined;
      if (late !== undefined) throw new UsageError(`record: --snapshot-at ${formatDuration(late)} is not before --duration ${formatDuration(options.duration!)}`);
      const [program, ...args] = commandLine;
      const reporter = new RecordReporter(options.quiet === true, `${commandLine.join(' ')}`, options.output, options.interval);
      const recording = await startRecording({
        command: program,
        args,
        outDir: options.output,
        interval: options.interval,
        includeChildren: options.includeChildren,
        snapshotAt: options.snapshotAt,
        snapshotEvery,
        duration: options.duration,
        onEvent: (event) => reporter.event(event),
        onStderr: (text) => reporter.passThrough(text),
      });

      let interrupts = 0;
      const onInterrupt = () => {
        interrupts++;
        if (interrupts === 1) recording.stop();
        else {
          // A second Ctrl-C: no waiting for anything.
          try {
            process.kill(recording.pid, 'SIGKILL');
          } catch {
            // Already gone.
          }
          process.exit(EXIT_INTERRUPTED);
        }
      };
      const onSnapshotSignal = () => {
        reporter.line('leakgraph: SIGUSR2: taking a snapshot');
        recording.requestSnapshot();
      };
      process.on('SIGINT', onInterrupt);
      process.on('SIGTERM', onInterrupt);
      process.on('SIGUSR2', onSnapshotSignal);
      let timeline;
      try {
        timeline = await recording.finished;
      } finally {
        process.off('SIGUSR2', onSnapshotSignal);
        reporter.clear();
      }
      const svgFile = join(options.output, 'timeline.svg');
      await writeFileAtomically(svgFile, renderTimelineSvg(timeline));
      writeOut(renderRecordingText(timeline, options.output, svgFile));
      if (interrupts > 0) process.exitCode = EXIT_INTERRUPTED;

      if (options.leaks) {
        const files = timeline.snapshots.map((snapshot) => join(options.output, snapshot.file));
        if (files.length < 2) throw new UsageError(`record --leaks: leaks needs at least two snapshots, and ${files.length === 0 ? 'none was' : 'only one was'} taken (use --snapshot-at or --snapshot-every within --duration)`);
        const chosen = [...new Set([files[0], files[Math.floor((files.length - 1) / 2)], files[files.length - 1]])];
        writeOut(`\n$ leakgraph leaks ${chosen.join(' ')}\n`);
        const report = await findLeaks(chosen, async (file) => (await loadForCli(file, options.quiet === true)).graph, { minRetained: options.minRetained, top: 10 });
        writeOut(renderLeaksText(report, options.minRetained, false));
        if (options.fail && (report.clusters.length > 0 || report.growingContainers.length > 0)) process.exitCode = EXIT_LEAKS_FOUND;
      }
      process.off('SIGINT', onInterrupt);
      process.off('SIGTERM', onInterrupt);
    });
}

/** Progress on stderr, and the program's own stderr passed through around it. */
class RecordReporter {
  private readonly live: ProgressLine;
  private snapshots = 0;

  constructor(private readonly quiet: boolean, private readonly program: string, private readonly dir: string, private readonly interval: number) {
    this.live = new ProgressLine(!quiet && process.stderr.isTTY === true);
  }

  event(event: RecordEvent): void {
    if (this.quiet) return;
    switch (event.type) {
      case 'started':
        this.line(`leakgraph: recording ${this.program} (pid ${event.pid}) into ${this.dir}, a sample every ${formatDuration(this.interval)}; SIGUSR2 to ${process.pid} takes a snapshot, Ctrl-C stops`);
        break;
      case 'sample': {
        const { t, heapUsed, rss } = event.sample;
        this.live.update(`leakgraph: ${formatDuration(t)}  heap used ${formatBytes(heapUsed)}  RSS ${formatBytes(rss)}  ${this.snapshots} snapshot${this.snapshots === 1 ? '' : 's'}`);
        break;
      }
      case 'snapshot-progress': {
        const { progress } = event;
        const text = progress.phase === 'taking' ? `taking ${progress.total > 0 ? Math.floor((progress.done / progress.total) * 100) : 0}%` : progress.phase === 'writing' ? `writing ${formatBytes(progress.bytes)}` : 'collecting garbage';
        this.live.update(`leakgraph: snapshot ${event.index}: ${text}`);
        break;
      }
      case 'snapshot-done':
        this.snapshots++;
        this.line(`leakgraph: ${event.path} at ${formatDuration(event.snapshot.t)}: ${formatBytes(event.snapshot.size)} in ${formatDuration(event.snapshot.duration)}`);
        break;
      case 'snapshot-failed':
        this.line(`leakgraph: snapshot ${event.index} failed: ${event.message}`);
        break;
      case 'snapshot-skipped':
        this.line(`leakgraph: --snapshot-every: skipped the snapshot due at ${formatDuration(event.t)}, the previous one was still being taken`);
        break;
      case 'stopping':
        this.line(`leakgraph: stopping: ${event.reason === 'duration' ? '--duration reached' : event.reason === 'exit' ? 'the program ended' : 'interrupted'}`);
        break;
    }
  }

  passThrough(text: string): void {
    this.live.clear();
    process.stderr.write(text);
  }

  line(text: string): void {
    if (this.quiet) return;
    this.live.clear();
    process.stderr.write(`${text}\n`);
  }

  clear(): void {
    this.live.clear();
  }
}
