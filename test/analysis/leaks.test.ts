// leaks on the bundled samples (each leaks in a known way; control does not) and entry counts
// of containers in a real Node heap.

import { describe, expect, test } from 'vitest';
import { loadSnapshot } from '../../src/index.js';
import { countEntries, containerKind } from '../../src/analysis/containers.js';
import { DEFAULT_MIN_RETAINED, findLeaks, type LeakReport } from '../../src/analysis/leaks.js';
import { EphemeronNames } from '../../src/graph/ephemerons.js';
import { snapshotOfProgram } from '../helpers/node-snapshot.js';

const files = (sample: string) => [1, 2, 3].map((step) => `samples/${sample}-${step}.heapsnapshot.gz`);
const leaksOf = (sample: string, minRetained = DEFAULT_MIN_RETAINED) => findLeaks(files(sample), (file) => loadSnapshot(file), { minRetained, top: 10 });
const lastStep = (path: LeakReport['clusters'][number]['path']) => path.steps.at(-1)!;

describe('the samples', () => {
  test('service: one cluster of User held by the cache Map, and the cache grows', async () => {
    const report = await leaksOf('service');
    expect(report.clusters).toHaveLength(1);
    const [cluster] = report.clusters;
    expect(cluster.className).toBe('User');
    // Users made between snapshots 1 and 2 (800 requests) and still cached in 3.
    expect(cluster.classes[0]).toMatchObject({ className: 'User', count: 800 });
    const names = cluster.path.steps.map((step) => step.edgeName);
    expect(names.slice(-3, -1)).toEqual(['cache', 'table']);
    expect(lastStep(cluster.path).node.className).toBe('User');
    expect(cluster.retainedSize).toBeGreaterThan(DEFAULT_MIN_RETAINED);

    expect(report.growingContainers).toHaveLength(1);
    const [cache] = report.growingContainers;
    expect(cache).toMatchObject({ className: 'Map', kind: 'Map', weak: false, entries: [200, 1000, 1800] });
    expect(lastStep(cache.path).edgeName).toBe('cache');
    expect(cache.retainedSizes[0]).toBeLessThan(cache.retainedSizes[1]);
    expect(cache.retainedSizes[1]).toBeLessThan(cache.retainedSizes[2]);
  });

  test('control: nothing over the default threshold, no growing container at all', async () => {
    const report = await leaksOf('control');
    expect(report.clusters).toEqual([]);
    expect(report.growingContainers).toEqual([]);
    const everything = await leaksOf('control', 0);
    expect(everything.growingContainers).toEqual([]);
    expect(Math.max(...everything.clusters.map((cluster) => cluster.retainedSize))).toBeLessThan(DEFAULT_MIN_RETAINED / 10);
  });

  test.each([
    ['orm', 'Department', 'loaded', [30, 150, 270]],
    ['bigstrings', 'Report', 'archive', [20, 120, 220]],
    ['browser', 'Detached <div>', 'detached', [50, 250, 450]],
  ] as const)('%s: %s held by %s', async (sample, className, holder, entries) => {
    const report = await leaksOf(sample);
    expect(report.clusters[0].className).toBe(className);
    expect(report.clusters[0].path.steps.at(-2)!.edgeName).toBe(holder);
    expect(report.growingContainers.map((container) => container.entries)).toEqual([entries]);
    expect(lastStep(report.growingContainers[0].path).edgeName).toBe(holder);
  });

  test('browser: objects held only for the DevTools console are not reported', async () => {
    const report = await leaksOf('browser', 0);
    expect(report.clusters.map((cluster) => cluster.className)).not.toContain('UtilityScript');
  });
});

test('entry counts of Map, Set, WeakMap, WeakSet, Array and dictionaries in a real Node heap', async () => {
  const file = snapshotOfProgram('containers.mjs', `
    import v8 from 'node:v8';
    class Key { constructor(i) { this.i = i; } }
    const keys = Array.from({ length: 6 }, (_, i) => new Key(i));
    const map = new Map(), set = new Set(), weakMap = new WeakMap(), weakSet = new WeakSet(), array = [], dict = {};
    for (let i = 0; i < 6; i++) {
      map.set('key' + i, { v: i }); set.add({ s: i }); weakMap.set(keys[i], { w: i }); weakSet.add(keys[i]);
      array.push({ a: i }); dict['id' + Math.random()] = { d: i };
    }
    map.set(7, 'a value for a small-integer key'); map.set('a key for a small-integer value', 12);
    globalThis.containers = { map, set, weakMap, weakSet, array, dict, keys };
    globalThis.gc();
    v8.writeHeapSnapshot(process.argv[2]);
  `);
  const graph = await loadSnapshot(file);
  const heap = graph.snapshot;
  const ephemerons = new EphemeronNames(heap);
  let holder = -1;
  for (let node = 0; node < heap.nodeCount && holder < 0; node++) {
    for (let edge = heap.firstEdges[node]; edge < heap.firstEdges[node + 1]; edge++) {
      if (heap.edgeName(edge) === 'containers') holder = heap.edgeTargets[edge];
    }
  }
  const counts: Record<string, number> = {};
  for (let edge = heap.firstEdges[holder]; edge < heap.firstEdges[holder + 1]; edge++) {
    const node = heap.edgeTargets[edge];
    const kind = containerKind(heap, node);
    if (kind && heap.edgeTypeName(edge) === 'property' && heap.edgeName(edge) !== 'keys') counts[String(heap.edgeName(edge))] = countEntries(heap, ephemerons, node, kind);
  }
  expect(counts).toEqual({ map: 8, set: 6, weakMap: 6, weakSet: 6, array: 6, dict: 6 });
});
