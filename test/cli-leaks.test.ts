// `leakgraph leaks` and `leakgraph path` as a user runs them: JSON contracts, the --fail gate.

import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { MINIMAL, minimalHeap, tmpPath, writeSnapshot } from './helpers/snapshot-builder.js';

const CLI = 'dist/cli/index.js';
const run = (...args: string[]) => {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
};
const sample = (name: string) => [1, 2, 3].map((step) => `samples/${name}-${step}.heapsnapshot.gz`);
const NODE_KEYS = ['id', 'type', 'name', 'className', 'selfSize', 'retainedSize'];
const STEP_KEYS = ['edgeType', 'edgeName', 'node'];

describe('leaks', () => {
  test('--fail: exit 1 for the leaking service, 0 for the control program', () => {
    const leaking = run('leaks', ...sample('service'), '--fail');
    expect(leaking.code).toBe(1);
    expect(leaking.stdout).toMatch(/800 × User/);
    expect(leaking.stdout).toMatch(/›.*->cache Map @\d+/);
    const control = run('leaks', ...sample('control'), '--fail');
    expect(control.code).toBe(0);
    expect(control.stdout).toMatch(/No leak retaining 100 kB or more/);
    expect(run('leaks', ...sample('service')).code).toBe(0);
  });

  test('--json follows the contract', () => {
    const { code, stdout } = run('leaks', ...sample('service'), '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(Object.keys(report)).toEqual(['files', 'clusters', 'growingContainers']);
    expect(report.files).toEqual(sample('service'));
    const [cluster] = report.clusters;
    expect(Object.keys(cluster)).toEqual(expect.arrayContaining(['className', 'count', 'retainedSize', 'path', 'exampleIds']));
    expect(Object.keys(cluster.path[0])).toEqual(STEP_KEYS);
    expect(Object.keys(cluster.path[0].node)).toEqual(NODE_KEYS);
    expect(cluster.path.at(-1).node.id).toBe(cluster.exampleIds[0]);
    const [container] = report.growingContainers;
    expect(Object.keys(container)).toEqual(['id', 'className', 'weak', 'entries', 'retainedSizes', 'path']);
    expect(container.path.at(-1).node.id).toBe(container.id);
    expect(container.path.at(-1).edgeName).toBe('cache');
  });

  test('--min-retained takes sizes with units; --top cuts', () => {
    const all = JSON.parse(run('leaks', ...sample('control'), '--json', '--min-retained', '0', '--top', '0').stdout);
    expect(all.clusters.length).toBeGreaterThan(2);
    const two = JSON.parse(run('leaks', ...sample('control'), '--json', '--min-retained', '0', '--top', '2').stdout);
    expect(two.clusters).toHaveLength(2);
    const big = JSON.parse(run('leaks', ...sample('service'), '--json', '--min-retained', '1MB').stdout);
    expect(big.clusters).toEqual([]);
    expect(run('leaks', ...sample('service'), '--min-retained', 'lots').code).toBe(2);
  });

  test('bad input: exit 2 with one line', () => {
    const one = run('leaks', 'samples/service-1.heapsnapshot.gz');
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/at least two snapshots/);
    const missing = run('leaks', 'samples/service-1.heapsnapshot.gz', '/no/such.heapsnapshot');
    expect(missing.code).toBe(2);
    expect(missing.stderr.trimEnd().split('\n')).toEqual(['leakgraph: /no/such.heapsnapshot: no such file']);
  });
});

describe('path', () => {
  test('--type --json follows the contract, largest retained first', () => {
    const { code, stdout } = run('path', 'samples/service-3.heapsnapshot.gz', '--type', 'User', '--limit', '2', '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(Object.keys(report)).toEqual(['file', 'paths']);
    expect(report.paths).toHaveLength(2);
    expect(report.paths[0].target.retainedSize).toBeGreaterThanOrEqual(report.paths[1].target.retainedSize);
    const [first] = report.paths;
    expect(Object.keys(first.target)).toEqual(NODE_KEYS);
    expect(first.path[0].edgeType).toBe('shortcut');
    expect(first.path.at(-1).node.id).toBe(first.target.id);
    expect(first.unreachable).toBeUndefined();
  });

  test('an object only weakly held is unreachable', () => {
    // A real snapshot collects garbage first, so such an object is built by hand.
    const heap = minimalHeap();
    heap[MINIMAL.global].edges = [{ type: 'weak', name: 'cached', to: 5 }];
    heap.push({ type: 'object', name: 'Orphan', id: 11, selfSize: 40, edges: [] });
    const file = tmpPath('weak.heapsnapshot');
    writeSnapshot(file, heap);
    const report = JSON.parse(run('path', file, '--type', 'Orphan', '--json').stdout);
    expect(report.paths[0]).toMatchObject({ target: { id: 11, className: 'Orphan' }, path: [], unreachable: true });
    expect(run('path', file, '--type', 'Orphan').stdout).toMatch(/no root reaches it/);
  });

  test('usage errors exit 2', () => {
    expect(run('path', 'samples/service-3.heapsnapshot.gz').code).toBe(2);
    expect(run('path', 'samples/service-3.heapsnapshot.gz', '--type', 'NoSuchClass').stderr).toMatch(/no objects of class "NoSuchClass"/);
    expect(run('path', 'samples/service-3.heapsnapshot.gz', '@1', '--type', 'User').code).toBe(2);
  });
});
