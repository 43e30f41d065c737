// The command line as a user meets it: the built CLI in a child process, its output, its
// JSON contract (docs/json.md), and its one-line errors with exit code 2.

import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { devtoolsSummary } from './helpers/oracle.js';
import { tmpPath } from './helpers/snapshot-builder.js';

const CLI = 'dist/cli/index.js';
const SERVICE = 'samples/service-3.heapsnapshot.gz';

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('summary', () => {
  test('text: a header line, then the largest classes by retained size', () => {
    const { code, stdout, stderr } = run('summary', SERVICE, '--top', '5');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^samples\/service-3\.heapsnapshot\.gz: [\d,]+ nodes, [\d,]+ edges, [\d.]+ MB total, loaded in [\d.]+ s$/);
    expect(lines[2]).toMatch(/^Class\s+Count\s+Shallow\s+Retained\s+Distance$/);
    expect(lines.slice(3, 8)).toHaveLength(5);
    expect(lines[8]).toMatch(/^\(5 of \d+ classes; --top 0 shows all\)$/);
  });

  test('--json follows the contract and equals DevTools\' numbers for every class', async () => {
    const { code, stdout } = run('summary', SERVICE, '--json', '--top', '0');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(Object.keys(report)).toEqual(['file', 'nodeCount', 'edgeCount', 'totalSize', 'classes']);
    expect(Object.keys(report.classes[0])).toEqual(['key', 'name', 'count', 'shallowSize', 'retainedSize', 'distance']);
    const oracle = await devtoolsSummary(SERVICE);
    expect(report.totalSize).toBe(oracle.totalSize);
    expect(report.nodeCount).toBe(oracle.nodeCount);
    const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
    expect([...report.classes].sort(byKey)).toEqual(oracle.classes);
  });

  test('--sort count and --sort shallow order the rows; --top 3 cuts', () => {
    for (const [sort, field] of [['count', 'count'], ['shallow', 'shallowSize'], ['retained', 'retainedSize']]) {
      const rows = JSON.parse(run('summary', SERVICE, '--json', '--sort', sort, '--top', '3').stdout).classes;
      expect(rows).toHaveLength(3);
      expect(rows[0][field]).toBeGreaterThanOrEqual(rows[1][field]);
      expect(rows[1][field]).toBeGreaterThanOrEqual(rows[2][field]);
    }
  });

  test('gzip is recognised by its bytes, not its name; plain files load the same', () => {
    const misnamed = tmpPath('gzipped-without-suffix.heapsnapshot');
    copyFileSync(SERVICE, misnamed);
    const plain = tmpPath('plain.heapsnapshot');
    writeFileSync(plain, gunzipSync(readFileSync(SERVICE)));
    const expected = JSON.parse(run('summary', SERVICE, '--json', '--top', '0').stdout).classes;
    expect(JSON.parse(run('summary', misnamed, '--json', '--top', '0').stdout).classes).toEqual(expected);
    expect(JSON.parse(run('summary', plain, '--json', '--top', '0').stdout).classes).toEqual(expected);
  });

  test('no progress line when stderr is not a terminal', () => {
    expect(run('summary', SERVICE, '--top', '1').stderr).toBe('');
  });
});

