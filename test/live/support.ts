// Real processes for the live tests: the CLI run asynchronously (so that the test process can
// serve a fake inspector meanwhile), programs started under the inspector, and their cleanup.

import { spawn, type ChildProcess } from 'node:child_process';
import { dirname } from 'node:path';
import { tmpPath } from '../helpers/snapshot-builder.js';

export const CLI = 'dist/cli/index.js';
export const LEAKY = 'test/fixtures/leaky.mjs';

const running = new Set<ChildProcess>();

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `leakgraph ARGS…` and resolves when it exits. */
export function runCli(args: string[], options: { timeout?: number; onSpawn?: (child: ChildProcess) => void } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`leakgraph ${args.join(' ')} timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeout ?? 25_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, stdout, stderr });
    });
    options.onSpawn?.(child);
  });
}

export interface Inspected {
  child: ChildProcess;
  /** The inspector's WebSocket URL, from "Debugger listening on …". */
  url: string;
  /** HOST:PORT of the inspector. */
  address: string;
}

/** Starts `node --inspect=127.0.0.1:0 SCRIPT ARGS…` and waits for its inspector. */
export function startInspected(script: string, args: string[] = []): Promise<Inspected> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--inspect=127.0.0.1:0', script, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    running.add(child);
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
      const match = /Debugger listening on (ws:\/\/(127\.0\.0\.1:\d+)\/\S+)/.exec(stderr);
      if (match) resolve({ child, url: match[1], address: match[2] });
    });
    child.on('exit', (code) => reject(new Error(`${script} exited (${code}) before its inspector started: ${stderr}`)));
  });
}

/**
 * Starts headless Chromium with remote debugging on a free port, showing `url`; resolves with
 * the debugging address (HOST:PORT) once it listens.
 */
export function startChromium(executable: string, url: string): Promise<{ child: ChildProcess; address: string }> {
  return new Promise((resolve, reject) => {
    const profile = dirname(tmpPath('chromium-profile/x'));
    const child = spawn(executable, ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--remote-debugging-address=127.0.0.1', '--remote-debugging-port=0', `--user-data-dir=${profile}`, url], { stdio: ['ignore', 'ignore', 'pipe'] });
    running.add(child);
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (text: string) => {
      stderr += text;
      const match = /DevTools listening on ws:\/\/(127\.0\.0\.1:\d+)\//.exec(stderr);
      if (match) resolve({ child, address: match[1] });
    });
    child.on('exit', (code) => reject(new Error(`chromium exited (${code}): ${stderr}`)));
  });
}

/** Starts a program that prints one line of JSON on stdout when ready; resolves with it. */
export function startServer(script: string, args: string[] = []): Promise<{ child: ChildProcess; ready: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    running.add(child);
    let stdout = '';
    child.stdout!.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
      const line = stdout.split('\n')[0];
      if (stdout.includes('\n')) resolve({ child, ready: JSON.parse(line) });
    });
    child.on('exit', (code) => reject(new Error(`${script} exited (${code}) before it was ready`)));
  });
}

/**
 * Stops every process these helpers started that is still running (for afterEach): SIGTERM
 * first, so that a `leakgraph record` stops its own program, then SIGKILL.
 */
export async function killAll(): Promise<void> {
  const waits: Promise<unknown>[] = [];
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) {
      waits.push(
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
      );
    }
  }
  running.clear();
  await Promise.all(waits);
}

/** A fresh, empty temporary directory, removed with the test process's other files. */
export function tempDir(): string {
  return dirname(tmpPath('live'));
}
