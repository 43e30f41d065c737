// Back-reference diagrams: what they contain, that they are valid and deterministic, and the
// ForceAtlas2 layout for big ones.

import { Resvg } from '@resvg/resvg-js';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadSnapshot, type HeapGraph } from '../../src/index.js';
import { PathFinder, objectsOfClass } from '../../src/analysis/path.js';
import { backrefGraph, chainGraph, refGraph } from '../../src/analysis/refgraph.js';
import { chooseLayout, renderDiagram } from '../../src/render/diagram.js';

let graph: HeapGraph;
let finder: PathFinder;
beforeAll(async () => {
  graph = await loadSnapshot('samples/service-3.heapsnapshot.gz');
  finder = new PathFinder(graph);
});

/** Parses the SVG (throws on invalid markup) and returns its size. */
function svgSize(svg: string): { width: number; height: number } {
  const rendered = new Resvg(svg);
  return { width: rendered.width, height: rendered.height };
}

describe('backrefs of the service\'s leaked Users', () => {
  test('shows the start objects, the cache Map and a path up to the global', () => {
    const users = objectsOfClass(graph, 'User', 3);
    const drawn = backrefGraph(graph, users, finder);
    const kinds = drawn.mapNodes((_key, node) => node.kind);
    expect(kinds.filter((kind) => kind === 'start')).toHaveLength(3);
    expect(kinds).toContain('global');
    const cacheEdges = drawn.filterEdges((_key, edge) => edge.edgeName === 'cache');
    expect(cacheEdges).toHaveLength(1);
    expect(drawn.getNodeAttribute(drawn.target(cacheEdges[0]), 'className')).toBe('Map');
    // Every start object is connected to the global through drawn edges.
    const global = drawn.findNode((_key, node) => node.kind === 'global')!;
    for (const user of users) {
      let reached = false;
      const seen = new Set<string>([`@${graph.snapshot.nodeIds[user]}`]);
      const queue = [...seen];
      while (queue.length > 0 && !reached) {
        const key = queue.shift()!;
        if (key === global) reached = true;
        drawn.forEachInNeighbor(key, (neighbor) => {
          if (!seen.has(neighbor)) {
            seen.add(neighbor);
            queue.push(neighbor);
          }
        });
      }
      expect(reached).toBe(true);
    }
  });

  test('SVG is valid, deterministic and names the path and the class', async () => {
    const users = objectsOfClass(graph, 'User', 3);
    const first = (await renderDiagram(backrefGraph(graph, users, finder), { format: 'svg', layout: 'auto', maxDepth: 5 })) as string;
    const second = (await renderDiagram(backrefGraph(graph, users, finder), { format: 'svg', layout: 'auto', maxDepth: 5 })) as string;
    expect(second).toBe(first);
    const size = svgSize(first);
    expect(size.width).toBeGreaterThan(200);
    expect(size.height).toBeGreaterThan(200);
    for (const text of ['User', '&#45;&gt;cache', 'Map', 'global']) expect(first).toContain(text);
  });

  test('too many retainers collapse into one box', () => {
    // The module scope of service.mjs is held by more than two closures.
    const users = objectsOfClass(graph, 'User', 1);
    const drawn = backrefGraph(graph, users, finder, { maxDepth: 5, tooMany: 2 });
    const more = drawn.filterNodes((_key, node) => node.kind === 'more');
    expect(more.length).toBeGreaterThan(0);
    for (const key of more) expect(drawn.getNodeAttribute(key, 'more')).toBeGreaterThan(0);
  });
});

test('refs, chain, DOT and PNG', async () => {
  const [user] = objectsOfClass(graph, 'User', 1);
  const refs = refGraph(graph, user, finder, { maxDepth: 1, tooMany: 20 });
  expect(refs.outDegree(`@${graph.snapshot.nodeIds[user]}`)).toBe(8);
  const chain = chainGraph(graph, [user], finder);
  // One node per step of the path; the root itself is not drawn.
  expect(chain.order).toBe(finder.pathOf(user).steps.length);
  const dot = (await renderDiagram(chain, { format: 'dot', layout: 'dot', maxDepth: 5 })) as string;
  expect(dot).toMatch(/^digraph leakgraph \{/);
  expect(dot).toContain('label="->cache"');
  const png = (await renderDiagram(chain, { format: 'png', layout: 'dot', maxDepth: 5 })) as Buffer;
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
});

test('above 300 nodes, ForceAtlas2 lays out and Graphviz draws the pinned positions', async () => {
  const global = graph.snapshot.edgeTargets[graph.snapshot.firstEdges[graph.snapshot.rootOrdinal] + 1];
  const big = refGraph(graph, global, finder, { maxDepth: 2, tooMany: 40 });
  expect(big.order).toBeGreaterThan(300);
  expect(chooseLayout(big, 'auto')).toBe('fa2');
  const dot = (await renderDiagram(big, { format: 'dot', layout: 'auto', maxDepth: 2 })) as string;
  expect(dot.match(/pos="-?[\d.]+,-?[\d.]+!"/g)?.length).toBe(big.order);
  const svg = (await renderDiagram(big, { format: 'svg', layout: 'auto', maxDepth: 2 })) as string;
  expect(svgSize(svg).width).toBeGreaterThan(200);
  expect((await renderDiagram(big, { format: 'svg', layout: 'auto', maxDepth: 2 })) as string).toBe(svg);
});