describe('inspect', () => {
  const userId = () => {
    const rows = JSON.parse(run('summary', SERVICE, '--json', '--top', '0').stdout).classes;
    expect(rows.some((row: { name: string }) => row.name === 'User')).toBe(true);
    return findId('User');
  };
  function findId(className: string): number {
    // The first object of the class, from the library rather than by hand.
    const script = `import('./dist/src/index.js').then(async (m) => { const g = await m.loadSnapshot('${SERVICE}'); const h = g.snapshot; for (let i = 0; i < h.nodeCount; i++) if (g.classes.names[g.classes.classOf[i]] === '${className}') { console.log(h.nodeIds[i]); break; } })`;
    return Number(spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' }).stdout.trim());
  }

  test('--json follows the contract: references, retainers, dominators to the root', () => {
    const id = userId();
    const { code, stdout } = run('inspect', SERVICE, `@${id}`, '--json');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(Object.keys(result)).toEqual(expect.arrayContaining(['id', 'type', 'name', 'className', 'selfSize', 'retainedSize', 'distance', 'references', 'retainers', 'dominators']));
    expect(result.id).toBe(id);
    expect(result.className).toBe('User');
    const nodeKeys = ['id', 'type', 'name', 'className', 'selfSize', 'retainedSize'];
    expect(Object.keys(result.references[0].to)).toEqual(nodeKeys);
    expect(Object.keys(result.retainers[0].from)).toEqual(nodeKeys);
    expect(result.dominators.at(-1).id).toBe(1);
    const sizes = result.references.map((ref: { to: { retainedSize: number } }) => ref.to.retainedSize);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(result.references.find((ref: { edgeName: string }) => ref.edgeName === 'email')?.edgeType).toBe('property');
  });

  test('--id and @ID give the same answer; text shows the three parts', () => {
    const id = userId();
    expect(run('inspect', SERVICE, '--id', String(id), '--json').stdout).toBe(run('inspect', SERVICE, `@${id}`, '--json').stdout);
    const text = run('inspect', SERVICE, `@${id}`).stdout;
    expect(text).toMatch(new RegExp(`^User @${id}\\n`));
    expect(text).toContain('References (');
    expect(text).toContain('Retainers (');
    expect(text).toContain('Dominators, immediate first:');
  });
});

describe('bad input: one line on stderr, exit code 2, no stack trace', () => {
  const cases: Array<[string, () => string[], RegExp]> = [
    ['a missing file', () => ['summary', '/no/such/file.heapsnapshot'], /no such file/],
    ['an empty file', () => { const f = tmpPath('empty.heapsnapshot'); writeFileSync(f, ''); return ['summary', f]; }, /empty file/],
    ['a file that is not JSON', () => { const f = tmpPath('text.heapsnapshot'); writeFileSync(f, 'hello world\n'); return ['summary', f]; }, /not a heap snapshot/],
    ['JSON that is not a snapshot', () => { const f = tmpPath('other.json'); writeFileSync(f, '{"name": "x", "version": 1}'); return ['summary', f]; }, /not a heap snapshot/],
    ['a truncated snapshot', () => { const f = tmpPath('cut.heapsnapshot'); const text = gunzipSync(readFileSync(SERVICE)); writeFileSync(f, text.subarray(0, Math.floor(text.length / 2))); return ['summary', f]; }, /truncated/],
    ['a corrupt gzip', () => { const f = tmpPath('bad.gz'); const bytes = Buffer.from(readFileSync(SERVICE)); bytes.fill(7, 100, 400); writeFileSync(f, bytes); return ['summary', f]; }, /gzip/],
    ['an unknown id', () => ['inspect', SERVICE, '@999999999'], /no object with id @999999999/],
    ['a malformed id', () => ['inspect', SERVICE, 'abc'], /not an object id/],
    ['a bad --top', () => ['summary', SERVICE, '--top', '-1'], /--top/],
  ];
  test.each(cases)('%s', (_label, args, message) => {
    const { code, stdout, stderr } = run(...args());
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
    if (!/--top|not an object id/.test(message.source)) expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

test('--version and --help on every command', () => {
  const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
  expect(run('--version')).toMatchObject({ code: 0, stdout: `${version}\n` });
  for (const command of ['summary', 'inspect']) {
    const { code, stdout } = run(command, '--help');
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: leakgraph ${command}`);
  }
});

test('LEAKGRAPH_PHASES=1 says where the load\'s time goes, one line per phase', () => {
  const result = spawnSync(process.execPath, [CLI, 'summary', SERVICE, '--top', '1'], { encoding: 'utf8', env: { ...process.env, LEAKGRAPH_PHASES: '1' } });
  expect(result.status).toBe(0);
  const phases = result.stderr.trimEnd().split('\n').map((line) => /^leakgraph: service-3\.heapsnapshot\.gz: ([a-z ]+) \d+\.\d\d s, rss \d+ MB \(peak \d+; JS heap \d+, buffers \d+\)$/.exec(line)?.[1]);
  // Each phase once; on large heaps the dominators finish after the phases they overlap.
  expect([...phases].sort()).toEqual(['classes', 'distances', 'dom state', 'dominators', 'reading', 'retained sizes', 'shallow sizes']);
});

test('dominators computed in a worker thread give the same summary as on the main thread', () => {
  for (const sample of ['service-3', 'orm-2', 'browser-3']) {
    const file = `samples/${sample}.heapsnapshot.gz`;
    const summary = (threadMinNodes: string) =>
      spawnSync(process.execPath, [CLI, 'summary', file, '--json', '--top', '0'], { encoding: 'utf8', env: { ...process.env, LEAKGRAPH_PHASES: '1', LEAKGRAPH_THREAD_MIN_NODES: threadMinNodes } });
    const threaded = summary('0');
    const inline = summary('1000000000');
    expect(threaded.status).toBe(0);
    // In the thread the dominators finish after the phases they overlap.
    const order = (stderr: string) => stderr.split('\n').map((line) => /: ([a-z ]+) \d/.exec(line)?.[1]).filter(Boolean);
    expect(order(threaded.stderr).indexOf('dominators')).toBeGreaterThan(order(threaded.stderr).indexOf('classes'));
    expect(order(inline.stderr).indexOf('dominators')).toBeLessThan(order(inline.stderr).indexOf('classes'));
    expect(threaded.stdout).toBe(inline.stdout);
  }
});
