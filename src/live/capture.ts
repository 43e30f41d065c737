/**
 * leakgraph/live/capture — heap snapshots of a running Node process or Chromium page over the
 * inspector protocol.
 *
 * V8 numbers objects per inspector session: when a session ends, the ids are forgotten and
 * the next session numbers objects afresh. Snapshots to be compared (`growth`, `leaks`) must
 * therefore come from one session, which is why `captureSnapshots` takes a series.
 */

import { setTimeout as delay } from 'node:timers/promises';
import { checkLoopback, chooseTarget, listTargets, parseHostPort, type InspectorTarget } from './discovery.js';
import { LiveError } from './errors.js';
import { InspectorSession } from './inspector-client.js';
import { snapshotToFile, type SnapshotFileInfo, type SnapshotProgress } from './snapshot-to-file.js';

/** Where the target is: an inspector port (`HOST:PORT`) or a target's WebSocket URL. */
export type TargetAddress = { inspect: string } | { ws: string };

export interface OpenTargetOptions {
  /** Connect to a host that is not this machine. */
  allowRemote?: boolean;
  /** With `inspect`: the target whose id is this, or whose URL or title contains it. */
  target?: string;
  /** Milliseconds to wait for the target list and the connection (default 10000). */
  timeout?: number;
}

export interface OpenedTarget {
  session: InspectorSession;
  /** What was connected to, e.g. `node file:///srv/app.js` or `page https://example.com/`. */
  description: string;
}

/**
 * Connects to a target, after checking that it is on this machine (unless `allowRemote`).
 * @throws LiveError when the address is bad or remote, or nothing answers there
 */
export async function openTarget(address: TargetAddress, options: OpenTargetOptions = {}): Promise<OpenedTarget> {
  const allowRemote = options.allowRemote === true;
  let url: string;
  let description: string;
  if ('ws' in address) {
    let parsed: URL;
    try {
      parsed = new URL(address.ws);
    } catch {
      throw new LiveError(`"${address.ws}" is not a WebSocket URL (ws://HOST:PORT/…)`);
    }
    if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') throw new LiveError(`"${address.ws}" is not a WebSocket URL (ws://HOST:PORT/…)`);
    checkLoopback(parsed.hostname, allowRemote);
    url = address.ws;
    description = url;
  } else {
    const endpoint = parseHostPort(address.inspect);
    checkLoopback(endpoint.host, allowRemote);
    const target: InspectorTarget = chooseTarget(await listTargets(endpoint, options.timeout ?? 10_000), options.target);
    url = target.webSocketDebuggerUrl!;
    // The target names its own WebSocket address; it must be as local as the one asked for.
    checkLoopback(new URL(url).hostname, allowRemote);
    const what = target.type === 'node' || !target.title || target.title === target.url ? target.url || target.title : `"${target.title}" ${target.url}`;
    description = `${target.type} ${what.length > 120 ? `${what.slice(0, 119)}…` : what}`;
  }
  return { session: await InspectorSession.connect(url, { timeout: options.timeout }), description };
}

/**
 * Starts recording allocation stacks (`HeapProfiler.startTrackingHeapObjects` with
 * `trackAllocations`): the session's later snapshots carry the stack of every object allocated
 * from now on, for `leakgraph allocs FILE.heapsnapshot`. It ends with the session (stopping it
 * explicitly would take a snapshot of its own).
 * @throws LiveError when the target refuses
 */
export async function startAllocationTracking(session: InspectorSession): Promise<void> {
  await session.send('HeapProfiler.enable');
  await session.send('HeapProfiler.startTrackingHeapObjects', { trackAllocations: true });
}

export interface CaptureOptions {
  /** Collect garbage before each snapshot (`HeapProfiler.collectGarbage`). */
  gc?: boolean;
  /** Milliseconds from the start of one snapshot to the start of the next. */
  every?: number;
  /** Milliseconds to wait before the first snapshot (e.g. while allocations are tracked). */
  after?: number;
  /** Progress of snapshot `index` (0-based). */
  onProgress?: (index: number, progress: SnapshotProgress) => void;
  /** Called when snapshot `index` is written. */
  onSnapshot?: (index: number, info: SnapshotFileInfo) => void;
  /** Called before waiting for the next snapshot. */
  onWait?: (index: number, milliseconds: number) => void;
  signal?: AbortSignal;
}

/**
 * Writes one snapshot per file, in one session, `every` milliseconds apart (start to start),
 * the first `after` milliseconds from now.
 * A failure leaves the files already written and none of the one that failed.
 * @throws LiveError when a snapshot fails
 */
export async function captureSnapshots(session: InspectorSession, files: readonly string[], options: CaptureOptions = {}): Promise<SnapshotFileInfo[]> {
  if (files.length > 1 && options.every === undefined) throw new RangeError('captureSnapshots: several files need options.every');
  const written: SnapshotFileInfo[] = [];
  let next = performance.now() + (options.after ?? 0);
  for (let index = 0; index < files.length; index++) {
    if (index > 0 || next > performance.now()) {
      if (index > 0) next += options.every!;
      const wait = Math.max(0, next - performance.now());
      options.onWait?.(index, wait);
      try {
        await Promise.race([delay(wait, undefined, { signal: options.signal }), session.closed.then(() => { throw new LiveError(`the target went away ${index > 0 ? 'between snapshots' : 'before the snapshot'}`); })]);
      } catch (error) {
        if (error instanceof LiveError) throw error;
        throw new LiveError('snapshot aborted');
      }
    }
    const info = await snapshotToFile(session, files[index], {
      gc: options.gc,
      signal: options.signal,
      onProgress: options.onProgress && ((progress) => options.onProgress!(index, progress)),
    });
    written.push(info);
    options.onSnapshot?.(index, info);
  }
  return written;
}
