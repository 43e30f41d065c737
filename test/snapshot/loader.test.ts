// The streaming loader on well-formed input: every layout a producer may write, every
// chunking, every string escape and the big numbers must give exactly the same columns.
// Broken input: loader-errors.test.ts and loader-truncation.test.ts; real snapshots
// against heapsnapshot-parser: loader-oracle.test.ts.

import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSnapshotFile, readSnapshotStream } from '../../src/snapshot/loader.js';
import type { HeapSnapshot } from '../../src/snapshot/heap-snapshot.js';
import {
  DEFAULT_NODE_FIELDS, MINIMAL, buildSnapshotText, minimalHeap, tmpPath, v8JsonString, writeSnapshot,
  type BuildNode, type BuildOptions,
} from '../helpers/snapshot-builder.js';
import { parserRaw } from '../helpers/oracle.js';
import {
  RICH_LOCATIONS, chunked, columnsOf, cyclingSizes, expectSameColumns, graphOf, richHeap, stream, textChunks, withTimeLimit,
} from './support.js';

const LAYOUTS: Array<NonNullable<BuildOptions['pretty']>> = ['compact', 'v8', 'newlines'];

function writeText(name: string, text: string | Buffer): string {
  const file = tmpPath(name);
  writeFileSync(file, text);
  return file;
}

async function loadText(text: string | Buffer, name = 'snapshot.heapsnapshot'): Promise<HeapSnapshot> {
  return withTimeLimit(readSnapshotFile(writeText(name, text)));
}

/** Inserts `insert` right before the top-level key `key` (its first occurrence as a key). */
function insertBeforeKey(text: string, key: string, insert: string): string {
  const at = text.indexOf(`"${key}"`);
  if (at < 0) throw new Error(`no key ${key}`);
  return text.slice(0, at) + insert + text.slice(at);
}

/** Inserts `insert` (starting with ',') before the closing brace of the document. */
function insertAtEnd(text: string, insert: string): string {
  const at = text.lastIndexOf('}');
  return text.slice(0, at) + insert + text.slice(at);
}

describe('the rich test heap, read by the loader (sanity of the reference)', () => {
  it('decodes every node, edge, detachedness, trace node id and location', async () => {
    const file = tmpPath('rich.heapsnapshot');
    writeSnapshot(file, richHeap(), { pretty: 'v8', locations: RICH_LOCATIONS });
    const snap = await withTimeLimit(readSnapshotFile(file));
    expect(snap.nodeCount).toBe(11);
    expect(snap.edgeCount).toBe(2 + 2 + 3 + 3 + 2 + 3);
    expect(snap.rootOrdinal).toBe(0);
    expect(snap.file).toBe(file);
    const graph = graphOf(snap);
    expect(graph[5]).toEqual({
      type: 'object', name: 'User', id: 11, selfSize: 32, location: { scriptId: 12, line: 4, column: 2 },
      edges: [
        { type: 'property', name: 'name', to: 13 },
        { type: 'hidden', name: 3, to: 15 },
        { type: 'internal', name: 'map', to: 19 },
      ],
    });
    expect(graph[6]).toEqual({ type: 'string', name: 'alice\n"x"', id: 13, selfSize: 20, location: null, edges: [] });
    expect(graph[7]!.edges).toEqual([
      { type: 'element', name: 0, to: 11 },
      { type: 'element', name: 7, to: 13 },
    ]);
    expect(graph[8]).toEqual({
      type: 'closure', name: 'handler', id: 17, selfSize: 64, location: { scriptId: 12, line: 40, column: 17 },
      edges: [
        { type: 'context', name: 'self', to: 11 },
        { type: 'internal', name: 'shared', to: 19 },
        { type: 'weak', name: 'weak_ref', to: 11 },
      ],
    });
    expect(graph[0]!.edges).toEqual([
      { type: 'element', name: 1, to: 3 },
      { type: 'shortcut', name: '2', to: 9 },
    ]);
    expect([...snap.traceNodeIds!]).toEqual([0, 0, 0, 0, 0, 3, 4, 0, 1, 0, 0]);
    expect([...snap.detachedness!]).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 2]);
    expect(snap.locationCount).toBe(2);

    // and it agrees with heapsnapshot-parser on the same file
    const raw = parserRaw(file);
    expect(graph.map((n) => ({ type: n.type, name: n.name, id: n.id, selfSize: n.selfSize, edgeCount: n.edges.length }))).toEqual(raw.nodes);
    expect(graph.flatMap((n) => n.edges.map((e) => ({ from: n.id, type: e.type, nameOrIndex: e.name, to: e.to })))).toEqual(raw.edges);
  });
});

