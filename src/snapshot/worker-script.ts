/**
 * leakgraph/snapshot/worker-script — the file a worker thread can run for a module of ours.
 *
 * A module that is also a worker's entry point runs itself; that needs its compiled `.js`
 * file. Running from TypeScript sources (the tests) or from a bundle there is none, and the
 * work stays on the calling thread.
 */

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The module's own file when a Worker can run it, else null. */
export function workerScriptFor(moduleUrl: string): string | null {
  if (!moduleUrl.startsWith('file:')) return null;
  const file = fileURLToPath(moduleUrl);
  return file.endsWith('.js') && existsSync(file) ? file : null;
}
