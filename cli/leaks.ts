/**
 * `leakgraph leaks BASE TARGET FINAL` — leaked objects clustered by what holds them, and
 * containers that grow at every step; `--fail` makes it a leak gate for CI.
 */

import { Command } from 'commander';
import { DEFAULT_MIN_RETAINED, findLeaks } from '../src/analysis/leaks.js';
import { renderLeaksJson, renderLeaksText } from '../src/render/leaks.js';
import { loadForCli, parseByteSize, parseCount, UsageError, writeOut } from './common.js';

interface LeaksOptions {
  top: number;
  minRetained: number;
  fail?: boolean;
  force?: boolean;
  full?: boolean;
  json?: boolean;
  quiet?: boolean;
}

/** Exit code of `--fail` when something leaks. */
const EXIT_LEAKS_FOUND = 1;

export function leaksCommand(): Command {
  return new Command('leaks')
    .description('what leaks, from snapshots of one process: objects allocated between BASE and TARGET still alive in FINAL, clustered by how they are held and named by class and holder, with every holder; and containers and linked lists growing at every step')
    .argument('<snapshots...>', 'BASE TARGET FINAL (oldest first); two snapshots work too, and more are used for growing containers')
    .option('--top <n>', 'at most N clusters and N containers (0 = all)', parseCount, 10)
    .option('--min-retained <bytes>', 'leave out what retains less (e.g. 50000, 64kB, 1MB)', parseByteSize, DEFAULT_MIN_RETAINED)
    .option('--fail', 'exit with code 1 when a leak passes the thresholds (for CI)')
    .option('--force', 'go on when the files do not look like snapshots of one process, oldest first (a warning instead of exit code 2)')
    .option('--full', 'show whole paths, from a root (not from the module)')
    .option('--json', 'print JSON (see docs/json.md)')
    .option('-q, --quiet', 'no progress line on stderr')
    .addHelpText('after', '\nExit codes: 0 done (with --fail: no leak found), 1 a leak found with --fail, 2 bad input.')
    .action(async (files: string[], options: LeaksOptions) => {
      if (files.length < 2) throw new UsageError('leaks: give at least two snapshots of one process, oldest first (BASE TARGET FINAL)');
      const report = await findLeaks(files, async (file) => (await loadForCli(file, options.quiet === true)).graph, {
        minRetained: options.minRetained,
        top: options.top,
        force: options.force === true,
        // LEAKGRAPH_PHASES=1: the analysis's phases too, after each file's load.
        onPhaseDone: process.env.LEAKGRAPH_PHASES ? (phase, milliseconds) => process.stderr.write(`leakgraph: leaks: ${phase} ${(milliseconds / 1000).toFixed(2)} s\n`) : undefined,
      });
      if (report.sameProcessProblem) process.stderr.write(`leakgraph: warning: ${report.sameProcessProblem.message}\n`);
      writeOut(options.json ? renderLeaksJson(report) : renderLeaksText(report, options.minRetained, options.full === true));
      if (options.fail && (report.clusters.length > 0 || report.growingContainers.length > 0)) process.exitCode = EXIT_LEAKS_FOUND;
    });
}
