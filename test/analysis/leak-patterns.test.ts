// `leaks` on real programs, one per leak pattern (test/fixtures/leaks): the leaked class and the
// holder a person would name come out in a top-3 cluster; the controls report nothing.

import { describe, expect, test } from 'vitest';
import { loadSnapshot } from '../../src/index.js';
import { DEFAULT_MIN_RETAINED, findLeaks, type LeakCluster } from '../../src/analysis/leaks.js';
import { leakManifest, snapshotLeakProgram } from '../helpers/leak-programs.js';

const leaksOf = (program: string) => findLeaks(snapshotLeakProgram(program), (file) => loadSnapshot(file), { minRetained: DEFAULT_MIN_RETAINED, top: 10 });
const holderTexts = (cluster: LeakCluster) => cluster.holders.map((holder) => holder.heldBy?.description ?? '');

describe('leaking programs: the class and the holder a person would name, in a top-3 cluster', () => {
  test.each(leakManifest.filter((entry) => entry.leaks).map((entry) => [entry.program, entry] as const))('%s', async (program, entry) => {
    const report = await leaksOf(program);
    const top = report.clusters.slice(0, 3);
    const cluster = top.find((candidate) => candidate.className === entry.leakedClass);
    expect(cluster, `${program}: top clusters ${top.map((c) => c.className).join(', ')}`).toBeDefined();
    // The first holder is the one the cluster is titled with; every holder the author wrote is listed.
    expect(cluster!.heldBy?.description).toContain(entry.holder!);
    for (const holder of entry.holders ?? [entry.holder!]) expect(holderTexts(cluster!).some((text) => text.includes(holder)), holder).toBe(true);
    expect(cluster!.freedByOneCut).toBe((entry.holders ?? []).length <= 1);
    // The path ends at an object of the leaked class, and the examples are of that class.
    expect(cluster!.path.target.className).toBe(entry.leakedClass);
    expect(cluster!.path.steps.at(-1)!.node.id).toBe(cluster!.exampleIds[0]);
    expect(cluster!.instances).toBeGreaterThan(0);
  });
});

test.each(leakManifest.filter((entry) => !entry.leaks).map((entry) => [entry.program]))('control %s: nothing reported', async (program) => {
  const report = await leaksOf(program);
  expect(report.clusters).toEqual([]);
  expect(report.growingContainers).toEqual([]);
});

test('a timer list and a promise reaction chain are growing containers, with their lengths', async () => {
  const timers = await leaksOf('interval.mjs');
  const list = timers.growingContainers.find((container) => container.kind === 'List');
  expect(list).toMatchObject({ className: 'TimersList', list: { className: 'Timeout' } });
  expect(list!.entries[0]).toBeLessThan(list!.entries[1]);
  expect(list!.entries[1]).toBeLessThan(list!.entries[2]);
  const promises = await leaksOf('pending-promises.mjs');
  expect(promises.growingContainers.find((container) => container.kind === 'List')).toMatchObject({ className: 'Promise', list: { className: 'PromiseReaction' } });
});

test('a folded run shows the list once, with its length', async () => {
  const report = await leaksOf('interval.mjs');
  const path = report.clusters[0].path;
  const run = path.folds.find((fold) => fold.period === 1 && path.steps[fold.start].node.className === 'Timeout');
  expect(run).toBeDefined();
  expect(run!.times).toBeGreaterThan(1);
});
