/**
 * `leakgraph record [options] -- COMMAND [ARGS…]` — runs a Node program under the inspector,
 * samples its memory, takes snapshots on a schedule or on SIGUSR2, and writes the snapshots,
 * timeline.json and timeline.svg; `--leaks` ends with `leaks` on them (mprof run + plot).
 */

import { Command, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_MIN_RETAINED, foundLeaks } from '../src/commands/leaks.js';
import { RECORD_INTERVAL, recordJson, recordReport, snapshotsToCompare, type RecordCommandOptions } from '../src/commands/record.js';
import { formatDuration, parseDurationList } from '../src/live/duration.js';
import type { RecordEvent, Recording } from '../src/live/recorder.js';
import { formatBytes } from '../src/render/format.js';
import { jsonText } from '../src/render/json.js';
import { renderLeaksText } from '../src/render/leaks.js';
import { renderRecordingText } from '../src/render/timeline.js';
import { loadProgress, parseByteSize, parseDuration, UsageError, writeOut } from './common.js';
import { EXIT_INTERRUPTED, EXIT_LEAKS_FOUND } from './exit-codes.js';
import { ProgressLine, snapshotProgressText } from './progress.js';
import { withSourceMapOptions, type SourceMapCliOptions } from './source-map-options.js';

/** The library's options as commander gives them, and the CLI's own. */
interface RecordOptions extends SourceMapCliOptions, Pick<RecordCommandOptions, 'includeChildren' | 'snapshotAt' | 'snapshotEvery' | 'duration' | 'trackAllocations' | 'leaks'> {
  output: string;
  interval: number;
  minRetained: number;
  fail?: boolean;
  json?: boolean;
  quiet?: boolean;
}

function parseTimes(value: string): number[] {
  const times = parseDurationList(value);
  if (times === null) throw new InvalidArgumentError('expected durations with units, like 5s,10s,15s');
  return times.sort((a, b) => a - b);
}

export function recordCommand(): Command {
  return withSourceMapOptions(new Command('record'))
    .description('run a Node or Deno program under the inspector and record its memory over time (heap used, heap total, RSS), with heap snapshots; writes the snapshots, timeline.json and timeline.svg (heap used above on its own axis, RSS below)')
    .usage('[options] -- COMMAND [ARGS...]')
    .argument('<command...>', 'node [NODE-OPTIONS] SCRIPT [ARGS…], a .js/.mjs/.cjs script, or deno run [DENO-OPTIONS] SCRIPT [ARGS…] (after --)')
    .requiredOption('-o, --output <dir>', 'directory for the snapshots, timeline.json and timeline.svg (created if missing)')
    .addOption(new Option('--interval <duration>', 'time between samples').argParser(parseDuration).default(RECORD_INTERVAL, '100ms'))
    .option('--include-children', 'also sample the summed RSS of the program\'s child processes')
    .option('--snapshot-at <times>', 'take snapshots at these times since the start, e.g. 5s,10s,15s', parseTimes)
    .option('--snapshot-every <duration>', 'take a snapshot every DURATION, e.g. 30s', parseDuration)
    .option('--duration <duration>', 'stop the program after DURATION (default: record until it exits, or Ctrl-C)', parseDuration)
    .option('--track-allocations', 'record the allocation stack of every object from the start, so that leakgraph allocs can read the snapshots')
    .option('--leaks', 'at the end, run leaks on the first, middle and last snapshots and print its report')
    .option('--min-retained <bytes>', 'with --leaks: leave out what retains less', parseByteSize, DEFAULT_MIN_RETAINED)
    .option('--fail', 'with --leaks: exit with code 1 when a leak is found')
    .option('--json', 'print the recording (timeline.json\'s content, the files written, and with --leaks what leaks found) as JSON (see docs/json.md)')
    .option('-q, --quiet', 'no progress on stderr')
    .addHelpText('after', `
SIGUSR2 sent to leakgraph takes a snapshot at once; Ctrl-C stops the recording (and the program)
and still writes everything.

Examples:
  leakgraph record -o run1 --snapshot-at 5s,10s,15s --duration 20s --leaks -- node server.js
  leakgraph record -o run2 --snapshot-every 1m -- node --max-old-space-size=512 worker.js --queue jobs
  leakgraph record -o run3 --snapshot-at 10s --duration 12s --track-allocations -- node server.js
  leakgraph record -o run4 --snapshot-every 5s --duration 20s -- deno run --allow-net server.ts
  leakgraph plot run1/timeline.json -o run1.svg`)
    .action(async (commandLine: string[], options: RecordOptions) => {
      if ((options.minRetained !== DEFAULT_MIN_RETAINED || options.fail) && !options.leaks) throw new UsageError('record: --min-retained and --fail go with --leaks');
      const reporter = new RecordReporter(options.quiet === true, `${commandLine.join(' ')}`, options.output, options.interval);
      const interrupts = new InterruptHandler(reporter);
      try {
        const report = await loadProgress(options, (progress) =>
          recordReport(commandLine, options.output, {
            ...options,
            ...progress,
            signal: interrupts.signal,
            onStart: (recording) => interrupts.attach(recording),
            onEvent: (event) => reporter.event(event),
            onStderr: (text) => reporter.passThrough(text),
            onRecorded: (recorded) => {
              interrupts.recorded();
              reporter.clear();
              if (recorded.interrupted) process.exitCode = EXIT_INTERRUPTED;
              if (options.json) return;
              writeOut(renderRecordingText(recorded.timeline, recorded.directory, recorded.svgFile));
              if (options.leaks) writeOut(`\n$ leakgraph leaks ${snapshotsToCompare(recorded).join(' ')}\n`);
            },
          }),
        );
        if (options.json) writeOut(jsonText(recordJson(report)));
        else if (report.leaks) writeOut(renderLeaksText(report.leaks, options.minRetained, false));
        if (options.fail && report.leaks && foundLeaks(report.leaks)) process.exitCode = EXIT_LEAKS_FOUND;
      } finally {
        reporter.clear();
        interrupts.detach();
      }
    });
}

/**
 * Ctrl-C (or SIGTERM) stops the recording, which is still written; a second one ends
 * everything at once. SIGUSR2 takes a snapshot.
 */
class InterruptHandler {
  count = 0;
  private readonly abort = new AbortController();
  private recording: Recording | null = null;
  private readonly onInterrupt = () => {
    this.count++;
    if (this.count === 1) this.abort.abort();
    else {
      // A second Ctrl-C: no waiting for anything.
      try {
        if (this.recording) process.kill(this.recording.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
      process.exit(EXIT_INTERRUPTED);
    }
  };
  private readonly onSnapshotSignal = () => {
    this.reporter.line('leakgraph: SIGUSR2: taking a snapshot');
    this.recording?.requestSnapshot();
  };

  constructor(private readonly reporter: RecordReporter) {
    process.on('SIGINT', this.onInterrupt);
    process.on('SIGTERM', this.onInterrupt);
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  attach(recording: Recording): void {
    this.recording = recording;
    process.on('SIGUSR2', this.onSnapshotSignal);
  }

  /** The recording is written: SIGUSR2 has nothing more to do. */
  recorded(): void {
    process.off('SIGUSR2', this.onSnapshotSignal);
  }

  detach(): void {
    this.recorded();
    process.off('SIGINT', this.onInterrupt);
    process.off('SIGTERM', this.onInterrupt);
  }
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
      case 'snapshot-progress':
        this.live.update(`leakgraph: snapshot ${event.index}: ${snapshotProgressText(event.progress)}`);
        break;
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
