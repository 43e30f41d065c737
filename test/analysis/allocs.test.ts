// Allocations per function: from sampling heap profiles (self and total bytes, recursion,
// the call tree and its cut), from snapshots with allocation stacks (live objects by the
// function that allocated them), the profile reader's checks, and the flame graph.

import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  hasAllocationTraces,
  liveAllocations,
  matchesScript,
  profileFunctions,
  profileTree,
} from '../../src/analysis/allocs.js';
import { SourceLines } from '../../src/analysis/source-lines.js';
import { classifyHeap } from '../../src/graph/heap-graph.js';
import { detectHeapFileKind, parseHeapProfile, ProfileError, readHeapProfile } from '../../src/profile/heap-profile.js';
import { escapeXml, renderFlameSvg } from '../../src/render/flame-svg.js';
import { SnapshotError } from '../../src/snapshot/errors.js';
import { readSnapshotFile, readSnapshotStream } from '../../src/snapshot/loader.js';
import { MINIMAL, buildSnapshotText, minimalHeap, tmpPath, type BuildNode } from '../helpers/snapshot-builder.js';
import { trackedSnapshotOfProgram, tracedSnapshotText, type TraceFunctionSpec } from '../helpers/traced-snapshot.js';

// ---------------------------------------------------------------------------------------
// A small profile: (root) → main → { load → parse (recursive) , render }, plus (V8 API)

let nextId = 1;
function frame(name: string, url = '/srv/app.js', line = 0, column = 0, scriptId = '5') {
  return { functionName: name, scriptId, url, lineNumber: line, columnNumber: column };
}
function node(callFrame: ReturnType<typeof frame>, selfSize: number, children: unknown[] = []) {
  return { callFrame, selfSize, id: nextId++, children };
}

function sampleProfile() {
  nextId = 1;
  const innerParse = node(frame('parse', '/srv/parse.js', 3, 15), 2000);
  const parse = node(frame('parse', '/srv/parse.js', 3, 15), 6000, [innerParse]);
  const load = node(frame('load', '/srv/app.js', 9, 4), 1000, [parse]);
  const render = node(frame('', '/srv/app.js', 20, 2), 500);
  const main = node(frame('main', '/srv/app.js', 0, 0), 0, [load, render]);
  const api = node(frame('(V8 API)', '', -1, -1, '0'), 500);
  const head = node(frame('(root)', '', -1, -1, '0'), 0, [main, api]);
  const samples = [
    ...Array.from({ length: 6 }, () => ({ size: 1000, nodeId: parse.id, ordinal: 0 })),
    ...Array.from({ length: 2 }, () => ({ size: 1000, nodeId: innerParse.id, ordinal: 0 })),
    { size: 1000, nodeId: load.id, ordinal: 0 },
    { size: 500, nodeId: render.id, ordinal: 0 },
    { size: 500, nodeId: api.id, ordinal: 0 },
  ];
  return { head, samples };
}

describe('profileFunctions', () => {
  const profile = parseHeapProfile('sample.heapprofile', sampleProfile());

  it('counts bytes per function, itself and with callees, recursion once', () => {
    expect(profile.totalBytes).toBe(10_000);
    expect(profile.sampleCount).toBe(11);
    const { functions, totalBytes } = profileFunctions(profile);
    expect(totalBytes).toBe(10_000);
    expect(functions.map((f) => [f.name, f.selfBytes, f.totalBytes, f.samples])).toEqual([
      ['parse', 8000, 8000, 8],
      ['load', 1000, 9000, 1],
      ['(V8 API)', 500, 500, 1],
      ['(anonymous)', 500, 500, 1],
    ]);
    expect(functions[0].share).toBeCloseTo(0.8);
  });

  it('gives 1-based lines and columns, 0 where V8 recorded none', () => {
    const { functions } = profileFunctions(profile);
    const parse = functions.find((f) => f.name === 'parse')!;
    expect([parse.url, parse.line, parse.column]).toEqual(['/srv/parse.js', 4, 16]);
    const api = functions.find((f) => f.name === '(V8 API)')!;
    expect([api.url, api.line, api.column, api.scriptId]).toEqual(['', 0, 0, '0']);
  });

  it('leaves out functions that allocated nothing themselves, and the root', () => {
    const names = profileFunctions(profile).functions.map((f) => f.name);
    expect(names).not.toContain('main');
    expect(names).not.toContain('(root)');
  });

  it('keeps two functions of the same name in different places apart', () => {
    nextId = 1;
    const a = node(frame('handler', '/srv/a.js', 1, 0), 100);
    const b = node(frame('handler', '/srv/b.js', 1, 0), 300);
    const c = node(frame('handler', '/srv/a.js', 1, 0), 50);
    const root = node(frame('(root)', '', -1, -1, '0'), 0, [a, b, node(frame('x'), 0, [c])]);
    const { functions } = profileFunctions(parseHeapProfile('two', { head: root, samples: [] }));
    expect(functions.map((f) => [f.url, f.selfBytes])).toEqual([['/srv/b.js', 300], ['/srv/a.js', 150]]);
  });
});

