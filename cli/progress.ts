/**
 * One self-overwriting status line on stderr during long loads, only on a terminal.
 */

import type { SnapshotProgress } from '../src/live/snapshot-to-file.js';
import { formatBytes } from '../src/render/format.js';

export class ProgressLine {
  private lastWrite = 0;
  private shown = false;

  constructor(private readonly enabled: boolean) {}

  update(text: string, force = false): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.lastWrite < 100) return;
    this.lastWrite = now;
    process.stderr.write(`\r\x1b[K${text}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) process.stderr.write('\r\x1b[K');
    this.shown = false;
  }
}

/** A snapshot being taken, for the progress line: `taking 40%`, `writing 3.2 MB`. */
export function snapshotProgressText(progress: SnapshotProgress, taking = 'taking'): string {
  if (progress.phase === 'taking') return `${taking} ${progress.total > 0 ? Math.floor((progress.done / progress.total) * 100) : 0}%`;
  if (progress.phase === 'writing') return `writing ${formatBytes(progress.bytes)}`;
  return 'collecting garbage';
}