describe('layout tolerance: identical columns however the same heap is written', () => {
  const options: BuildOptions = { locations: RICH_LOCATIONS };
  let reference: ReturnType<typeof columnsOf>;

  beforeAll(async () => {
    reference = columnsOf(await loadText(buildSnapshotText(richHeap(), { ...options, pretty: 'compact' })));
  });

  for (const pretty of LAYOUTS) {
    it(`layout '${pretty}' from a file`, async () => {
      const snap = await loadText(buildSnapshotText(richHeap(), { ...options, pretty }));
      expect(columnsOf(snap)).toEqual(reference);
    });

    it(`layout '${pretty}' gzipped under a name without .gz`, async () => {
      const gz = gzipSync(buildSnapshotText(richHeap(), { ...options, pretty }));
      const snap = await loadText(gz, 'looks-plain.heapsnapshot');
      expect(columnsOf(snap)).toEqual(reference);
    });

    it(`layout '${pretty}' via readSnapshotStream in 1..7-byte chunks`, async () => {
      const text = buildSnapshotText(richHeap(), { ...options, pretty });
      const snap = await withTimeLimit(readSnapshotStream('tiny-chunks', chunked(text, cyclingSizes(7))));
      expect(columnsOf(snap)).toEqual(reference);
      expect(snap.file).toBe('tiny-chunks');
    });

    // Chunks longer than most literals: a literal cut at a chunk's end (after a backslash, in
    // a multi-byte character) ends early in the next chunk, whose rest is read in place.
    it(`layout '${pretty}' via readSnapshotStream in 1..97-byte chunks`, async () => {
      const text = buildSnapshotText(richHeap(), { ...options, pretty });
      for (const first of [1, 2, 3, 5, 8]) {
        const sizes = (function* () { yield first; yield* cyclingSizes(97); })();
        expect(columnsOf(await withTimeLimit(readSnapshotStream('mid-chunks', chunked(text, sizes)))), `first chunk ${first}`).toEqual(reference);
      }
    });

    it(`layout '${pretty}' via readSnapshotStream in 1-byte chunks and as string chunks`, async () => {
      const text = buildSnapshotText(richHeap(), { ...options, pretty });
      const one = await withTimeLimit(readSnapshotStream('bytes', chunked(text, 1)));
      expect(columnsOf(one)).toEqual(reference);
      const strings = await withTimeLimit(readSnapshotStream('strings', textChunks(text, 3)));
      expect(columnsOf(strings)).toEqual(reference);
    });
  }

  it('empty chunks in the stream change nothing', async () => {
    const text = Buffer.from(buildSnapshotText(richHeap(), { ...options, pretty: 'v8' }));
    async function* withEmpties() {
      yield Buffer.alloc(0);
      for (let pos = 0; pos < text.length; pos += 5) {
        yield Buffer.from(text.subarray(pos, pos + 5));
        yield Buffer.alloc(0);
        yield '';
      }
    }
    expect(columnsOf(await withTimeLimit(readSnapshotStream('empties', withEmpties())))).toEqual(reference);
  });

  it('whitespace and newlines between "snapshot" and its colon (DevTools cannot, we must)', async () => {
    const text = buildSnapshotText(richHeap(), { ...options, pretty: 'newlines' }).replace('"snapshot":', '"snapshot" \r\n\t :');
    expect(text).toContain('"snapshot" \r\n\t :');
    expect(columnsOf(await loadText(text))).toEqual(reference);
    const streamed = await withTimeLimit(readSnapshotStream('ws', chunked(text, cyclingSizes(7))));
    expect(columnsOf(streamed)).toEqual(reference);
  });

  it('whitespace before the document and after it', async () => {
    const text = ' \t\r\n' + buildSnapshotText(richHeap(), { ...options, pretty: 'v8' }) + '\n\n \t';
    expect(columnsOf(await loadText(text))).toEqual(reference);
  });

  it('without trace_node_id', async () => {
    const nodeFields = DEFAULT_NODE_FIELDS.filter((f) => f !== 'trace_node_id');
    for (const pretty of LAYOUTS) {
      const snap = await loadText(buildSnapshotText(richHeap(), { ...options, pretty, nodeFields }));
      expect(snap.traceNodeIds).toBeNull();
      expect(snap.layout.nodeFieldCount).toBe(6);
      expect(columnsOf(snap)).toEqual({ ...reference, traceNodeIds: null });
    }
  });

  it('without detachedness', async () => {
    const nodeFields = DEFAULT_NODE_FIELDS.filter((f) => f !== 'detachedness');
    const snap = await loadText(buildSnapshotText(richHeap(), { ...options, nodeFields, pretty: 'v8' }));
    expect(snap.detachedness).toBeNull();
    expect(columnsOf(snap)).toEqual({ ...reference, detachedness: null });
  });

  it('without trace_node_id and detachedness (older V8)', async () => {
    const nodeFields = ['type', 'name', 'id', 'self_size', 'edge_count'];
    const snap = await loadText(buildSnapshotText(richHeap(), { ...options, nodeFields, pretty: 'v8' }));
    expect(columnsOf(snap)).toEqual({ ...reference, traceNodeIds: null, detachedness: null });
  });

  it('without locations, trace sections and samples', async () => {
    const omitSections = ['trace_function_infos', 'trace_tree', 'samples', 'locations'];
    for (const pretty of LAYOUTS) {
      const text = buildSnapshotText(richHeap(), { ...options, pretty, omitSections });
      expect(text).not.toContain('"locations"');
      expect(text).not.toContain('"samples"');
      const snap = await loadText(text);
      expect(columnsOf(snap)).toEqual({ ...reference, locations: [] });
      expect(snap.location(5)).toBeNull();
      expect(snap.locationCount).toBe(0);
      expect(snap.samples.length).toBe(0);
      expect(snap.traceFunctionInfos.length).toBe(0);
    }
  });

  it('with location_fields in meta but no "locations" section', async () => {
    const text = buildSnapshotText(richHeap(), { pretty: 'v8' });
    expect(text).toContain('"location_fields"');
    const snap = await loadText(text.replace('"locations":[],\n', ''));
    expect(columnsOf(snap)).toEqual({ ...reference, locations: [] });
  });

  it('with a "locations" section but no location_fields in meta (section ignored)', async () => {
    const snap = await loadText(buildSnapshotText(richHeap(), { ...options, pretty: 'v8', omitSections: ['location_fields'] }));
    expect(columnsOf(snap)).toEqual({ ...reference, locations: [] });
  });

  it('node fields reordered in meta', async () => {
    const orders = [
      ['detachedness', 'trace_node_id', 'edge_count', 'self_size', 'id', 'name', 'type'],
      ['id', 'type', 'edge_count', 'name', 'detachedness', 'self_size', 'trace_node_id'],
      ['name', 'type', 'id', 'edge_count', 'self_size'],
    ];
    for (const nodeFields of orders) {
      for (const pretty of LAYOUTS) {
        const snap = await loadText(buildSnapshotText(richHeap(), { ...options, pretty, nodeFields }));
        const expected = {
          ...reference,
          traceNodeIds: nodeFields.includes('trace_node_id') ? reference.traceNodeIds : null,
          detachedness: nodeFields.includes('detachedness') ? reference.detachedness : null,
        };
        expect(columnsOf(snap), `${nodeFields.join(',')} ${pretty}`).toEqual(expected);
      }
    }
  });

  it('unknown node fields (written as 0) are ignored', async () => {
    const nodeFields = ['future_a', ...DEFAULT_NODE_FIELDS.slice(0, 3), 'future_b', ...DEFAULT_NODE_FIELDS.slice(3)];
    const snap = await loadText(buildSnapshotText(richHeap(), { ...options, pretty: 'v8', nodeFields }));
    expect(columnsOf(snap)).toEqual(reference);
  });

  it('records wider than the reader\'s batch of 65,536 values (70,000 unknown node fields)', async () => {
    const nodeFields = [...DEFAULT_NODE_FIELDS, ...Array.from({ length: 70_000 }, (_, i) => `future_${i}`)];
    const snap = await loadText(buildSnapshotText(richHeap(), { ...options, pretty: 'compact', nodeFields }));
    expect(columnsOf(snap)).toEqual(reference);
  });

  it('edge fields reordered in meta', async () => {
    const json = JSON.parse(buildSnapshotText(richHeap(), options));
    const order = ['to_node', 'type', 'name_or_index'];
    const old = json.snapshot.meta.edge_fields as string[];
    const oldTypes = json.snapshot.meta.edge_types as unknown[];
    json.snapshot.meta.edge_fields = order;
    json.snapshot.meta.edge_types = order.map((f) => oldTypes[old.indexOf(f)]);
    const edges = json.edges as number[];
    const reordered: number[] = [];
    for (let i = 0; i < edges.length; i += 3) for (const f of order) reordered.push(edges[i + old.indexOf(f)]!);
    json.edges = reordered;
    expect(columnsOf(await loadText(JSON.stringify(json)))).toEqual(reference);
  });

  it('an unknown top-level section (Chromium-like "scopes": negative numbers, nested objects)', async () => {
    const scopes = '"scopes":[-1,-22,[{"a":-3,"b":[{"c":"]}\\"{[,"}],"d":{}}],-4.5e-3,{"e":null,"f":true,"g":false},[[[]]],"\\u005d"]';
    for (const pretty of LAYOUTS) {
      const base = buildSnapshotText(richHeap(), { ...options, pretty });
      const before = insertBeforeKey(base, 'nodes', scopes + ',\n');
      const after = insertAtEnd(base, ',\n' + scopes + ',"scope_uses":[],"version":-12.5e+3,"producer":"x\\"}]","flag":true,"none":null,"obj":{"k":[1,{"l":"}"}]}');
      for (const text of [before, after]) {
        expect(() => JSON.parse(text)).not.toThrow();
        expect(columnsOf(await loadText(text)), pretty).toEqual(reference);
        const streamed = await withTimeLimit(readSnapshotStream('scopes', chunked(text, cyclingSizes(7))));
        expect(columnsOf(streamed)).toEqual(reference);
      }
    }
  });

  it('extra meta keys (Chromium\'s scope_fields…) and extra header keys', async () => {
    const json = JSON.parse(buildSnapshotText(richHeap(), {
      ...options,
      extraHeader: { extra_native_bytes: 123456, root_index: 0, title: 'a "title" }]', future: { a: [1, { b: -2.5 }], c: null } },
    }));
    json.snapshot.meta.scope_fields = ['script_node_index', 'scope_id', 'depth'];
    json.snapshot.meta.future_meta = { x: [[1], [2]] };
    const snap = await loadText(JSON.stringify(json));
    expect(columnsOf(snap)).toEqual(reference);
    expect(snap.extraNativeBytes).toBe(123456);
  });

  it('node and edge type lists in another order (types are found by name)', async () => {
    const nodeTypes = ['object shape', 'bigint', 'symbol', 'sliced string', 'concatenated string', 'synthetic', 'native', 'number', 'regexp', 'closure', 'code', 'object', 'string', 'array', 'hidden'];
    const edgeTypes = ['weak', 'shortcut', 'hidden', 'internal', 'property', 'element', 'context'];
    const expected = graphOf(await loadText(buildSnapshotText(richHeap(), options)));
    for (const pretty of LAYOUTS) {
      const snap = await loadText(buildSnapshotText(richHeap(), { ...options, pretty, nodeTypes, edgeTypes }));
      expect(graphOf(snap)).toEqual(expected);
      expect(snap.edgeType.element).toBe(5);
      expect(snap.nodeType.object).toBe(11);
    }
  });

  it('a header with escapes, nested values and non-ASCII, streamed in tiny chunks', async () => {
    const json = JSON.parse(buildSnapshotText(richHeap(), {
      ...options,
      extraHeader: { title: 'quote " backslash \\ brace } bracket ] é€ \u{1F600}', nested: [[[{ a: '}' }]], { b: '\\' }] },
    }));
    const text = JSON.stringify(json);
    expect(columnsOf(await withTimeLimit(readSnapshotStream('header', chunked(text, cyclingSizes(7)))))).toEqual(reference);
    expect(columnsOf(await withTimeLimit(readSnapshotStream('header-1', chunked(text, 1))))).toEqual(reference);
  });

  it('reports progress while reading a file', async () => {
    for (const gz of [false, true]) {
      const text = buildSnapshotText(richHeap(), { ...options, pretty: 'v8' });
      const file = writeText(`progress.heapsnapshot${gz ? '.gz' : ''}`, gz ? gzipSync(text) : text);
      const seen: number[] = [];
      const snap = await withTimeLimit(readSnapshotFile(file, { onProgress: (p) => seen.push(p.fraction) }));
      expect(columnsOf(snap)).toEqual(reference);
      expect(seen.length).toBeGreaterThan(0);
      for (const f of seen) expect(f >= 0 && f <= 1, String(f)).toBe(true);
      expect(seen[seen.length - 1]).toBe(1);
    }
  });

  it('root_index names the root node', async () => {
    const snap = await loadText(buildSnapshotText(richHeap(), { ...options, extraHeader: { root_index: 7 } }));
    expect(snap.rootOrdinal).toBe(1);
    expect(columnsOf(snap)).toEqual({ ...reference, rootOrdinal: 1 });
  });

  it('sections in another order (strings and edges before nodes)', async () => {
    const json = JSON.parse(buildSnapshotText(richHeap(), options));
    const { snapshot, nodes, edges, strings, ...rest } = json;
    const text = JSON.stringify({ snapshot, strings, ...rest, edges, nodes });
    expect(columnsOf(await loadText(text))).toEqual(reference);
  });
});

