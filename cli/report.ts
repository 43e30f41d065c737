/**
 * `leakgraph report A [B [C]] -o report.html` — one self-contained HTML file for a bug report.
 */

import { Command } from 'commander';
import { DEFAULT_MIN_RETAINED } from '../src/analysis/leaks.js';
import { REPORT_TOP, reportData, reportPage } from '../src/commands/report.js';
import { checkOutputOption, emit, loadProgress, parseByteSize, parseCount, warn, withForceOption, type OutputOption, type QuietOption } from './common.js';
import { withSourceMapOptions } from './source-map-options.js';

interface ReportCliOptions extends OutputOption, QuietOption {
  top: number;
  minRetained: number;
  force?: boolean;
}

export function reportCommand(): Command {
  const command = new Command('report')
    .description('write one self-contained HTML report: the verdict first (each leak in a sentence: what, held by what, what to cut), the leaks\' pictures, then the evidence: growth, paths, containers, statistics, object details')
    .argument('<snapshots...>', 'one to three (or more) snapshots of one process, oldest first')
    .option('--top <n>', 'rows of the growth and class tables, clusters and containers shown', parseCount, REPORT_TOP)
    .option('--min-retained <bytes>', 'leaks retaining less are left out (e.g. 50000, 64kB, 1MB)', parseByteSize, DEFAULT_MIN_RETAINED);
  // A report is a file to attach, so -o is required, checked before any work.
  return withSourceMapOptions(withForceOption(command.requiredOption('-o, --output <file>', 'the HTML file to write (required; written whole or not at all)').hook('preAction', checkOutputOption)))
    .option('-q, --quiet', 'no progress line on stderr')
    .action(async (files: string[], options: ReportCliOptions) => {
      const data = await loadProgress(options, (progress) => reportData(files, { ...progress, ...options }));
      if (data.leaks?.sameProcessProblem) warn(data.leaks.sameProcessProblem.message);
      await emit(options, await reportPage(data), 'report');
    });
}
