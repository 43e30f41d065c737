/**
 * leakgraph/live/snapshot-queue — the snapshots of a recording, taken one at a time in the
 * order asked (at a time, every N, on a signal), named snapshot-001.heapsnapshot… Samples
 * pause while one is taken: the program is paused too, and a sample would only wait for it.
 */

import { join } from 'node:path';
import type { InspectorSession } from './inspector-client.js';
import type { MemorySampler } from './sampler.js';
import { snapshotToFile, type SnapshotProgress } from './snapshot-to-file.js';
import type { SnapshotTrigger, TimelineSnapshot } from './timeline.js';

export type SnapshotEvent =
  | { type: 'snapshot-progress'; index: number; trigger: SnapshotTrigger; progress: SnapshotProgress }
  | { type: 'snapshot-done'; index: number; snapshot: TimelineSnapshot; path: string }
  | { type: 'snapshot-failed'; index: number; message: string }
  /** A `snapshotEvery` tick came while a snapshot was still being taken. */
  | { type: 'snapshot-skipped'; t: number };

export interface SnapshotQueueOptions {
  session: InspectorSession;
  outDir: string;
  sampler: MemorySampler;
  /** Milliseconds since the program was started. */
  elapsed: () => number;
  onEvent: (event: SnapshotEvent) => void;
}

/** The file name of the recording's snapshot number `index` (1-based). */
export function snapshotFileName(index: number): string {
  return `snapshot-${String(index).padStart(3, '0')}.heapsnapshot`;
}

export class SnapshotQueue {
  readonly snapshots: TimelineSnapshot[] = [];
  private readonly waiting: SnapshotTrigger[] = [];
  private draining: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly options: SnapshotQueueOptions) {}

  /** Asks for a snapshot; a periodic one is skipped when the previous is not done. */
  enqueue(trigger: SnapshotTrigger): void {
    if (this.closed) return;
    if (trigger === 'every' && (this.draining || this.waiting.length > 0)) {
      this.options.onEvent({ type: 'snapshot-skipped', t: this.options.elapsed() });
      return;
    }
    this.waiting.push(trigger);
    this.draining ??= this.drain().finally(() => (this.draining = null));
  }

  /** Takes no more snapshots; resolves when the one being taken is written. */
  async close(): Promise<void> {
    this.closed = true;
    await this.draining;
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0 && !this.closed) await this.take(this.waiting.shift()!);
  }

  private async take(trigger: SnapshotTrigger): Promise<void> {
    const { session, outDir, sampler, elapsed, onEvent } = this.options;
    const index = this.snapshots.length + 1;
    const name = snapshotFileName(index);
    const path = join(outDir, name);
    sampler.paused = true;
    // Let a sample in flight finish first: it would otherwise wait for the snapshot.
    await sampler.settled();
    const t = elapsed();
    try {
      const info = await snapshotToFile(session, path, { onProgress: (progress) => onEvent({ type: 'snapshot-progress', index, trigger, progress }) });
      const snapshot: TimelineSnapshot = { t, file: name, trigger, size: info.size, duration: Math.round(info.milliseconds) };
      this.snapshots.push(snapshot);
      onEvent({ type: 'snapshot-done', index, snapshot, path });
    } catch (error) {
      onEvent({ type: 'snapshot-failed', index, message: (error as Error).message });
    } finally {
      sampler.paused = false;
    }
  }
}
