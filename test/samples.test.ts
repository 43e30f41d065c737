// Every bundled sample, Node's and Chromium's, summarized exactly as DevTools summarizes it:
// the oracle is DevTools' own heap snapshot worker (heap-snapshot-toolkit).

import { readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { loadSnapshot, summarizeClasses, inspectObject } from '../src/index.js';
import { ourSummary } from './graph/support.js';
import { devtoolsSnapshot, devtoolsSummary } from './helpers/oracle.js';

const samples = readdirSync('samples').filter((name) => name.endsWith('.heapsnapshot.gz')).sort();

test('the bundled samples include Node and Chromium snapshots', () => {
  expect(samples.length).toBeGreaterThanOrEqual(15);
  expect(samples).toContain('browser-3.heapsnapshot.gz');
  expect(samples).toContain('service-3.heapsnapshot.gz');
});

describe.each(samples)('%s', (name) => {
  const file = `samples/${name}`;

  test('summary equals DevTools\' Summary view, class by class', async () => {
    const [graph, oracle] = await Promise.all([loadSnapshot(file), devtoolsSummary(file)]);
    expect(graph.snapshot.nodeCount).toBe(oracle.nodeCount);
    expect(graph.snapshot.edgeCount).toBe(oracle.edgeCount);
    expect(graph.totalSize).toBe(oracle.totalSize);
    const ours = ourSummary(graph).classes;
    expect(ours.length).toBe(oracle.classes.length);
    expect(ours).toEqual(oracle.classes);
  });
});

describe('per-node numbers equal DevTools\' on a Node and a Chromium snapshot', () => {
  test.each(['samples/service-3.heapsnapshot.gz', 'samples/browser-3.heapsnapshot.gz'])('%s', async (file) => {
    const [graph, devtools] = await Promise.all([loadSnapshot(file), devtoolsSnapshot(file)]);
    const n = graph.snapshot.nodeCount;
    let distanceMismatches = 0;
    let retainedMismatches = 0;
    let dominatorMismatches = 0;
    for (let node = 0; node < n; node++) {
      if (graph.distances[node] !== devtools.nodeDistances[node]) distanceMismatches++;
      if (graph.retainedSizes[node] !== devtools.retainedSizes[node]) retainedMismatches++;
      if (graph.idom[node] !== devtools.dominatorsTree[node]) dominatorMismatches++;
    }
    expect({ distanceMismatches, retainedMismatches, dominatorMismatches }).toEqual({ distanceMismatches: 0, retainedMismatches: 0, dominatorMismatches: 0 });
  });
});

describe('what the samples show', () => {
  test('service: User objects pile up in the module-level cache Map', async () => {
    const counts = [];
    for (const step of [1, 2, 3]) {
      const rows = summarizeClasses(await loadSnapshot(`samples/service-${step}.heapsnapshot.gz`));
      counts.push(rows.filter((row) => row.name === 'User').reduce((sum, row) => sum + row.count, 0));
    }
    expect(counts[0]).toBeLessThan(counts[1]);
    expect(counts[1]).toBeLessThan(counts[2]);
  });

  test('browser: detached DOM nodes get DevTools\' "Detached <div>" class', async () => {
    const rows = summarizeClasses(await loadSnapshot('samples/browser-3.heapsnapshot.gz'));
    const detached = rows.find((row) => row.key === ',Detached <div>');
    expect(detached?.count).toBeGreaterThan(100);
  });

  test('inspect: a User\'s dominator chain runs through the cache Map to the root', async () => {
    const graph = await loadSnapshot('samples/service-3.heapsnapshot.gz');
    const heap = graph.snapshot;
    let user = -1;
    for (let node = 0; node < heap.nodeCount && user < 0; node++) if (heap.nodeName(node) === 'User' && heap.nodeTypeName(node) === 'object') user = node;
    const result = inspectObject(graph, heap.nodeIds[user])!;
    expect(result.className).toBe('User');
    expect(result.dominators.map((node) => node.className)).toContain('Map');
    expect(result.dominators.at(-1)!.id).toBe(heap.nodeIds[heap.rootOrdinal]);
    expect(result.retainers.length).toBeGreaterThan(0);
  });
});