describe('profileTree', () => {
  const profile = parseHeapProfile('sample.heapprofile', sampleProfile());

  it('is the call tree with totals, largest child first', () => {
    const tree = profileTree(profile);
    expect(tree.totalBytes).toBe(10_000);
    expect(tree.share).toBe(1);
    const main = tree.children[0];
    expect([main.name, main.totalBytes, main.selfBytes]).toEqual(['main', 9500, 0]);
    expect(main.children.map((c) => [c.name, c.totalBytes])).toEqual([['load', 9000], ['(anonymous)', 500]]);
    expect(main.children[0].children[0].children[0].samples).toBe(2);
  });

  it('cuts subtrees below the minimum share, counting what it cut', () => {
    const tree = profileTree(profile, 0.06);
    expect(tree.children.map((c) => c.name)).toEqual(['main']);
    expect([tree.cutCount, tree.cutBytes]).toEqual([1, 500]);
    expect(tree.children[0].children.map((c) => c.name)).toEqual(['load']);
    expect([tree.children[0].cutCount, tree.children[0].cutBytes]).toEqual([1, 500]);
  });
});

describe('matchesScript', () => {
  it('matches a part of the URL, with * and ? as wildcards', () => {
    expect(matchesScript('file:///srv/app/service.mjs', 'service')).toBe(true);
    expect(matchesScript('file:///srv/app/service.mjs', 'src/')).toBe(false);
    expect(matchesScript('/srv/app/lib/a.js', 'app/*.js')).toBe(true);
    expect(matchesScript('/srv/app/lib/a.js', 'lib/?.js')).toBe(true);
    expect(matchesScript('/srv/app/lib/ab.js', 'lib/?.js')).toBe(false);
    expect(matchesScript('node:internal/x', 'node:internal')).toBe(true);
    expect(matchesScript('/a+b.js', 'a+b')).toBe(true);
  });
});

describe('reading .heapprofile files', () => {
  const write = (name: string, content: string | Buffer) => {
    const file = tmpPath(name);
    writeFileSync(file, content);
    return file;
  };
  const text = JSON.stringify(sampleProfile());

  it('reads plain and gzipped files alike', async () => {
    const plain = await readHeapProfile(write('a.heapprofile', text));
    const gzipped = await readHeapProfile(write('a.heapprofile.gz', gzipSync(text)));
    expect(gzipped.totalBytes).toBe(plain.totalBytes);
    expect(gzipped.nodeCount).toBe(7);
  });

  it('tells snapshots from profiles by their first key, through gzip', async () => {
    expect(await detectHeapFileKind(write('p.heapprofile', text))).toBe('profile');
    expect(await detectHeapFileKind(write('s.heapsnapshot', buildSnapshotText(minimalHeap())))).toBe('snapshot');
    expect(await detectHeapFileKind(write('s.gz', gzipSync(` \n${buildSnapshotText(minimalHeap())}`)))).toBe('snapshot');
    await expect(detectHeapFileKind(write('x.txt', 'hello'))).rejects.toThrow(/does not start with a JSON object/);
    await expect(detectHeapFileKind(write('empty', ''))).rejects.toThrow(/empty file/);
  });

  const broken: Array<[string, string | Buffer, RegExp]> = [
    ['empty', '', /empty file, not a heap profile/],
    ['truncated', text.slice(0, text.length / 2), /truncated: the file ends before the profile is complete/],
    ['truncated gzip', gzipSync(text).subarray(0, 40), /truncated gzip data/],
    ['not JSON', `${text}x`, /not valid JSON/],
    ['a list', '[1, 2]', /not a JSON object/],
    ['a snapshot', buildSnapshotText(minimalHeap()), /a heap snapshot, not a heap profile/],
    ['a CPU profile', JSON.stringify({ nodes: [], startTime: 0, endTime: 1, samples: [] }), /a CPU profile/],
    ['no head', '{"samples": []}', /no "head" call tree/],
    ['no callFrame', JSON.stringify({ head: { id: 1, selfSize: 0, children: [] } }), /call tree node 1: no "callFrame"/],
    ['bad line', text.replace('"lineNumber":3', '"lineNumber":"3"'), /callFrame.lineNumber/],
    ['negative size', text.replace('"selfSize":6000', '"selfSize":-1'), /"selfSize" is not a non-negative number/],
    ['children not a list', text.replace('"children":[]', '"children":{}'), /"children" is not a list/],
    ['a duplicate id', text.replace('"id":2,', '"id":1,'), /appears twice/],
    ['a sample without a node id', text.replace('"nodeId":3', '"nodeId":"3"'), /sample \d+: "nodeId" is not a non-negative integer/],
  ];
  for (const [what, content, problem] of broken) {
    it(`rejects ${what} with one line naming the file`, async () => {
      const file = write(`broken-${what.replace(/\W/g, '-')}.heapprofile`, content);
      const error = await readHeapProfile(file).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(ProfileError);
      expect(error).toBeInstanceOf(SnapshotError);
      const message = (error as Error).message;
      expect(message.startsWith(`${file}: `), message).toBe(true);
      expect(message).not.toMatch(/[\r\n]/);
      expect(message).toMatch(problem);
    });
  }

  it('leaves out samples of nodes the tree does not have (V8 writes a few)', () => {
    const raw = sampleProfile();
    raw.samples.push({ size: 1000, nodeId: 999, ordinal: 0 });
    const profile = parseHeapProfile('orphans', raw);
    expect([profile.sampleCount, profile.orphanSamples]).toEqual([11, 1]);
  });

  it('missing files and directories', async () => {
    await expect(readHeapProfile('/no/such.heapprofile')).rejects.toThrow(/^\/no\/such.heapprofile: no such file$/);
    await expect(readHeapProfile('/tmp')).rejects.toThrow(/^\/tmp: not a regular file$/);
  });
});

