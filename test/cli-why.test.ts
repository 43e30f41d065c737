// `leakgraph why` and the holders of `leaks` as a user runs them, on a real program whose
// sessions are held by a Map and by listener closures; and the same-process guard of `leaks`.

import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { snapshotLeakProgram } from './helpers/leak-programs.js';
import { snapshotOfProgram } from './helpers/node-snapshot.js';

const CLI = 'dist/cli/index.js';
const run = (...args: string[]) => {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
};

describe('an object held two ways', () => {
  const files = () => snapshotLeakProgram('two-holders.cjs');

  test('leaks lists both holders and says that every holder must let go', () => {
    const { code, stdout } = run('leaks', ...files(), '--top', '1');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^1\. [\d,]+ × Session, held by `sessions` \(Map @\d+\) in module session-store\.cjs$/m);
    expect(stdout).toMatch(/also held by the closure \(anonymous\)\(\) at session-store\.cjs:\d+:\d+, through the variable `\w+` of its scope/);
    expect(stdout).toMatch(/Every holder must let go: `sessions` \(Map @\d+\) and the closure/);
    // Module state is read from its module, CommonJS or not.
    expect(stdout).toMatch(/^ +module session-store\.cjs @\d+ /m);
  });

  test('why: both holders, the verdict, the dominators; --json follows the contract', () => {
    const report = JSON.parse(run('leaks', ...files(), '--json').stdout);
    const id = report.clusters[0].exampleIds[0];
    const text = run('why', files()[2], `@${id}`);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^Session @\d+, shallow \d+ B, retained [\d.]+ \w?B\n\nHeld 2 ways:\n {2}1\. by `sessions` \(Map @\d+\) in module session-store\.cjs\n/);
    expect(text.stdout).toMatch(/Deleting it from `sessions` \(Map @\d+\) is not enough: the closure \(anonymous\)\(\) at session-store\.cjs:\d+:\d+ \(a listener never removed\) holds it too\. Every holder must let go\./);
    expect(text.stdout).toMatch(/Dominators, immediate first:\n/);

    const json = JSON.parse(run('why', files()[2], '--id', String(id), '--json').stdout);
    expect(Object.keys(json)).toEqual(['file', 'target', 'holders', 'heldBy', 'dominators', 'cut']);
    expect(json.target.id).toBe(id);
    expect(json.holders).toHaveLength(2);
    for (const path of json.holders) expect(path.at(-1).node.id).toBe(id);
    expect(json.heldBy.map((heldBy: { owner: { kind: string } }) => heldBy.owner.kind)).toEqual(['module', 'closure']);
    expect(json.dominators.at(-1).type).toBe('synthetic');
    expect(json.cut).toEqual({ kind: 'every-holder', frees: json.target.retainedSize });
  });

  test('an object with one holder: removing it from there frees it', () => {
    const report = JSON.parse(run('leaks', ...snapshotLeakProgram('job-set.mjs'), '--json').stdout);
    const json = JSON.parse(run('why', snapshotLeakProgram('job-set.mjs')[2], `@${report.clusters[0].exampleIds[0]}`, '--json').stdout);
    expect(json.holders).toHaveLength(1);
    expect(json.cut).toMatchObject({ kind: 'holder', heldBy: { edgeName: 'jobs', container: { className: 'Set' } } });
  });

  test('two holders of one shape are two for one object: a second holder means no single cut', async () => {
    const file = snapshotOfProgram('two-lists.mjs', `
      import v8 from 'node:v8';
      class Item { constructor() { this.payload = 'x'.repeat(64); } }
      class Holder { constructor() { this.items = []; } }
      export const first = new Holder(), second = new Holder();
      const shared = new Item();
      first.items.push(shared);
      second.items.push(new Item(), shared);
      globalThis.gc();
      v8.writeHeapSnapshot(process.argv[2]);
    `);
    const summary = JSON.parse(run('path', file, '--type', 'Item', '--limit', '0', '--json').stdout);
    const ids = summary.paths.map((entry: { target: { id: number } }) => entry.target.id);
    const held = ids.map((id: number) => JSON.parse(run('why', file, `@${id}`, '--json').stdout));
    const shared = held.find((json: { holders: unknown[] }) => json.holders.length === 2);
    expect(shared).toBeDefined();
    expect(shared.heldBy.map((heldBy: { edgeName: string }) => heldBy.edgeName)).toEqual(['items', 'items']);
    expect(new Set(shared.heldBy.map((heldBy: { container: { id: number } }) => heldBy.container.id)).size).toBe(2);
    expect(shared.cut.kind).not.toBe('holder');
    expect(run('why', file, '@1').stdout).toMatch(/the root of the heap: nothing holds it/);
  });

  test('bad input: an unknown id, no id', () => {
    const unknown = run('why', files()[2], '@1234567890');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^leakgraph: .*no object with id @1234567890\n$/);
    expect(run('why', files()[2]).code).toBe(2);
  });
});

test('leaks refuses snapshots of two processes or in the wrong order, unless --force', () => {
  const sessions = snapshotLeakProgram('two-holders.cjs');
  const jobs = snapshotLeakProgram('job-set.mjs');
  const mixed = run('leaks', sessions[0], sessions[1], jobs[2]);
  expect(mixed.code).toBe(2);
  expect(mixed.stderr.trim().split('\n')).toHaveLength(1);
  expect(mixed.stderr).toMatch(/^leakgraph: .*(two-holders|job-set).*(two-holders|job-set)/);
  const reversed = run('leaks', sessions[2], sessions[1], sessions[0]);
  expect(reversed.code).toBe(2);
  expect(reversed.stderr).toMatch(/oldest first/);
  const forced = run('leaks', sessions[2], sessions[1], sessions[0], '--force');
  expect(forced.code).toBe(0);
  expect(forced.stderr).toMatch(/^leakgraph: warning: /m);
});

test('path: the header counts the arrows shown, folded runs included', () => {
  const { stdout } = run('path', snapshotLeakProgram('interval.mjs')[2], '--type', 'Connection', '--limit', '1');
  const [header, ...steps] = stdout.trim().split('\n');
  const arrows = steps.filter((line) => line.trimStart().startsWith('›')).length;
  expect(header).toMatch(new RegExp(`, ${arrows} steps:$`));
  expect(stdout).toMatch(/› \._idle(Next|Prev) Timeout ×\d+ \(last @\d+\)/);
});
