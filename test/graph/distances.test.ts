// DevTools rules 1 (distances) and 2 (WeakMap ephemeron pairs), one tiny heap per rule.
// Each test asserts (a) numbers derived by hand from devtools-semantics.md §4/§5 and
// (b) that leakgraph's whole Summary and per-node distance/dominator/size arrays equal
// DevTools' (heap-snapshot-toolkit).

import { describe, expect, it } from 'vitest';
import { BASE_SYSTEM_DISTANCE, NO_DISTANCE } from '../../src/index.js';
import { Heap, MINIMAL, NONE, SYS, checkAgainstDevTools, row } from './support.js';

const { root, gcRoots, strongRoots, handleScope, global } = MINIMAL;

describe('rule 1: distances', () => {
  it('exports DevTools constants', () => {
    expect(BASE_SYSTEM_DISTANCE).toBe(SYS);
    expect(NO_DISTANCE).toBe(-5);
  });

  it('BFS from user roots at 1; system-only objects at 100000000 + depth; unreachable -5; weak edges not followed', async () => {
    const h = new Heap();
    const a = h.add('object', 'A', 16);
    const b = h.add('object', 'B', 8);
    const sys = h.add('object', 'SysOnly', 24);
    const sysChild = h.add('object', 'SysChild', 4);
    const weakOnly = h.add('object', 'WeakOnly', 12);
    const orphan = h.add('object', 'Orphan', 20);
    h.edge(global, 'property', 'a', a).edge(a, 'property', 'b', b);
    // A is also held from the strong roots: the user BFS runs first, so A stays at 2.
    h.edge(strongRoots, 'internal', 'a', a);
    h.edge(strongRoots, 'internal', 'sys', sys).edge(sys, 'property', 'child', sysChild);
    // Only weak edges lead to WeakOnly: never followed, from the user roots or the root.
    h.edge(global, 'weak', 'w', weakOnly).edge(handleScope, 'weak', 'w', weakOnly);
    const { graph, ours } = await checkAgainstDevTools(h, 'distances-basic');

    const d = graph.distances;
    expect(d[global]).toBe(1);
    expect(d[a]).toBe(2);
    expect(d[b]).toBe(3);
    expect(d[root]).toBe(SYS);
    expect(d[gcRoots]).toBe(SYS + 1);
    expect(d[strongRoots]).toBe(SYS + 2);
    expect(d[handleScope]).toBe(SYS + 2);
    expect(d[sys]).toBe(SYS + 3);
    expect(d[sysChild]).toBe(SYS + 4);
    expect(d[weakOnly]).toBe(NONE);
    expect(d[orphan]).toBe(NONE);
    expect(row(ours, ',SysChild')!.distance).toBe(SYS + 4);
    expect(row(ours, ',WeakOnly')!.distance).toBe(-1); // -5 mapped to -1, as the oracle does
  });

  it('all children of the root that are not synthetic are user roots at distance 1', async () => {
    const h = new Heap();
    const second = h.add('object', 'SecondGlobal', 32);
    const x = h.add('object', 'X', 8);
    h.edge(root, 'shortcut', '3', second).edge(second, 'property', 'x', x);
    h.edge(global, 'property', 'p', second); // would be 2 if it were not a user root itself
    const { graph } = await checkAgainstDevTools(h, 'distances-two-globals');
    expect(graph.distances[second]).toBe(1);
    expect(graph.distances[x]).toBe(2);
  });

  it('the sloppy_function_map edge of a hidden "system / NativeContext" is not followed', async () => {
    const h = new Heap();
    const nc = h.add('hidden', 'system / NativeContext', 40);
    const sloppyMap = h.add('object shape', 'system / Map', 16);
    const otherMap = h.add('object shape', 'system / Map', 16);
    const unreachableMap = h.add('object shape', 'system / Map', 16);
    const ctx = h.add('hidden', 'system / OtherContext', 40);
    const followedMap = h.add('object shape', 'system / Map', 16);
    h.edge(global, 'internal', 'native_context', nc);
    h.edge(nc, 'internal', 'sloppy_function_map', sloppyMap);
    h.edge(nc, 'internal', 'strict_function_map', otherMap);
    h.edge(nc, 'internal', 'sloppy_function_map', unreachableMap);
    // sloppyMap is also a strong root: it gets a system distance instead.
    h.edge(strongRoots, 'internal', 'map', sloppyMap);
    // The same edge name out of any other node is followed.
    h.edge(global, 'internal', 'ctx', ctx).edge(ctx, 'internal', 'sloppy_function_map', followedMap);
    const { graph } = await checkAgainstDevTools(h, 'distances-sloppy');
    const d = graph.distances;
    expect(d[nc]).toBe(2);
    expect(d[otherMap]).toBe(3);
    expect(d[sloppyMap]).toBe(SYS + 3);
    expect(d[unreachableMap]).toBe(NONE);
    expect(d[followedMap]).toBe(3);
  });

  it('a "(map descriptors)" array follows only indexes < 2 or index % 3 != 1', async () => {
    const h = new Heap();
    const map = h.add('object shape', 'system / Map', 40);
    const descriptors = h.add('array', '(map descriptors)', 64);
    h.edge(global, 'internal', 'map', map).edge(map, 'internal', 'descriptors', descriptors);
    const slots: number[] = [];
    for (let i = 0; i < 9; i++) {
      slots.push(h.add('string', `slot${i}`, 12));
      h.edge(descriptors, 'element', i, slots[i]!);
    }
    // Internal edges with string names are parsed too: "10" → 10 % 3 == 1 → skipped,
    // "abc" → NaN → followed (NaN % 3 != 1).
    const named10 = h.add('string', 'named10', 12);
    const namedAbc = h.add('string', 'namedAbc', 12);
    h.edge(descriptors, 'internal', '10', named10).edge(descriptors, 'internal', 'abc', namedAbc);
    // The same slots in an ordinary array are all followed.
    const plain = h.add('array', '(object elements)', 64);
    const plainSlot4 = h.add('string', 'plain4', 12);
    h.edge(global, 'internal', 'elements', plain);
    for (let i = 0; i < 4; i++) h.edge(plain, 'element', i, h.add('number', 'heap number', 16));
    h.edge(plain, 'element', 4, plainSlot4);
    const { graph } = await checkAgainstDevTools(h, 'distances-map-descriptors');
    const d = graph.distances;
    expect(d[descriptors]).toBe(3);
    // followed: 0, 1 (index < 2); 2, 3, 5, 6, 8 (index % 3 != 1); skipped: 4, 7
    expect(slots.map((s) => d[s])).toEqual([4, 4, 4, 4, NONE, 4, 4, NONE, 4]);
    expect(d[named10]).toBe(NONE);
    expect(d[namedAbc]).toBe(4);
    expect(d[plainSlot4]).toBe(3);
  });

  it('"(Document DOM trees)", a synthetic child of the root, is a user root', async () => {
    const h = new Heap();
    const domTrees = h.add('synthetic', '(Document DOM trees)', 0);
    const doc = h.add('native', 'HTMLDocument', 120);
    const div = h.add('native', '<div>', 80);
    const other = h.add('synthetic', '(Other embedder roots)', 0);
    const hidden = h.add('native', 'EmbedderThing', 24);
    h.edge(root, 'element', 3, domTrees).edge(domTrees, 'element', 1, doc).edge(doc, 'element', 1, div);
    h.edge(root, 'element', 4, other).edge(other, 'element', 1, hidden);
    const { graph } = await checkAgainstDevTools(h, 'distances-dom-trees');
    const d = graph.distances;
    expect(d[domTrees]).toBe(1);
    expect(d[doc]).toBe(2);
    expect(d[div]).toBe(3);
    expect(d[other]).toBe(SYS + 1); // any other synthetic child of the root is a system root
    expect(d[hidden]).toBe(SYS + 2);
  });

  it('"(Document DOM trees)" alone (no global) still makes the root a system root', async () => {
    const h = new Heap();
    h.nodes[root]!.edges = h.nodes[root]!.edges!.filter((e) => e.type !== 'shortcut');
    const domTrees = h.add('synthetic', '(Document DOM trees)', 0);
    const doc = h.add('native', 'HTMLDocument', 120);
    h.edge(root, 'element', 2, domTrees).edge(domTrees, 'element', 1, doc);
    h.edge(strongRoots, 'internal', 'global', global);
    const { graph } = await checkAgainstDevTools(h, 'distances-dom-trees-only');
    expect(graph.distances[root]).toBe(SYS);
    expect(graph.distances[domTrees]).toBe(1);
    expect(graph.distances[doc]).toBe(2);
    expect(graph.distances[global]).toBe(SYS + 3);
  });
});

