// The allocation trace tree (`trace_tree`): read as it streams into typed arrays, in any
// chunking, at any depth, with the fields in any order; broken or cut trees rejected with a
// one-line SnapshotError naming the section.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readSnapshotFile, readSnapshotStream } from '../../src/snapshot/loader.js';
import { buildSnapshotText, minimalHeap } from '../helpers/snapshot-builder.js';
import { flattenTree, trackedSnapshotOfProgram, tracedSnapshotText, type TraceFunctionSpec, type TraceNodeSpec } from '../helpers/traced-snapshot.js';
import { chunked, cyclingSizes, expectSnapshotError, outcome, stream } from './support.js';

const FUNCTIONS: TraceFunctionSpec[] = [
  { name: '(root)', script: '', scriptId: 0, line: 0, column: 0 },
  { name: 'main', script: '/srv/app.js', scriptId: 7, line: 1, column: 1 },
  { name: 'makeUser', script: '/srv/app.js', scriptId: 7, line: 10, column: 18 },
  { name: 'push', script: '', scriptId: 0, line: 0, column: 0 },
];

// (root) 1 → main 2 → makeUser 3 → push 5
//                  → push 4
const TREE: TraceNodeSpec = [1, 0, 0, 0, [[2, 1, 3, 96, [[3, 2, 200, 6400, [[5, 3, 2, 64, []]]], [4, 3, 7, 224, []]]]]];

describe('trace_tree', () => {
  it('is read into one slot per trace node, in pre-order, with parents', async () => {
    const text = tracedSnapshotText(FUNCTIONS, TREE);
    const snap = await readSnapshotStream('traced', stream(text));
    const tree = snap.traceTree!;
    expect(tree.length).toBe(5);
    expect([...tree.ids]).toEqual([1, 2, 3, 5, 4]);
    expect([...tree.parents]).toEqual([-1, 0, 1, 2, 1]);
    expect([...tree.functionInfoIndices]).toEqual([0, 1, 2, 3, 3]);
    expect([...tree.counts]).toEqual([0, 3, 200, 2, 7]);
    expect([...tree.sizes]).toEqual([0, 96, 6400, 64, 224]);
    expect(tree.indexOfId(5)).toBe(3);
    expect(tree.indexOfId(99)).toBe(-1);
    expect(snap.traceFunctionCount).toBe(4);
    expect(snap.traceFunction(2)).toEqual({ name: 'makeUser', scriptName: '/srv/app.js', scriptId: 7, line: 10, column: 18 });
  });

  it('gives the same tree in every chunking, and with whitespace everywhere', async () => {
    const text = tracedSnapshotText(FUNCTIONS, TREE);
    const reference = await readSnapshotStream('whole', stream(text));
    const flat = JSON.stringify(flattenTree([TREE]));
    const spaced = text.replace(`"trace_tree":${flat}`, `"trace_tree" : \n ${flat.replace(/([,[\]])/g, ' \n\t$1 \r\n')} `);
    expect(spaced).not.toBe(text);
    for (const [label, body] of [['compact', text], ['spaced', spaced]] as const) {
      for (const size of [1, 2, 3, 5, 7, 64]) {
        const snap = await readSnapshotStream(`${label}-${size}`, chunked(body, size));
        expect([...snap.traceTree!.ids], `${label} in ${size}-byte chunks`).toEqual([...reference.traceTree!.ids]);
        expect([...snap.traceTree!.parents]).toEqual([...reference.traceTree!.parents]);
        expect([...snap.traceTree!.sizes]).toEqual([...reference.traceTree!.sizes]);
      }
      const cycling = await readSnapshotStream(`${label}-cycling`, chunked(body, cyclingSizes(11)));
      expect([...cycling.traceTree!.counts]).toEqual([...reference.traceTree!.counts]);
    }
  });

  it('finds the fields by name in trace_node_fields', async () => {
    const json = JSON.parse(tracedSnapshotText(FUNCTIONS, TREE));
    // children first, then size, count, function_info_index, id
    json.snapshot.meta.trace_node_fields = ['children', 'size', 'count', 'function_info_index', 'id'];
    const reorder = (flat: unknown[]): unknown[] => {
      const out: unknown[] = [];
      for (let i = 0; i < flat.length; i += 5) out.push(reorder(flat[i + 4] as unknown[]), flat[i + 3], flat[i + 2], flat[i + 1], flat[i]);
      return out;
    };
    json.trace_tree = reorder(json.trace_tree);
    const snap = await readSnapshotStream('reordered', chunked(JSON.stringify(json), 3));
    expect([...snap.traceTree!.ids]).toEqual([1, 2, 3, 5, 4]);
    expect([...snap.traceTree!.parents]).toEqual([-1, 0, 1, 2, 1]);
    expect([...snap.traceTree!.sizes]).toEqual([0, 96, 6400, 64, 224]);
  });

  it('reads a tree 20,000 calls deep without recursion', async () => {
    const depth = 20_000;
    let flat = '[]';
    for (let id = depth; id >= 2; id--) flat = `[${id},1,1,32,${flat}]`;
    const text = tracedSnapshotText(FUNCTIONS, [1, 0, 0, 0, []]).replace('"trace_tree":[1,0,0,0,[]]', `"trace_tree":[1,0,0,0,${flat}]`);
    const snap = await readSnapshotStream('deep', chunked(text, 4096));
    const tree = snap.traceTree!;
    expect(tree.length).toBe(depth);
    expect(tree.parents[depth - 1]).toBe(depth - 2);
    expect(tree.ids[depth - 1]).toBe(depth);
  });

  it('an empty tree (no allocation tracking) and a missing one', async () => {
    const empty = await readSnapshotStream('empty-tree', stream(buildSnapshotText(minimalHeap())));
    expect(empty.traceTree!.length).toBe(0);
    const none = await readSnapshotStream('no-tree', stream(buildSnapshotText(minimalHeap(), { omitSections: ['trace_function_infos', 'trace_tree'] })));
    expect(none.traceTree).toBeNull();
    // a tree without trace_node_fields cannot be read: it is skipped, as before
    const json = JSON.parse(tracedSnapshotText(FUNCTIONS, TREE));
    delete json.snapshot.meta.trace_node_fields;
    const skipped = await readSnapshotStream('no-fields', stream(JSON.stringify(json)));
    expect(skipped.traceTree).toBeNull();
  });

  it('matches a real tree (a Node snapshot taken with allocation tracking) read with JSON.parse', async () => {
    const file = trackedSnapshotOfProgram('tracked-tree.mjs', `
class Item { constructor(i) { this.i = i; this.label = 'item ' + i; } }
function makeItems(n) { const out = []; for (let i = 0; i < n; i++) out.push(new Item(i)); return out; }
globalThis.items = makeItems(2000);
`);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    const ids: number[] = [];
    const parents: number[] = [];
    const sizes: number[] = [];
    const walk = (flat: unknown[], parent: number) => {
      for (let i = 0; i < flat.length; i += 5) {
        const index = ids.length;
        ids.push(flat[i] as number);
        parents.push(parent);
        sizes.push(flat[i + 3] as number);
        walk(flat[i + 4] as unknown[], index);
      }
    };
    walk(json.trace_tree, -1);
    expect(ids.length).toBeGreaterThan(5);
    const snap = await readSnapshotFile(file);
    expect([...snap.traceTree!.ids]).toEqual(ids);
    expect([...snap.traceTree!.parents]).toEqual(parents);
    expect([...snap.traceTree!.sizes]).toEqual(sizes);
    const names = [...snap.traceTree!.functionInfoIndices].map((index) => snap.traceFunction(index).name);
    expect(names).toContain('makeItems');
  });
});

