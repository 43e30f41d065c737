/**
 * leakgraph/render/timeline — what `leakgraph record` recorded, as text.
 */

import { join } from 'node:path';
import { formatDuration } from '../live/duration.js';
import type { MemorySample, Timeline, Trend } from '../live/timeline.js';
import { formatBytes, formatCount } from './format.js';
import { renderTable } from './table.js';
import { formatRate } from './timeline-svg.js';

/** How the recording ended, for people. */
function describeEnd(timeline: Timeline): string {
  const { reason, exitCode, signal } = timeline.end;
  const how = signal ? `stopped by ${signal}` : exitCode !== null ? `exited with code ${exitCode}` : 'gone';
  if (reason === 'duration') return `until --duration (the program ${how})`;
  if (reason === 'stopped') return `until interrupted (the program ${how})`;
  return `until the program ${how}`;
}

/**
 * The recording in a few lines: how long, memory at the start and end with its trend, and the
 * snapshots written to `dir`.
 */
export function renderRecordingText(timeline: Timeline, dir: string, svgFile?: string): string {
  const lines: string[] = [];
  const samples = timeline.samples;
  lines.push(`Recorded ${timeline.command.join(' ')} (pid ${timeline.pid}) for ${formatDuration(timeline.duration)}, ${describeEnd(timeline)}: ${formatCount(samples.length)} samples, ${formatCount(timeline.snapshots.length)} snapshot${timeline.snapshots.length === 1 ? '' : 's'}.`);
  if (samples.length > 0) {
    const rows: Array<{ name: string; key: keyof MemorySample; trend?: Trend | null }> = [
      { name: 'heap used', key: 'heapUsed', trend: timeline.trends.heapUsed },
      { name: 'heap total', key: 'heapTotal' },
      { name: 'RSS', key: 'rss', trend: timeline.trends.rss },
    ];
    if (samples.some((sample) => sample.childrenRss !== undefined)) rows.push({ name: 'children RSS', key: 'childrenRss' });
    const first = samples[0];
    const last = samples[samples.length - 1];
    lines.push('');
    lines.push(
      renderTable<(typeof rows)[number]>(
        [
          { title: 'Memory', align: 'left', value: (row) => row.name },
          { title: 'First', align: 'right', value: (row) => formatBytes(first[row.key] ?? 0) },
          { title: 'Last', align: 'right', value: (row) => formatBytes(last[row.key] ?? 0) },
          { title: 'Peak', align: 'right', value: (row) => formatBytes(Math.max(...samples.map((sample) => sample[row.key] ?? 0))) },
          { title: 'Trend', align: 'right', value: (row) => (row.trend ? formatRate(row.trend.slope) : '') },
        ],
        rows,
      ),
    );
  }
  if (timeline.snapshots.length > 0) {
    lines.push('', 'Snapshots:');
    timeline.snapshots.forEach((snapshot, i) => {
      lines.push(`  ${i + 1}. ${join(dir, snapshot.file)}  at ${formatDuration(snapshot.t)}, ${formatBytes(snapshot.size)}, took ${formatDuration(snapshot.duration)}${snapshot.trigger === 'signal' ? ' (SIGUSR2)' : ''}`);
    });
  }
  lines.push('', `Timeline: ${join(dir, 'timeline.json')}${svgFile ? `, ${svgFile}` : ''}`);
  return `${lines.join('\n')}\n`;
}
