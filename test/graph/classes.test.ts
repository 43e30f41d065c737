// DevTools rules 6 (class names and keys), 7 (shape classes of plain objects) and 8
// (detached DOM state): (a) class names/keys derived by hand from devtools-semantics.md §3
// and (b) leakgraph's Summary and per-node class keys/sizes equal DevTools'
// (heap-snapshot-toolkit).

import { describe, expect, it } from 'vitest';
import { computeClasses, inferInterfaces } from '../../src/graph/classes.js';
import { propagateDomState } from '../../src/graph/dom-state.js';
import { readSnapshotFile } from '../../src/snapshot/loader.js';
import { devtoolsSnapshot } from '../helpers/oracle.js';
import { DEFAULT_NODE_FIELDS } from '../helpers/snapshot-builder.js';
import { Heap, MINIMAL, checkAgainstDevTools, row, type Analysis } from './support.js';

const { strongRoots, global } = MINIMAL;

/** Class name and key of a node in leakgraph's graph. */
function classOf(a: Analysis, ordinal: number): { name: string; key: string } {
  const id = a.graph.classes.classOf[ordinal];
  return { name: a.graph.classes.names[id], key: a.graph.classes.keys[id] };
}

describe('rule 6: class names and keys', () => {
  it('names by node type', async () => {
    const h = new Heap();
    const add = (type: string, name: string, size: number, via: 'global' | 'strong' = 'global') => {
      const n = h.add(type, name, size);
      // hidden/array nodes hang from a synthetic sub-root so that they keep their size
      h.edge(via === 'global' ? global : strongRoots, 'internal', `e${n}`, n);
      return n;
    };
    const hidden = add('hidden', 'system / Foo', 10, 'strong');
    const array = add('array', '(object elements)', 11, 'strong');
    const code = add('code', '(code for foo)', 12);
    const closure = add('closure', 'foo', 13);
    const regexp = add('regexp', 'a+b', 14);
    const number = add('number', 'heap number', 15);
    const string = add('string', 'hello', 16);
    const first = add('string', 'hel', 17);
    const second = add('string', 'lo!', 18);
    const cons = add('concatenated string', '(concatenated string)', 19);
    h.edge(cons, 'internal', 'first', first).edge(cons, 'internal', 'second', second);
    const sliced = add('sliced string', '(sliced string)', 20);
    h.edge(sliced, 'internal', 'parent', string);
    const synthetic = add('synthetic', '(Embedder thing)', 21);
    const shape = add('object shape', 'system / Map', 22);
    const symbol = add('symbol', 'symbol', 23);
    const bigint = add('bigint', 'bigint', 24);
    const div1 = add('native', '<div id="a" class="b">', 25);
    const div2 = add('native', '<div>', 26);
    const nativeNamed = add('native', 'Foo Bar', 27);
    const object = add('object', 'Map', 28);
    const a = await checkAgainstDevTools(h, 'class-names');
    const expected: Array<[number, string]> = [
      [hidden, '(system)'], [array, '(array)'], [code, '(compiled code)'], [closure, 'Function'],
      [regexp, 'RegExp'], [number, '(number)'], [string, '(string)'], [cons, '(concatenated string)'],
      [sliced, '(sliced string)'], [synthetic, '(synthetic)'], [shape, '(object shape)'],
      [symbol, '(symbol)'], [bigint, '(bigint)'], [div1, '<div>'], [div2, '<div>'],
      [nativeNamed, 'Foo Bar'], [object, 'Map'],
    ];
    for (const [node, name] of expected) expect(classOf(a, node), `class of ${h.nodes[node]!.name}`).toEqual({ name, key: `,${name}` });
    expect(row(a.ours, ',<div>')).toMatchObject({ count: 2, shallowSize: 51 });
    expect(row(a.ours, ',(string)')).toMatchObject({ count: 3, shallowSize: 16 + 17 + 18 });
  });

  it('objects with locations are split by location; closures are not', async () => {
    const h = new Heap();
    const foo1 = h.add('object', 'Foo', 10);
    const foo2 = h.add('object', 'Foo', 20);
    const foo3 = h.add('object', 'Foo', 40);
    const foo4 = h.add('object', 'Foo', 80); // same location as foo1
    const fn1 = h.add('closure', 'bar', 8);
    const fn2 = h.add('closure', 'bar', 16);
    for (const n of [foo1, foo2, foo3, foo4, fn1, fn2]) h.edge(global, 'property', `p${n}`, n);
    const a = await checkAgainstDevTools(h, 'class-locations', {
      locations: [
        { node: foo1, scriptId: 12, line: 4, column: 2 },
        { node: foo2, scriptId: 13, line: 0, column: 0 },
        { node: foo4, scriptId: 12, line: 4, column: 2 },
        { node: fn1, scriptId: 12, line: 4, column: 2 },
        { node: fn2, scriptId: 14, line: 1, column: 1 },
      ],
    });
    expect(classOf(a, foo1)).toEqual({ name: 'Foo', key: '12,4,2,Foo' });
    expect(classOf(a, foo2)).toEqual({ name: 'Foo', key: '13,0,0,Foo' });
    expect(classOf(a, foo3)).toEqual({ name: 'Foo', key: ',Foo' });
    expect(row(a.ours, '12,4,2,Foo')).toMatchObject({ name: 'Foo', count: 2, shallowSize: 90 });
    expect(row(a.ours, '13,0,0,Foo')).toMatchObject({ name: 'Foo', count: 1, shallowSize: 20 });
    expect(row(a.ours, ',Foo')).toMatchObject({ name: 'Foo', count: 1, shallowSize: 40 });
    expect(row(a.ours, ',Function')).toMatchObject({ count: 2, shallowSize: 24 });
    expect(a.ours.classes.filter((c) => c.name === 'Function')).toHaveLength(1);
  });
});