// ---------------------------------------------------------------------------------------
// Snapshots with allocation stacks

const FUNCTIONS: TraceFunctionSpec[] = [
  { name: '(root)', script: '', scriptId: 0, line: 0, column: 0 },
  { name: 'main', script: '/srv/app.js', scriptId: 7, line: 1, column: 1 },
  { name: 'makeUser', script: '/srv/app.js', scriptId: 7, line: 10, column: 18 },
  { name: 'loadAll', script: '/srv/app.js', scriptId: 7, line: 30, column: 17 },
];

/** Users made by makeUser from main (trace 3) and from loadAll (trace 5); a Session by main. */
function tracedHeap(): BuildNode[] {
  const nodes = minimalHeap();
  const add = (node: BuildNode) => {
    nodes.push(node);
    nodes[MINIMAL.global].edges!.push({ type: 'property', name: `p${nodes.length}`, to: nodes.length - 1 });
  };
  for (let i = 0; i < 3; i++) add({ type: 'object', name: 'User', id: 101 + 2 * i, selfSize: 40, traceNodeId: 3 });
  for (let i = 0; i < 2; i++) add({ type: 'object', name: 'User', id: 201 + 2 * i, selfSize: 40, traceNodeId: 5 });
  add({ type: 'object', name: 'Session', id: 301, selfSize: 64, traceNodeId: 2 });
  add({ type: 'string', name: 'untracked', id: 401, selfSize: 24 });
  add({ type: 'string', name: 'lost', id: 403, selfSize: 16, traceNodeId: 77 });
  return nodes;
}

// (root) 1 → main 2 → makeUser 3
//                  → loadAll 4 → makeUser 5
const TREE = [1, 0, 0, 0, [[2, 1, 4, 256, [[3, 2, 10, 400, []], [4, 3, 0, 0, [[5, 2, 6, 240, []]]]]]]] as const;

async function tracedClassifiedHeap() {
  const snapshot = await readSnapshotStream('traced.heapsnapshot', (async function* () {
    yield tracedSnapshotText(FUNCTIONS, TREE as never, tracedHeap());
  })());
  return classifyHeap(snapshot);
}

