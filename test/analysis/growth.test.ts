// leakgraph growth: DevTools' Comparison view (first snapshot against last), with counts per
// snapshot. The oracle is DevTools' own code (heap-snapshot-toolkit) driven the way DevTools'
// data grid drives it: the base classified with the newer snapshot's shape classes.

import { describe, expect, test } from 'vitest';
import {
  classInstances,
  compareSnapshots,
  diffClasses,
  grewEveryStep,
  loadSnapshot,
  loadSnapshotClasses,
  selectGrowth,
  sortGrowth,
  summarizeClasses,
  type ClassDiff,
  type ClassGrowth,
} from '../../src/index.js';
import { devtoolsComparison, toolkitDiff, type OracleDiff } from '../helpers/diff-oracle.js';
import { Heap, MINIMAL } from '../graph/support.js';

const sample = (name: string) => `samples/${name}.heapsnapshot.gz`;
const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
const SERVICE = [sample('service-1'), sample('service-2'), sample('service-3')];
const CONTROL = [sample('control-1'), sample('control-2'), sample('control-3')];

/** leakgraph's comparison in the oracle's shape; the base classified with the newer's shapes unless `ownShapes`. */
async function ourComparison(baseFile: string, newerFile: string, ownShapes = false): Promise<ClassDiff[]> {
  const newer = await loadSnapshotClasses(newerFile);
  const base = await loadSnapshotClasses(baseFile, ownShapes ? {} : { interfaces: newer.interfaces });
  return diffClasses(classInstances(base), classInstances(newer)).sort(byKey);
}

/** compareSnapshots' rows in the oracle's shape. */
function asDiff(rows: ClassGrowth[]): OracleDiff[] {
  return rows
    .map((row) => ({ key: row.key, name: row.name, addedCount: row.new, removedCount: row.deleted, addedSize: row.allocSize, removedSize: row.freedSize, countDelta: row.countDelta, sizeDelta: row.sizeDelta }))
    .sort(byKey);
}

const isShapeClass = (key: string) => key === ',Object' || /^,\{.*\}$/s.test(key);

describe('equals DevTools\' Comparison view, class by class', () => {
  test.each([
    ['service-1', 'service-3'],
    ['orm-1', 'orm-2'],
    ['browser-1', 'browser-3'],
    ['control-2', 'control-3'],
  ])('%s → %s', async (from, to) => {
    const oracle = await devtoolsComparison(sample(from), sample(to));
    expect(oracle.length).toBeGreaterThan(0);
    expect(await ourComparison(sample(from), sample(to))).toEqual(oracle);
    const report = await compareSnapshots([sample(from), sample(to)]);
    expect(asDiff(report.classes)).toEqual(oracle);
  });

  test('the toolkit\'s plain diff() (base keeps its own shapes) differs only in plain-object shape classes', async () => {
    const [devtools, plain] = await Promise.all([devtoolsComparison(SERVICE[0], SERVICE[2]), toolkitDiff(SERVICE[0], SERVICE[2])]);
    const rowsByKey = (rows: OracleDiff[]) => new Map(rows.map((row) => [row.key, row]));
    const a = rowsByKey(devtools);
    const b = rowsByKey(plain);
    const differing = [...new Set([...a.keys(), ...b.keys()])].filter((key) => JSON.stringify(a.get(key)) !== JSON.stringify(b.get(key)));
    expect(differing.length).toBeGreaterThan(0);
    expect(differing.filter((key) => !isShapeClass(key))).toEqual([]);
    // leakgraph reproduces both: with the newer snapshot's shapes DevTools' view, with the
    // base's own shapes the toolkit's diff().
    expect(await ourComparison(SERVICE[0], SERVICE[2], true)).toEqual(plain);
  });

  test('a tiny pair: same id = same object, zero-size nodes left out, a class change is deleted + new', async () => {
    const { global } = MINIMAL;
    const build = (step: 1 | 2) => {
      const h = new Heap();
      const object = (name: string, size: number, id: number) => {
        const n = h.add('object', name, size, { id });
        h.edge(global, 'property', `p${id}`, n);
        return n;
      };
      object('Foo', 40, 101); // in both: same object
      if (step === 1) object('Foo', 40, 103); // deleted
      if (step === 2) object('Foo', 48, 105); // new
      object('Bar', 0, 107); // zero size: never counted
      if (step === 2) object('Bar', 0, 109);
      // The same object (id 111) is a Baz in the base and a Qux in the newer snapshot.
      object(step === 1 ? 'Baz' : 'Qux', 24, 111);
      if (step === 2) for (const id of [113, 115, 117]) object('Foo', 16, id);
      return h.write(`growth-tiny-${step}`);
    };
    const [base, newer] = [build(1), build(2)];
    const ours = await ourComparison(base, newer);
    expect(ours).toEqual(await devtoolsComparison(base, newer));
    expect(ours.map((row) => [row.key, row.addedCount, row.removedCount, row.addedSize, row.removedSize])).toEqual([
      [',Baz', 0, 1, 0, 24],
      [',Foo', 4, 1, 48 + 3 * 16, 40],
      [',Qux', 1, 0, 24, 0],
    ]);
  });
});

