// SEMI-NCA (src/graph/semi-nca.ts) against (a) a brute-force reference on random heaps — v
// dominates w when taking v out leaves w unreachable, with DevTools' rules for unreached nodes
// — and (b) DevTools itself on the shapes that make dominator algorithms slow or wrong: a long
// two-way chain, a dominator chain whose values an array also holds (SEMI-NCA's NCA walk would
// be quadratic there without its jumps), ladders, irreducible loops, and a cycle held by
// nothing that points into the reachable heap. The shapes are large enough that a quadratic
// pass would run into the test's timeout.

import { describe, expect, it } from 'vitest';
import { readSnapshotFile } from '../../src/snapshot/loader.js';
import type { HeapSnapshot } from '../../src/snapshot/heap-snapshot.js';
import { computeDominators, type Dominators } from '../../src/graph/dominators.js';
import { EphemeronNames } from '../../src/graph/ephemerons.js';
import { EssentialEdges } from '../../src/graph/essential-edges.js';
import { markPageOwned } from '../../src/graph/roots.js';
import { randomHeap } from './random-heap.js';
import { Heap, MINIMAL, analyze, expectSameAsDevTools } from './support.js';

const { global } = MINIMAL;

function essentialEdges(snapshot: HeapSnapshot): EssentialEdges {
  return EssentialEdges.of(snapshot, markPageOwned(snapshot), new EphemeronNames(snapshot));
}

/** Every node once in `topDown`, the root first, each node after its immediate dominator. */
function expectTopDown(snapshot: HeapSnapshot, { idom, topDown }: Dominators): void {
  expect(topDown.length).toBe(snapshot.nodeCount);
  expect(topDown[0]).toBe(snapshot.rootOrdinal);
  expect(idom[snapshot.rootOrdinal]).toBe(snapshot.rootOrdinal);
  const position = new Int32Array(snapshot.nodeCount).fill(-1);
  topDown.forEach((node, i) => (position[node] = i));
  for (let node = 0; node < snapshot.nodeCount; node++) {
    expect(position[node]).toBeGreaterThanOrEqual(0);
    if (node !== snapshot.rootOrdinal) expect(position[idom[node]]).toBeLessThan(position[node]);
  }
}

/** Essential successors of each node, as arrays (small heaps only). */
function successors(snapshot: HeapSnapshot, essential: EssentialEdges): number[][] {
  const out: number[][] = [];
  for (let node = 0; node < snapshot.nodeCount; node++) {
    const list: number[] = [];
    for (let edge = snapshot.firstEdges[node]; edge < snapshot.firstEdges[node + 1]; edge++) if (essential.has(edge, node)) list.push(snapshot.edgeTargets[edge]);
    out.push(list);
  }
  return out;
}

function reach(next: number[][], starts: number[], removed = -1): Uint8Array {
  const seen = new Uint8Array(next.length);
  const stack = starts.filter((s) => s !== removed);
  for (const s of stack) seen[s] = 1;
  while (stack.length > 0) {
    for (const t of next[stack.pop()!]!) {
      if (t === removed || seen[t]) continue;
      seen[t] = 1;
      stack.push(t);
    }
  }
  return seen;
}

/**
 * Immediate dominators by definition: the root also holds the unreached nodes that have no
 * essential retainer; nodes still unreached hang from the root. d dominates w when w is
 * unreachable without d; the immediate dominator is the strict dominator with most dominators.
 */
function bruteForceDominators(snapshot: HeapSnapshot, essential: EssentialEdges): number[] {
  const root = snapshot.rootOrdinal;
  const next = successors(snapshot, essential);
  const fromRoot = reach(next, [root]);
  const retainedUnreached = new Uint8Array(next.length);
  next.forEach((targets, source) => !fromRoot[source] && targets.forEach((t) => (retainedUnreached[t] = 1)));
  const orphans = next.map((_, node) => node).filter((node) => !fromRoot[node] && !retainedUnreached[node]);
  // Alone nodes' edges count for no one; cutting them off keeps them out of everyone's paths.
  const reached = reach(next, [root, ...orphans]);
  const graph = next.map((targets, node) => (node === root ? [...targets, ...orphans] : reached[node] ? targets : []));
  const dominators = next.map((_, node) => (node === root ? [root] : [root, node]));
  for (let d = 0; d < next.length; d++) {
    if (d === root || !reached[d]) continue;
    const without = reach(graph, [root], d);
    for (let w = 0; w < next.length; w++) if (w !== d && reached[w] && !without[w]) dominators[w]!.push(d);
  }
  return dominators.map((doms, node) => {
    if (node === root) return root;
    const strict = doms.filter((d) => d !== node);
    return strict.reduce((best, d) => (dominators[d]!.length > dominators[best]!.length ? d : best));
  });
}

async function dominatorsOf(heap: Heap, name: string): Promise<{ snapshot: HeapSnapshot; dominators: Dominators; file: string }> {
  const file = heap.write(name);
  const snapshot = await readSnapshotFile(file);
  const dominators = computeDominators(snapshot, essentialEdges(snapshot));
  expectTopDown(snapshot, dominators);
  return { snapshot, dominators, file };
}

