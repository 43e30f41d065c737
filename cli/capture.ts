/**
 * `leakgraph capture (--inspect HOST:PORT | --ws URL) -o FILE` — a heap snapshot of a running
 * Node process or Chromium page over the inspector protocol, streamed to disk.
 */

import { Command } from 'commander';
import { captureSnapshots, openTarget, type TargetAddress } from '../src/live/capture.js';
import { formatDuration } from '../src/live/duration.js';
import { LiveError } from '../src/live/errors.js';
import type { SnapshotProgress } from '../src/live/snapshot-to-file.js';
import { formatBytes } from '../src/render/format.js';
import { parseCount, parseDuration, UsageError } from './common.js';
import { ProgressLine } from './progress.js';

interface CaptureOptions {
  inspect?: string;
  ws?: string;
  output: string;
  gc?: boolean;
  allowRemote?: boolean;
  target?: string;
  count: number;
  every?: number;
  quiet?: boolean;
}

/** Exit code after Ctrl-C, as shells report it. */
const EXIT_INTERRUPTED = 130;

export function captureCommand(): Command {
  return new Command('capture')
    .description('take a heap snapshot of a running Node process (--inspect, or after SIGUSR1) or Chromium page over the inspector protocol, streamed to disk')
    .option('--inspect <host:port>', 'the inspector\'s address, e.g. 127.0.0.1:9229 (targets are listed at /json/list)')
    .option('--ws <url>', 'a target\'s WebSocket URL, e.g. ws://127.0.0.1:9229/<id> as printed by node --inspect')
    .requiredOption('-o, --output <file>', 'write the snapshot here (whole or not at all)')
    .option('--gc', 'collect garbage first')
    .option('--count <n>', 'take N snapshots in one session, named FILE-1, FILE-2… (with --every)', parseCount, 1)
    .option('--every <duration>', 'time between snapshots with --count, e.g. 30s or 2m', parseDuration)
    .option('--target <id|text>', 'with --inspect: the target whose id is this, or whose URL or title contains it (default: the Node process, or the first page)')
    .option('--allow-remote', 'connect to a host that is not this machine (the inspector has no authentication)')
    .option('-q, --quiet', 'no progress on stderr')
    .addHelpText('after', `
Snapshots to compare with growth or leaks must come from one inspector session (V8 renumbers
objects in each session): take them together with --count and --every, or use record.

Examples:
  node --inspect server.js &                         # or: kill -USR1 <pid> on a running process
  leakgraph capture --inspect 127.0.0.1:9229 -o server.heapsnapshot
  leakgraph capture --inspect 9229 --gc --count 3 --every 30s -o server.heapsnapshot
  chromium --remote-debugging-port=9222 &
  leakgraph capture --inspect 127.0.0.1:9222 --target example.com -o page.heapsnapshot`)
    .action(async (options: CaptureOptions) => {
      if ((options.inspect === undefined) === (options.ws === undefined)) throw new UsageError('capture: give one of --inspect HOST:PORT or --ws URL');
      if (options.count < 1) throw new UsageError('capture: --count must be at least 1');
      if (options.count > 1 && options.every === undefined) throw new UsageError('capture: --count needs --every (e.g. --every 30s)');
      if (options.ws !== undefined && options.target !== undefined) throw new UsageError('capture: --target goes with --inspect, not --ws');
      const address: TargetAddress = options.inspect !== undefined ? { inspect: options.inspect } : { ws: options.ws! };
      const files = seriesFiles(options.output, options.count);
      const reporter = new CaptureReporter(options.quiet === true);
      const { session, description } = await openTarget(address, { allowRemote: options.allowRemote, target: options.target });
      reporter.line(`leakgraph: connected to ${description}`);
      // From here on Ctrl-C deletes the file being written before leakgraph exits.
      const abort = new AbortController();
      const onSignal = () => abort.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        await captureSnapshots(session, files, {
          gc: options.gc,
          every: options.every,
          signal: abort.signal,
          onProgress: (index, progress) => reporter.progress(files[index], progress),
          onSnapshot: (_, info) => reporter.line(`leakgraph: wrote ${info.file} (${formatBytes(info.size)}) in ${formatDuration(info.milliseconds)}`),
          onWait: (index, milliseconds) => reporter.line(`leakgraph: snapshot ${index + 1} of ${files.length} in ${formatDuration(milliseconds)}`),
        });
      } catch (error) {
        reporter.clear();
        if (abort.signal.aborted && error instanceof LiveError) {
          process.stderr.write('leakgraph: interrupted; no partial file left\n');
          process.exitCode = EXIT_INTERRUPTED;
          return;
        }
        throw error;
      } finally {
        reporter.clear();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        await session.close();
      }
    });
}

/** FILE for one snapshot; FILE-1, FILE-2… (before a .heapsnapshot extension) for a series. */
function seriesFiles(file: string, count: number): string[] {
  if (count === 1) return [file];
  const match = /^(.*?)(\.heapsnapshot)?$/i.exec(file)!;
  return Array.from({ length: count }, (_, i) => `${match[1]}-${i + 1}${match[2] ?? ''}`);
}

/** Progress on stderr: a self-overwriting line on a terminal, milestones otherwise. */
class CaptureReporter {
  private readonly live: ProgressLine;
  private lastPhase = '';

  constructor(private readonly quiet: boolean) {
    this.live = new ProgressLine(!quiet && process.stderr.isTTY === true);
  }

  progress(file: string, progress: SnapshotProgress): void {
    if (this.quiet) return;
    const text =
      progress.phase === 'taking' ? `taking the snapshot ${progress.total > 0 ? Math.floor((progress.done / progress.total) * 100) : 0}%` :
      progress.phase === 'writing' ? `writing ${formatBytes(progress.bytes)}` :
      'collecting garbage';
    if (process.stderr.isTTY) this.live.update(`leakgraph: ${file}: ${text}`, progress.phase === 'collecting garbage');
    else if (progress.phase !== this.lastPhase) process.stderr.write(`leakgraph: ${file}: ${progress.phase === 'taking' ? 'taking the snapshot' : progress.phase === 'writing' ? 'writing' : text}\n`);
    this.lastPhase = progress.phase;
  }

  line(text: string): void {
    if (this.quiet) return;
    this.live.clear();
    this.lastPhase = '';
    process.stderr.write(`${text}\n`);
  }

  clear(): void {
    this.live.clear();
  }
}