describe('rule 7: shape classes of plain objects', () => {
  it('infers {a, b} classes and matches objects to them', async () => {
    const h = new Heap();
    const plain = (...props: string[]) => {
      const n = h.add('object', 'Object', 12);
      h.edge(global, 'property', `o${n}`, n);
      for (const p of props) h.edge(n, 'property', p, h.add('number', 'heap number', 16));
      return n;
    };
    const ab = [plain('a', 'b'), plain('a', 'b'), plain('a', 'b')];
    const xy = [plain('x', 'y'), plain('x', 'y')];
    const xyz = plain('x', 'y', 'z');
    const _xyw = [plain('x', 'y', 'w'), plain('x', 'y', 'w')];
    const wxyq = plain('q', 'w', 'x', 'y');
    const _bc = [plain('b', 'c'), plain('b', 'c')];
    const abc = plain('a', 'b', 'c');
    const _de = [plain('d', 'e'), plain('d', 'e')];
    const _ef = [plain('e', 'f'), plain('e', 'f')];
    const def = plain('d', 'e', 'f');
    const m = [plain('__proto__', 'm'), plain('m', '__proto__')];
    const quoted = [plain('a,b', 'c"d', '{e}', "it's"), plain('a,b', 'c"d', '{e}', "it's")];
    const lonely = plain('lonely');
    const empty = [plain(), plain()];
    const n30 = [1, 2, 3, 4].map((i) => `${'p'.repeat(29)}${i}`);
    const long = [plain(...n30), plain(...n30), plain(n30[0]!, n30[1]!, n30[2]!)];
    const huge = 'h'.repeat(150);
    const first = [plain(huge, 'tail'), plain(huge, 'tail')];
    const foo = [h.add('object', 'Foo', 12), h.add('object', 'Foo', 12)];
    for (const f of foo) h.edge(global, 'property', `f${f}`, f).edge(f, 'property', 'x', xyz).edge(f, 'property', 'y', xyz);
    const a = await checkAgainstDevTools(h, 'shape-classes');
    const name = (n: number) => classOf(a, n).name;

    expect(ab.map(name)).toEqual(['{a, b}', '{a, b}', '{a, b}']);
    expect(xy.map(name)).toEqual(['{x, y}', '{x, y}']);
    // extra properties allowed
    expect(name(xyz)).toBe('{x, y}');
    // most properties wins: {x, y, w} (3) over {x, y} (2)
    expect(name(wxyq)).toBe('{x, y, w}');
    // tie on property count → the more common definition ({a, b}: 3 objects vs {b, c}: 2)
    expect(name(abc)).toBe('{a, b}');
    // tie on count too → the first seen
    expect(name(def)).toBe('{d, e}');
    // __proto__ left out when inferring
    expect(m.map(name)).toEqual(['{m}', '{m}']);
    // names with , ' " { } are JSON-quoted
    expect(name(quoted[0]!)).toBe(`{"a,b", "c\\"d", "{e}", "it's"}`);
    // fewer than 2 objects share it / no properties → stays Object
    expect(name(lonely)).toBe('Object');
    expect(empty.map(name)).toEqual(['Object', 'Object']);
    // 120 chars: {p…1, p…2, p…3} is 96 chars; adding p…4 would make 128 → definition of 3 names
    const three = `{${n30.slice(0, 3).join(', ')}}`;
    expect(three.length).toBe(96);
    expect(long.map(name)).toEqual([three, three, three]);
    // the first property is always kept, even past 120 chars
    expect(first.map(name)).toEqual([`{${huge}}`, `{${huge}}`]);
    // only plain "Object"s are reclassified
    expect(foo.map(name)).toEqual(['Foo', 'Foo']);
    expect(row(a.ours, ',{a, b}')).toMatchObject({ count: 4 });
    expect(row(a.ours, ',Object')).toMatchObject({ count: 3 });
    // definitions: most common first, ties in first-seen order ({a, b} and the long one: 3 each)
    const definitions = [
      '{a, b}', three, '{x, y}', '{x, y, w}', '{b, c}', '{d, e}', '{e, f}', '{m}', `{"a,b", "c\\"d", "{e}", "it's"}`, `{${huge}}`,
    ];
    expect(a.graph.interfaces.map((d) => d.name)).toEqual(definitions);
    expect(JSON.parse(a.snap.interfaceDefinitions()).map((d: { name: string }) => d.name)).toEqual(definitions);
  });

  it('a shape needs at least 1/1000 of all plain objects', async () => {
    const h = new Heap();
    const plain = (...props: string[]) => {
      const n = h.add('object', 'Object', 12);
      h.edge(global, 'property', `o${n}`, n);
      for (const p of props) h.edge(n, 'property', p, global);
      return n;
    };
    for (let i = 0; i < 2500; i++) plain(`u${i}`);
    const pq = [plain('p', 'q'), plain('p', 'q'), plain('p', 'q')];
    const rs = [plain('r', 's'), plain('r', 's')];
    // 2505 plain objects → at least 2.505 needed: 3 is enough, 2 is not
    const a = await checkAgainstDevTools(h, 'shape-threshold');
    expect(pq.map((n) => classOf(a, n).name)).toEqual(['{p, q}', '{p, q}', '{p, q}']);
    expect(rs.map((n) => classOf(a, n).name)).toEqual(['Object', 'Object']);
    expect(a.graph.interfaces.map((d) => d.name)).toEqual(['{p, q}']);
    expect(JSON.parse(a.snap.interfaceDefinitions()).map((d: { name: string }) => d.name)).toEqual(['{p, q}']);
  });
});

