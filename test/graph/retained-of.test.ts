// Retained sizes of a few nodes, found by one search per node (graph/retained-of), equal the
// dominator tree's on seeded random heaps (orphans, weak edges, WeakMaps, page ownership…)
// and on a real Node heap; past eight nodes the dominator tree itself is used.

import { describe, expect, it } from 'vitest';
import { loadSnapshot } from '../../src/index.js';
import { retainedSizesOf } from '../../src/graph/retained-of.js';
import { containerKind } from '../../src/analysis/containers.js';
import { randomHeap } from './random-heap.js';

/** Each node's retained size by search, asked for in batches small enough to be searched. */
function searched(heap: Parameters<typeof retainedSizesOf>[0], nodes: number[]): number[] {
  const sizes: number[] = [];
  for (let i = 0; i < nodes.length; i += 8) sizes.push(...retainedSizesOf(heap, nodes.slice(i, i + 8)));
  return sizes;
}

describe('retainedSizesOf', () => {
  it('equals the dominator tree on 300 seeded random heaps, node by node', async () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= 300; seed++) {
      const { h, options } = randomHeap(seed);
      const graph = await loadSnapshot(h.write(`retained-of-${seed}`, options), { sourceMaps: false });
      const nodes = Array.from({ length: graph.snapshot.nodeCount }, (_, node) => node);
      const expected = Array.from(graph.retainedSizes);
      const bySearch = searched(graph.snapshot, nodes);
      if (JSON.stringify(bySearch) !== JSON.stringify(expected)) failures.push(`seed ${seed}: ${JSON.stringify(bySearch)} vs ${JSON.stringify(expected)}`);
    }
    expect(failures).toEqual([]);
  });

  it("equals the graph's on a real Node heap's containers, by search and by dominators", async () => {
    const graph = await loadSnapshot('samples/service-1.heapsnapshot.gz', { sourceMaps: false });
    const heap = graph.snapshot;
    const containers: number[] = [];
    for (let node = 0; node < heap.nodeCount && containers.length < 40; node++) {
      if (containerKind(heap, node) !== null && graph.retainedSizes[node] > 1000) containers.push(node);
    }
    const expected = containers.map((node) => graph.retainedSizes[node]);
    expect(searched(heap, containers)).toEqual(expected);
    expect(Array.from(retainedSizesOf(heap, containers))).toEqual(expected);
    expect(retainedSizesOf(heap, [heap.rootOrdinal])[0]).toBe(graph.retainedSizes[heap.rootOrdinal]);
  });
});
