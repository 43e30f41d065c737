// DevTools rules 3 (essential edges), 4 (unreachable nodes) and 9 (class retained size),
// one tiny heap per rule: (a) numbers derived by hand from devtools-semantics.md §5 and
// (b) leakgraph's Summary and per-node arrays equal DevTools' (heap-snapshot-toolkit).

import { describe, expect, it } from 'vitest';
import { Heap, MINIMAL, NONE, checkAgainstDevTools, row } from './support.js';

const { root, strongRoots, handleScope, global } = MINIMAL;

describe('rule 3: essential edges', () => {
  it('shortcut edges count only from the root', async () => {
    const h = new Heap();
    const p = h.add('object', 'P', 8);
    const c = h.add('object', 'C', 50);
    h.edge(global, 'shortcut', 'c', c); // not from the root: ignored for dominators
    h.edge(global, 'property', 'p', p).edge(p, 'property', 'c', c);
    const { graph } = await checkAgainstDevTools(h, 'essential-shortcut');
    expect(graph.idom[global]).toBe(root); // the root's shortcut edge does count
    expect(graph.idom[c]).toBe(p); // would be global if the shortcut counted
    expect(graph.retainedSizes[p]).toBe(8 + 50);
    expect(graph.distances[c]).toBe(2); // distances still follow the shortcut
  });

  it('weak edges never count', async () => {
    const h = new Heap();
    const q = h.add('object', 'Q', 8);
    const d = h.add('object', 'D', 50);
    h.edge(global, 'weak', 'd', d);
    h.edge(global, 'property', 'q', q).edge(q, 'property', 'd', d);
    const { graph } = await checkAgainstDevTools(h, 'essential-weak');
    expect(graph.idom[d]).toBe(q);
    expect(graph.retainedSizes[q]).toBe(58);
  });

  it('self edges never count (a node held only by itself and weak edges is searched from the root)', async () => {
    const h = new Heap();
    const f = h.add('object', 'F', 10);
    const g = h.add('object', 'G', 20);
    const k = h.add('object', 'K', 40);
    h.edge(f, 'property', 'self', f).edge(f, 'property', 'g', g).edge(global, 'weak', 'f', f);
    h.edge(global, 'property', 'k', k).edge(k, 'property', 'k', k); // self edge on a reachable node
    const { graph } = await checkAgainstDevTools(h, 'essential-self');
    expect(graph.idom[f]).toBe(root);
    expect(graph.idom[g]).toBe(f);
    expect(graph.retainedSizes[f]).toBe(30);
    expect(graph.idom[k]).toBe(global);
    expect(graph.retainedSizes[k]).toBe(40);
    expect(graph.distances[f]).toBe(NONE);
    expect(graph.distances[g]).toBe(NONE);
  });

  it('edges from non-page-owned (GC-roots-only) nodes into page-owned nodes do not count', async () => {
    const h = new Heap();
    const o = h.add('object', 'O', 100);
    const o2 = h.add('object', 'O2', 60);
    const consoleHolder = h.add('object', 'ConsoleHolder', 8);
    const sysOnly = h.add('object', 'SysOnly', 30);
    h.edge(global, 'property', 'o', o).edge(global, 'property', 'o2', o2);
    h.edge(strongRoots, 'internal', '12 / DevTools console', consoleHolder);
    h.edge(consoleHolder, 'property', 'x', o); // non-page-owned → page-owned: ignored
    h.edge(handleScope, 'internal', 'h', o2); // synthetic (not page-owned) → page-owned: ignored
    h.edge(consoleHolder, 'property', 's', sysOnly); // non-page-owned → non-page-owned: counts
    const { graph } = await checkAgainstDevTools(h, 'essential-page-owned');
    // Without the rule both would be dominated by the root (two disjoint paths).
    expect(graph.idom[o]).toBe(global);
    expect(graph.idom[o2]).toBe(global);
    expect(graph.retainedSizes[global]).toBe(32 + 100 + 60);
    expect(graph.idom[consoleHolder]).toBe(strongRoots);
    expect(graph.idom[sysOnly]).toBe(consoleHolder);
    expect(graph.retainedSizes[consoleHolder]).toBe(8 + 30);
  });
});

describe('rule 4: unreachable nodes', () => {
  it('a node with only weak retainers and a 2-node cycle held by nothing are dominated by the root and counted in the total', async () => {
    const h = new Heap();
    const w = h.add('object', 'WeakOnly', 12);
    const wChild = h.add('object', 'WeakChild', 6);
    const c1 = h.add('object', 'Cycle', 40);
    const c2 = h.add('object', 'Cycle', 50);
    h.edge(global, 'weak', 'w', w).edge(w, 'property', 'child', wChild);
    h.edge(c1, 'property', 'next', c2).edge(c2, 'property', 'next', c1);
    const { graph, ours } = await checkAgainstDevTools(h, 'unreachable');
    expect(graph.idom[w]).toBe(root);
    expect(graph.idom[wChild]).toBe(w);
    expect(graph.retainedSizes[w]).toBe(18);
    expect(graph.idom[c1]).toBe(root);
    expect(graph.idom[c2]).toBe(root);
    expect(graph.retainedSizes[c1]).toBe(40);
    expect(graph.retainedSizes[c2]).toBe(50);
    expect([w, wChild, c1, c2].map((n) => graph.distances[n])).toEqual([NONE, NONE, NONE, NONE]);
    expect(graph.retainedSizes[root]).toBe(32 + 12 + 6 + 40 + 50);
    expect(graph.totalSize).toBe(140);
    expect(row(ours, ',Cycle')).toEqual({ key: ',Cycle', name: 'Cycle', count: 2, shallowSize: 90, retainedSize: 90, distance: -1 });
  });
});

describe('rule 9: class retained size does not double count', () => {
  it('an instance dominated by another instance of its class adds nothing', async () => {
    const h = new Heap();
    const a1 = h.add('object', 'A', 10);
    const a2 = h.add('object', 'A', 20);
    const b = h.add('object', 'B', 5);
    const a3 = h.add('object', 'A', 7);
    const b2 = h.add('object', 'B', 3);
    const a4 = h.add('object', 'A', 11);
    h.edge(global, 'property', 'a1', a1).edge(a1, 'property', 'inner', a2).edge(a2, 'property', 'b', b);
    h.edge(global, 'property', 'a3', a3);
    // A → B → A: the inner A is still below an A on the dominator path.
    h.edge(a3, 'property', 'b', b2).edge(b2, 'property', 'a', a4);
    const { graph, ours } = await checkAgainstDevTools(h, 'class-retained');
    expect(graph.retainedSizes[a1]).toBe(35);
    expect(graph.retainedSizes[a3]).toBe(21);
    // A: a1 (35) + a3 (21); not + a2 (25) + a4 (11)
    expect(row(ours, ',A')!.retainedSize).toBe(56);
    expect(row(ours, ',A')!.shallowSize).toBe(48);
    // B: b (5) + b2 (14), not nested in another B
    expect(row(ours, ',B')!.retainedSize).toBe(19);
  });

  it('a zero-size instance neither contributes nor hides the instances below it', async () => {
    const h = new Heap();
    const a0 = h.add('object', 'A', 0);
    const a5 = h.add('object', 'A', 9);
    h.edge(global, 'property', 'a0', a0).edge(a0, 'property', 'a', a5);
    const { ours } = await checkAgainstDevTools(h, 'class-retained-zero');
    expect(row(ours, ',A')).toEqual({ key: ',A', name: 'A', count: 1, shallowSize: 9, retainedSize: 9, distance: 3 });
  });
});
