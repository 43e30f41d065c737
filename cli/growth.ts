/**
 * `leakgraph growth A B [C …]` — what grew between snapshots of one process: objgraph's
 * show_growth, with the numbers of DevTools' Comparison view (first snapshot against last).
 */

import { basename } from 'node:path';
import { Command, Option } from 'commander';
import { compareSnapshots, selectGrowth, type GrowthSort } from '../src/index.js';
import { renderGrowthJson, renderGrowthText } from '../src/render/growth.js';
import { PHASE_LABELS, parseCount, UsageError, writeOut } from './common.js';
import { ProgressLine } from './progress.js';

interface GrowthOptions {
  top: number;
  sort: GrowthSort;
  minDelta: number;
  json?: boolean;
  quiet?: boolean;
  force?: boolean;
}

export function growthCommand(): Command {
  return new Command('growth')
    .description('classes that grew between snapshots of one process: counts in each, new and deleted objects from the first to the last (DevTools\' Comparison view)')
    .argument('<files...>', 'two or more .heapsnapshot files of one process, oldest first (checked), plain or gzipped')
    .option('--top <n>', 'show the N classes that grew most (0 = all)', parseCount, 20)
    .addOption(new Option('--sort <column>', 'order rows by the change in').choices(['count', 'size']).default('count'))
    .option('--min-delta <n>', 'only classes whose count changed by at least N (either way)', parseCount, 0)
    .option('--json', 'print JSON (sizes in bytes; see docs/json.md)')
    .option('-q, --quiet', 'no progress line on stderr')
    .option('--force', 'go on when the files do not look like snapshots of one process, oldest first (a warning instead of exit code 2)')
    .action(async (files: string[], options: GrowthOptions) => {
      if (files.length < 2) throw new UsageError('growth needs at least two snapshot files, oldest first (leakgraph growth A B [C …])');
      const progress = new ProgressLine(options.quiet !== true && process.stderr.isTTY === true);
      let report;
      try {
        report = await compareSnapshots(files, {
          force: options.force === true,
          onProgress: (file, phase, fraction) => {
            const percent = fraction !== undefined && Number.isFinite(fraction) ? ` ${Math.floor(fraction * 100)}%` : '';
            progress.update(`leakgraph: ${basename(file)}: ${PHASE_LABELS[phase]}${percent}`, phase !== 'reading');
          },
        });
      } finally {
        progress.clear();
      }
      if (report.sameProcessProblem) process.stderr.write(`leakgraph: warning: ${report.sameProcessProblem.message}\n`);
      const { rows, matching } = selectGrowth(report.classes, options);
      writeOut(
        options.json
          ? renderGrowthJson({ files: report.files, classes: rows })
          : renderGrowthText({ files: report.files, classes: rows, matching, changed: report.classes.length, minDelta: options.minDelta }),
      );
    });
}
