#!/usr/bin/env node
/**
 * leakgraph's command line: thin wiring of one command per file. Only the command asked for
 * is imported, so that start-up costs what that command needs, not what all of them need.
 */

import type { Command } from 'commander';
import { packageVersion } from '../src/version.js';
import { EXIT_BAD_INPUT } from './exit-codes.js';
import { relaunchWithLargerHeapIfNeeded } from './heap-limit.js';

const COMMANDS: Record<string, () => Promise<Command>> = {
  summary: async () => (await import('./summary.js')).summaryCommand(),
  inspect: async () => (await import('./inspect.js')).inspectCommand(),
  growth: async () => (await import('./growth.js')).growthCommand(),
  leaks: async () => (await import('./leaks.js')).leaksCommand(),
  path: async () => (await import('./path.js')).pathCommand(),
  why: async () => (await import('./why.js')).whyCommand(),
  backrefs: async () => (await import('./backrefs.js')).backrefsCommand(),
  refs: async () => (await import('./refs.js')).refsCommand(),
  report: async () => (await import('./report.js')).reportCommand(),
  capture: async () => (await import('./capture.js')).captureCommand(),
  record: async () => (await import('./record.js')).recordCommand(),
  plot: async () => (await import('./plot.js')).plotCommand(),
  allocs: async () => (await import('./allocs.js')).allocsCommand(),
  serve: async () => (await import('./serve.js')).serveCommand(),
};

/** Usage errors as every other error: one `leakgraph:` line naming where help is. */
function oneLineErrors(command: Command, path: string): Command {
  return command.exitOverride().configureOutput({
    outputError: (message, write) => write(`leakgraph: ${message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ').trim()} (see ${path} --help)\n`),
  });
}

async function buildProgram(argv: readonly string[]): Promise<Command> {
  const { Command } = await import('commander');
  const program = oneLineErrors(new Command('leakgraph'), 'leakgraph')
    .description('Find memory leaks in JavaScript programs from V8 heap snapshots, with the numbers Chrome DevTools shows.')
    .version(packageVersion());
  const asked = argv[2];
  const names = asked !== undefined && asked in COMMANDS ? [asked] : Object.keys(COMMANDS);
  for (const name of names) program.addCommand(oneLineErrors(await COMMANDS[name](), `leakgraph ${name}`));
  return program;
}

// A reader that goes away (`leakgraph summary f | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const VERSION_FLAGS = ['--version', '-V'];

if (process.argv.length === 3 && VERSION_FLAGS.includes(process.argv[2])) {
  // Asked often, by scripts: answered without loading the option parser.
  process.stdout.write(`${packageVersion()}\n`);
} else if (!relaunchWithLargerHeapIfNeeded()) {
  try {
    await (await buildProgram(process.argv)).parseAsync(process.argv);
  } catch (error) {
    const { CommanderError } = await import('commander');
    if (error instanceof CommanderError) {
      // Help and version exit 0; usage errors were already printed, on one line.
      process.exit(error.exitCode === 0 ? 0 : EXIT_BAD_INPUT);
    }
    const { reportError } = await import('./common.js');
    const asked = process.argv[2];
    reportError(error, asked !== undefined && asked in COMMANDS ? `leakgraph ${asked}` : 'leakgraph');
  }
}
