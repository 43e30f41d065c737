/**
 * Shared CLI plumbing: loading with progress, option parsing, and turning errors into one
 * line on stderr with the right exit code.
 */

import { basename } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { LoadPhase } from '../src/graph/load.js';
import type { LoadOptions } from '../src/commands/load.js';
import { checkSelection, objectIdOf, type ObjectSelection } from '../src/commands/checks.js';
import { LeakgraphError, UsageError } from '../src/errors.js';
import { checkOutputPath, writeFileAtomically } from '../src/io/atomic-file.js';
import { parseDuration as parseDurationText } from '../src/live/duration.js';
import { EXIT_BAD_INPUT, EXIT_FAILURE } from './exit-codes.js';
import { ProgressLine } from './progress.js';
import type { SourceMapCliOptions } from './source-map-options.js';

export { UsageError };

const PHASE_LABELS: Record<LoadPhase, string> = {
  reading: 'reading',
  'dom state': 'propagating DOM state',
  'shallow sizes': 'assigning shallow sizes',
  dominators: 'computing dominators',
  'retained sizes': 'computing retained sizes',
  distances: 'computing distances',
  classes: 'naming classes',
};

export interface QuietOption {
  quiet?: boolean;
}

/** What a command's library function takes from the CLI for loading: progress, phase times, source maps. */
export type ProgressOptions = Pick<LoadOptions, 'onProgress' | 'onPhaseDone' | 'sourceMaps'>;

/**
 * Runs `work` with the one progress line of every command: on a terminal, unless `-q`, the
 * file and phase being loaded. LEAKGRAPH_PHASES=1 adds one line per phase with its time and
 * memory, for finding where time goes.
 */
export async function loadProgress<T>(options: QuietOption & SourceMapCliOptions, work: (progress: ProgressOptions) => Promise<T>): Promise<T> {
  const line = new ProgressLine(options.quiet !== true && process.stderr.isTTY === true);
  const phases: string[] = [];
  try {
    return await work({
      onProgress: (file, phase, fraction) => {
        const percent = fraction !== undefined && Number.isFinite(fraction) ? ` ${Math.floor(fraction * 100)}%` : '';
        line.update(`leakgraph: ${basename(file)}: ${PHASE_LABELS[phase]}${percent}`, phase !== 'reading');
      },
      onPhaseDone: process.env.LEAKGRAPH_PHASES
        ? (file, phase, milliseconds) => phases.push(`leakgraph: ${basename(file)}: ${phase} ${(milliseconds / 1000).toFixed(2)} s, ${memoryLine()}`)
        : undefined,
      // --source-maps DIR / --no-source-maps (cli/source-map-options), for the commands that take them.
      sourceMaps: options.sourceMaps,
    });
  } finally {
    line.clear();
    if (phases.length > 0) process.stderr.write(`${phases.join('\n')}\n`);
  }
}

/** Memory after a phase: resident now and at peak, the JS heap and typed-array buffers, in MB. */
function memoryLine(): string {
  const usage = process.memoryUsage();
  const mb = (bytes: number) => Math.round(bytes / 1e6);
  return `rss ${mb(usage.rss)} MB (peak ${mb(process.resourceUsage().maxRSS * 1024)}; JS heap ${mb(usage.heapUsed)}, buffers ${mb(usage.arrayBuffers)})`;
}

/** Adds `--json` (what it prints: `note`) and `-q` to a command that prints an answer. */
export function withJsonOption(command: Command, note?: string): Command {
  return command
    .option('--json', `print JSON (${note ? `${note}; ` : ''}see docs/json.md)`)
    .option('-q, --quiet', 'no progress line on stderr');
}

/** Parses a non-negative integer option (`--top 10`). */
export function parseCount(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a non-negative integer');
  return Number(value);
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9 };

/** Parses a size in bytes: `50000`, `64kB`, `1.5MB` (decimal units, as sizes are shown). */
export function parseByteSize(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  const unit = match ? SIZE_UNITS[match[2].toLowerCase()] : undefined;
  if (!match || unit === undefined) throw new InvalidArgumentError('expected a size in bytes, like 50000, 64kB or 1MB');
  return Math.round(Number(match[1]) * unit);
}

