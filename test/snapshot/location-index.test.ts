// LocationIndex finds a node's `locations` record through a bit per node and a rank per
// word; it must agree with a plain node-sized table, a later record for a node winning.

import { describe, expect, it } from 'vitest';
import { LocationIndex } from '../../src/snapshot/location-index.js';

describe('LocationIndex', () => {
  it('agrees with a node-sized table on sparse, dense and repeated records', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (const [nodeCount, recordCount] of [[1, 1], [31, 5], [32, 32], [33, 40], [1000, 10], [5000, 4000], [70_000, 200_000]] as const) {
      const ordinals = Array.from({ length: recordCount }, () => random(nodeCount));
      ordinals[0] = nodeCount - 1; // the last node, and ordinals at word edges
      if (recordCount > 2) ordinals[1] = Math.min(31, nodeCount - 1);
      const expected = new Int32Array(nodeCount).fill(-1);
      ordinals.forEach((ordinal, record) => (expected[ordinal] = record));
      const index = new LocationIndex(nodeCount, recordCount, (record) => ordinals[record]!);
      const got = Array.from({ length: nodeCount }, (_, ordinal) => index.recordOf(ordinal));
      expect(got, `${nodeCount} nodes, ${recordCount} records`).toEqual([...expected]);
    }
  });

  it('no records: every node has none', () => {
    const index = new LocationIndex(100, 0, () => 0);
    expect(index.recordOf(0)).toBe(-1);
    expect(index.recordOf(99)).toBe(-1);
  });
});
