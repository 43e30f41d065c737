/**
 * `leakgraph summary FILE` — the heap grouped by class, as DevTools' Summary view.
 */

import { Command, Option } from 'commander';
import { sortClasses, summarizeClasses, type SummarySort } from '../src/index.js';
import { renderSummaryJson, renderSummaryText } from '../src/render/summary.js';
import { loadForCli, parseCount, writeOut } from './common.js';

interface SummaryOptions {
  top: number;
  sort: SummarySort;
  json?: boolean;
  quiet?: boolean;
}

export function summaryCommand(): Command {
  return new Command('summary')
    .description('the heap grouped by class: count, shallow size, retained size, distance (DevTools\' Summary view)')
    .argument('<file>', 'a .heapsnapshot file, plain or gzipped')
    .option('--top <n>', 'show the N largest classes (0 = all)', parseCount, 25)
    .addOption(new Option('--sort <column>', 'order rows by').choices(['retained', 'shallow', 'count']).default('retained'))
    .option('--json', 'print JSON (sizes in bytes; see docs/json.md)')
    .option('-q, --quiet', 'no progress line on stderr')
    .action(async (file: string, options: SummaryOptions) => {
      const { graph, seconds } = await loadForCli(file, options.quiet === true);
      const sorted = sortClasses(summarizeClasses(graph), options.sort);
      const report = {
        file,
        nodeCount: graph.snapshot.nodeCount,
        edgeCount: graph.snapshot.edgeCount,
        totalSize: graph.totalSize,
        loadSeconds: seconds,
        classes: options.top === 0 ? sorted : sorted.slice(0, options.top),
        classCount: sorted.length,
      };
      writeOut(options.json ? renderSummaryJson(report) : renderSummaryText(report));
    });
}
