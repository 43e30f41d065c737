/**
 * `leakgraph leaks BASE TARGET FINAL` — leaked objects clustered by what holds them, and
 * containers that grow at every step; `--fail` makes it a leak gate for CI.
 */

import { Command } from 'commander';
import { DEFAULT_MIN_RETAINED, foundLeaks, LEAKS_TOP, leaksReport } from '../src/commands/leaks.js';
import { jsonText } from '../src/render/json.js';
import { leaksJson, renderLeaksText } from '../src/render/leaks.js';
import { emit, loadProgress, parseByteSize, parseCount, warn, withForceOption, withJsonOption, withOutputOption, type OutputOption, type QuietOption } from './common.js';
import { EXIT_LEAKS_FOUND } from './exit-codes.js';
import { withSourceMapOptions } from './source-map-options.js';

interface LeaksCliOptions extends OutputOption, QuietOption {
  top: number;
  minRetained: number;
  fail?: boolean;
  force?: boolean;
  full?: boolean;
  json?: boolean;
}

export function leaksCommand(): Command {
  const command = new Command('leaks')
    .description('what leaks, from snapshots of one process: objects allocated between BASE and TARGET still alive in FINAL, clustered by how they are held and named by class and holder, with every holder; and containers and linked lists growing at every step')
    .argument('<snapshots...>', 'BASE TARGET FINAL (oldest first); two snapshots work too, and more are used for growing containers')
    .option('--top <n>', 'at most N clusters and N containers (0 = all)', parseCount, LEAKS_TOP)
    .option('--min-retained <bytes>', 'leave out what retains less (e.g. 50000, 64kB, 1MB)', parseByteSize, DEFAULT_MIN_RETAINED)
    .option('--fail', 'exit with code 1 when a leak passes the thresholds (for CI)')
    .option('--full', 'show whole paths, from a root (not from the module)');
  return withSourceMapOptions(withForceOption(withOutputOption(withJsonOption(command))))
    .addHelpText('after', '\nExit codes: 0 done (with --fail: no leak found), 1 a leak found with --fail, 2 bad input.')
    .action(async (files: string[], options: LeaksCliOptions) => {
      const report = await loadProgress(options, (progress) =>
        leaksReport(files, {
          ...progress,
          ...options,
          // LEAKGRAPH_PHASES=1: the analysis's phases too, after each file's load.
          onAnalysisPhaseDone: process.env.LEAKGRAPH_PHASES ? (phase, milliseconds) => process.stderr.write(`leakgraph: leaks: ${phase} ${(milliseconds / 1000).toFixed(2)} s\n`) : undefined,
        }),
      );
      if (report.sameProcessProblem) warn(report.sameProcessProblem.message);
      await emit(options, options.json ? jsonText(leaksJson(report)) : renderLeaksText(report, options.minRetained, options.full === true));
      if (options.fail && foundLeaks(report)) process.exitCode = EXIT_LEAKS_FOUND;
    });
}
