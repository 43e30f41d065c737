/**
 * `leakgraph capture (--inspect HOST:PORT | --ws URL) -o FILE` — a heap snapshot of a running
 * Node process or Chromium page over the inspector protocol, streamed to disk.
 */

import { Command } from 'commander';
import { capture } from '../src/commands/capture.js';
import type { TargetAddress } from '../src/live/capture.js';
import { formatDuration } from '../src/live/duration.js';
import type { SnapshotProgress } from '../src/live/snapshot-to-file.js';
import { formatBytes } from '../src/render/format.js';
import { jsonText } from '../src/render/json.js';
import { EXIT_INTERRUPTED } from './exit-codes.js';
import { parseCount, parseDuration, UsageError, writeOut } from './common.js';
import { ProgressLine, snapshotProgressText } from './progress.js';

interface CaptureOptions {
  inspect?: string;
  ws?: string;
  output: string;
  gc?: boolean;
  allowRemote?: boolean;
  target?: string;
  count: number;
  every?: number;
  after?: number;
  trackAllocations?: boolean;
  json?: boolean;
  quiet?: boolean;
}

export function captureCommand(): Command {
  return new Command('capture')
    .description('take a heap snapshot of a running Node or Deno process (--inspect, or after SIGUSR1) or Chromium page over the inspector protocol, streamed to disk')
    .option('--inspect <host:port>', 'the inspector\'s address, e.g. 127.0.0.1:9229 (targets are listed at /json/list)')
    .option('--ws <url>', 'a target\'s WebSocket URL, e.g. ws://127.0.0.1:9229/<id> as printed by node --inspect')
    .requiredOption('-o, --output <file>', 'write the snapshot here (whole or not at all)')
    .option('--gc', 'collect garbage first')
    .option('--count <n>', 'take N snapshots in one session, named FILE-1, FILE-2… (with --every)', parseCount, 1)
    .option('--every <duration>', 'time between snapshots with --count, e.g. 30s or 2m', parseDuration)
    .option('--after <duration>', 'wait this long before the first snapshot, e.g. 30s', parseDuration)
    .option('--track-allocations', 'record the allocation stack of every object allocated from the connection on (with --after), for leakgraph allocs FILE')
    .option('--target <id|text>', 'with --inspect: the target whose id is this, or whose URL or title contains it (default: the Node process, or the first page)')
    .option('--allow-remote', 'connect to a host that is not this machine (the inspector has no authentication)')
    .option('--json', 'print the target and the snapshots written as JSON (see docs/json.md)')
    .option('-q, --quiet', 'no progress on stderr')
    .addHelpText('after', `
Snapshots to compare with growth or leaks must come from one inspector session (V8 renumbers
objects in each session): take them together with --count and --every, or use record.

Examples:
  node --inspect server.js &                         # or: kill -USR1 <pid> on a running process
  leakgraph capture --inspect 127.0.0.1:9229 -o server.heapsnapshot
  leakgraph capture --inspect 9229 --gc --count 3 --every 30s -o server.heapsnapshot
  leakgraph capture --inspect 9229 --track-allocations --after 30s -o tracked.heapsnapshot
  leakgraph allocs tracked.heapsnapshot --stack
  deno run --inspect=127.0.0.1:9229 server.ts &
  leakgraph capture --inspect 127.0.0.1:9229 -o deno.heapsnapshot
  chromium --remote-debugging-port=9222 &
  leakgraph capture --inspect 127.0.0.1:9222 --target example.com -o page.heapsnapshot`)
    .action(async (options: CaptureOptions) => {
      if ((options.inspect === undefined) === (options.ws === undefined)) throw new UsageError('capture: give one of --inspect HOST:PORT or --ws URL');
      const address: TargetAddress = options.inspect !== undefined ? { inspect: options.inspect } : { ws: options.ws! };
      const reporter = new CaptureReporter(options.quiet === true);
      // Ctrl-C deletes the file being written before leakgraph exits.
      const abort = new AbortController();
      const onSignal = () => abort.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        const result = await capture(address, options.output, {
          allowRemote: options.allowRemote,
          target: options.target,
          gc: options.gc,
          count: options.count,
          every: options.every,
          after: options.after,
          trackAllocations: options.trackAllocations,
          signal: abort.signal,
          onConnected: (description) => reporter.line(`leakgraph: connected to ${description}${options.trackAllocations ? '; tracking allocations' : ''}`),
          onProgress: (file, progress) => reporter.progress(file, progress),
          onSnapshot: (info) => reporter.line(`leakgraph: wrote ${info.file} (${formatBytes(info.size)}) in ${formatDuration(info.milliseconds)}`),
          onWait: (index, milliseconds) => reporter.line(`leakgraph: snapshot ${index + 1} of ${options.count} in ${formatDuration(milliseconds)}`),
        });
        if (options.json) writeOut(jsonText(result));
      } catch (error) {
        reporter.clear();
        if (!abort.signal.aborted) throw error;
        process.stderr.write('leakgraph: interrupted; no partial file left\n');
        process.exitCode = EXIT_INTERRUPTED;
      } finally {
        reporter.clear();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
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
    const text = snapshotProgressText(progress, 'taking the snapshot');
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