describe('rule 2: WeakMap ephemeron edges', () => {
  /**
   * global.wm → WeakMap → table; global.far.mid.key → Key1 (distance 4); global.near → Key2
   * (distance 2). Each pair has one edge from the key and one from the table, same name
   * after the leading number.
   */
  function weakMapHeap() {
    const h = new Heap();
    const wm = h.add('object', 'WeakMap', 24);
    const table = h.add('array', '', 80);
    const far = h.add('object', 'Far', 8);
    const mid = h.add('object', 'Mid', 8);
    const key1 = h.add('object', 'Key', 16);
    const key2 = h.add('object', 'Key', 16);
    const value1 = h.add('object', 'Value', 100);
    const value2 = h.add('object', 'Value', 200);
    h.edge(global, 'property', 'far', far).edge(far, 'property', 'mid', mid).edge(mid, 'property', 'key', key1);
    h.edge(global, 'property', 'near', key2);
    h.edge(global, 'property', 'wm', wm).edge(wm, 'internal', 'table', table);
    const pair = (key: number, value: number) =>
      ` / part of key (Key @${h.id(key)}) -> value (Value @${h.id(value)}) pair in WeakMap (table @${h.id(table)})`;
    h.edge(key1, 'internal', `3${pair(key1, value1)}`, value1);
    h.edge(key2, 'internal', `3${pair(key2, value2)}`, value2);
    h.edge(table, 'internal', `5${pair(key1, value1)}`, value1);
    h.edge(table, 'internal', `7${pair(key2, value2)}`, value2);
    return { h, wm, table, far, mid, key1, key2, value1, value2 };
  }

  it('distance of the value = max(key, table) + 1', async () => {
    const { h, table, key1, key2, value1, value2 } = weakMapHeap();
    const { graph } = await checkAgainstDevTools(h, 'weakmap-distance');
    const d = graph.distances;
    expect(d[table]).toBe(3);
    expect(d[key1]).toBe(4);
    expect(d[key2]).toBe(2);
    expect(d[value1]).toBe(5); // max(4, 3) + 1 (plain BFS would give 4 via the table)
    expect(d[value2]).toBe(4); // max(2, 3) + 1 (plain BFS would give 3 via the key)
  });

  it('for dominators the table → value edge is ignored: the value is dominated via its key', async () => {
    const { h, wm, table, key1, key2, value1, value2 } = weakMapHeap();
    const { graph } = await checkAgainstDevTools(h, 'weakmap-dominators');
    expect(graph.idom[value1]).toBe(key1);
    expect(graph.idom[value2]).toBe(key2);
    expect(graph.retainedSizes[key1]).toBe(16 + 100);
    expect(graph.retainedSizes[key2]).toBe(16 + 200);
    // the table (80 bytes) moved into the WeakMap (its single owner) and retains nothing else
    expect(graph.shallowSizes[table]).toBe(0);
    expect(graph.retainedSizes[wm]).toBe(24 + 80);
  });

  it('a user root reached by two root edges is seeded (and searched) twice, completing a lone pair edge', async () => {
    // DevTools pushes a user root once per root edge that reaches it. Searching the global
    // twice meets its WeakMap-named edge twice: the first meeting is skipped as "first of
    // the pair", the second followed — so the value gets distance 2 although its key and
    // table (ids 77/79) do not exist. With a single root edge it stays unreachable.
    const h = new Heap();
    h.edge(root, 'shortcut', '3', global);
    const value = h.add('object', 'Value', 10);
    h.edge(global, 'internal', `1 / part of key (Key @77) -> value (Value @${h.id(value)}) pair in WeakMap (table @79)`, value);
    const { graph, ours } = await checkAgainstDevTools(h, 'weakmap-duplicate-seed');
    expect(graph.distances[global]).toBe(1);
    expect(graph.distances[value]).toBe(2);
    expect(row(ours, ',Value')!.distance).toBe(2);
  });

  it('an edge whose name merely looks similar (different table id) is an ordinary edge', async () => {
    const h = new Heap();
    const table = h.add('array', '', 80);
    const key = h.add('object', 'Key', 16);
    const value = h.add('object', 'Value', 100);
    h.edge(global, 'internal', 'table', table).edge(global, 'property', 'key', key);
    // Table id in the name is not the table's: both edges count for dominators (idom = global).
    const name = ` / part of key (Key @${h.id(key)}) -> value (Value @${h.id(value)}) pair in WeakMap (table @999)`;
    h.edge(key, 'internal', `1${name}`, value).edge(table, 'internal', `2${name}`, value);
    const { graph } = await checkAgainstDevTools(h, 'weakmap-other-table');
    expect(graph.idom[value]).toBe(global);
    // still a pair for distances: max(key 2, table 2) + 1
    expect(graph.distances[value]).toBe(3);
  });
});
