// Finding nodes by id: the sorted index, and membership of a whole id column in another
// snapshot's sorted ids without sorting the column.
import { describe, expect, it } from 'vitest';
import { IdIndex, presentAmong } from '../../src/graph/id-index.js';
import { readSnapshotFile } from '../../src/snapshot/loader.js';

/** A deterministic pseudo-random sequence in [0, 1). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('IdIndex', () => {
  it('sorts ids across the whole 32-bit range, equal ids in ordinal order, and finds each', () => {
    const next = random(11);
    const ids = Array.from({ length: 30_000 }, () => Math.floor(next() * 2 ** 32));
    ids.push(0, 0xffffffff, 2 ** 31, 2 ** 31 - 1, 0xffff, 0x10000, ids[5], ids[5]);
    const index = new IdIndex({ nodeCount: ids.length, nodeIds: Uint32Array.from(ids) });
    const expected = ids.map((id, ordinal) => [id, ordinal]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect([...index.sortedIds]).toEqual(expected.map(([id]) => id));
    expect([...index.ordinals]).toEqual(expected.map(([, ordinal]) => ordinal));
    expect(index.find(0xffffffff)).toBe(30_001);
    expect([5, 30_006, 30_007]).toContain(index.find(ids[5]));
    for (const absent of [1, 3, 12_345]) expect(index.find(absent)).toBe(ids.indexOf(absent));
  });
});

describe('presentAmong', () => {
  it('agrees with a set on ascending runs, descents, repeats, gaps and the extremes', () => {
    const next = random(7);
    const sorted = [...new Set(Array.from({ length: 20_000 }, () => Math.floor(next() * 200_000) * 2 + 1))].sort((a, b) => a - b);
    sorted.push(0xffffffff);
    const set = new Set(sorted);
    const ids: number[] = [0, 0xffffffff, 1];
    let id = 1;
    for (let i = 0; i < 50_000; i++) {
      // Mostly short steps up (V8's order), now and then a jump down or far up.
      const roll = next();
      id = roll < 0.03 ? Math.floor(next() * 400_000) : roll < 0.05 ? id + Math.floor(next() * 100_000) : id + 1 + Math.floor(next() * 8);
      ids.push(Math.min(id, 0xffffffff));
    }
    const present = presentAmong(Uint32Array.from(ids), Uint32Array.from(sorted));
    const expected = ids.map((value) => (set.has(value) ? 1 : 0));
    expect([...present]).toEqual(expected);
    expect(expected.filter((flag) => flag === 1).length).toBeGreaterThan(1000);
  });

  it('on two snapshots of one process, as the older snapshot\'s index says', async () => {
    const older = await readSnapshotFile('samples/service-1.heapsnapshot.gz');
    const newer = await readSnapshotFile('samples/service-3.heapsnapshot.gz');
    const olderIndex = new IdIndex(older);
    const present = presentAmong(newer.nodeIds, olderIndex.sortedIds);
    const newerIndex = new IdIndex(newer);
    let shared = 0;
    let wrong = 0;
    for (let node = 0; node < newer.nodeCount; node++) {
      const id = newer.nodeIds[node];
      const expected = olderIndex.has(id) ? 1 : 0;
      if (present[node] !== expected || newerIndex.find(id) !== node) wrong++;
      shared += expected;
    }
    expect(wrong).toBe(0);
    expect(shared).toBeGreaterThan(newer.nodeCount / 2);
  });
});
