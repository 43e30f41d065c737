/**
 * `leakgraph growth A B [C …]` — what grew between snapshots of one process: objgraph's
 * show_growth, with the numbers of DevTools' Comparison view (first snapshot against last).
 */

import { Command, Option } from 'commander';
import type { GrowthSort } from '../src/analysis/growth.js';
import { GROWTH_TOP, growthReport } from '../src/commands/growth.js';
import { growthJson, renderGrowthText } from '../src/render/growth.js';
import { jsonText } from '../src/render/json.js';
import { emit, loadProgress, parseCount, warn, withForceOption, withJsonOption, withOutputOption, type OutputOption, type QuietOption } from './common.js';

interface GrowthCliOptions extends OutputOption, QuietOption {
  top: number;
  sort: GrowthSort;
  minDelta: number;
  json?: boolean;
  force?: boolean;
}

export function growthCommand(): Command {
  const command = new Command('growth')
    .description('classes that grew between snapshots of one process: counts in each, new and deleted objects from the first to the last (DevTools\' Comparison view)')
    .argument('<files...>', 'two or more .heapsnapshot files of one process, oldest first (checked), plain or gzipped')
    .option('--top <n>', 'show the N classes that grew most (0 = all)', parseCount, GROWTH_TOP)
    .addOption(new Option('--sort <column>', 'order rows by the change in').choices(['count', 'size']).default('count'))
    .option('--min-delta <n>', 'only classes whose count changed by at least N (either way)', parseCount, 0);
  return withForceOption(withOutputOption(withJsonOption(command, 'sizes in bytes'))).action(async (files: string[], options: GrowthCliOptions) => {
    const report = await loadProgress(options, (progress) => growthReport(files, { ...progress, ...options }));
    if (report.sameProcessProblem) warn(report.sameProcessProblem.message);
    await emit(options, options.json ? jsonText(growthJson(report)) : renderGrowthText(report));
  });
}
