/**
 * leakgraph/live/run-program — running the user's program, for `record`, `allocs -- …` and
 * `capture` helpers: which runtime a command line starts (Node, a Node script, Deno), the
 * flags leakgraph gives that runtime, the child process's life, and signals passed on to it.
 *
 * Only the runtime itself is run with leakgraph's flags: a wrapper (npm, a shell script)
 * would get the flags instead of the program, so it is refused rather than half-measured.
 */

import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { closeSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { LiveError } from './errors.js';

export type Runtime = 'node' | 'deno';

/** A program's command line, rewritten with leakgraph's flags. */
export interface RuntimeCommand {
  runtime: Runtime;
  file: string;
  args: string[];
}

/** The inspector on a port the system picks, on loopback only. */
export const INSPECT_FLAG = '--inspect=127.0.0.1:0';

const NODE_NAME = /^node(js)?(\.exe)?$/i;
const DENO_NAME = /^deno(\.exe)?$/i;
const SCRIPT_FILE = /\.[cm]?js$/i;
/** Deno subcommands that run a program and take `--inspect`. */
const DENO_RUNNING_SUBCOMMANDS = new Set(['run', 'serve', 'test']);
const DENO_SCRIPT_FILE = /\.[cm]?[jt]sx?$/i;

/** Whether `file` starts with a `#!` line that runs node (`#!/usr/bin/env node`). */
export function hasNodeShebang(file: string): boolean {
  try {
    const handle = openSync(file, 'r');
    try {
      const head = Buffer.alloc(256);
      const length = readSync(handle, head, 0, head.length, 0);
      return /^#!.*\bnode(js)?\b/.test(head.toString('utf8', 0, length).split('\n')[0]);
    } finally {
      closeSync(handle);
    }
  } catch {
    return false;
  }
}

/** Whether `program` is the node executable itself (by name, or this very Node). */
export function isNodeExecutable(program: string): boolean {
  return program === process.execPath || NODE_NAME.test(basename(program));
}

/**
 * `node [opts] script …` with `flags` before the options; a script given alone (`app.js`,
 * `.mjs`, `.cjs`, or a `#!…node` script) runs with this Node. Null when it is not Node.
 */
export function nodeCommandWith(command: readonly string[], flags: readonly string[]): string[] | null {
  if (command.length === 0) return null;
  const [program, ...rest] = command;
  if (isNodeExecutable(program)) return [program, ...flags, ...rest];
  if (SCRIPT_FILE.test(program) || hasNodeShebang(program)) return [process.execPath, ...flags, ...command];
  return null;
}

/**
 * `deno run|serve|test [opts] script …` with `flags` after the subcommand (`deno script.ts`
 * is `deno run script.ts`). Null when it is not a Deno command that runs a program.
 */
export function denoCommandWith(command: readonly string[], flags: readonly string[]): string[] | null {
  const [program, first, ...rest] = command;
  if (program === undefined || !DENO_NAME.test(basename(program)) || first === undefined) return null;
  if (DENO_RUNNING_SUBCOMMANDS.has(first)) return [program, first, ...flags, ...rest];
  if (DENO_SCRIPT_FILE.test(first)) return [program, 'run', ...flags, first, ...rest];
  return null;
}

/** The runtime `command` starts with its inspector on (Node or Deno), or null. */
export function runtimeCommandWith(command: readonly string[], flags: readonly string[]): RuntimeCommand | null {
  const node = nodeCommandWith(command, flags);
  if (node) return { runtime: 'node', file: node[0], args: node.slice(1) };
  const deno = denoCommandWith(command, flags);
  if (deno) return { runtime: 'deno', file: deno[0], args: deno.slice(1) };
  return null;
}

/**
 * The file and arguments that start `command` with leakgraph's inspector flag.
 * @throws LiveError when the command is neither Node nor Deno
 */
export function inspectedCommand(command: string, args: string[]): { file: string; args: string[] } {
  const rewritten = runtimeCommandWith([command, ...args], [INSPECT_FLAG]);
  if (rewritten) return { file: rewritten.file, args: rewritten.args };
  throw new LiveError(
    `record runs Node programs: COMMAND must be node or a .js, .mjs or .cjs file, not "${command}" ` +
      '(a wrapper such as npm would be recorded instead of your program; run node directly, or deno run for Deno)',
  );
}

/** How a program ended: its exit code, or the signal that ended it. */
export interface ProgramExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StartProgramOptions {
  stdio: StdioOptions;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/**
 * A program leakgraph started: its exit as a promise, waits with a time limit, and a stop that
 * asks first (SIGTERM) and insists later (SIGKILL). While it runs it is killed if leakgraph
 * exits, so no program is left behind.
 */
export class RunningProgram {
  readonly child: ChildProcess;
  /** Resolves once the process is running; rejects with the spawn error (e.g. ENOENT). */
  readonly spawned: Promise<void>;
  /** Resolves when the process has exited (its pipes may still hold output). */
  readonly exited: Promise<ProgramExit>;
  /** Resolves when the process has exited and its pipes are closed. */
  readonly closed: Promise<ProgramExit>;
  private ended: ProgramExit | null = null;
  private readonly killOnExit = () => this.child.kill('SIGKILL');

  constructor(file: string, args: readonly string[], options: StartProgramOptions) {
    this.child = spawn(file, args, { stdio: options.stdio, env: options.env ?? process.env, cwd: options.cwd });
    this.spawned = new Promise((resolve, reject) => {
      this.child.once('spawn', resolve);
      this.child.once('error', reject);
    });
    this.spawned.catch(() => {});
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => resolve((this.ended = { code, signal })));
      // A program that never started has "exited" too, so that nobody waits for it.
      this.spawned.catch(() => resolve((this.ended ??= { code: null, signal: null })));
    });
    this.closed = new Promise((resolve) => {
      this.child.once('close', (code, signal) => resolve({ code, signal }));
      this.spawned.catch(() => resolve({ code: null, signal: null }));
    });
    process.on('exit', this.killOnExit);
    void this.exited.then(() => process.off('exit', this.killOnExit));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** How it ended, or null while it runs. */
  get exit(): ProgramExit | null {
    return this.ended;
  }

  kill(signal: NodeJS.Signals): void {
    if (this.ended === null) this.child.kill(signal);
  }

  /** Whether it exits within `milliseconds`. */
  async waitForExit(milliseconds: number): Promise<boolean> {
    if (this.ended) return true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), milliseconds)));
    const exited = await Promise.race([this.exited.then(() => true), timedOut]);
    clearTimeout(timer);
    return exited;
  }

  /** SIGTERM unless it is ending by itself, then SIGKILL after `grace` milliseconds. */
  async stop(grace: number, askFirst = true): Promise<ProgramExit> {
    if (askFirst) this.kill('SIGTERM');
    if (!(await this.waitForExit(grace))) {
      this.kill('SIGKILL');
      await this.waitForExit(grace);
    }
    return this.ended ?? { code: null, signal: null };
  }
}

/** Signals passed on while a program runs; `detach` stops passing them. */
export interface SignalForwarding {
  /** How many of each signal leakgraph received. */
  readonly received: ReadonlyMap<NodeJS.Signals, number>;
  detach(): void;
}

/**
 * Passes SIGINT and SIGTERM sent to leakgraph on to the program, so that it ends as it would
 * alone (and writes what it writes when it ends); a second Ctrl-C kills it. On a terminal
 * Ctrl-C reaches the program directly too, as under `npm run`: it then sees SIGINT twice.
 */
export function forwardSignals(program: RunningProgram, signals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): SignalForwarding {
  const received = new Map<NodeJS.Signals, number>();
  const handlers = signals.map((signal) => {
    const handler = (): void => {
      const count = (received.get(signal) ?? 0) + 1;
      received.set(signal, count);
      program.kill(signal === 'SIGINT' && count >= 2 ? 'SIGKILL' : signal);
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return {
    received,
    detach: () => {
      for (const [signal, handler] of handlers) process.off(signal, handler);
    },
  };
}
