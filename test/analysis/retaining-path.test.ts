// Retaining paths: shortest, readable, and ES module state shown from its module.

import { describe, expect, test } from 'vitest';
import { loadSnapshot } from '../../src/index.js';
import { PathFinder, objectsOfClass } from '../../src/analysis/retaining-path.js';
import { renderPathText } from '../../src/render/path.js';
import { MAX_DETOUR } from '../../src/graph/retaining-tree.js';
import { snapshotOfProgram } from '../helpers/node-snapshot.js';

describe('samples', () => {
  test('a User of the service: from its module, through the cache Map, at most MAX_DETOUR steps longer than DevTools\' distance', async () => {
    const graph = await loadSnapshot('samples/service-3.heapsnapshot.gz');
    const finder = new PathFinder(graph);
    const [user] = objectsOfClass(graph, 'User', 1);
    const path = finder.pathOf(user);
    expect(path.unreachable).toBe(false);
    // One step per edge from the root; a global is at DevTools distance 1.
    expect(path.steps.length).toBeGreaterThanOrEqual(graph.distances[user]);
    expect(path.steps.length).toBeLessThanOrEqual(graph.distances[user] + MAX_DETOUR);
    expect(path.steps[0].node.className).toBe('global');
    expect(path.steps.map((step) => step.edgeName)).toContain('cache');
    // Each step's node is the target of the step's edge.
    const text = renderPathText(path, false);
    expect(text).toMatch(/› ->cache Map @\d+\n +› \{table\} \(array\) @\d+\n +› \{\d+\} User @\d+/);
    expect(text).toMatch(/^ +module service\.mjs @\d+ /m);
    expect(text).toMatch(/, 3 steps:\n/);
  });

  test('every object reachable at a DevTools distance has a path of that length', async () => {
    const graph = await loadSnapshot('samples/orm-3.heapsnapshot.gz');
    const finder = new PathFinder(graph);
    for (const className of ['Department', 'Course', 'Lesson']) {
      for (const node of objectsOfClass(graph, className, 5)) expect(finder.pathOf(node).steps.length).toBe(graph.distances[node]);
    }
  });
});

test('ES module state is shown from its module, in full with --full', async () => {
  const file = snapshotOfProgram('registry.mjs', `
    import v8 from 'node:v8';
    class Session { constructor(i) { this.id = i; } }
    export const all = [];
    for (let i = 0; i < 50; i++) all.push(new Session(i));
    setTimeout(() => { globalThis.gc(); v8.writeHeapSnapshot(process.argv[2]); }, 10);
  `);
  const graph = await loadSnapshot(file);
  const path = new PathFinder(graph).pathOf(objectsOfClass(graph, 'Session', 1)[0]);
  expect(path.readableStart).toBeGreaterThan(3);
  expect(path.module).toMatch(/registry\.mjs$/);
  expect(path.exportName).toBe('all');
  const short = renderPathText(path, false);
  expect(short).toMatch(/module registry\.mjs @\d+ .*--full/);
  expect(short).toMatch(/› all Array @\d+\n +› \[\d+\] Session @\d+\n$/);
  const full = renderPathText(path, true);
  expect(full.split('\n').length).toBeGreaterThan(short.split('\n').length + 3);
  expect(full).toContain('system / SourceTextModule');
});

test('a WeakMap value: through its WeakMap when that is as short, else from its key, said so', async () => {
  const program = (holders: string) => `
    import v8 from 'node:v8';
    class Owner {}
    class Metadata { constructor() { this.notes = 'about the owner'; } }
    const owner = new Owner();
    const metadata = new WeakMap();
    metadata.set(owner, new Metadata());
    globalThis.app = ${holders};
    globalThis.gc();
    v8.writeHeapSnapshot(process.argv[2]);
  `;
  const pathOfMetadata = async (holders: string) => {
    const graph = await loadSnapshot(snapshotOfProgram('weakmap.mjs', program(holders)));
    return new PathFinder(graph).pathOf(objectsOfClass(graph, 'Metadata', 1)[0]);
  };
  const entry = /part of key \(Owner @\d+\) -> value \(Metadata @\d+\) pair in WeakMap/;

  // Both ways take four steps from the global: the map's is the one a person reads.
  const tie = await pathOfMetadata('{ metadata, deep: { owner } }');
  expect(tie.steps.map((step) => step.node.className).slice(-3)).toEqual(['WeakMap', '(array)', 'Metadata']);
  expect(tie.steps.at(-1)!.edgeName).toMatch(entry);
  expect(renderPathText(tie, false)).toMatch(/› \.metadata WeakMap @\d+\n.*\n +› \[WeakMap key Owner @\d+\] Metadata @\d+\n$/);

  // The key is nearer: the path goes through it, and says which WeakMap holds the entry.
  const near = await pathOfMetadata('{ owner, metadata }');
  expect(near.steps.at(-2)!.node.className).toBe('Owner');
  expect(renderPathText(near, false)).toMatch(/› \.owner Owner @\d+\n +› \[value in WeakMap table @\d+\] Metadata @\d+\n$/);
});

test('one retaining tree per loaded heap, shared by leaks, report and drawings', async () => {
  const [a, b] = await Promise.all([loadSnapshot('samples/orm-1.heapsnapshot.gz'), loadSnapshot('samples/orm-1.heapsnapshot.gz')]);
  expect(PathFinder.of(a)).toBe(PathFinder.of(a));
  expect(PathFinder.of(a)).not.toBe(PathFinder.of(b));
});
