/**
 * leakgraph/profile/record — runs a Node program with the sampling heap profiler on, for
 * `leakgraph allocs -- node app.js`: the program gets `--import <sampling-preload>` and
 * writes its profile to the given path when it exits (see sampling-preload.ts).
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INCLUDE_COLLECTED_ENV, INTERVAL_ENV, PROFILE_PATH_ENV } from './sampling-env.js';

/** The preload module, next to this one (dist/src/profile/sampling-preload.js). */
export const SAMPLING_PRELOAD_URL = new URL('./sampling-preload.js', import.meta.url);

export interface HeapProfileRecordOptions {
  /** Where the program writes its profile. */
  profilePath: string;
  /** Average bytes between samples. */
  interval: number;
  /** Keep the samples of objects freed by the garbage collector too. */
  includeCollected: boolean;
  /** Where the program's stdout goes: a file descriptor (default 2, leakgraph's stderr). */
  stdout?: number | 'inherit';
  /** Called once the program runs (e.g. to forward signals to it). */
  onStart?: (child: ChildProcess) => void;
}

export interface HeapProfileRecordResult {
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
  if (command.length === 0) return null;
  const [program, ...rest] = command;
  const preload = ['--import', SAMPLING_PRELOAD_URL.href];
  if (program === process.execPath || /^node(js)?(\.exe)?$/i.test(basename(program))) return [program, ...preload, ...rest];
  if (/\.(m|c)?js$/i.test(program) || hasNodeShebang(program)) return [process.execPath, ...preload, ...command];
  return null;
}

/** Whether the file starts with a `#!` line that runs node (`#!/usr/bin/env node`). */
function hasNodeShebang(path: string): boolean {
  try {
    const handle = openSync(path, 'r');
    try {
      const head = Buffer.alloc(256);
      const length = readSync(handle, head, 0, head.length, 0);
      const firstLine = head.toString('utf8', 0, length).split('\n')[0];
      return /^#!.*\bnode(js)?\b/.test(firstLine);
    } finally {
      closeSync(handle);
    }
  } catch {
    return false;
  }
}

/**
 * Runs the command (already through profiledCommand) to its end.
 * @throws Error when it cannot be started (e.g. no such program), or when the preload module
 *   is missing (leakgraph not built)
 */
export function recordHeapProfile(command: readonly string[], options: HeapProfileRecordOptions): Promise<HeapProfileRecordResult> {
  if (!existsSync(fileURLToPath(SAMPLING_PRELOAD_URL))) {
    return Promise.reject(new Error(`the sampling module ${fileURLToPath(SAMPLING_PRELOAD_URL)} is missing (run npm run build)`));
  }
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), {
      stdio: ['inherit', options.stdout ?? 2, 'inherit'],
      env: {
        ...process.env,
        [PROFILE_PATH_ENV]: options.profilePath,
        [INTERVAL_ENV]: String(options.interval),
        [INCLUDE_COLLECTED_ENV]: options.includeCollected ? '1' : '0',
      },
    });
    let started = false;
    child.once('spawn', () => {
      started = true;
      options.onStart?.(child);
    });
    child.once('error', (error) => {
      if (!started) reject(error);
    });
    child.once('close', (exitCode, signal) => {
      resolve({ exitCode, signal, profileWritten: existsSync(options.profilePath) });
    });
  });
}
