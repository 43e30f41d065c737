/**
 * `leakgraph summary FILE` — the heap grouped by class, as DevTools' Summary view.
 */

import { Command, Option } from 'commander';
import type { SummarySort } from '../src/analysis/summary.js';
import { summaryReport, SUMMARY_TOP } from '../src/commands/summary.js';
import { jsonText } from '../src/render/json.js';
import { renderSummaryText, summaryJson } from '../src/render/summary.js';
import { emit, loadProgress, parseCount, withJsonOption, withOutputOption, type OutputOption, type QuietOption } from './common.js';

interface SummaryOptions extends OutputOption, QuietOption {
  top: number;
  sort: SummarySort;
  json?: boolean;
}

export function summaryCommand(): Command {
  return withOutputOption(withJsonOption(new Command('summary'), 'sizes in bytes'))
    .description('the heap grouped by class: count, shallow size, retained size, distance (DevTools\' Summary view)')
    .argument('<file>', 'a .heapsnapshot file, plain or gzipped')
    .option('--top <n>', 'show the N largest classes (0 = all)', parseCount, SUMMARY_TOP)
    .addOption(new Option('--sort <column>', 'order rows by').choices(['retained', 'shallow', 'count']).default('retained'))
    .action(async (file: string, options: SummaryOptions) => {
      const report = await loadProgress(options, (progress) => summaryReport(file, { ...progress, top: options.top, sort: options.sort }));
      await emit(options, options.json ? jsonText(summaryJson(report)) : renderSummaryText(report));
    });
}