describe('shape classes, once per property list', () => {
  // Each distinct property list is classified once; past a bound, objects are read one by one.
  // Every node's class key must be DevTools' (its shape inference and keys) either way, with
  // the bound hit at once, part way, or not at all.
  it.each(['samples/orm-3.heapsnapshot.gz', 'samples/browser-2.heapsnapshot.gz'])('%s: every node\'s class key is DevTools\', with the list trie bounded or not', async (file) => {
    const heap = await readSnapshotFile(file);
    const devtools = await devtoolsSnapshot(file);
    const nodeFields: number = devtools.nodeFieldCount;
    const devtoolsKeys = Array.from({ length: heap.nodeCount }, (_, ordinal) => devtools.classKeyFromClassKeyInternal(devtools.createNode(ordinal * nodeFields).classKeyInternal()) as string);
    const domState = propagateDomState(heap);
    for (const bound of [1, 40, undefined]) {
      const definitions = inferInterfaces(heap, bound);
      expect(definitions.length).toBeGreaterThan(0);
      expect(definitions.map((definition) => definition.name)).toEqual(JSON.parse(devtools.interfaceDefinitions()).map((definition: { name: string }) => definition.name));
      const { classOf, keys } = computeClasses(heap, domState, definitions, bound);
      let differing = 0;
      for (let ordinal = 0; ordinal < heap.nodeCount; ordinal++) if (keys[classOf[ordinal]] !== devtoolsKeys[ordinal]) differing++;
      expect(differing, `bound ${bound}`).toBe(0);
    }
  });
});

