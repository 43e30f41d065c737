/**
 * `leakgraph allocs FILE` / `leakgraph allocs -- node app.js` — where memory is allocated, per
 * function: from a sampling heap profile (`.heapprofile`), from a program run with the
 * sampling heap profiler on, or (the objects still alive) from a heap snapshot taken with
 * allocation tracking.
 */

import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  hasAllocationTraces,
  liveAllocations,
  matchesScript,
  profileFunctions,
  profileTree,
} from '../src/analysis/allocs.js';
import { SourceLines } from '../src/analysis/source-lines.js';
import { loadSnapshotClasses, SnapshotError } from '../src/index.js';
import { detectHeapFileKind, ProfileError, readHeapProfile, type HeapProfile } from '../src/profile/heap-profile.js';
import { profiledCommand, recordHeapProfile, type HeapProfileRecordResult } from '../src/profile/record.js';
import { DEFAULT_SAMPLING_INTERVAL } from '../src/profile/sampling-env.js';
import {
  renderLiveAllocationsJson,
  renderLiveAllocationsText,
  renderProfileFunctionsJson,
  renderProfileFunctionsText,
  renderProfileTreeJson,
  renderProfileTreeText,
  type ProfileReportInfo,
} from '../src/render/allocs.js';
import { renderFlameSvg } from '../src/render/flame-svg.js';
import { formatBytes } from '../src/render/format.js';
import { parseByteSize, parseCount, PHASE_LABELS, UsageError, writeOut } from './common.js';
import { ProgressLine } from './progress.js';

type Format = 'text' | 'json' | 'svg';

/** Exit code after Ctrl-C (128 + SIGINT), as `record` and `capture`. */
const EXIT_INTERRUPTED = 130;

interface AllocsOptions {
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

/** How to take a snapshot that has allocation stacks, for the one-line message. */
export const NO_TRACES_HINT =
  'no allocation stacks in this snapshot: take one with allocation tracking on (through the inspector: ' +
  'HeapProfiler.startTrackingHeapObjects with trackAllocations: true before the work, then HeapProfiler.takeHeapSnapshot), ' +
  'or sample allocations with leakgraph allocs -- node app.js';

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
  return new Command('allocs')
    .description('where memory is allocated, per function: from a .heapprofile (node --heap-prof), a program run with the sampling heap profiler (-- node app.js), or the live objects of a heap snapshot taken with allocation tracking')
    .usage('[options] FILE\n       leakgraph allocs [options] -- node [node-options] app.js [args...]')
    .argument('[file...]', 'a .heapprofile or a .heapsnapshot (plain or gzipped); or, after --, a Node command to run')
    .option('--top <n>', 'show the N busiest functions (0 = all)', parseCount, 25)
    .option('--file <pattern>', 'only functions in scripts whose URL contains PATTERN (* and ? are wildcards)')
    .option('--tree', 'profiles: the top-down call tree instead of the table')
    .addOption(new Option('--min-share <percent>', 'with --tree: leave out calls below this percentage of the total').argParser(parsePercent).default(0.01, '1'))
    .option('--stack', 'snapshots: show the allocation stacks of each function')
    .option('--class <name>', 'snapshots: only objects of this class (as summary shows it)')
    .addOption(new Option('--format <format>', 'text, json, or svg (a flame graph; profiles)').choices(['text', 'json', 'svg']).default('text'))
    .option('--json', 'print JSON, same as --format json (see docs/json.md)')
    .option('-o, --output <file>', 'write the output to FILE instead of stdout')
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
      if (run) {
        if (run.files.length > 0) throw new UsageError('allocs: give either a FILE or a command after --, not both');
        if (options.stack || options.class !== undefined) throw new UsageError('allocs: --stack and --class are for heap snapshots');
        await allocsOfCommand(run.command, options, format);
        return;
      }
      if (operands.length !== 1) throw new UsageError('allocs: give one .heapprofile or .heapsnapshot file, or a command after -- (leakgraph allocs -- node app.js)');
      if (commandOnly.length > 0) throw new UsageError(`allocs: --${commandOnly.map(optionName).join(', --')} ${commandOnly.length === 1 ? 'applies' : 'apply'} only to a command run with -- node app.js`);
      const file = operands[0];
      if ((await detectHeapFileKind(file)) === 'snapshot') {
        if (options.tree || format === 'svg') throw new UsageError('allocs: --tree and --format svg are for heap profiles; for a snapshot, --stack shows the allocation stacks');
        await allocsOfSnapshot(file, options, format);
      } else {
        if (options.stack || options.class !== undefined) throw new UsageError('allocs: --stack and --class are for heap snapshots taken with allocation tracking');
        const profile = await readHeapProfile(file);
        emit(renderProfile(profile, { source: file, totalBytes: profile.totalBytes, sampleCount: profile.sampleCount, hasSamples: profile.hasSamples }, options, format), options);
      }
    });
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
  if (words.length === 0) throw new UsageError('allocs: nothing to run after -- (leakgraph allocs -- node app.js)');
  return { command: words, files: operands.slice(0, Math.max(0, operands.length - words.length)) };
}