// ---------------------------------------------------------------------------------
// Strings

/** A heap whose node i (from 5 on) and one property edge are named by placeholders. */
function placeholderHeap(count: number): BuildNode[] {
  const nodes = minimalHeap();
  for (let i = 0; i < count; i++) {
    nodes.push({ type: 'string', name: `@@S${i}@@`, id: 101 + 2 * i, selfSize: 16 });
    nodes[MINIMAL.global]!.edges!.push({ type: 'property', name: `@@E${i}@@`, to: nodes.length - 1 });
  }
  return nodes;
}

/** [JSON literal as it appears in the file, the string it stands for] */
const STRING_CASES: Array<[string, string, string]> = [
  ['two-character escapes', String.raw`"\"\\\/\b\f\n\r\t"`, '"\\/\b\f\n\r\t'],
  ['\\/ inside text', String.raw`"a\/b\/\/c/d"`, 'a/b//c/d'],
  ['an escaped backslash right before the closing quote', String.raw`"ends with \\"`, 'ends with \\'],
  ['an escaped backslash then an escaped quote', String.raw`"\\\""`, '\\"'],
  ['only escaped quotes', String.raw`"\"\""`, '""'],
  ['\\u escapes, both hex cases, control characters', String.raw`"\u0041\u00e9\u00E9\u20aC\u0000\u001f\u007F"`, 'Aéé€\u0000\u001f\u007f'],
  ['a surrogate pair', String.raw`"<\uD83D\uDE00>"`, '<\u{1F600}>'],
  ['a lone high surrogate at the end', String.raw`"x\uD83D"`, 'x\uD83D'],
  ['a lone high surrogate before text', String.raw`"\ud800abc"`, '\uD800abc'],
  ['a lone low surrogate', String.raw`"\uDE00y"`, '\uDE00y'],
  ['a reversed (broken) pair', String.raw`"\uDE00\uD83D"`, '\uDE00\uD83D'],
  ['a high surrogate followed by a non-surrogate escape', String.raw`"\uD83D\u0041"`, '\uD83DA'],
  ['raw UTF-8 (non-V8 producer)', '"héllo € \u{1F600} 日本語 ß"', 'héllo € \u{1F600} 日本語 ß'],
  ['raw UTF-8 mixed with escapes', '"é\\n\\u00e9€\\\\ü\\"ö"', 'é\né€\\ü"ö'],
  ['JSON structure characters inside a string', '"],}{[:,"', '],}{[:,'],
  ['an empty string', '""', ''],
  ['a single space', '" "', ' '],
  // Past their first 64 bytes literals are searched natively: escapes and non-ASCII there too.
  ['a long plain literal', `"${'x'.repeat(200)}"`, 'x'.repeat(200)],
  ['an escape past 64 bytes', `"${'a'.repeat(100)}\\n${'b'.repeat(30)}"`, `${'a'.repeat(100)}\n${'b'.repeat(30)}`],
  ['an escaped quote past 64 bytes', `"${'a'.repeat(80)}\\"${'c'.repeat(10)}"`, `${'a'.repeat(80)}"${'c'.repeat(10)}`],
  ['raw UTF-8 past 64 bytes', `"${'d'.repeat(90)}é€${'e'.repeat(5)}"`, `${'d'.repeat(90)}é€${'e'.repeat(5)}`],
  ['an escaped backslash closing a long literal', `"${'f'.repeat(70)}\\\\"`, `${'f'.repeat(70)}\\`],
];

