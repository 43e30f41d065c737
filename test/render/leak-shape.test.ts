// The leak's shape on real leaking programs (test/fixtures/leaks): the default backrefs picture of
// the leaked class is small, shows none of V8's internals, and contains the holder the program's
// author would name; refs of that holder stays small too.

import { describe, expect, test } from 'vitest';
import { loadSnapshot } from '../../src/index.js';
import { PathFinder, objectsOfClass } from '../../src/analysis/retaining-path.js';
import { backrefGraph, refGraph, type RefGraph } from '../../src/analysis/diagram-graph.js';
import { renderDiagram } from '../../src/render/diagram.js';
import { leakManifest, snapshotLeakProgram } from '../helpers/leak-programs.js';

const INTERNAL_CLASS = /^(system \/|\(array\)|\(object shape\)|\(compiled code\)|\(system\)|Node \/)/;
const BACK_LINKS = new Set(['__proto__', 'constructor', 'map']);

/** Whether the picture shows the holder: a link of that name, or a closure defined at FILE:LINE. */
function showsHolder(drawn: RefGraph, holder: string): boolean {
  const at = /^(.+):(\d+)$/.exec(holder);
  if (at) {
    return drawn.someNode((_key, node) => node.location !== undefined && node.location.script.endsWith(`/${at[1]}`) && node.location.line === Number(at[2]));
  }
  return drawn.someEdge((_key, edge) => String(edge.edgeName) === holder);
}

function expectNoInternals(drawn: RefGraph): void {
  drawn.forEachNode((_key, node) => {
    if (node.className !== undefined) expect(node.className).not.toMatch(INTERNAL_CLASS);
  });
  drawn.forEachEdge((_key, edge) => expect(BACK_LINKS.has(String(edge.edgeName))).toBe(false));
}

describe('backrefs --type of the leaked class, and refs of its holder', () => {
  test.each(leakManifest.filter((entry) => entry.leaks && !entry.leakedClass!.startsWith('(')).map((entry) => [entry.program, entry] as const))('%s', async (program, entry) => {
    const graph = await loadSnapshot(snapshotLeakProgram(program)[2]);
    const finder = PathFinder.of(graph);
    const objects = objectsOfClass(graph, entry.leakedClass!, 0);
    const drawn = backrefGraph(graph, objects, finder);
    expect(drawn.order).toBeLessThanOrEqual(40);
    expectNoInternals(drawn);
    // One counted node for the leaked objects.
    expect(drawn.findNode((_key, node) => node.kind === 'start' && node.className === entry.leakedClass && node.count === objects.length)).toBeDefined();
    for (const holder of entry.holders ?? [entry.holder!]) expect(showsHolder(drawn, holder), holder).toBe(true);

    // refs of the object that holds the first of them: small and without internals.
    const [first] = drawn.inEdges(drawn.findNode((_key, node) => node.kind === 'start')!);
    const holderId = drawn.getNodeAttribute(drawn.source(first), 'id');
    if (holderId !== undefined && drawn.getNodeAttribute(drawn.source(first), 'kind') === 'object') {
      const refs = refGraph(graph, graph.snapshot.findNodeById(holderId), finder);
      expect(refs.order).toBeLessThanOrEqual(40);
      expectNoInternals(refs);
    }
  });
});

test('pictures are byte-identical across runs', async () => {
  const graph = await loadSnapshot(snapshotLeakProgram('two-holders.cjs')[2]);
  const objects = objectsOfClass(graph, 'Session', 0);
  const draw = () => renderDiagram(backrefGraph(graph, objects, PathFinder.of(graph)), { format: 'svg', layout: 'auto', maxDepth: 5 });
  const first = (await draw()) as string;
  expect((await draw()) as string).toBe(first);
  // Both holders point at the one Session node.
  expect(first).toContain('&#45;&gt;sessions');
  expect(first).toContain('&#45;&gt;session ×');
});