describe('SEMI-NCA dominators', () => {
  it('equal the brute-force reference on 300 random heaps (orphans, cycles held only by themselves, weak and shortcut edges)', async () => {
    for (let seed = 1; seed <= 300; seed++) {
      const { h, options } = randomHeap(seed);
      const snapshot = await readSnapshotFile(h.write(`dominator-algorithms-${seed}`, options));
      const essential = essentialEdges(snapshot);
      const dominators = computeDominators(snapshot, essential);
      expect([...dominators.idom], `seed ${seed}`).toEqual(bruteForceDominators(snapshot, essential));
      expectTopDown(snapshot, dominators);
    }
  });

  it('a 30,000-link list held by both ends (prev and next): every link hangs from the holder, as in DevTools', async () => {
    const h = new Heap();
    const holder = h.add('object', 'List', 16);
    const links = Array.from({ length: 30_000 }, (_, i) => h.add('object', 'Link', 32 + (i % 3)));
    links.forEach((link, i) => {
      if (i > 0) h.edge(link, 'property', 'prev', links[i - 1]!);
      if (i + 1 < links.length) h.edge(link, 'property', 'next', links[i + 1]!);
    });
    h.edge(global, 'property', 'list', holder).edge(holder, 'property', 'head', links[0]!).edge(holder, 'property', 'tail', links.at(-1)!);
    const { dominators, file } = await dominatorsOf(h, 'two-way-chain');
    expect(links.filter((link) => dominators.idom[link] !== holder)).toEqual([]);
    expectSameAsDevTools(await analyze(file));
  }, 60_000);

  it('a 100,000-link chain whose values an array also holds: the values hang from the global, the links from each other', async () => {
    const h = new Heap();
    const links = Array.from({ length: 100_000 }, () => h.add('object', 'Link', 24));
    const values = links.map(() => h.add('object', 'Value', 16));
    const array = h.add('array', '', 8);
    links.forEach((link, i) => {
      h.edge(link, 'property', 'value', values[i]!);
      if (i + 1 < links.length) h.edge(link, 'property', 'next', links[i + 1]!);
    });
    // The list first, so the search meets every value under its link and the array last.
    h.edge(global, 'property', 'head', links[0]!).edge(global, 'property', 'all', array);
    values.forEach((value, i) => h.edge(array, 'element', i, value));
    const { dominators, file } = await dominatorsOf(h, 'broom');
    expect(links.filter((link, i) => i > 0 && dominators.idom[link] !== links[i - 1])).toEqual([]);
    expect(values.filter((value) => dominators.idom[value] !== global)).toEqual([]);
    expectSameAsDevTools(await analyze(file));
  }, 60_000);

  it('150,000 WeakMap tables with an entry each: every value is dominated by its key, not its table', async () => {
    const h = new Heap();
    const entries = Array.from({ length: 150_000 }, () => ({ table: h.add('array', '', 8), key: h.add('object', 'Key', 16), value: h.add('object', 'Value', 32) }));
    entries.forEach(({ table, key, value }, i) => {
      h.edge(global, 'internal', `t${i}`, table).edge(global, 'property', `k${i}`, key);
      const name = ` / part of key (Key @${h.id(key)}) -> value (Value @${h.id(value)}) pair in WeakMap (table @${h.id(table)})`;
      h.edge(table, 'internal', `1${name}`, value).edge(key, 'internal', `2${name}`, value);
    });
    const { dominators } = await dominatorsOf(h, 'many-weakmaps');
    expect(entries.filter(({ key, value }) => dominators.idom[value] !== key)).toEqual([]);
  }, 60_000);

  it('ladders 20,000 rungs deep, crossed and straight, equal DevTools', async () => {
    const h = new Heap();
    const ladder = (rungs: number, crossed: boolean): void => {
      const left = Array.from({ length: rungs }, () => h.add('object', 'Left', 8));
      const right = Array.from({ length: rungs }, () => h.add('object', 'Right', 8));
      for (let i = 0; i + 1 < rungs; i++) {
        h.edge(left[i]!, 'property', 'down', left[i + 1]!).edge(right[i]!, 'property', 'down', right[i + 1]!);
        if (crossed) h.edge(left[i]!, 'property', 'across', right[i + 1]!).edge(right[i]!, 'property', 'across', left[i + 1]!);
        else h.edge(left[i]!, 'property', 'rung', right[i]!).edge(right[i + 1]!, 'property', 'up', left[i]!);
      }
      h.edge(global, 'property', 'left', left[0]!);
      if (crossed) h.edge(global, 'property', 'right', right[0]!);
      else h.edge(right.at(-1)!, 'property', 'back', left.at(-1)!);
    };
    ladder(20_000, true);
    ladder(20_000, false);
    const { file } = await dominatorsOf(h, 'ladders');
    expectSameAsDevTools(await analyze(file));
  }, 60_000);

  it('5,000 irreducible loops in a row (two ways into each cycle), and a cycle held by nothing that points into them, equal DevTools', async () => {
    const h = new Heap();
    let entry: number = global;
    const loops: number[] = [];
    for (let i = 0; i < 5_000; i++) {
      const [fork, a, b, join] = [h.add('object', 'Fork', 8), h.add('object', 'A', 8), h.add('object', 'B', 8), h.add('object', 'Join', 8)];
      h.edge(entry, 'property', 'next', fork).edge(fork, 'property', 'a', a).edge(fork, 'property', 'b', b);
      h.edge(a, 'property', 'b', b).edge(b, 'property', 'a', a).edge(a, 'property', 'out', join);
      loops.push(a, b);
      entry = join;
    }
    // Held by nothing but each other: DevTools hangs both from the root, and their edges into
    // the loops steal no one's dominator.
    const [x, y] = [h.add('object', 'Stray', 8), h.add('object', 'Stray', 8)];
    h.edge(x, 'property', 'y', y).edge(y, 'property', 'x', x).edge(x, 'property', 'into', loops[7_000]!).edge(y, 'property', 'into', entry);
    const { snapshot, dominators, file } = await dominatorsOf(h, 'irreducible');
    expect(dominators.idom[x]).toBe(snapshot.rootOrdinal);
    expectSameAsDevTools(await analyze(file));
  }, 60_000);
});
