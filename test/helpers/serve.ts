// Starts `leakgraph serve` from dist/ as a user would, and stops it by a signal.

import { spawn, type ChildProcess } from 'node:child_process';

export const SERVICE_SAMPLES = [1, 2, 3].map((step) => `samples/service-${step}.heapsnapshot.gz`);

export interface ServeProcess {
  /** `http://127.0.0.1:PORT/`. */
  url: string;
  child: ChildProcess;
  /** Everything written to stderr so far. */
  stderr: () => string;
  /** Sends `signal` and resolves with the exit code. */
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/** Runs `leakgraph serve ARGS --port 0` and resolves once it says where it serves. */
export function startServe(args: string[], timeoutMs = 60_000): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['dist/cli/index.js', 'serve', ...args, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), timeoutMs);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const url = /serving on (http:\/\/\S+)/.exec(stderr)?.[1];
      if (url === undefined) return;
      clearTimeout(timer);
      resolve({
        url,
        child,
        stderr: () => stderr,
        stop: async (signal = 'SIGTERM') => {
          if (child.exitCode === null) child.kill(signal);
          return exited;
        },
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}: ${stderr}`));
    });
  });
}
