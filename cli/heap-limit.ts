/**
 * Gives leakgraph a JS heap large enough for the snapshots it was asked to read, so that a
 * user never has to know about `--max-old-space-size`.
 *
 * The typed arrays that hold the graph live outside the JS heap; what lives inside is the
 * strings table (the part of it not kept as the file's own text, which Node stores outside),
 * which can pass 1 GB (a 1.4 GB snapshot of long unique strings has a 621 MB strings section). When the files given could need more heap than this process has, the CLI
 * runs itself again with a larger limit (capped by the machine's memory) and passes its exit
 * code and signals through.
 */

import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { totalmem } from 'node:os';
import v8 from 'node:v8';

const RELAUNCHED = 'LEAKGRAPH_HEAP_RAISED';
/** Gzip shrinks heap snapshots about 8 to 12 times. */
const GZIP_RATIO = 12;
const MB = 1024 * 1024;

/** The JS heap the inputs could need: their (decompressed) size, plus room for the rest. */
function heapNeededFor(args: string[]): number {
  let bytes = 0;
  for (const arg of args) {
    try {
      const stats = statSync(arg);
      if (stats.isFile()) bytes += /\.gz$/i.test(arg) ? stats.size * GZIP_RATIO : stats.size;
    } catch {
      // not a file: an option or a command name
    }
  }
  return bytes + 512 * MB;
}

/**
 * Runs the CLI again with a larger heap when needed. Returns true when it did (this process
 * then only waits for the child), false to go on here.
 */
export function relaunchWithLargerHeapIfNeeded(): boolean {
  if (process.env[RELAUNCHED]) return false;
  const needed = heapNeededFor(process.argv.slice(2));
  const limit = v8.getHeapStatistics().heap_size_limit;
  if (needed <= limit) return false;
  const megabytes = Math.floor(Math.min(needed, totalmem() * 0.9) / MB);
  if (megabytes * MB <= limit) return false;
  const child = spawn(process.execPath, [...process.execArgv, `--max-old-space-size=${megabytes}`, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, [RELAUNCHED]: String(megabytes) },
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    }
    else process.exit(code ?? 1);
  });
  return true;
}
