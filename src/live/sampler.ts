/**
 * leakgraph/live/sampler — one memory sample of a program at a time: heap used and heap total
 * from `Runtime.getHeapUsage` (the program's main thread answers it), RSS from the OS.
 */

import type { InspectorSession } from './inspector-client.js';
import { readDescendantsRss, readRss } from './memory.js';
import type { MemorySample } from './timeline.js';

export class MemorySampler {
  readonly samples: MemorySample[] = [];
  /** While set (a snapshot is being taken, and the program is paused), no sample is kept. */
  paused = false;
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly session: InspectorSession,
    private readonly pid: number,
    private readonly includeChildren: boolean,
    private readonly onSample: (sample: MemorySample) => void,
  ) {}

  /** Starts a sample dated `t` unless one is being taken or sampling is paused. */
  sampleAt(t: number): void {
    if (this.inFlight || this.paused) return;
    this.inFlight = this.sample(t).finally(() => (this.inFlight = null));
  }

  /** Resolves when the sample being taken, if any, is done (or after `limit` milliseconds). */
  async settled(limit = Infinity): Promise<void> {
    if (!this.inFlight) return;
    if (limit === Infinity) return this.inFlight;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.inFlight, new Promise((resolve) => (timer = setTimeout(resolve, limit)))]);
    clearTimeout(timer);
  }

  private async sample(t: number): Promise<void> {
    try {
      const [usage, rss, childrenRss] = await Promise.all([
        this.session.send<{ usedSize: number; totalSize: number }>('Runtime.getHeapUsage'),
        readRss(this.pid),
        this.includeChildren ? readDescendantsRss(this.pid) : Promise.resolve(undefined),
      ]);
      if (rss === null || this.paused) return;
      const sample: MemorySample = { t, heapUsed: usage.usedSize, heapTotal: usage.totalSize, rss };
      if (childrenRss !== undefined) sample.childrenRss = childrenRss;
      this.samples.push(sample);
      this.onSample(sample);
    } catch {
      // The program is going away; the recording stops on its own.
    }
  }
}