describe('rule 8: detached DOM', () => {
  function domHeap() {
    const h = new Heap();
    const domTrees = h.add('synthetic', '(Document DOM trees)', 0);
    const doc = h.add('native', 'HTMLDocument', 100, { detachedness: 1 });
    const attDiv = h.add('native', '<div id="att" class="x">', 101);
    const det = h.add('native', '<div id="x">', 102, { detachedness: 2 });
    const span = h.add('native', '<span>', 103);
    const b = h.add('native', '<b class="c">', 104);
    const p = h.add('native', '<p>', 105);
    const i = h.add('native', '<i>', 106);
    const js = h.add('object', 'JSThing', 107);
    const em = h.add('native', '<em>', 108);
    const section = h.add('native', '<section>', 109);
    const reportedAttached = h.add('native', '<a href="#">', 110, { detachedness: 1 });
    const foo = h.add('native', 'Foo', 111, { detachedness: 2 });
    const bar = h.add('object', 'Bar', 112, { detachedness: 2 });
    const u = h.add('native', '<u>', 113);
    h.edge(MINIMAL.root, 'element', 3, domTrees).edge(domTrees, 'element', 1, doc).edge(doc, 'element', 1, attDiv);
    h.edge(global, 'property', 'leak', det).edge(global, 'property', 'foo', foo).edge(global, 'property', 'bar', bar);
    h.edge(det, 'element', 1, span).edge(span, 'element', 1, b); // propagates, transitively
    h.edge(det, 'hidden', 2, p); // hidden edges do not propagate
    h.edge(det, 'weak', 'w', i); // nor weak ones
    h.edge(det, 'property', 'js', js).edge(js, 'property', 'em', em); // nor through a JS object
    h.edge(det, 'element', 3, section).edge(attDiv, 'element', 1, section); // attached wins
    h.edge(det, 'element', 4, reportedAttached); // its own reported state stands
    h.edge(bar, 'element', 1, u); // a non-native "detached" node propagates nothing
    return { h, doc, attDiv, det, span, b, p, i, js, em, section, reportedAttached, foo, bar, u };
  }

  it('with a detachedness field: detached natives and their native children become "Detached <tag>"', async () => {
    const n = domHeap();
    const a = await checkAgainstDevTools(n.h, 'dom-detached');
    const name = (x: number) => classOf(a, x).name;
    expect(name(n.det)).toBe('Detached <div>');
    expect(name(n.span)).toBe('Detached <span>');
    expect(name(n.b)).toBe('Detached <b>');
    expect(name(n.foo)).toBe('Detached Foo');
    expect(name(n.attDiv)).toBe('<div>');
    expect(name(n.p)).toBe('<p>');
    expect(name(n.i)).toBe('<i>');
    expect(name(n.js)).toBe('JSThing');
    expect(name(n.em)).toBe('<em>');
    expect(name(n.section)).toBe('<section>');
    expect(name(n.reportedAttached)).toBe('<a>');
    expect(name(n.bar)).toBe('Bar');
    expect(name(n.u)).toBe('<u>');
    expect(a.graph.domState![n.section]).toBe(1);
    expect(a.graph.domState![n.b]).toBe(2);
    expect(row(a.ours, ',Detached <div>')).toMatchObject({ count: 1, shallowSize: 102 });
    expect(row(a.ours, ',<div>')).toMatchObject({ count: 1, shallowSize: 101 });
  });

  it('without a detachedness field: no propagation, no "Detached" classes', async () => {
    const n = domHeap();
    const fields = DEFAULT_NODE_FIELDS.filter((f) => f !== 'detachedness');
    const a = await checkAgainstDevTools(n.h, 'dom-no-field', { nodeFields: fields });
    expect(a.graph.domState).toBeNull();
    expect(classOf(a, n.det).name).toBe('<div>');
    expect(classOf(a, n.span).name).toBe('<span>');
    expect(classOf(a, n.foo).name).toBe('Foo');
    expect(row(a.ours, ',<div>')).toMatchObject({ count: 2, shallowSize: 101 + 102 });
    expect(a.ours.classes.some((c) => c.name.startsWith('Detached'))).toBe(false);
  });
});

describe('class ids past 16 bits', () => {
  it('70,000 classes: ids widen from Uint16 to Uint32 and the Summary still equals DevTools', async () => {
    const h = new Heap();
    const nodes: number[] = [];
    for (let i = 0; i < 70_000; i++) {
      const n = h.add('object', `Class${i}`, 16 + (i % 7));
      h.edge(global, 'property', `p${i}`, n);
      nodes.push(n);
    }
    const a = await checkAgainstDevTools(h, 'many-classes');
    expect(a.graph.classes.classOf).toBeInstanceOf(Uint32Array);
    expect(classOf(a, nodes[69_999]!).name).toBe('Class69999');
    expect(row(a.ours, ',Class69999')?.count).toBe(1);
  }, 60_000);
});
