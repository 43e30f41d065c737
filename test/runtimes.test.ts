// Snapshots written by Deno (V8, through node:v8) and by Bun (JavaScriptCore's heap, exported
// in V8's format by Bun.generateHeapSnapshot('v8')): the same numbers as DevTools' own code
// (heap-snapshot-toolkit), and what each runtime's snapshots let the analysis find.
// Summary equality, class by class, is checked on every bundled sample in samples.test.ts.

import { describe, expect, test } from 'vitest';
import { compareSnapshots, explainRetention, findLeaks, loadSnapshot, MixedSnapshotsError, PathFinder, summarizeClasses, type ClassGrowth } from '../src/index.js';
import { heldOnlyByRuntime } from '../src/analysis/leaks.js';
import { RUNTIME, UNNAMED_MODULE_NAME, USER } from '../src/graph/code-origin.js';
import { renderLeaksText } from '../src/render/leaks.js';
import { devtoolsComparison, type OracleDiff } from './helpers/diff-oracle.js';
import { devtoolsSnapshot } from './helpers/oracle.js';

const files = (runtime: string) => [1, 2, 3].map((step) => `samples/${runtime}-${step}.heapsnapshot.gz`);
const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** compareSnapshots' rows in the oracle's shape. */
function asDiff(rows: ClassGrowth[]): OracleDiff[] {
  return rows
    .map((row) => ({ key: row.key, name: row.name, addedCount: row.new, removedCount: row.deleted, addedSize: row.allocSize, removedSize: row.freedSize, countDelta: row.countDelta, sizeDelta: row.sizeDelta }))
    .sort(byKey);
}

describe.each([
  ['deno', 'Session'],
  ['bun', 'Order'],
])('%s', (runtime, leakingClass) => {
  const [first, , last] = files(runtime);

  test('distances, retained sizes and dominators equal DevTools\' node by node', async () => {
    const [graph, devtools] = await Promise.all([loadSnapshot(last), devtoolsSnapshot(last)]);
    let mismatches = 0;
    for (let node = 0; node < graph.snapshot.nodeCount; node++) {
      if (graph.distances[node] !== devtools.nodeDistances[node] || graph.retainedSizes[node] !== devtools.retainedSizes[node] || graph.idom[node] !== devtools.dominatorsTree[node]) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  test('growth equals DevTools\' Comparison view, and the leaking class climbs 200 → 1,000 → 1,800', async () => {
    // Bun's snapshots are numbered afresh (below): the comparison runs only when forced.
    const report = await compareSnapshots(files(runtime), { force: runtime === 'bun' });
    expect(report.sameProcessProblem?.kind ?? null).toBe(runtime === 'bun' ? 'numbering' : null);
    expect(asDiff(report.classes)).toEqual(await devtoolsComparison(first, last));
    const leaking = report.classes.find((row) => row.name === leakingClass);
    expect(leaking?.counts).toEqual([200, 1000, 1800]);
    expect(leaking?.grewEveryStep).toBe(true);
  });

  test('summary counts the 1,800 objects of the leaking class', async () => {
    const rows = summarizeClasses(await loadSnapshot(last));
    expect(rows.find((row) => row.name === leakingClass)).toMatchObject({ count: 1800 });
  });
});

describe('Deno', () => {
  test('leaks names the Sessions held by the sessions Map, and the Map as growing', async () => {
    const report = await findLeaks(files('deno'), (file) => loadSnapshot(file), { minRetained: 100_000, top: 10 });
    const [cluster] = report.clusters;
    expect(cluster.className).toBe('Session');
    expect(cluster.classes[0]).toMatchObject({ className: 'Session', count: 800 });
    expect(cluster.heldBy?.edgeName).toBe('sessions');
    expect(cluster.heldBy?.owner).toMatchObject({ kind: 'module', name: expect.stringMatching(/deno\.mjs$/) });
    // What Deno loads of itself between snapshots comes after, said to be the runtime's.
    expect(report.clusters.slice(1).every(heldOnlyByRuntime)).toBe(true);
    expect(renderLeaksText(report, 100_000, false)).toMatch(/^2\. .*\n.*\n(?:.*\n)*? {3}Held only by the runtime's own code and V8 internals/m);
    const sessions = report.growingContainers.find((container) => container.className === 'Map');
    expect(sessions?.entries).toEqual([200, 1000, 1800]);
    expect(sessions?.path.steps.at(-1)?.edgeName).toBe('sessions');
  });

  test('Deno\'s own modules (ext:…, node:…) are the runtime\'s code, the sample\'s file:// module the program\'s', async () => {
    const graph = await loadSnapshot(files('deno')[2]);
    const finder = new PathFinder(graph);
    const heap = graph.snapshot;
    const originsByScheme = new Map<string, Set<number>>();
    for (let node = 0; node < heap.nodeCount; node++) {
      if (heap.nodeTypes[node] !== heap.nodeType.closure) continue;
      const location = heap.location(node);
      const script = location && finder.scripts.name(location.scriptId);
      if (!script) continue;
      const scheme = script.slice(0, script.indexOf(':') + 1);
      if (!originsByScheme.has(scheme)) originsByScheme.set(scheme, new Set());
      originsByScheme.get(scheme)!.add(finder.origins.origin[node]);
    }
    expect(Object.fromEntries([...originsByScheme].map(([scheme, origins]) => [scheme, [...origins]]))).toEqual({
      'ext:': [RUNTIME],
      'node:': [RUNTIME],
      'file:': [USER],
    });
  });
});

describe('Bun', () => {
  test('objects are renumbered in every snapshot: comparisons refuse them, and forced see every object as new', async () => {
    // Bun gives each snapshot's objects fresh ids from one counter: no object keeps its id, so
    // matching objects by id (growth's New/Deleted, leaks) means nothing. Said, not silently wrong.
    await expect(compareSnapshots(files('bun'))).rejects.toThrow(/share almost no object ids \([\d,]+ of [\d,]+ sampled\)/);
    await expect(findLeaks(files('bun'), (file) => loadSnapshot(file), { minRetained: 0, top: 10 })).rejects.toThrow(MixedSnapshotsError);
    const report = await compareSnapshots(files('bun'), { force: true });
    const orders = report.classes.find((row) => row.name === 'Order')!;
    expect({ new: orders.new, deleted: orders.deleted }).toEqual({ new: 1800, deleted: 200 });
  });

  test('a path reads from the module (JavaScriptCore\'s module environment, unnamed) through auditLog', async () => {
    const graph = await loadSnapshot(files('bun')[2]);
    const heap = graph.snapshot;
    let order = -1;
    for (let node = 0; node < heap.nodeCount && order < 0; node++) if (heap.nodeTypes[node] === heap.nodeType.object && heap.nodeName(node) === 'Order') order = node;
    const path = new PathFinder(graph).pathOf(order);
    expect(path.steps.at(-2)?.edgeName).toBe('auditLog');
    expect(path.module).toBe(UNNAMED_MODULE_NAME);
    expect(path.steps[path.readableStart].node.className).toBe('system / JSModuleEnvironment');
    // The variable's owner is the module, not a closure: Bun's closures have no context edge.
    const [holder] = explainRetention(graph, order).holders;
    expect(holder.heldBy).toMatchObject({ edgeName: 'auditLog', owner: { kind: 'module', name: UNNAMED_MODULE_NAME } });
  });
});
