/**
 * `leakgraph allocs FILE` / `leakgraph allocs -- node app.js` — where memory is allocated, per
 * function: from a sampling heap profile (`.heapprofile`), from a program run with the
 * sampling heap profiler on, or (the objects still alive) from a heap snapshot taken with
 * allocation tracking.
 */

import { Command, InvalidArgumentError, Option } from 'commander';
import { SourceLines } from '../src/analysis/source-lines.js';
import { ALLOCS_MIN_SHARE, ALLOCS_TOP, allocsFlameSvg, allocsJson, allocsReport, describeRunEnd, type AllocsReport } from '../src/commands/allocs.js';
import { DEFAULT_SAMPLING_INTERVAL } from '../src/profile/sampling-env.js';
import { renderLiveAllocationsText, renderProfileFunctionsText, renderProfileTreeText } from '../src/render/allocs.js';
import { jsonText } from '../src/render/json.js';
import { EXIT_INTERRUPTED } from './exit-codes.js';
import { checkOutputOption, emit, loadProgress, parseByteSize, parseCount, UsageError } from './common.js';
import { withSourceMapOptions, type SourceMapCliOptions } from './source-map-options.js';

type Format = 'text' | 'json' | 'svg';

interface AllocsOptions extends SourceMapCliOptions {
  top: number;
  file?: string;
  tree?: boolean;
  minShare: number;
  stack?: boolean;
  class?: string;
  format: Format;
  json?: boolean;
  output?: string;
  interval: number;
  includeCollected?: boolean;
  save?: string;
  quiet?: boolean;
}

/** `--min-share 1`, `0.5`, `2%`: a percentage of the total. */
function parsePercent(value: string): number {
  const match = /^(\d+(?:\.\d+)?)%?$/.exec(value.trim());
  if (!match || Number(match[1]) > 100) throw new InvalidArgumentError('expected a percentage from 0 to 100, like 1 or 0.5%');
  return Number(match[1]) / 100;
}

/** `--interval 32768`, `64kB`, `512KiB`, `1MiB`. */
function parseInterval(value: string): number {
  const binary = /^(\d+(?:\.\d+)?)\s*(ki|mi)b?$/i.exec(value.trim());
  const bytes = binary ? Math.round(Number(binary[1]) * (binary[2].toLowerCase() === 'ki' ? 1024 : 1024 * 1024)) : parseByteSize(value);
  if (bytes < 1) throw new InvalidArgumentError('the interval must be at least 1 byte');
  return bytes;
}

