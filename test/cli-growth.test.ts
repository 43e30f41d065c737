// `leakgraph growth` as a user meets it: the built CLI in a child process, its text and JSON
// output (docs/json.md), and one-line errors with exit code 2.

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { compareSnapshots, selectGrowth } from '../src/index.js';
import { tmpPath } from './helpers/snapshot-builder.js';

const CLI = 'dist/cli/index.js';
const SERVICE = ['samples/service-1.heapsnapshot.gz', 'samples/service-2.heapsnapshot.gz', 'samples/service-3.heapsnapshot.gz'];

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('growth', () => {
  test('text: a header line per file, then the table; User grew at every step', () => {
    const { code, stdout, stderr } = run('growth', ...SERVICE);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const lines = stdout.trimEnd().split('\n');
    SERVICE.forEach((file, i) => expect(lines[i]).toMatch(new RegExp(`^${file.replace(/\./g, '\\.')}: [\\d,]+ nodes, [\\d.]+ [kM]B total$`)));
    expect(lines[3]).toBe('');
    expect(lines[4]).toMatch(/^Class\s+Counts\s+New\s+Deleted\s+Δ count\s+Alloc\.\s+Freed\s+Δ size$/);
    const rows = lines.slice(5, -1);
    expect(rows).toHaveLength(20);
    expect(rows.find((line) => line.startsWith('User '))).toMatch(/^User\s+200 →\s+1,000 →\s+1,800 ↑\s+1,600\s+0\s+\+1,600\s/);
    expect(lines.at(-1)).toMatch(/^\(↑ grew at every step; 20 of \d+ classes; --top 0 shows all\)$/);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(100);
  });

  test('two snapshots: no grew-every-step mark', () => {
    const { code, stdout } = run('growth', SERVICE[0], SERVICE[2], '--top', '0');
    expect(code).toBe(0);
    expect(stdout).not.toContain('↑');
    expect(stdout).toMatch(/\nUser\s+200 →\s+1,800\s+1,600\s/);
    expect(stdout).not.toContain('--top 0 shows all');
  });

  test('--json follows the contract and equals the library', async () => {
    const { code, stdout } = run('growth', ...SERVICE, '--json', '--top', '0');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(Object.keys(report)).toEqual(['files', 'classes']);
    expect(report.files).toEqual(SERVICE);
    const keys = ['key', 'name', 'counts', 'new', 'deleted', 'countDelta', 'allocSize', 'freedSize', 'sizeDelta', 'grewEveryStep'];
    for (const row of report.classes) expect(Object.keys(row)).toEqual(keys);
    const expected = selectGrowth((await compareSnapshots(SERVICE)).classes, { sort: 'count', top: 0, minDelta: 0 }).rows;
    expect(report.classes).toEqual(expected);
    const user = report.classes.find((row: { name: string }) => row.name === 'User');
    expect(user).toMatchObject({ counts: [200, 1000, 1800], new: 1600, deleted: 0, countDelta: 1600, grewEveryStep: true });
  });

  test('--sort size, --top, --min-delta', () => {
    const json = (...args: string[]) => JSON.parse(run('growth', ...SERVICE, '--json', ...args).stdout).classes as Array<{ countDelta: number; sizeDelta: number }>;
    const bySize = json('--sort', 'size', '--top', '4');
    expect(bySize).toHaveLength(4);
    for (let i = 1; i < bySize.length; i++) expect(bySize[i - 1].sizeDelta).toBeGreaterThanOrEqual(bySize[i].sizeDelta);
    const byCount = json('--top', '0');
    for (let i = 1; i < byCount.length; i++) expect(byCount[i - 1].countDelta).toBeGreaterThanOrEqual(byCount[i].countDelta);
    expect(json()).toEqual(byCount.slice(0, 20));
    const big = json('--min-delta', '1000', '--top', '0');
    expect(big.length).toBeGreaterThan(0);
    expect(big).toEqual(byCount.filter((row) => Math.abs(row.countDelta) >= 1000));
    expect(run('growth', ...SERVICE, '--min-delta', '1000000').stdout).toMatch(/\n\nNo class changed by 1,000,000 objects or more \(\d+ classes changed; see --min-delta\)\.\n$/);
    expect(run('growth', SERVICE[2], SERVICE[2]).stdout).toMatch(/\n\nNo class has new or deleted objects between the first and the last snapshot\.\n$/);
  });

  test('no progress line when stderr is not a terminal; -q accepted', () => {
    expect(run('growth', SERVICE[0], SERVICE[1], '--top', '1').stderr).toBe('');
    expect(run('growth', SERVICE[0], SERVICE[1], '-q', '--top', '1').code).toBe(0);
  });

  test('--help', () => {
    const { code, stdout } = run('growth', '--help');
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: leakgraph growth');
    expect(stdout).toContain('--min-delta');
  });
});

describe('growth: bad input gives one line on stderr and exit code 2', () => {
  const truncated = () => {
    const f = tmpPath('cut.heapsnapshot');
    const text = gunzipSync(readFileSync(SERVICE[0]));
    writeFileSync(f, text.subarray(0, Math.floor(text.length / 2)));
    return f;
  };
  const cases: Array<[string, () => string[], RegExp]> = [
    ['no file', () => ['growth'], /missing required argument/],
    ['one file', () => ['growth', SERVICE[0]], /at least two snapshot files/],
    ['a missing first file', () => ['growth', '/no/such/file.heapsnapshot', SERVICE[2]], /no such file/],
    ['a missing last file', () => ['growth', SERVICE[0], '/no/such/file.heapsnapshot'], /no such file/],
    ['a truncated middle file', () => ['growth', SERVICE[0], truncated(), SERVICE[2]], /truncated/],
    ['a file that is not a snapshot', () => { const f = tmpPath('text.heapsnapshot'); writeFileSync(f, 'hello world\n'); return ['growth', f, SERVICE[2]]; }, /not a heap snapshot/],
    ['a bad --sort', () => ['growth', ...SERVICE, '--sort', 'retained'], /--sort/],
    ['a bad --min-delta', () => ['growth', ...SERVICE, '--min-delta', 'x'], /--min-delta/],
  ];
  test.each(cases)('%s', (_label, args, message) => {
    const { code, stdout, stderr } = run(...args());
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
    // Commander adds its "(run with --help for usage)" hint to option errors.
    if (!/--|missing required/.test(message.source)) expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