function emit(text: string, options: AllocsOptions): void {
  if (options.output === undefined) {
    writeOut(text);
    return;
  }
  try {
    writeFileSync(options.output, text);
  } catch (error) {
    throw new UsageError(`allocs: cannot write ${options.output}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function renderProfile(profile: HeapProfile, info: ProfileReportInfo, options: AllocsOptions, format: Format, jsonFile = profile.file, command?: string[]): string {
  if (format === 'svg') {
    const tree = profileTree(profile);
    return renderFlameSvg(tree, {
      title: 'Allocation flame graph',
      subtitle: `${info.source}: ${formatBytes(profile.totalBytes)} sampled${profile.hasSamples ? ` in ${profile.sampleCount} samples` : ''}`,
    });
  }
  if (options.tree) {
    const report = { ...info, tree: profileTree(profile, options.minShare), minShare: options.minShare };
    return format === 'json' ? renderProfileTreeJson(report, jsonFile, command) : renderProfileTreeText(report);
  }
  const all = profileFunctions(profile).functions;
  const matching = options.file === undefined ? all : all.filter((row) => matchesScript(row.url, options.file!));
  const report = {
    ...info,
    functions: options.top === 0 ? matching : matching.slice(0, options.top),
    functionCount: matching.length,
    filePattern: options.file,
  };
  return format === 'json' ? renderProfileFunctionsJson(report, jsonFile, command) : renderProfileFunctionsText(report, new SourceLines());
}

async function allocsOfSnapshot(file: string, options: AllocsOptions, format: Format): Promise<void> {
  const progress = new ProgressLine(!options.quiet && process.stderr.isTTY === true);
  let heap;
  try {
    heap = await loadSnapshotClasses(file, {
      onProgress: (phase, fraction) => {
        const percent = fraction !== undefined && Number.isFinite(fraction) ? ` ${Math.floor(fraction * 100)}%` : '';
        progress.update(`leakgraph: ${basename(file)}: ${PHASE_LABELS[phase]}${percent}`, phase !== 'reading');
      },
    });
  } finally {
    progress.clear();
  }
  if (!hasAllocationTraces(heap.snapshot)) throw new SnapshotError(file, NO_TRACES_HINT);
  const allocations = liveAllocations(heap, { className: options.class });
  const matching = options.file === undefined ? allocations.functions : allocations.functions.filter((row) => matchesScript(row.url, options.file!));
  const report = {
    allocations,
    functions: options.top === 0 ? matching : matching.slice(0, options.top),
    functionCount: matching.length,
    className: options.class,
    filePattern: options.file,
    showStacks: options.stack === true,
  };
  emit(format === 'json' ? renderLiveAllocationsJson(report) : renderLiveAllocationsText(report), options);
}

/** The command as one would type it. */
function commandText(command: readonly string[]): string {
  return command.map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`)).join(' ');
}

async function allocsOfCommand(command: string[], options: AllocsOptions, format: Format): Promise<void> {
  const profiled = profiledCommand(command);
  if (!profiled) throw new UsageError(`allocs: "${command[0]}" is not node: run a Node program, as in leakgraph allocs -- node app.js`);
  const directory = mkdtempSync(join(tmpdir(), 'leakgraph-allocs-'));
  const profilePath = join(directory, 'allocs.heapprofile');
  const source = commandText(command);
  // Ctrl-C reaches the program too; leakgraph waits for it to write its profile. A second
  // Ctrl-C kills it.
  let child: import('../src/live/run-program.js').RunningProgram | undefined;
  let interrupts = 0;
  const onInterrupt = (): void => {
    if (++interrupts >= 2) child?.kill('SIGKILL');
  };
  const onTerminate = (): void => {
    child?.kill('SIGTERM');
  };
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onTerminate);
  try {
    let result: HeapProfileRecordResult;
    try {
      result = await recordHeapProfile(profiled, {
        profilePath,
        interval: options.interval,
        includeCollected: options.includeCollected === true,
        onStart: (started) => {
          child = started;
        },
      });
    } catch (error) {
      throw new UsageError(`allocs: cannot run ${command[0]}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such program' : (error as Error).message}`);
    }
    const ending = result.signal ? `was ended by ${result.signal}` : `exited with code ${result.exitCode}`;
    if (!result.profileWritten) throw new ProfileError(source, `the program ${ending} without writing its heap profile`);
    if (result.signal || result.exitCode !== 0) process.stderr.write(`leakgraph: ${source} ${ending}\n`);
    let profile: HeapProfile;
    try {
      profile = await readHeapProfile(profilePath);
    } catch (error) {
      if (error instanceof ProfileError) throw new ProfileError(source, `the recorded profile is unreadable: ${error.problem}`);
      throw error;
    }
    if (options.save !== undefined) {
      try {
        copyFileSync(profilePath, options.save);
      } catch (error) {
        throw new UsageError(`allocs: cannot write ${options.save}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
    }
    const info: ProfileReportInfo = {
      source,
      totalBytes: profile.totalBytes,
      sampleCount: profile.sampleCount,
      hasSamples: profile.hasSamples,
      run: { exitCode: result.exitCode, signal: result.signal, interval: options.interval, includeCollected: options.includeCollected === true },
    };
    emit(renderProfile(profile, info, options, format, options.save ?? source, command), options);
    // As `record`: a run stopped with Ctrl-C ends with 130, after its report.
    if (interrupts > 0 || result.signal === 'SIGINT') process.exitCode = EXIT_INTERRUPTED;
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onTerminate);
    rmSync(directory, { recursive: true, force: true });
  }
}