export function allocsCommand(): Command {
  return withSourceMapOptions(new Command('allocs'))
    .description('where memory is allocated, per function: from a .heapprofile (node --heap-prof), a program run with the sampling heap profiler (-- node app.js), or the live objects of a heap snapshot taken with allocation tracking')
    .usage('[options] FILE\n       leakgraph allocs [options] -- node [node-options] app.js [args...]')
    .argument('[file...]', 'a .heapprofile or a .heapsnapshot (plain or gzipped); or, after --, a Node command to run')
    .option('--top <n>', 'show the N busiest functions (0 = all)', parseCount, ALLOCS_TOP)
    .option('--file <pattern>', 'only functions in scripts whose URL contains PATTERN (* and ? are wildcards)')
    .option('--tree', 'profiles: the top-down call tree instead of the table')
    .addOption(new Option('--min-share <percent>', 'with --tree: leave out calls below this percentage of the total').argParser(parsePercent).default(ALLOCS_MIN_SHARE, '1'))
    .option('--stack', 'snapshots: show the allocation stacks of each function')
    .option('--class <name>', 'snapshots: only objects of this class (as summary shows it)')
    .addOption(new Option('--format <format>', 'text, json, or svg (a flame graph; profiles)').choices(['text', 'json', 'svg']).default('text'))
    .option('--json', 'print JSON, same as --format json (see docs/json.md)')
    .option('-o, --output <file>', 'write the output to FILE instead of stdout (whole or not at all)')
    .hook('preAction', checkOutputOption)
    .addOption(new Option('--interval <bytes>', 'with a command: average bytes between samples (e.g. 32768, 64KiB)').argParser(parseInterval).default(DEFAULT_SAMPLING_INTERVAL, '512KiB, as V8'))
    .option('--include-collected', 'with a command: count objects the garbage collector freed too, not only those alive at exit')
    .option('--save <file>', 'with a command: keep the recorded profile as FILE (.heapprofile, opens in DevTools)')
    .option('-q, --quiet', 'no progress line on stderr')
    .addHelpText(
      'after',
      '\nWith a command, the program\'s stdout goes to stderr, so that the report alone is on stdout.\n' +
        'Examples:\n  leakgraph allocs Heap.20250101.heapprofile --top 10\n  leakgraph allocs --format svg -o flame.svg app.heapprofile\n' +
        '  leakgraph allocs --tree -- node app.js\n  leakgraph allocs tracked.heapsnapshot --stack',
    )
    .action(async (operands: string[], options: AllocsOptions, command: Command) => {
      const format = resolveFormat(options);
      const run = commandAfterDash(command, operands);
      const commandOnly = ['interval', 'includeCollected', 'save'].filter((name) => command.getOptionValueSource(name) === 'cli');
      if (run && run.files.length > 0) throw new UsageError('allocs: give either a FILE or a command after --, not both');
      if (!run && operands.length !== 1) throw new UsageError('allocs: give one .heapprofile or .heapsnapshot file, or a command after -- (leakgraph allocs -- node app.js)');
      if (!run && commandOnly.length > 0) throw new UsageError(`allocs: --${commandOnly.map(optionName).join(', --')} ${commandOnly.length === 1 ? 'applies' : 'apply'} only to a command run with -- node app.js`);
      const report = await loadProgress(options, (progress) =>
        allocsReport(run ? { command: run.command } : operands[0], {
          ...progress,
          top: options.top,
          file: options.file,
          // A flame graph is drawn from the whole call tree: a snapshot has none.
          tree: options.tree === true || format === 'svg',
          minShare: options.minShare,
          stack: options.stack,
          className: options.class,
          sourceMaps: options.sourceMaps,
          interval: options.interval,
          includeCollected: options.includeCollected,
          save: options.save,
          forwardSignals: true,
        }),
      );
      const ended = report.kind !== 'live' && report.run ? describeRunEnd(report.run) : null;
      if (ended !== null && report.kind !== 'live') process.stderr.write(`leakgraph: ${report.report.source} ${ended}\n`);
      await emit(options, renderReport(report, format));
      // As `record`: a run stopped with Ctrl-C ends with 130, after its report.
      if (report.kind !== 'live' && report.run?.interrupted) process.exitCode = EXIT_INTERRUPTED;
    });
}

function renderReport(report: AllocsReport, format: Format): string {
  if (format === 'json') return jsonText(allocsJson(report));
  if (format === 'svg') return allocsFlameSvg(report);
  if (report.kind === 'live') return renderLiveAllocationsText(report.report);
  if (report.kind === 'tree') return renderProfileTreeText(report.report);
  return renderProfileFunctionsText(report.report, new SourceLines());
}
function optionName(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function resolveFormat(options: AllocsOptions): Format {
  if (options.json) {
    if (options.format !== 'text' && options.format !== 'json') throw new UsageError(`allocs: --json and --format ${options.format} do not go together`);
    return 'json';
  }
  return options.format;
}

/** The words after `--` on the command line, if there was a `--`. */
function commandAfterDash(command: Command, operands: string[]): { command: string[]; files: string[] } | null {
  const raw = (command.parent as (Command & { rawArgs?: string[] }) | null)?.rawArgs ?? process.argv;
  const at = raw.indexOf(command.name());
  const dash = raw.indexOf('--', at < 0 ? 0 : at + 1);
  if (dash < 0) return null;
  const words = raw.slice(dash + 1);
  return { command: words, files: operands.slice(0, Math.max(0, operands.length - words.length)) };
}