describe('broken trace trees', () => {
  const base = tracedSnapshotText(FUNCTIONS, TREE);
  const flat = JSON.stringify(flattenTree([TREE]));
  const withTree = (tree: string) => base.replace(`"trace_tree":${flat}`, `"trace_tree":${tree}`);

  const cases: Array<[string, string, RegExp]> = [
    ['a record with four values', '[1,0,0,0,[2,1,3,[]]]', /unexpected '\[' where a trace node has a number/],
    ['a short last record', '[1,0,0,0,[2,1,3,96,[],4,3]]', /ends after 2 of its 5 values/],
    ['a number where the children go', '[1,0,0,0,5]', /expected the children array/],
    ['an array where a number goes', '[1,[],0,0,[]]', /unexpected '\['/],
    ['a negative size', '[1,0,0,-5,[]]', /unsupported number syntax '-'/],
    ['a fraction', '[1,0,0,1.5,[]]', /unsupported number syntax '\.'/],
    ['a string', '[1,0,0,"x",[]]', /unexpected '"'/],
    ['a missing comma', '[1,0,0,0 []]', /expected ',' or '\]'/],
    ['a trailing comma', '[1,0,0,0,[],]', /unexpected '\]' after ','/],
    ['not an array', '{}', /expected an array/],
    ['an id twice', '[1,0,0,0,[1,1,0,0,[]]]', /trace node id 1 appears twice/],
    ['an id past 2^32', '[4294967296,0,0,0,[]]', /2\^32/],
    ['a function info that does not exist', '[1,0,0,0,[2,9,0,0,[]]]', /function info 9, but there are 4/],
  ];
  for (const [what, tree, problem] of cases) {
    it(what, async () => {
      const text = withTree(tree);
      expect(text).not.toBe(base);
      const error = await expectSnapshotError(readSnapshotStream('broken', chunked(text, 3)), 'broken', problem);
      expect(error.section).toBe('trace_tree');
    });
  }

  it('function infos that name strings past the end', async () => {
    const json = JSON.parse(base);
    json.trace_function_infos[7] = json.strings.length + 5;
    await expectSnapshotError(readSnapshotStream('bad-info', stream(JSON.stringify(json))), 'bad-info', /function info 1 refers to string/);
  });

  it('cut at every byte inside the tree: truncated, in "trace_tree"', async () => {
    const start = base.indexOf('"trace_tree":') + '"trace_tree":'.length;
    const end = start + flat.length;
    const failures: string[] = [];
    for (let cut = start; cut < end; cut++) {
      for (const size of [cut - start + 1, 2]) {
        const name = `cut-${cut}-${size}`;
        const result = await outcome(readSnapshotStream(name, chunked(base.slice(0, cut), size)));
        const message = result.error instanceof Error ? result.error.message : 'resolved';
        if (!/^cut-\d+-\d+: truncated: the file ends inside this section \(in "trace_tree", at byte \d+\)$/.test(message)) failures.push(message);
      }
    }
    expect(failures).toEqual([]);
  });
});
