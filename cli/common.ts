/**
 * Shared CLI plumbing: loading with progress, option parsing, and turning errors into one
 * line on stderr with the right exit code.
 */

import { basename } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { readFileSync } from 'node:fs';
import { loadSnapshot, type HeapGraph, type InterfaceDefinition, type LoadPhase } from '../src/index.js';
import { LeakgraphError, UsageError } from '../src/errors.js';
import { parseDuration as parseDurationText } from '../src/live/duration.js';
import { EXIT_BAD_INPUT, EXIT_FAILURE } from './exit-codes.js';
import { ProgressLine } from './progress.js';

export { UsageError };
export { writeFileAtomically } from '../src/io/atomic-file.js';

export const PHASE_LABELS: Record<LoadPhase, string> = {
  reading: 'reading',
  'dom state': 'propagating DOM state',
  'shallow sizes': 'assigning shallow sizes',
  dominators: 'computing dominators',
  'retained sizes': 'computing retained sizes',
  distances: 'computing distances',
  classes: 'naming classes',
};

/** Loads a snapshot for a command, with a progress line on a terminal unless `quiet`. */
export async function loadForCli(file: string, quiet: boolean, interfaces?: InterfaceDefinition[]): Promise<{ graph: HeapGraph; seconds: number }> {
  const progress = new ProgressLine(!quiet && process.stderr.isTTY === true);
  const name = basename(file);
  const start = performance.now();
  // LEAKGRAPH_PHASES=1: where the load's time goes, one line per phase on stderr.
  const phases: string[] = [];
  try {
    const graph = await loadSnapshot(file, {
      interfaces,
      onProgress: (phase, fraction) => {
        const percent = fraction !== undefined && Number.isFinite(fraction) ? ` ${Math.floor(fraction * 100)}%` : '';
        progress.update(`leakgraph: ${name}: ${PHASE_LABELS[phase]}${percent}`, phase !== 'reading');
      },
      onPhaseDone: process.env.LEAKGRAPH_PHASES ? (phase, milliseconds) => phases.push(`leakgraph: ${name}: ${phase} ${(milliseconds / 1000).toFixed(2)} s, ${memoryLine()}`) : undefined,
    });
    return { graph, seconds: (performance.now() - start) / 1000 };
  } finally {
    progress.clear();
    if (phases.length > 0) process.stderr.write(`${phases.join('\n')}\n`);
  }
}

/** Memory after a phase: resident now and at peak, the JS heap and typed-array buffers, in MB. */
function memoryLine(): string {
  const usage = process.memoryUsage();
  const mb = (bytes: number) => Math.round(bytes / 1e6);
  return `rss ${mb(usage.rss)} MB (peak ${mb(process.resourceUsage().maxRSS * 1024)}; JS heap ${mb(usage.heapUsed)}, buffers ${mb(usage.arrayBuffers)})`;
}

/** leakgraph's version, from its package.json. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
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
export function parseObjectId(value: string): number {
  const match = /^@?(\d+)$/.exec(value);
  if (!match || Number(match[1]) > 0xffffffff) throw new InvalidArgumentError(`"${value}" is not an object id (write @123 or 123)`);
  return Number(match[1]);
}

/** Writes to stdout, ending quietly when the reader went away (`| head`). */
export function writeOut(text: string): void {
  process.stdout.write(text);
}

/** Prints one line for bad input and exits with code 2; anything else is a bug. */
export function reportError(error: unknown): never {
  if (error instanceof LeakgraphError) {
    process.stderr.write(`leakgraph: ${error.message}\n`);
    process.exit(EXIT_BAD_INPUT);
  }
  process.stderr.write(`leakgraph: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(EXIT_FAILURE);
}
