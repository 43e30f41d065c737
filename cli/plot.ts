/**
 * `leakgraph plot DIR/timeline.json [-o plot.svg]` — redraws a recorded timeline (mprof plot).
 */

import { Command, InvalidArgumentError } from 'commander';
import { plot } from '../src/commands/plot.js';
import { TIMELINE_SERIES, type TimelineSeries } from '../src/render/timeline-svg.js';
import { emit, parseCount, withOutputOption, type OutputOption, type QuietOption } from './common.js';

interface PlotOptions extends OutputOption, QuietOption {
  title?: string;
  width: number;
  height: number;
  series?: TimelineSeries[];
}

function parseSeries(value: string): TimelineSeries[] {
  const names = value.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = names.find((name) => !(TIMELINE_SERIES as readonly string[]).includes(name));
  if (unknown !== undefined || names.length === 0) throw new InvalidArgumentError(`expected a list of ${TIMELINE_SERIES.join(', ')}`);
  return names as TimelineSeries[];
}

export function plotCommand(): Command {
  return withOutputOption(new Command('plot'), 'the SVG')
    .description('draw a timeline recorded by record as SVG: heap used in its own panel on an axis fitted to it, RSS (with heap total) in a panel below, snapshot moments in both, trend lines with their slopes')
    .argument('<timeline>', 'a timeline.json written by leakgraph record')
    .option('--title <text>', 'chart title (default: the recorded command)')
    .option('--series <names>', `lines to draw, comma-separated: ${TIMELINE_SERIES.join(', ')} (default all); heapUsed goes in the upper panel, the others in the lower one, and a panel with none of its lines is left out`, parseSeries)
    .option('--width <pixels>', 'image width', parseCount, 960)
    .option('--height <pixels>', 'image height', parseCount, 600)
    .option('-q, --quiet', 'no message on stderr')
    .addHelpText('after', `
Heap used's axis starts at 0 unless that would flatten it; then it starts at a round value
below its lowest sample, and the chart says so ("axis from 4 MB, not 0").

Examples:
  leakgraph plot run1/timeline.json -o run1.svg
  leakgraph plot run1/timeline.json > run1.svg
  leakgraph plot run1/timeline.json -o heap.svg --series heapUsed --title 'heap used, run 1'`)
    .action(async (file: string, options: PlotOptions) => {
      const svg = await plot(file, { title: options.title, width: options.width, height: options.height, series: options.series });
      await emit(options, svg);
    });
}
