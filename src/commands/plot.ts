/**
 * leakgraph/commands/plot — a timeline recorded by `record`, redrawn as SVG (mprof plot).
 */

import { readFile } from 'node:fs/promises';
import { LeakgraphError, UsageError } from '../errors.js';
import { parseTimeline, type Timeline } from '../live/timeline.js';
import { renderTimelineSvg, type TimelineSvgOptions } from '../render/timeline-svg.js';

export type PlotOptions = TimelineSvgOptions;

/** The smallest image the two panels and their labels fit in. */
export const PLOT_MIN_SIZE = 400;

/**
 * Reads a timeline.json.
 * @throws UsageError when the file cannot be read; LiveError when it is not a timeline
 */
export async function readTimelineFile(file: string): Promise<Timeline> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new LeakgraphError(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory (give DIR/timeline.json)' : (error as Error).message}`);
  }
  return parseTimeline(text, file);
}

/** The timeline in `file` (or given) drawn as SVG: what `leakgraph plot` writes. */
export async function plot(source: string | Timeline, options: PlotOptions = {}): Promise<string> {
  if ((options.width ?? PLOT_MIN_SIZE) < PLOT_MIN_SIZE || (options.height ?? PLOT_MIN_SIZE) < PLOT_MIN_SIZE) {
    throw new UsageError(`plot: the image must be at least ${PLOT_MIN_SIZE} × ${PLOT_MIN_SIZE} pixels`);
  }
  const timeline = typeof source === 'string' ? await readTimelineFile(source) : source;
  return renderTimelineSvg(timeline, options);
}
