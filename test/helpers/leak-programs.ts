// Real leaking Node programs (and non-leaking controls) from test/fixtures/leaks, snapshotted on
// demand: each program writes three heap snapshots (baseline, after a round of work, after
// another), as the three-snapshot technique expects.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tmpPath } from './snapshot-builder.js';

/** Directory of the leak programs. */
export const LEAK_PROGRAMS_DIR = fileURLToPath(new URL('../fixtures/leaks/', import.meta.url));

export interface LeakProgram {
  /** File name in test/fixtures/leaks, e.g. "interval.mjs". */
  program: string;
  /** false for the controls, whose heap stays flat between snapshots 2 and 3. */
  leaks: boolean;
  /** The class a person would say leaks, as `leakgraph summary` names it (leaking programs only). */
  leakedClass?: string;
  /**
   * What holds the leaked objects as the program's author would name it: a variable or property
   * (`sessions`, `#cache`), or for callbacks kept by Node the user closure as `file.mjs:LINE`
   * (1-based line where the function starts).
   */
  holder?: string;
  /** Every holder, when the objects have more than one. */
  holders?: string[];
  /** One sentence: the bug. */
  note: string;
}

export const leakManifest: LeakProgram[] = JSON.parse(readFileSync(`${LEAK_PROGRAMS_DIR}manifest.json`, 'utf8'));

const snapshotsByProgram = new Map<string, string[]>();

/**
 * Runs test/fixtures/leaks/`program` under `node --expose-gc` (once per test worker; later calls
 * return the same files) and returns the paths of its three snapshots, in order.
 * @throws Error with the program's stderr when it fails
 */
export function snapshotLeakProgram(program: string): string[] {
  const cached = snapshotsByProgram.get(program);
  if (cached) return cached;
  const outPrefix = tmpPath(basename(program, extname(program)));
  const result = spawnSync(process.execPath, ['--expose-gc', `${LEAK_PROGRAMS_DIR}${program}`, outPrefix], {
    cwd: LEAK_PROGRAMS_DIR,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.error) throw new Error(`${program} failed: ${result.error.message}\n${result.stderr ?? ''}`);
  if (result.status !== 0) throw new Error(`${program} exited with ${result.status ?? result.signal}: ${result.stderr}`);
  const snapshots = [1, 2, 3].map((n) => `${outPrefix}-${n}.heapsnapshot`);
  snapshotsByProgram.set(program, snapshots);
  return snapshots;
}