describe('counts per snapshot and growth over three snapshots', () => {
  test('counts equal summarizeClasses of each snapshot (classified with the last one\'s shapes); headers equal the full load', async () => {
    const report = await compareSnapshots(SERVICE);
    const { interfaces } = await loadSnapshotClasses(SERVICE[2]);
    expect(report.classes.length).toBeGreaterThan(0);
    for (const [i, file] of SERVICE.entries()) {
      const graph = await loadSnapshot(file, { interfaces });
      const counts = new Map(summarizeClasses(graph).map((row) => [row.key, row.count]));
      for (const row of report.classes) expect(row.counts[i], `${row.key} in ${file}`).toBe(counts.get(row.key) ?? 0);
      expect(report.files[i]).toEqual({ file, nodeCount: graph.snapshot.nodeCount, edgeCount: graph.snapshot.edgeCount, totalSize: graph.totalSize });
    }
  });

  test('service: User grew at every step, 200 → 1,000 → 1,800, none deleted', async () => {
    const user = (await compareSnapshots(SERVICE)).classes.filter((row) => row.name === 'User');
    expect(user).toHaveLength(1);
    expect(user[0]).toMatchObject({ counts: [200, 1000, 1800], new: 1600, deleted: 0, countDelta: 1600, grewEveryStep: true });
    expect(user[0].allocSize).toBeGreaterThan(0);
    expect(user[0].sizeDelta).toBe(user[0].allocSize);
  });

  test('control: CachedUser did not grow (100 replaced by 100 new ones)', async () => {
    const cached = (await compareSnapshots(CONTROL)).classes.filter((row) => row.name === 'CachedUser');
    expect(cached).toHaveLength(1);
    expect(cached[0]).toMatchObject({ counts: [100, 100, 100], new: 100, deleted: 100, countDelta: 0, sizeDelta: 0, grewEveryStep: false });
  });

  test('first-to-last numbers do not depend on the snapshots in between', async () => {
    const three = await compareSnapshots(SERVICE);
    const two = await compareSnapshots([SERVICE[0], SERVICE[2]]);
    const strip = (rows: ClassGrowth[]) => rows.map(({ counts, grewEveryStep: _, ...rest }) => ({ ...rest, counts: [counts[0], counts.at(-1)] })).sort(byKey);
    expect(strip(three.classes)).toEqual(strip(two.classes));
    for (const row of two.classes) expect(row.grewEveryStep).toBe(row.counts[1] > row.counts[0]);
  });

  test('grewEveryStep: strictly larger at every step', () => {
    expect(grewEveryStep([1, 2])).toBe(true);
    expect(grewEveryStep([2, 2])).toBe(false);
    expect(grewEveryStep([2, 1])).toBe(false);
    expect(grewEveryStep([0, 5, 9])).toBe(true);
    expect(grewEveryStep([0, 5, 5])).toBe(false);
    expect(grewEveryStep([3, 1, 9])).toBe(false);
  });
});

describe('sorting and selection', () => {
  const row = (key: string, countDelta: number, sizeDelta: number): ClassGrowth => ({
    key, name: key.slice(1), counts: [0, countDelta], new: Math.max(0, countDelta), deleted: Math.max(0, -countDelta),
    countDelta, allocSize: Math.max(0, sizeDelta), freedSize: Math.max(0, -sizeDelta), sizeDelta, grewEveryStep: countDelta > 0,
  });
  const rows = [row(',B', 5, 10), row(',A', 5, 300), row(',C', -7, -50), row(',D', 1, 1000), row(',E', 0, 20)];

  test('by count delta (default) or size delta, largest first, ties by key', () => {
    expect(sortGrowth(rows, 'count').map((r) => r.key)).toEqual([',A', ',B', ',D', ',E', ',C']);
    expect(sortGrowth(rows, 'size').map((r) => r.key)).toEqual([',D', ',A', ',E', ',B', ',C']);
  });

  test('--top cuts after sorting (0 = all); --min-delta keeps |countDelta| ≥ N', () => {
    expect(selectGrowth(rows, { sort: 'count', top: 2, minDelta: 0 })).toEqual({ rows: [rows[1], rows[0]], matching: 5 });
    expect(selectGrowth(rows, { sort: 'count', top: 0, minDelta: 0 }).rows).toHaveLength(5);
    expect(selectGrowth(rows, { sort: 'count', top: 0, minDelta: 5 }).rows.map((r) => r.key)).toEqual([',A', ',B', ',C']);
    expect(selectGrowth(rows, { sort: 'size', top: 1, minDelta: 6 })).toEqual({ rows: [rows[2]], matching: 1 });
  });

  test('on a real comparison: sorted, cut and filtered as asked', async () => {
    const { classes } = await compareSnapshots(SERVICE);
    const top = selectGrowth(classes, { sort: 'count', top: 5, minDelta: 0 }).rows;
    expect(top).toHaveLength(5);
    for (let i = 1; i < top.length; i++) expect(top[i - 1].countDelta).toBeGreaterThanOrEqual(top[i].countDelta);
    const bySize = selectGrowth(classes, { sort: 'size', top: 0, minDelta: 0 }).rows;
    expect(bySize).toHaveLength(classes.length);
    for (let i = 1; i < bySize.length; i++) expect(bySize[i - 1].sizeDelta).toBeGreaterThanOrEqual(bySize[i].sizeDelta);
    const big = selectGrowth(classes, { sort: 'count', top: 0, minDelta: 1000 }).rows;
    expect(big.length).toBeGreaterThan(0);
    expect(big.every((r) => Math.abs(r.countDelta) >= 1000)).toBe(true);
    expect(big.length).toBe(classes.filter((r) => Math.abs(r.countDelta) >= 1000).length);
  });
});
