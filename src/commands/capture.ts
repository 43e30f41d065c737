/**
 * leakgraph/commands/capture — heap snapshots of a running Node or Deno process or Chromium
 * page over the inspector protocol, streamed to disk; with allocation stacks on request.
 */

import { UsageError } from '../errors.js';
import { checkOutputPath } from '../io/atomic-file.js';
import { captureSnapshots, openTarget, startAllocationTracking, type OpenTargetOptions, type TargetAddress } from '../live/capture.js';
import type { SnapshotProgress } from '../live/snapshot-to-file.js';

export interface CaptureCommandOptions extends OpenTargetOptions {
  /** Collect garbage before each snapshot. */
  gc?: boolean;
  /** Snapshots to take in one session (default 1), named FILE-1, FILE-2… when more than one. */
  count?: number;
  /** Milliseconds between snapshots, start to start (needed with `count` > 1). */
  every?: number;
  /** Milliseconds to wait before the first snapshot. */
  after?: number;
  /** Record allocation stacks from the connection on, so that `allocs` can read the snapshots. */
  trackAllocations?: boolean;
  /** Aborting stops the capture and deletes the file being written. */
  signal?: AbortSignal;
  /** Connected: what to (e.g. `node file:///srv/app.js`). */
  onConnected?: (description: string) => void;
  onProgress?: (file: string, progress: SnapshotProgress) => void;
  /** Snapshot `index` (0-based) will be taken in `milliseconds`. */
  onWait?: (index: number, milliseconds: number) => void;
  onSnapshot?: (snapshot: CapturedSnapshot) => void;
}

export interface CapturedSnapshot {
  file: string;
  /** Bytes. */
  size: number;
  /** From the command to the file renamed into place. */
  milliseconds: number;
}

/** What `leakgraph capture --json` prints. */
export interface CaptureJson {
  /** What was connected to. */
  target: string;
  /** Whether the snapshots carry allocation stacks (from the connection on). */
  trackAllocations: boolean;
  snapshots: CapturedSnapshot[];
}

/** FILE for one snapshot; FILE-1, FILE-2… (before a .heapsnapshot extension) for a series. */
export function seriesFiles(file: string, count: number): string[] {
  if (count === 1) return [file];
  const match = /^(.*?)(\.heapsnapshot)?$/i.exec(file)!;
  return Array.from({ length: count }, (_, i) => `${match[1]}-${i + 1}${match[2] ?? ''}`);
}

function checkCaptureOptions(address: TargetAddress, options: CaptureCommandOptions): void {
  const count = options.count ?? 1;
  if (!Number.isInteger(count) || count < 1) throw new UsageError('capture: --count must be at least 1');
  if (count > 1 && options.every === undefined) throw new UsageError('capture: --count needs --every (e.g. --every 30s)');
  if ('ws' in address && options.target !== undefined) throw new UsageError('capture: --target goes with --inspect, not --ws');
  // Tracking shows what is allocated after it starts: a snapshot taken at once has nothing.
  if (options.trackAllocations && count === 1 && options.after === undefined) {
    throw new UsageError('capture: --track-allocations needs --after DURATION, the time to record allocations before the snapshot (e.g. --after 30s)');
  }
}

/**
 * Takes `count` snapshots of the target into `output` (FILE, or FILE-1, FILE-2…), in one
 * session so that they can be compared. `output`'s folder is checked before connecting.
 * @throws UsageError for options that do not go together; LeakgraphError when `output`
 *   cannot be written; LiveError when the target cannot be reached or a snapshot fails
 */
export async function capture(address: TargetAddress, output: string, options: CaptureCommandOptions = {}): Promise<CaptureJson> {
  checkCaptureOptions(address, options);
  const files = seriesFiles(output, options.count ?? 1);
  await checkOutputPath(files[0]);
  const { session, description } = await openTarget(address, options);
  options.onConnected?.(description);
  try {
    if (options.trackAllocations) await startAllocationTracking(session);
    const written = await captureSnapshots(session, files, {
      gc: options.gc,
      every: options.every,
      after: options.after,
      signal: options.signal,
      onProgress: options.onProgress && ((index, progress) => options.onProgress!(files[index], progress)),
      onWait: options.onWait,
      onSnapshot: options.onSnapshot && ((_, info) => options.onSnapshot!({ file: info.file, size: info.size, milliseconds: info.milliseconds })),
    });
    return {
      target: description,
      trackAllocations: options.trackAllocations === true,
      snapshots: written.map((info) => ({ file: info.file, size: info.size, milliseconds: Math.round(info.milliseconds) })),
    };
  } finally {
    await session.close();
  }
}
