// The iterative dominator algorithm (three node arrays, nothing per edge) and Lengauer–Tarjan
// (its fallback) must give the same tree on every heap, and the iterative one must give up,
// rather than run for minutes, on a long doubly linked list — where the fallback still
// gives DevTools' tree.

import { describe, expect, it } from 'vitest';
import { readSnapshotFile } from '../../src/snapshot/loader.js';
import type { HeapSnapshot } from '../../src/snapshot/heap-snapshot.js';
import { computeDominators, type Dominators } from '../../src/graph/dominators.js';
import { EphemeronNames } from '../../src/graph/ephemerons.js';
import { findEssentialEdges, type EdgeBits } from '../../src/graph/essential-edges.js';
import { iterativeDominators } from '../../src/graph/iterative-dominators.js';
import { lengauerTarjan } from '../../src/graph/lengauer-tarjan.js';
import { markPageOwned } from '../../src/graph/roots.js';
import { snapshotOfProgram } from '../helpers/node-snapshot.js';
import { randomHeap } from './random-heap.js';
import { analyze, expectSameAsDevTools } from './support.js';

function essentialEdges(snapshot: HeapSnapshot): EdgeBits {
  return findEssentialEdges(snapshot, markPageOwned(snapshot), new EphemeronNames(snapshot));
}

/** Every node once in `topDown`, the root first, each node after its immediate dominator. */
function expectTopDown(snapshot: HeapSnapshot, { idom, topDown }: Dominators): void {
  expect(topDown.length).toBe(snapshot.nodeCount);
  expect(topDown[0]).toBe(snapshot.rootOrdinal);
  const position = new Int32Array(snapshot.nodeCount).fill(-1);
  topDown.forEach((node, i) => (position[node] = i));
  for (let node = 0; node < snapshot.nodeCount; node++) {
    expect(position[node]).toBeGreaterThanOrEqual(0);
    if (node !== snapshot.rootOrdinal) expect(position[idom[node]]).toBeLessThan(position[node]);
  }
}

describe('dominator algorithms', () => {
  it('the iterative algorithm and Lengauer–Tarjan agree on 300 random heaps (orphans, cycles held only by themselves, weak and shortcut edges)', async () => {
    let iterated = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const { h, options } = randomHeap(seed);
      const snapshot = await readSnapshotFile(h.write(`dominator-algorithms-${seed}`, options));
      const essential = essentialEdges(snapshot);
      const lt = lengauerTarjan(snapshot, essential);
      const iterative = iterativeDominators(snapshot, essential);
      if (iterative === null) continue;
      iterated++;
      expect([...iterative.idom], `seed ${seed}`).toEqual([...lt.idom]);
      expectTopDown(snapshot, iterative);
      expectTopDown(snapshot, lt);
    }
    expect(iterated).toBe(300);
  });

  it('on a real Node heap holding a 30,000-node doubly linked list by both ends, the iterative algorithm gives up and the fallback equals DevTools', async () => {
    const file = snapshotOfProgram(
      'doubly-linked.mjs',
      `import v8 from 'node:v8';
class Link { constructor(value) { this.value = value; this.prev = null; this.next = null; } }
let head = new Link(0), tail = head;
for (let i = 1; i < 30000; i++) { const link = new Link(i); link.prev = tail; tail.next = link; tail = link; }
globalThis.list = { head, tail };
v8.writeHeapSnapshot(process.argv[2]);`,
    );
    const snapshot = await readSnapshotFile(file);
    const essential = essentialEdges(snapshot);
    // Without the budget its walks would take 30,000² / 2 steps; the test's timeout catches that.
    expect(iterativeDominators(snapshot, essential)).toBeNull();
    const dominators = computeDominators(snapshot, essential);
    expect([...dominators.idom]).toEqual([...lengauerTarjan(snapshot, essential).idom]);
    expectSameAsDevTools(await analyze(file));
  }, 60_000);
});
