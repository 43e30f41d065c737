// The CLI raises its own JS heap limit when the snapshots given need it: the user never has to
// pass --max-old-space-size. The strings table is what lives in the JS heap (its decoded part:
// runs of plain ASCII literals stay the file's own text, outside it), so a snapshot with 1.5
// million distinct strings with an escape each (about 150 MB of heap) cannot load under a 64 MB
// heap limit.
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { expect, test } from 'vitest';
import { buildSnapshotText, tmpPath } from './helpers/snapshot-builder.js';

const CLI = 'dist/cli/index.js';
const EXTRA_STRINGS = 1_500_000;

test('a snapshot needing more JS heap than the process has loads: the CLI relaunches itself with more', () => {
  const text = buildSnapshotText([
    { type: 'synthetic', name: '', id: 1, selfSize: 0, edges: [{ type: 'property', name: 'holder', to: 1 }] },
    { type: 'object', name: 'Holder', id: 3, selfSize: 16 },
  ]);
  // Strings nothing refers to still have to be read and kept.
  const end = text.lastIndexOf(']');
  const file = tmpPath('many-strings.heapsnapshot');
  const fd = openSync(file, 'w');
  writeSync(fd, text.slice(0, end));
  for (let first = 0; first < EXTRA_STRINGS; first += 100_000) {
    const batch: string[] = [];
    for (let i = first; i < first + 100_000; i++) batch.push(`,"string number ${i} of a t\\u00e4ble far larger than the heap limit"`);
    writeSync(fd, batch.join(''));
  }
  writeSync(fd, text.slice(end));
  closeSync(fd);

  const env = { ...process.env, NODE_OPTIONS: '--max-old-space-size=64' };
  const raised = spawnSync(process.execPath, [CLI, 'summary', file, '--json'], { encoding: 'utf8', env });
  expect(raised.stderr).toBe('');
  expect(raised.status).toBe(0);
  const rows = JSON.parse(raised.stdout).classes as Array<{ name: string; count: number }>;
  expect(rows.find((row) => row.name === 'Holder')?.count).toBe(1);

  // The same run without the relaunch (as if already relaunched) runs out of heap.
  const kept = spawnSync(process.execPath, [CLI, 'summary', file, '--json'], { encoding: 'utf8', env: { ...env, LEAKGRAPH_HEAP_RAISED: '64' } });
  expect(kept.status).not.toBe(0);
  expect(kept.stderr).toMatch(/heap out of memory/);
}, 120_000);
