/**
 * leakgraph/profile/profiled-run — runs a Node program with the sampling heap profiler on, for
 * `leakgraph allocs -- node app.js`: the program gets `--import <sampling-preload>` and
 * writes its profile to the given path when it exits (see sampling-preload.ts).
 */

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { nodeCommandWith, RunningProgram } from '../live/run-program.js';
import { INCLUDE_COLLECTED_ENV, INTERVAL_ENV, PROFILE_PATH_ENV } from './sampling-env.js';

/** The preload module, next to this one (dist/src/profile/sampling-preload.js). */
export const SAMPLING_PRELOAD_URL = new URL('./sampling-preload.js', import.meta.url);

export interface HeapProfiledRunOptions {
  /** Where the program writes its profile. */
  profilePath: string;
  /** Average bytes between samples. */
  interval: number;
  /** Keep the samples of objects freed by the garbage collector too. */
  includeCollected: boolean;
  /** Where the program's stdout goes: a file descriptor (default 2, leakgraph's stderr). */
  stdout?: number | 'inherit';
  /** Called once the program runs (e.g. to forward signals to it). */
  onStart?: (program: RunningProgram) => void;
}

export interface HeapProfiledRunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Whether the program wrote its profile. */
  profileWritten: boolean;
}

/**
 * The command with the preload added: `node [flags] app.js …` becomes `node --import … [flags]
 * app.js …`; a script given alone (`app.js`, `x.mjs`, `y.cjs`, or a `#!…node` script) runs
 * with this Node.
 * Null when the command is not a Node command.
 */
export function profiledCommand(command: readonly string[]): string[] | null {
  return nodeCommandWith(command, ['--import', SAMPLING_PRELOAD_URL.href]);
}

/**
 * Runs the command (already through profiledCommand) to its end.
 * @throws Error when it cannot be started (e.g. no such program), or when the preload module
 *   is missing (leakgraph not built)
 */
export async function runHeapProfiled(command: readonly string[], options: HeapProfiledRunOptions): Promise<HeapProfiledRunResult> {
  if (!existsSync(fileURLToPath(SAMPLING_PRELOAD_URL))) {
    throw new Error(`the sampling module ${fileURLToPath(SAMPLING_PRELOAD_URL)} is missing (run npm run build)`);
  }
  const program = new RunningProgram(command[0], command.slice(1), {
    stdio: ['inherit', options.stdout ?? 2, 'inherit'],
    env: {
      ...process.env,
      [PROFILE_PATH_ENV]: options.profilePath,
      [INTERVAL_ENV]: String(options.interval),
      [INCLUDE_COLLECTED_ENV]: options.includeCollected ? '1' : '0',
    },
  });
  await program.spawned;
  options.onStart?.(program);
  const { code, signal } = await program.closed;
  return { exitCode: code, signal, profileWritten: existsSync(options.profilePath) };
}