/** Parses a duration with a unit into milliseconds: `500ms`, `5s`, `2m`, `1h`. */
export function parseDuration(value: string): number {
  const milliseconds = parseDurationText(value);
  if (milliseconds === null) throw new InvalidArgumentError('expected a duration with a unit, like 500ms, 5s or 2m');
  return milliseconds;
}

/** Parses an object id written as `@123` or `123`. */
function parseObjectId(value: string): number {
  const id = objectIdOf(value);
  if (id === null) throw new InvalidArgumentError(`"${value}" is not an object id (write @123 or 123)`);
  return id;
}

/** Writes to stdout (a reader that goes away, as `| head` does, ends the process quietly: see index.ts). */
export function writeOut(text: string): void {
  process.stdout.write(text);
}

/**
 * Prints one line for bad input and exits with code 2; a wrong use of the command names the
 * help to read (`helpFor`: `leakgraph path`). Anything else is a bug.
 */
export function reportError(error: unknown, helpFor: string): never {
  if (error instanceof LeakgraphError) {
    const help = error instanceof UsageError ? ` (see ${helpFor} --help)` : '';
    process.stderr.write(`leakgraph: ${error.message}${help}\n`);
    process.exit(EXIT_BAD_INPUT);
  }
  process.stderr.write(`leakgraph: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(EXIT_FAILURE);
}

export interface OutputOption {
  output?: string;
}

/**
 * Adds `-o FILE` to a command: the answer goes to FILE, whole or not at all, and FILE's folder
 * is checked before any work.
 */
export function withOutputOption(command: Command, what = 'the answer'): Command {
  return command.option('-o, --output <file>', `write ${what} to this file (else to stdout)`).hook('preAction', checkOutputOption);
}

/** A `preAction` hook: `-o FILE` can be written, checked before any work. */
export async function checkOutputOption(_command: Command, action: Command): Promise<void> {
  const output = (action.opts() as OutputOption).output;
  if (output !== undefined && output !== STDOUT) await checkOutputPath(output);
}

/** `-o -` is stdout, as in most tools. */
const STDOUT = '-';

/**
 * Writes an answer where `-o` says, else to stdout; a file written is said on stderr (`what`
 * names it: `SVG` gives "SVG written to FILE"), unless `-q`.
 */
export async function emit(options: OutputOption & QuietOption, data: string | Uint8Array, what = '', detail = ''): Promise<void> {
  if (options.output === undefined || options.output === STDOUT) {
    process.stdout.write(data);
    return;
  }
  await writeFileAtomically(options.output, data);
  if (options.quiet !== true) process.stderr.write(`leakgraph: ${what ? `${what} ` : ''}written to ${options.output}${detail}\n`);
}

export interface SelectionCliOptions {
  id?: number;
  type?: string;
  limit?: number;
}

/**
 * Adds the one way to pick objects: `@ID` (or `--id ID`), or `--type CLASS` with `--limit N`.
 * @param limitHelp what `--limit` counts and its default, as help shows it
 */
export function withSelectionOptions(command: Command, limitHelp: string): Command {
  return command
    .argument('[id]', 'the object id, as @123 or 123', parseObjectId)
    .option('--id <id>', 'the object id (instead of the argument)', parseObjectId)
    .option('--type <class>', 'objects of this class (its name as summary shows it), largest retained first')
    .option('--limit <n>', limitHelp, parseCount);
}

/** The selection from `[id]` and the options; two different ids are an error. */
export function selection(command: string, idArgument: number | undefined, options: SelectionCliOptions): ObjectSelection {
  if (idArgument !== undefined && options.id !== undefined && idArgument !== options.id) throw new UsageError(`${command}: two different ids given`);
  const chosen = { id: idArgument ?? options.id, type: options.type, limit: options.limit };
  checkSelection(command, chosen);
  return chosen;
}

/** Adds `--force` to a command comparing snapshots. */
export function withForceOption(command: Command): Command {
  return command.option('--force', 'go on when the files do not look like snapshots of one process, oldest first (a warning instead of exit code 2)');
}

/** One warning line on stderr. */
export function warn(message: string): void {
  process.stderr.write(`leakgraph: warning: ${message}\n`);
}