describe('liveAllocations', () => {
  it('attributes live objects to the function that allocated them, through every stack', async () => {
    const heap = await tracedClassifiedHeap();
    expect(hasAllocationTraces(heap.snapshot)).toBe(true);
    const result = liveAllocations(heap);
    expect([result.liveObjects, result.liveBytes]).toEqual([6, 264]);
    expect([result.unknownStackObjects, result.unknownStackBytes]).toEqual([1, 16]);
    expect(result.untrackedObjects).toBe(heap.snapshot.nodeCount - 7);
    const [makeUser, main] = result.functions;
    expect([makeUser.name, makeUser.count, makeUser.size, makeUser.allocatedCount, makeUser.allocatedBytes]).toEqual(['makeUser', 5, 200, 16, 640]);
    expect([makeUser.url, makeUser.line, makeUser.column]).toEqual(['/srv/app.js', 10, 18]);
    expect(makeUser.share).toBeCloseTo(200 / 264);
    expect(makeUser.classes).toEqual([{ className: 'User', count: 5, size: 200 }]);
    expect(makeUser.stacks.map((s) => [s.traceNodeId, s.count, s.frames.map((f) => f.name)])).toEqual([
      [3, 3, ['makeUser', 'main']],
      [5, 2, ['makeUser', 'loadAll', 'main']],
    ]);
    expect([main.name, main.count, main.size]).toEqual(['main', 1, 64]);
    expect(result.functions).toHaveLength(2);
  });

  it('--class: only the objects of one class', async () => {
    const result = liveAllocations(await tracedClassifiedHeap(), { className: 'Session' });
    expect(result.functions.map((f) => [f.name, f.count])).toEqual([['main', 1]]);
    expect(result.liveObjects).toBe(1);
    expect(liveAllocations(await tracedClassifiedHeap(), { className: 'Nope' }).functions).toEqual([]);
  });

  it('a snapshot without allocation tracking has no traces', async () => {
    const snapshot = await readSnapshotStream('plain', (async function* () {
      yield buildSnapshotText(minimalHeap());
    })());
    expect(hasAllocationTraces(snapshot)).toBe(false);
    expect(() => liveAllocations(classifyHeap(snapshot))).toThrow(RangeError);
  });

  it('a real snapshot taken with allocation tracking: a class\'s live instances belong to the function that made them', async () => {
    const file = trackedSnapshotOfProgram('widgets.mjs', `
class Widget { constructor(i) { this.id = i; } }
function makeWidgets(n) { const out = []; for (let i = 0; i < n; i++) out.push(new Widget(i)); return out; }
function makeOther() { return Array.from({ length: 50 }, (_, i) => ({ i })); }
globalThis.widgets = makeWidgets(3000);
globalThis.other = makeOther();
`);
    const script = file.replace(/\.heapsnapshot$/, '');
    const line = readFileSync(script, 'utf8').split('\n').findIndex((text) => text.startsWith('function makeWidgets')) + 1;
    const heap = classifyHeap(await readSnapshotFile(file));
    const result = liveAllocations(heap, { className: 'Widget' });
    expect(result.liveObjects).toBe(3000);
    const [top] = result.functions;
    expect(top.name).toBe('makeWidgets');
    expect(top.count).toBe(3000);
    expect(top.url).toMatch(/widgets\.mjs$/);
    expect(top.line).toBe(line);
    expect(top.stacks[0].frames[0].name).toBe('makeWidgets');
    // and without the filter, makeWidgets is where most of what is alive comes from
    const all = liveAllocations(heap);
    expect(all.functions[0].name).toBe('makeWidgets');
    expect(all.functions[0].classes[0]).toMatchObject({ className: 'Widget', count: 3000 });
  });
});

// ---------------------------------------------------------------------------------------

describe('source lines', () => {
  it('reads a local file by path or file:// URL, and nothing else', () => {
    const file = tmpPath('source.js');
    writeFileSync(file, 'first\n   function big() { return 1; }   \nthird');
    const lines = new SourceLines();
    expect(lines.line(file, 2)).toBe('function big() { return 1; }');
    expect(lines.line(`file://${file}`, 1)).toBe('first');
    expect(lines.line(file, 9)).toBeNull();
    expect(lines.line(file, 0)).toBeNull();
    expect(lines.line('node:internal/x', 1)).toBeNull();
    expect(lines.line('relative.js', 1)).toBeNull();
    expect(lines.line('/no/such/file.js', 1)).toBeNull();
  });
});

describe('renderFlameSvg', () => {
  it('is deterministic, escapes titles and leaves out invisible boxes', () => {
    nextId = 1;
    const tiny = node(frame('tiny', '/srv/a.js', 0, 0), 1);
    const odd = node(frame('<weird & "name">', '/srv/a&b.js', 4, 1), 50_000);
    const big = node(frame('big', '/srv/a.js', 1, 2), 1_000_000);
    const root = node(frame('(root)', '', -1, -1, '0'), 0, [big, odd, tiny]);
    const profile = parseHeapProfile('f', { head: root, samples: [] });
    const svg = renderFlameSvg(profileTree(profile), { title: 'Allocation flame graph', subtitle: 'f & g' });
    expect(renderFlameSvg(profileTree(profile), { title: 'Allocation flame graph', subtitle: 'f & g' })).toBe(svg);
    expect(svg).toContain('&lt;weird &amp; &quot;name&quot;&gt; (/srv/a&amp;b.js:5:2)');
    expect(svg).toContain('<title>big (/srv/a.js:2:3): 1.00 MB (1000000 bytes, 95.2%) including callees, 1.00 MB in itself</title>');
    expect(svg).toContain('f &amp; g');
    expect(svg).not.toContain('tiny');
    expect(svg.match(/<g>/g)).toHaveLength(3);
    expect(escapeXml('a\u0001b<')).toBe('a?b&lt;');
  });
});
