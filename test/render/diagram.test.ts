// Back-reference diagrams: what they contain, that they are valid and deterministic, and the
// ForceAtlas2 layout for big ones.

import { Resvg } from '@resvg/resvg-js';
import { beforeAll, describe, expect, test } from 'vitest';
import { loadSnapshot, type HeapGraph } from '../../src/index.js';
import { PathFinder, objectsOfClass } from '../../src/analysis/retaining-path.js';
import { backrefGraph, chainGraph, refGraph } from '../../src/analysis/diagram-graph.js';
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
  test('folded: one counted node for every User, the cache Map, and the module holding it', () => {
    const users = objectsOfClass(graph, 'User', 0);
    const drawn = backrefGraph(graph, users, finder);
    expect(drawn.order).toBeLessThanOrEqual(40);
    const start = drawn.findNode((_key, node) => node.kind === 'start')!;
    expect(drawn.getNodeAttributes(start)).toMatchObject({ className: 'User', count: 1800 });
    const [entry] = drawn.inEdges(start);
    expect(drawn.getEdgeAttributes(entry)).toMatchObject({ edgeType: 'entry', count: 1800 });
    const map = drawn.source(entry);
    expect(drawn.getNodeAttribute(map, 'className')).toBe('Map');
    const [cache] = drawn.inEdges(map);
    expect(drawn.getEdgeAttribute(cache, 'edgeName')).toBe('cache');
    expect(drawn.getNodeAttributes(drawn.source(cache))).toMatchObject({ kind: 'module', name: 'service.mjs' });
  });

  test('unfolded (--instances): each start object with its own path to the module', () => {
    const users = objectsOfClass(graph, 'User', 3);
    const drawn = backrefGraph(graph, users, finder, { fold: false });
    const kinds = drawn.mapNodes((_key, node) => node.kind);
    expect(kinds.filter((kind) => kind === 'start')).toHaveLength(3);
    const module = drawn.findNode((_key, node) => node.kind === 'module')!;
    for (const user of users) {
      let reached = false;
      const seen = new Set<string>([`@${graph.snapshot.nodeIds[user]}`]);
      const queue = [...seen];
      while (queue.length > 0 && !reached) {
        const key = queue.shift()!;
        if (key === module) reached = true;
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
    const users = objectsOfClass(graph, 'User', 0);
    const first = (await renderDiagram(backrefGraph(graph, users, finder), { format: 'svg', layout: 'auto', maxDepth: 5 })) as string;
    const second = (await renderDiagram(backrefGraph(graph, users, finder), { format: 'svg', layout: 'auto', maxDepth: 5 })) as string;
    expect(second).toBe(first);
    const size = svgSize(first);
    expect(size.width).toBeGreaterThan(100);
    expect(size.height).toBeGreaterThan(100);
    for (const text of ['1,800 × User', '&#45;&gt;cache', 'entry ×1,800', 'Map', 'module service.mjs']) expect(first).toContain(text);
  });

  test('internals are looked through unless asked for', () => {
    const users = objectsOfClass(graph, 'User', 3);
    const hidden = backrefGraph(graph, users, finder, { fold: false });
    const names = (drawn: typeof hidden) => drawn.mapNodes((_key, node) => node.className ?? '');
    expect(names(hidden).some((name) => name.startsWith('system /') || name === '(array)' || name === '(object shape)')).toBe(false);
    const shown = backrefGraph(graph, users, finder, { fold: false, filter: { internals: true, ignoreEdges: new Set(), ignoreClasses: new Set() } });
    expect(names(shown)).toContain('(array)');
  });

  test('too many neighbours collapse into one box', () => {
    const global = graph.snapshot.edgeTargets[graph.snapshot.firstEdges[graph.snapshot.rootOrdinal] + 1];
    const drawn = refGraph(graph, global, finder, { maxDepth: 1, tooMany: 2, fold: false });
    const more = drawn.filterNodes((_key, node) => node.kind === 'more');
    expect(more.length).toBe(1);
    expect(drawn.getNodeAttribute(more[0], 'more')).toBeGreaterThan(0);
  });
});

test('refs, chain, DOT and PNG', async () => {
  const [user] = objectsOfClass(graph, 'User', 1);
  const refs = refGraph(graph, user, finder, { maxDepth: 1, tooMany: 20, fold: false });
  // The properties a person wrote; `__proto__` and the hidden class are internals.
  expect(refs.mapEdges((_key, edge) => edge.edgeName).sort()).toEqual(['createdAt', 'email', 'id', 'name', 'preferences', 'recentSearches']);
  const chain = chainGraph(graph, [user], finder);
  // From the module: the Map, then the User (the Map's table is looked through).
  expect(chain.mapNodes((_key, node) => node.kind)).toEqual(['module', 'object', 'start']);
  const dot = (await renderDiagram(chain, { format: 'dot', layout: 'dot', maxDepth: 5 })) as string;
  expect(dot).toMatch(/^digraph leakgraph \{/);
  expect(dot).toContain('label="->cache"');
  const png = (await renderDiagram(chain, { format: 'png', layout: 'dot', maxDepth: 5 })) as Buffer;
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
});

test('above 300 nodes, ForceAtlas2 lays out and Graphviz draws the pinned positions', async () => {
  const global = graph.snapshot.edgeTargets[graph.snapshot.firstEdges[graph.snapshot.rootOrdinal] + 1];
  const big = refGraph(graph, global, finder, { maxDepth: 2, tooMany: 40, maxNodes: 2000, fold: false, filter: { internals: true, ignoreEdges: new Set(), ignoreClasses: new Set() } });
  expect(big.order).toBeGreaterThan(300);
  expect(chooseLayout(big, 'auto')).toBe('fa2');
  const dot = (await renderDiagram(big, { format: 'dot', layout: 'auto', maxDepth: 2 })) as string;
  expect(dot.match(/pos="-?[\d.]+,-?[\d.]+!"/g)?.length).toBe(big.order);
  const svg = (await renderDiagram(big, { format: 'svg', layout: 'auto', maxDepth: 2 })) as string;
  expect(svgSize(svg).width).toBeGreaterThan(200);
  expect((await renderDiagram(big, { format: 'svg', layout: 'auto', maxDepth: 2 })) as string).toBe(svg);
});
