// Writes a heap snapshot of a small real Node program, for tests that need V8's own layout.

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpPath } from './snapshot-builder.js';

/**
 * Runs `source` as an ES module (file name `name`) under `node --expose-gc`; the program gets
 * the snapshot path in process.argv[2] and must write it (v8.writeHeapSnapshot). Returns it.
 */
export function snapshotOfProgram(name: string, source: string): string {
  const script = tmpPath(name);
  const snapshot = `${script}.heapsnapshot`;
  writeFileSync(script, source);
  const result = spawnSync(process.execPath, ['--expose-gc', script, snapshot], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${name} failed: ${result.stderr}`);
  return snapshot;
}