describe('strings', () => {
  function buildWithLiterals(cases: Array<[string, string, string]>, pretty: BuildOptions['pretty']): string {
    let text = buildSnapshotText(placeholderHeap(cases.length), { pretty });
    cases.forEach(([, literal], i) => {
      text = text.replace(`"@@S${i}@@"`, () => literal);
    });
    // edges get the same literals, in reverse order, so edge names are checked too
    cases.forEach((_case, i) => {
      text = text.replace(`"@@E${i}@@"`, () => cases[cases.length - 1 - i]![1]);
    });
    return text;
  }

  function check(snap: HeapSnapshot, cases: Array<[string, string, string]>): void {
    cases.forEach(([what, , expected], i) => {
      expect(snap.nodeName(5 + i), what).toBe(expected);
    });
    const globalEdges = snap.firstEdges[MINIMAL.global]!;
    cases.forEach(([what, , expected], i) => {
      expect(snap.edgeName(globalEdges + cases.length - 1 - i), `edge: ${what}`).toBe(expected);
    });
  }

  for (const pretty of LAYOUTS) {
    it(`escapes, surrogates, raw UTF-8, empty strings — layout ${pretty}`, async () => {
      const text = buildWithLiterals(STRING_CASES, pretty);
      // the reference meaning of every literal is JSON.parse's
      for (const [what, literal, expected] of STRING_CASES) expect(JSON.parse(literal), what).toBe(expected);
      const expectedStrings = (JSON.parse(text) as { strings: string[] }).strings;

      const fromFile = await loadText(text);
      check(fromFile, STRING_CASES);
      expect([...fromFile.strings]).toEqual(expectedStrings);
      const tiny = await withTimeLimit(readSnapshotStream('tiny', chunked(text, cyclingSizes(7))));
      check(tiny, STRING_CASES);
      const bytes = await withTimeLimit(readSnapshotStream('bytes', chunked(text, 1)));
      check(bytes, STRING_CASES);
      expect([...bytes.strings]).toEqual(expectedStrings);
      const gz = await loadText(gzipSync(text), 'strings.heapsnapshot');
      check(gz, STRING_CASES);
    });
  }

  it('every split of a \\u escape and of a multi-byte UTF-8 character across two chunks', async () => {
    const text = buildWithLiterals(STRING_CASES, 'v8');
    const bytes = Buffer.from(text, 'utf8');
    const first = bytes.indexOf('"strings"');
    for (let cut = first; cut < bytes.length; cut++) {
      const snap = await withTimeLimit(readSnapshotStream(`cut-${cut}`, stream(bytes.subarray(0, cut), bytes.subarray(cut))));
      check(snap, STRING_CASES);
    }
  });

  it('V8\'s mangled non-BMP characters: one \\uXXXX holding the low 16 bits of the code point', async () => {
    const names = ['\u{1F600}', 'a\u{10FFFF}b', '\u{1D800}', '\u{2DC05}', '\u{1F600}\u{1F600}'];
    const expected = ['\uF600', 'a\uFFFFb', '\uD800', '\uDC05', '\uF600\uF600'];
    const nodes = minimalHeap();
    names.forEach((name, i) => nodes.push({ type: 'string', name, id: 101 + 2 * i, selfSize: 16 }));
    for (const pretty of LAYOUTS) {
      const text = buildSnapshotText(nodes, { pretty, nonBmp: 'v8' });
      expect(text).toContain('"\\uF600"');
      expect(text).toContain('"\\uD800"'); // a lone high surrogate, as V8 writes it
      for (const snap of [
        await loadText(text),
        await withTimeLimit(readSnapshotStream('v8-non-bmp', chunked(text, cyclingSizes(5)))),
      ]) {
        expected.forEach((name, i) => expect(snap.nodeName(5 + i)).toBe(name));
      }
    }
  });

  it('a string longer than the chunk size, straddling many chunks', async () => {
    let long = '';
    let longRaw = '';
    for (let i = 0; long.length < 150_000; i++) {
      long += `line ${i} "quoted" \\ tab\t é€ \u{1F600} \uD800 `;
      longRaw += `line ${i} "quoted" \\ tab\t é€ \u{1F600} `;
    }
    const short: [string, string, string] = ['after the long one', '"short"', 'short'];
    // V8-style: pure ASCII, everything non-ASCII as \uXXXX
    const escaped: Array<[string, string, string]> = [['long, escaped', v8JsonString(long), long], short];
    // non-V8 producer: raw UTF-8, only \" \\ and \t escaped
    const raw: Array<[string, string, string]> = [['long, raw UTF-8', JSON.stringify(longRaw), longRaw], short];
    // eslint-disable-next-line no-control-regex -- any character outside ASCII
    expect(/[^\x00-\x7f]/.test(JSON.stringify(longRaw))).toBe(true);
    const escapedText = buildWithLiterals(escaped, 'v8');
    const rawText = buildWithLiterals(raw, 'v8');
    for (const size of [997, 4096, 65_536]) {
      check(await withTimeLimit(readSnapshotStream(`escaped-${size}`, chunked(escapedText, size))), escaped);
      check(await withTimeLimit(readSnapshotStream(`raw-${size}`, chunked(rawText, size))), raw);
    }
    check(await loadText(escapedText), escaped);
    check(await loadText(rawText), raw);
  });

  it('a string longer than the file reader\'s own chunk (9 MB), straddling its boundary', async () => {
    const long = 'x'.repeat(5_000_000) + '\\"é\u{1F600}' + 'y'.repeat(4_000_000);
    const cases: Array<[string, string, string]> = [['9 MB', JSON.stringify(long), long], ['tail', '"t\\u00e9"', 'té']];
    const text = buildWithLiterals(cases, 'v8');
    const snap = await withTimeLimit(readSnapshotFile(writeText('long.heapsnapshot', text)), 20_000);
    expect(snap.nodeName(5).length).toBe(long.length);
    expect(snap.nodeName(5) === long).toBe(true);
    expect(snap.nodeName(6)).toBe('té');
    const gz = await withTimeLimit(readSnapshotFile(writeText('long-gz.heapsnapshot', gzipSync(text))), 20_000);
    expect(gz.nodeName(5) === long).toBe(true);
  }, 30_000);

  it('a large strings section (thousands of strings) streamed in small chunks', async () => {
    const nodes = minimalHeap();
    const count = 4000;
    for (let i = 0; i < count; i++) {
      const variety = [
        `plain-${i}`,
        `esc "${i}" \\ \n\t/`,
        `ünïcödé-${i}-€-\u{1F600}`,
        `lone-\uD800-${i}`,
        `${i}`.repeat(1 + (i % 40)),
      ][i % 5]!;
      nodes.push({ type: 'string', name: variety, id: 1001 + 2 * i, selfSize: 16 + (i % 64) });
      nodes[MINIMAL.global]!.edges!.push({ type: 'property', name: `p${i}`, to: nodes.length - 1 });
    }
    const text = buildSnapshotText(nodes, { pretty: 'v8' });
    const expectedStrings = (JSON.parse(text) as { strings: string[] }).strings;
    expect(expectedStrings.length).toBeGreaterThan(count);

    const snap = await withTimeLimit(readSnapshotStream('many-strings', chunked(text, cyclingSizes(13))), 20_000);
    expect(snap.strings.length).toBe(expectedStrings.length);
    let wrong = 0;
    for (let i = 0; i < expectedStrings.length; i++) if (snap.strings.get(i) !== expectedStrings[i]) wrong++;
    expect(wrong).toBe(0);
    for (let o = 0; o < nodes.length; o++) {
      if (snap.nodeName(o) !== nodes[o]!.name) expect(snap.nodeName(o), `node ${o}`).toBe(nodes[o]!.name);
    }
    const globalEdges = snap.firstEdges[MINIMAL.global]!;
    for (let i = 0; i < count; i++) {
      if (snap.edgeName(globalEdges + i) !== `p${i}`) expect(snap.edgeName(globalEdges + i)).toBe(`p${i}`);
    }
    // and the same columns as a whole-file load
    expect(columnsOf(snap)).toEqual(columnsOf(await loadText(text)));
  }, 30_000);
});

