// Differential check on seeded random heaps: every rule of rules 1–9 mixed together
// (weak/shortcut/hidden/element/internal edges, WeakMap pairs, self edges, cycles, orphans,
// hidden/array ownership, plain-object shapes, DOM state, locations, expose-internals
// heaps). For each heap, leakgraph's whole Summary and per-node distance, immediate
// dominator, shallow size, retained size and class key must equal DevTools'
// (heap-snapshot-toolkit). Seeds are fixed, so a failure names a reproducible heap.

import { describe, expect, it } from 'vitest';
import { randomHeap } from './random-heap.js';
import { analyze, devtoolsNodeRows, ourNodeRows } from './support.js';

describe('seeded random heaps: leakgraph equals DevTools', () => {
  const SEEDS = Array.from({ length: Number(process.env.LEAKGRAPH_RANDOM_HEAPS ?? 1000) }, (_, i) => i + 1);
  it(`${SEEDS.length} heaps`, async () => {
    const failures: string[] = [];
    for (const seed of SEEDS) {
      const { h, options } = randomHeap(seed);
      const a = await analyze(h.write(`random-${seed}`, options));
      const summaryOk = JSON.stringify(a.ours) === JSON.stringify(a.devtools);
      const ours = ourNodeRows(a.graph);
      const theirs = devtoolsNodeRows(a.snap);
      const differing = ours
        .map((row, i) => ({ node: h.nodes[i]!, ours: row, devtools: theirs[i]! }))
        .filter((d) => JSON.stringify(d.ours) !== JSON.stringify(d.devtools))
        .map((d) => `${d.node.type} ${JSON.stringify(d.node.name)} @${d.node.id}: leakgraph ${JSON.stringify(d.ours)} vs DevTools ${JSON.stringify(d.devtools)}`);
      if (!summaryOk || differing.length > 0) {
        failures.push(`seed ${seed}: ${summaryOk ? '' : 'Summary differs; '}${differing.length} node(s) differ, first: ${differing[0] ?? '-'}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
