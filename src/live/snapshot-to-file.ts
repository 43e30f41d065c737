/**
 * leakgraph/live/snapshot-to-file — `HeapProfiler.takeHeapSnapshot` streamed to disk.
 *
 * The target sends the snapshot as `HeapProfiler.addHeapSnapshotChunk` events before it
 * answers the command. Each chunk goes straight to a write stream; when the stream's buffer
 * (1 MB) is full the socket stops being read until it drains, so the snapshot never sits in
 * our memory.
 * The file is written under a temporary name (`FILE.partial-PID`) and renamed when complete:
 * FILE is whole or not there at all.
 */

import { openFileAtomically } from '../io/atomic-file.js';
import { LiveError } from './errors.js';
import type { InspectorSession } from './inspector-client.js';

export type SnapshotProgress =
  | { phase: 'collecting garbage' }
  /** V8 walking the heap: objects done of total. */
  | { phase: 'taking'; done: number; total: number }
  /** Bytes written so far. */
  | { phase: 'writing'; bytes: number };

export interface SnapshotToFileOptions {
  /** Run `HeapProfiler.collectGarbage` first. */
  gc?: boolean;
  onProgress?: (progress: SnapshotProgress) => void;
  /** Aborting stops waiting, deletes the partial file and rejects. */
  signal?: AbortSignal;
}

export interface SnapshotFileInfo {
  file: string;
  /** Bytes written. */
  size: number;
  /** From the command to the file renamed into place. */
  milliseconds: number;
}

/**
 * Takes a heap snapshot of the session's target and writes it to `file`.
 * @throws LiveError when the target fails or goes away, or the file cannot be written; the
 *   partial file is deleted first
 */
export async function snapshotToFile(session: InspectorSession, file: string, options: SnapshotToFileOptions = {}): Promise<SnapshotFileInfo> {
  if (options.signal?.aborted) throw new LiveError('snapshot aborted');
  const start = performance.now();
  const out = await openFileAtomically(file, { highWaterMark: 1024 * 1024 });
  let size = 0;
  let writeFailed = false;
  let waitingForDrain = false;
  const failure = new Promise<never>((_, reject) => {
    out.stream.on('error', (error) => {
      writeFailed = true;
      reject(new LiveError(`cannot write ${file}: ${error.message}`));
    });
    options.signal?.addEventListener('abort', () => reject(new LiveError('snapshot aborted')), { once: true });
  });
  failure.catch(() => {});
  const unsubscribe = [
    session.on('HeapProfiler.addHeapSnapshotChunk', (params) => {
      if (writeFailed) return;
      const chunk = String(params.chunk ?? '');
      size += Buffer.byteLength(chunk);
      options.onProgress?.({ phase: 'writing', bytes: size });
      if (!out.stream.write(chunk) && !waitingForDrain) {
        waitingForDrain = true;
        session.pause();
        out.stream.once('drain', () => {
          waitingForDrain = false;
          session.resume();
        });
      }
    }),
    session.on('HeapProfiler.reportHeapSnapshotProgress', (params) => {
      options.onProgress?.({ phase: 'taking', done: Number(params.done), total: Number(params.total) });
    }),
  ];
  try {
    if (options.gc) {
      options.onProgress?.({ phase: 'collecting garbage' });
      await Promise.race([session.send('HeapProfiler.collectGarbage'), failure]);
    }
    // Every chunk event arrives before the command's reply.
    await Promise.race([session.send('HeapProfiler.takeHeapSnapshot', { reportProgress: true, treatGlobalObjectsAsRoots: true, captureNumericValue: false }), failure]);
    if (size === 0) throw new LiveError('the target answered with an empty heap snapshot');
    await Promise.race([out.commit(), failure]);
    return { file, size, milliseconds: performance.now() - start };
  } catch (error) {
    await out.abort();
    throw error;
  } finally {
    for (const off of unsubscribe) off();
    if (waitingForDrain) session.resume();
  }
}
