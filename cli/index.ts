#!/usr/bin/env node
/**
 * leakgraph's command line: thin wiring of one command per file.
 */

import { Command, CommanderError } from 'commander';
import { packageVersion, reportError } from './common.js';
import { EXIT_BAD_INPUT } from './exit-codes.js';
import { relaunchWithLargerHeapIfNeeded } from './heap-limit.js';
import { allocsCommand } from './allocs.js';
import { backrefsCommand } from './backrefs.js';
import { captureCommand } from './capture.js';
import { growthCommand } from './growth.js';
import { inspectCommand } from './inspect.js';
import { leaksCommand } from './leaks.js';
import { pathCommand } from './path.js';
import { plotCommand } from './plot.js';
import { recordCommand } from './record.js';
import { refsCommand } from './refs.js';
import { reportCommand } from './report.js';
import { summaryCommand } from './summary.js';
import { whyCommand } from './why.js';


const program = new Command('leakgraph')
  .description('Find memory leaks in JavaScript programs from V8 heap snapshots, with the numbers Chrome DevTools shows.')
  .version(packageVersion())
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

for (const command of [summaryCommand(), inspectCommand(), growthCommand(), leaksCommand(), pathCommand(), whyCommand(), backrefsCommand(), refsCommand(), reportCommand(), captureCommand(), recordCommand(), plotCommand(), allocsCommand()]) {
  program.addCommand(command.exitOverride().showHelpAfterError('(run with --help for usage)'));
}

// A reader that goes away (`leakgraph summary f | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

if (!relaunchWithLargerHeapIfNeeded()) {
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; usage errors were already printed by commander.
      process.exit(error.exitCode === 0 ? 0 : EXIT_BAD_INPUT);
    }
    reportError(error);
  }
}