// ---------------------------------------------------------------------------------
// Big values

describe('big values', () => {
  function bigHeap(): BuildNode[] {
    const nodes = minimalHeap();
    nodes[MINIMAL.global]!.edges!.push(
      { type: 'property', name: 'a', to: 5 },
      { type: 'property', name: 'b', to: 6 },
      { type: 'element', name: 2 ** 32 - 1, to: 7 },
      { type: 'hidden', name: 4_000_000_000, to: 8 },
    );
    nodes.push(
      { type: 'native', name: 'BigBacking', id: 2 ** 32 - 1, selfSize: 2 ** 32 + 5, traceNodeId: 2 ** 32 - 1 },
      { type: 'native', name: 'Huge', id: 2 ** 32 - 3, selfSize: 2 ** 40 },
      { type: 'native', name: 'Max', id: 2 ** 31, selfSize: Number.MAX_SAFE_INTEGER },
      { type: 'object', name: 'Zero', id: 0, selfSize: 0 },
    );
    return nodes;
  }

  for (const pretty of LAYOUTS) {
    it(`self sizes past 2^32, ids up to 2^32-1, element/hidden indexes up to 2^32-1 — layout ${pretty}`, async () => {
      const text = buildSnapshotText(bigHeap(), { pretty });
      expect(text).toContain(String(2 ** 40));
      for (const snap of [
        await loadText(text),
        await withTimeLimit(readSnapshotStream('big', chunked(text, cyclingSizes(7)))),
      ]) {
        expect(snap.selfSizes[5]).toBe(4294967301);
        expect(snap.selfSizes[6]).toBe(1099511627776);
        expect(snap.selfSizes[7]).toBe(9007199254740991);
        expect(snap.nodeIds[5]).toBe(4294967295);
        expect(snap.nodeIds[6]).toBe(4294967293);
        expect(snap.nodeIds[7]).toBe(2147483648);
        expect(snap.nodeIds[8]).toBe(0);
        expect(snap.traceNodeIds![5]).toBe(4294967295);
        const e = snap.firstEdges[MINIMAL.global]!;
        expect(snap.edgeName(e + 2)).toBe(4294967295);
        expect(snap.edgeName(e + 3)).toBe(4_000_000_000);
        expect(snap.nodeIds[snap.edgeTargets[e + 2]!]).toBe(2 ** 31);
        expect(snap.nodeIds[snap.edgeTargets[e + 3]!]).toBe(0);
      }
    });
  }
});

describe('a plain file, read through buffers that take turns', () => {
  it('gives the columns of freshly allocated chunks, with a literal spanning several buffers', async () => {
    // The first string gets 2.2 MB in front (three 1 MB buffers), 40% of it escapes.
    const sample = gunzipSync(readFileSync('samples/orm-2.heapsnapshot.gz')).toString('utf8');
    const at = sample.indexOf('"strings":["') + '"strings":["'.length;
    const text = `${sample.slice(0, at)}${'plain text '.repeat(120_000)}${'\\u00e9\\n'.repeat(110_000)}${sample.slice(at)}`;
    const fromFile = await loadText(text, 'turns.heapsnapshot');
    const fresh = await withTimeLimit(readSnapshotStream('fresh', chunked(text, 65_537)));
    expect(fromFile.nodeCount).toBeGreaterThan(50_000);
    expect(fromFile.strings.get(0)).toBe(`${'plain text '.repeat(120_000)}${'\u00e9\n'.repeat(110_000)}<dummy>`);
    expectSameColumns(columnsOf(fromFile), columnsOf(fresh));
  });
});
