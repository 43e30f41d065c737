// Broken input: every case must reject with a SnapshotError whose message is one line,
// `<file>: <problem> (in "<section>", at byte N)`, naming the problem — never another error
// type, never a hang, never a wrong answer.

import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readSnapshotFile, readSnapshotStream } from '../../src/snapshot/loader.js';
import { MINIMAL, buildSnapshotText, minimalHeap, tmpPath, type BuildNode } from '../helpers/snapshot-builder.js';
import { RICH_LOCATIONS, chunked, cyclingSizes, expectSnapshotError, pseudoRandomBytes, richHeap, stream, withTimeLimit } from './support.js';

interface SnapshotJson {
  snapshot: { meta: { node_fields: string[]; edge_fields: string[]; node_types: [string[], ...unknown[]]; edge_types: [string[], ...unknown[]] }; node_count: number; edge_count: number };
  nodes: number[];
  edges: number[];
  strings: string[];
  [key: string]: unknown;
}

/** The rich heap as parsed JSON, to break in one place and write back with JSON.stringify. */
function richJson(): SnapshotJson {
  return JSON.parse(buildSnapshotText(richHeap(), { locations: RICH_LOCATIONS })) as SnapshotJson;
}

function writeCase(name: string, content: string | Buffer): string {
  const file = tmpPath(`${name}.heapsnapshot`);
  writeFileSync(file, content);
  return file;
}

/**
 * Writes `content` and asserts the load rejects with a SnapshotError matching `problem`;
 * also streams it in small chunks (same verdict expected). Returns the file error.
 */
async function rejects(name: string, content: string | Buffer, problem: RegExp, section?: string) {
  const file = writeCase(name, content);
  const error = await expectSnapshotError(readSnapshotFile(file), file, problem);
  if (section !== undefined) {
    expect(error.section, error.message).toBe(section);
    expect(error.message).toContain(`in "${section}"`);
  }
  if (!(Buffer.isBuffer(content) && content[0] === 0x1f && content[1] === 0x8b)) {
    const streamName = `stream:${name}`;
    const streamed = await expectSnapshotError(readSnapshotStream(streamName, chunked(content, 5)), streamName, problem);
    expect(streamed.problem).toBe(error.problem);
  }
  return error;
}

/** The edge ordinal of the first edge of `type` in the rich JSON. */
function firstEdgeOfType(json: SnapshotJson, type: string): number {
  const types = json.snapshot.meta.edge_types[0];
  const code = types.indexOf(type);
  for (let e = 0; e * 3 < json.edges.length; e++) if (json.edges[e * 3] === code) return e;
  throw new Error(`no ${type} edge`);
}

describe('not a heap snapshot at all', () => {
  it('an empty file', async () => {
    await rejects('empty', '', /empty/);
  });

  it('a whitespace-only file', async () => {
    await rejects('whitespace', ' \n\r\n\t  \n', /empty|truncated/);
  });

  it('random binary bytes', async () => {
    const bytes = pseudoRandomBytes(4096);
    bytes[0] = 0x89; // not '{', not gzip
    await rejects('binary', bytes, /not a heap snapshot/);
  });

  it('random binary bytes after a "{"', async () => {
    const bytes = pseudoRandomBytes(4096, 7);
    bytes[0] = 0x7b;
    bytes[1] = 0x00;
    await rejects('brace-binary', bytes, /expected a string/);
  });

  it('a text file ("hello")', async () => {
    await rejects('hello', 'hello', /not a heap snapshot/);
  });

  it('NUL bytes', async () => {
    await rejects('nul', Buffer.alloc(64), /not a heap snapshot/);
  });

  it('a missing file and a directory', async () => {
    const missing = tmpPath('missing.heapsnapshot');
    await expectSnapshotError(readSnapshotFile(missing), missing, /no such file/);
    const dir = tmpPath('a-directory');
    mkdirSync(dir);
    await expectSnapshotError(readSnapshotFile(dir), dir, /directory|not a regular file/);
  });
});

describe('JSON that is not a heap snapshot', () => {
  it('{"a":1}', async () => {
    await rejects('object', '{"a":1}', /no "snapshot" header/);
  });

  it('[1,2]', async () => {
    await rejects('array', '[1,2]', /not a heap snapshot/);
  });

  it('{} and a bare string / number', async () => {
    await rejects('empty-object', '{}', /no "snapshot" header/);
    await rejects('string', '"snapshot"', /not a heap snapshot/);
    await rejects('number', '42', /not a heap snapshot/);
  });

  it('{"snapshot":5}', async () => {
    await rejects('snapshot-5', '{"snapshot":5}', /expected an object|not an object/, 'snapshot');
  });

  it('{"snapshot":[…]} and {"snapshot":"x"}', async () => {
    await rejects('snapshot-array', '{"snapshot":[1,2]}', /not an object/, 'snapshot');
    await rejects('snapshot-string', '{"snapshot":"x"}', /expected an object|not an object/, 'snapshot');
  });

  it('a header without meta', async () => {
    const json = richJson() as unknown as { snapshot: Record<string, unknown> };
    delete json.snapshot.meta;
    await rejects('no-meta', JSON.stringify(json), /no "meta"/, 'snapshot');
  });

  it('a header whose meta lacks node_fields / a required field', async () => {
    const a = richJson() as unknown as { snapshot: { meta: Record<string, unknown> } };
    delete a.snapshot.meta.node_fields;
    await rejects('no-node-fields', JSON.stringify(a), /node_fields/, 'snapshot');
    const b = richJson();
    b.snapshot.meta.node_fields[b.snapshot.meta.node_fields.indexOf('self_size')] = 'size';
    await rejects('no-self-size', JSON.stringify(b), /self_size/, 'snapshot');
    const c = richJson();
    c.snapshot.meta.edge_fields[c.snapshot.meta.edge_fields.indexOf('to_node')] = 'to';
    await rejects('no-to-node', JSON.stringify(c), /to_node/, 'snapshot');
  });

  it('a header without node_count', async () => {
    const json = richJson() as unknown as { snapshot: Record<string, unknown> };
    delete json.snapshot.node_count;
    await rejects('no-node-count', JSON.stringify(json), /node_count/, 'snapshot');
  });

  it('a header that is not valid JSON (spread over several lines)', async () => {
    const text = buildSnapshotText(richHeap(), { pretty: 'newlines' });
    const broken = text.replace(/"node_count"(\s*):/, '"node_count"$1:$1,');
    expect(broken).not.toBe(text);
    await rejects('header-json', broken, /not valid JSON|header/, 'snapshot');
  });

  it('a header that is not valid JSON (one line)', async () => {
    const text = buildSnapshotText(richHeap());
    await rejects('header-json-1', text.replace('"node_count":', '"node_count":,'), /not valid JSON/, 'snapshot');
  });

  it('no "nodes", "edges" or "strings" section', async () => {
    for (const key of ['nodes', 'edges', 'strings'] as const) {
      const json = richJson();
      delete json[key];
      await rejects(`no-${key}`, JSON.stringify(json), new RegExp(`no "${key}" section`));
    }
  });
});

describe('counts that do not add up', () => {
  it('node_count larger than the nodes array', async () => {
    const text = buildSnapshotText(richHeap(), { extraHeader: { node_count: 12 } });
    await rejects('node-count-larger', text, /node_count 12/, 'nodes');
  });

  it('node_count smaller than the nodes array', async () => {
    const text = buildSnapshotText(richHeap(), { extraHeader: { node_count: 10 } });
    await rejects('node-count-smaller', text, /more values than node_count 10/, 'nodes');
  });

  it('the nodes array not a whole number of records', async () => {
    const json = richJson();
    json.nodes.push(3);
    await rejects('node-partial', JSON.stringify(json), /node_count/, 'nodes');
  });

  it('node_count 0', async () => {
    const json = richJson();
    json.snapshot.node_count = 0;
    json.snapshot.edge_count = 0;
    json.nodes = [];
    json.edges = [];
    delete json.locations;
    await rejects('node-count-0', JSON.stringify(json), /no nodes|node_count/);
  });

  it('edge_count larger than the edges array', async () => {
    const json = richJson();
    json.snapshot.edge_count += 1;
    await rejects('edge-count-larger', JSON.stringify(json), /edge_count/, 'edges');
  });

  it('edge_count smaller than the edges array', async () => {
    const json = richJson();
    json.snapshot.edge_count -= 1;
    await rejects('edge-count-smaller', JSON.stringify(json), /edge_count/);
  });

  it('edges array longer than edge_count with consistent node edge counts is still caught', async () => {
    const json = richJson();
    json.edges.push(2, 1, 0);
    await rejects('edges-extra', JSON.stringify(json), /more values than edge_count/, 'edges');
  });

  it('the sum of the nodes\' edge_count fields ≠ edge_count (smaller)', async () => {
    const json = richJson();
    const fields = json.snapshot.meta.node_fields;
    const at = 4 * fields.length + fields.indexOf('edge_count'); // global has 3 edges
    expect(json.nodes[at]).toBe(3);
    json.nodes[at] = 2;
    await rejects('edge-sum-smaller', JSON.stringify(json), /add up to/);
  });

  it('the sum of the nodes\' edge_count fields ≠ edge_count (larger)', async () => {
    const json = richJson();
    const fields = json.snapshot.meta.node_fields;
    json.nodes[10 * fields.length + fields.indexOf('edge_count')] = 1; // the last node has none
    await rejects('edge-sum-larger', JSON.stringify(json), /add up to more than edge_count/, 'nodes');
  });
});

describe('values out of range', () => {
  it('to_node not a multiple of the node field count', async () => {
    const json = richJson();
    json.edges[2] = json.edges[2]! + 1;
    await rejects('to-node-multiple', JSON.stringify(json), /to_node .*not a multiple/, 'edges');
  });

  it('to_node past the last node', async () => {
    const json = richJson();
    json.edges[json.edges.length - 1] = json.snapshot.node_count * json.snapshot.meta.node_fields.length;
    await rejects('to-node-past', JSON.stringify(json), /to_node .*past the last node/, 'edges');
  });

  it('node type index out of range', async () => {
    const json = richJson();
    const fields = json.snapshot.meta.node_fields;
    json.nodes[5 * fields.length + fields.indexOf('type')] = json.snapshot.meta.node_types[0].length;
    await rejects('node-type', JSON.stringify(json), /node 5 has type 15/, 'nodes');
  });

  it('edge type index out of range', async () => {
    const json = richJson();
    json.edges[3 * 3] = json.snapshot.meta.edge_types[0].length;
    await rejects('edge-type', JSON.stringify(json), /edge 3 has type 7/, 'edges');
  });

  it('node name string index ≥ the number of strings', async () => {
    const json = richJson();
    const fields = json.snapshot.meta.node_fields;
    json.nodes[6 * fields.length + fields.indexOf('name')] = json.strings.length;
    await rejects('node-name', JSON.stringify(json), new RegExp(`string ${json.strings.length}, but there are ${json.strings.length} strings`), 'nodes');
  });

  it('node name string index ≥ 2^32', async () => {
    const json = richJson();
    const fields = json.snapshot.meta.node_fields;
    json.nodes[6 * fields.length + fields.indexOf('name')] = 2 ** 32 + 1; // would wrap to 1 in a Uint32Array
    await rejects('node-name-2-32', JSON.stringify(json), /string|2\^32/, 'nodes');
  });

  for (const type of ['property', 'context', 'internal', 'shortcut', 'weak']) {
    it(`${type} edge name string index out of range`, async () => {
      const json = richJson();
      const e = firstEdgeOfType(json, type);
      json.edges[e * 3 + 1] = json.strings.length + 5;
      await rejects(`edge-name-${type}`, JSON.stringify(json), new RegExp(`edge ${e} \\(${type}\\) is named by string ${json.strings.length + 5}`), 'edges');
    });
  }

  it('an element or hidden edge with a large index is fine (not a string index)', async () => {
    const json = richJson();
    const element = firstEdgeOfType(json, 'element');
    const hidden = firstEdgeOfType(json, 'hidden');
    json.edges[element * 3 + 1] = 4_000_000_000;
    json.edges[hidden * 3 + 1] = json.strings.length + 1000;
    const snap = await withTimeLimit(readSnapshotFile(writeCase('element-large', JSON.stringify(json))));
    expect(snap.edgeName(element)).toBe(4_000_000_000);
    expect(snap.edgeName(hidden)).toBe(json.strings.length + 1000);
  });

  it('an element index ≥ 2^32', async () => {
    const json = richJson();
    json.edges[firstEdgeOfType(json, 'element') * 3 + 1] = 2 ** 32;
    await rejects('element-2-32', JSON.stringify(json), /2\^32/, 'edges');
  });

  it('a node id ≥ 2^32', async () => {
    const json = richJson();
    json.nodes[5 * json.snapshot.meta.node_fields.length + json.snapshot.meta.node_fields.indexOf('id')] = 2 ** 32;
    await rejects('id-2-32', JSON.stringify(json), /id 4294967296/, 'nodes');
  });

  it('a number past 2^53 (no exact double)', async () => {
    const json = richJson();
    const at = 5 * json.snapshot.meta.node_fields.length + json.snapshot.meta.node_fields.indexOf('self_size');
    json.nodes[at] = 123456789;
    await rejects('2-53', JSON.stringify(json).replace(',123456789,', ',9007199254740993,'), /too large/, 'nodes');
  });

  it('a trace_node_id ≥ 2^32 (would wrap in a Uint32Array)', async () => {
    const json = richJson();
    const fields = json.snapshot.meta.node_fields;
    json.nodes[5 * fields.length + fields.indexOf('trace_node_id')] = 2 ** 32 + 7;
    await rejects('trace-node-id-2-32', JSON.stringify(json), /trace_node_id|2\^32/, 'nodes');
  });

  it('a detachedness > 255', async () => {
    const json = richJson();
    const fields = json.snapshot.meta.node_fields;
    json.nodes[5 * fields.length + fields.indexOf('detachedness')] = 256;
    await rejects('detachedness-256', JSON.stringify(json), /detachedness 256/, 'nodes');
  });

  it('a header claiming 2^32-2 nodes (the file has 11)', async () => {
    const text = buildSnapshotText(richHeap(), { extraHeader: { node_count: 2 ** 32 - 2 } });
    await rejects('node-count-huge', text, /node_count/);
  });

  it('a header claiming 2^32-2 edges (the file has 15)', async () => {
    const text = buildSnapshotText(richHeap(), { extraHeader: { edge_count: 2 ** 32 - 2 } });
    await rejects('edge-count-huge', text, /edge_count/);
  });

  it('a header claiming 2^32 nodes or edges', async () => {
    await rejects('node-count-2-32', buildSnapshotText(richHeap(), { extraHeader: { node_count: 2 ** 32 } }), /2\^32/, 'snapshot');
    await rejects('edge-count-2-32', buildSnapshotText(richHeap(), { extraHeader: { edge_count: 2 ** 32 } }), /2\^32/, 'snapshot');
  });

  it('a root_index that is not the index of a node', async () => {
    await rejects('root-index-multiple', buildSnapshotText(richHeap(), { extraHeader: { root_index: 3 } }), /root_index/, 'snapshot');
    await rejects('root-index-past', buildSnapshotText(richHeap(), { extraHeader: { root_index: 11 * 7 } }), /root_index/, 'snapshot');
  });

  it('negative or fractional counts in the header', async () => {
    await rejects('node-count-negative', buildSnapshotText(richHeap(), { extraHeader: { node_count: -1 } }), /node_count/, 'snapshot');
    await rejects('edge-count-fraction', buildSnapshotText(richHeap(), { extraHeader: { edge_count: 1.5 } }), /edge_count/, 'snapshot');
    await rejects('node-count-string', buildSnapshotText(richHeap(), { extraHeader: { node_count: '11' } }), /node_count/, 'snapshot');
  });

  it('a location whose object_index is not a node index', async () => {
    const json = richJson();
    (json.locations as number[])[0] = 1;
    await rejects('location-index', JSON.stringify(json), /object_index/, 'locations');
  });
});

describe('number syntax that V8 never writes', () => {
  const MARK = 987654321;
  /** The rich JSON with one self_size (or edge name) replaced by `replacement` in the text. */
  function withNumberText(section: 'nodes' | 'edges', replacement: string): string {
    const json = richJson();
    if (section === 'nodes') json.nodes[5 * json.snapshot.meta.node_fields.length + json.snapshot.meta.node_fields.indexOf('self_size')] = MARK;
    else json.edges[firstEdgeOfType(json, 'element') * 3 + 1] = MARK;
    const text = JSON.stringify(json);
    expect(text.split(String(MARK)).length).toBe(2);
    return text.replace(String(MARK), replacement);
  }

  for (const section of ['nodes', 'edges'] as const) {
    for (const [what, replacement] of [['a negative number', '-5'], ['a fraction', '1.5'], ['an exponent', '1e3'], ['an upper-case exponent', '2E2'], ['a plus sign', '+3']] as const) {
      it(`${what} in ${section}`, async () => {
        await rejects(`syntax-${section}-${replacement}`, withNumberText(section, replacement), /number syntax|unexpected|only non-negative integers/, section);
      });
    }
    it(`other non-numbers in ${section}`, async () => {
      for (const bad of ['null', 'true', '"7"', '[1]', '{}', '0x10', 'NaN']) {
        await rejects(`syntax-${section}-${bad.replace(/\W/g, '_')}`, withNumberText(section, bad), /unexpected|number|expected/, section);
      }
    });
    it(`stray commas and missing commas in ${section}`, async () => {
      const text = withNumberText(section, '1');
      const key = `"${section}":[`;
      await rejects(`comma-lead-${section}`, text.replace(key, key + ','), /unexpected ','/, section);
      const inSection = (from: string, to: string) => {
        const at = text.indexOf(from, text.indexOf(key));
        return text.slice(0, at) + to + text.slice(at + from.length);
      };
      await rejects(`comma-double-${section}`, inSection(',1,', ',1,,'), /unexpected ','/, section);
      await rejects(`comma-missing-${section}`, inSection(',1,', ',1 2,'), /expected ','/, section);
      const close = text.indexOf(']', text.indexOf(key));
      await rejects(`comma-trail-${section}`, text.slice(0, close) + ',' + text.slice(close), /unexpected '\]'/, section);
    });
  }
});

describe('document structure', () => {
  it('a second "nodes" section', async () => {
    const json = richJson();
    const text = JSON.stringify(json).replace(',"strings":', `,"nodes":${JSON.stringify(json.nodes)},"strings":`);
    await rejects('second-nodes', text, /a second "nodes" section/, 'nodes');
  });

  it('a second "edges", "strings" or "snapshot"', async () => {
    const json = richJson();
    const base = JSON.stringify(json);
    await rejects('second-edges', base.replace(',"strings":', `,"edges":${JSON.stringify(json.edges)},"strings":`), /a second "edges" section/);
    await rejects('second-strings', base.slice(0, -1) + `,"strings":${JSON.stringify(json.strings)}}`, /a second "strings" section/);
    await rejects('second-snapshot', base.slice(0, -1) + `,"snapshot":${JSON.stringify(json.snapshot)}}`, /a second "snapshot" section/);
    // The small sections too: appending a second copy would silently double them.
    await rejects('second-locations', base.slice(0, -1) + `,"locations":${JSON.stringify(json.locations)}}`, /a second "locations" section/);
  });

  it('"nodes" before "snapshot"', async () => {
    const { snapshot, nodes, ...rest } = richJson();
    await rejects('nodes-first', JSON.stringify({ nodes, snapshot, ...rest }), /"nodes" comes before the "snapshot" header/, 'nodes');
  });

  it('"edges" / "locations" before "snapshot"', async () => {
    const { snapshot, edges, ...rest } = richJson();
    await rejects('edges-first', JSON.stringify({ edges, snapshot, ...rest }), /"edges" comes before the "snapshot" header/, 'edges');
    const { snapshot: s2, locations, ...rest2 } = richJson();
    await rejects('locations-first', JSON.stringify({ locations, snapshot: s2, ...rest2 }), /"locations" comes before the "snapshot" header/, 'locations');
  });

  for (const [what, tail] of [
    ['a letter', 'x'],
    ['a second closing brace', '}'],
    ['a second document', '{"snapshot":{}}'],
    ['a comma', ','],
    ['garbage after whitespace', '\n\n  garbage'],
    ['a NUL byte', '\u0000'],
  ] as const) {
    it(`trailing garbage after the closing brace: ${what}`, async () => {
      await rejects(`trailing-${what.replace(/\W/g, '_')}`, buildSnapshotText(richHeap(), { pretty: 'v8' }) + tail, /after the end of the snapshot/);
    });
  }

  it('missing commas and colons between top-level keys', async () => {
    const text = buildSnapshotText(richHeap());
    await rejects('no-comma', text.replace(',"edges":', '"edges":'), /expected ','/);
    await rejects('no-colon', text.replace('"edges":', '"edges" '), /expected ':'/);
    await rejects('trailing-comma', text.slice(0, -1) + ',}', /expected a string/);
    await rejects('number-key', text.replace('"edges":', '5:'), /expected a string/);
  });

  it('strings that are not strings, and bad escapes', async () => {
    const text = buildSnapshotText(richHeap());
    await rejects('string-number', text.replace('"strings":["<dummy>"', '"strings":[5'), /expected a string/, 'strings');
    await rejects('string-escape', text.replace('"strings":["<dummy>"', '"strings":["a\\x"'), /invalid escape/, 'strings');
    await rejects('string-u-short', text.replace('"strings":["<dummy>"', '"strings":["\\u12"'), /invalid \\u escape/, 'strings');
    await rejects('string-u-hex', text.replace('"strings":["<dummy>"', '"strings":["\\u12G4"'), /invalid \\u escape/, 'strings');
    await rejects('strings-comma', text.replace('"strings":["<dummy>",', '"strings":["<dummy>" "x",'), /expected ',' or '\]'/, 'strings');
  });
});

describe('sections that are not arrays', () => {
  for (const key of ['nodes', 'edges', 'strings', 'locations', 'samples', 'trace_function_infos']) {
    for (const value of ['5', 'null', '{}', '"x"']) {
      it(`"${key}": ${value}`, async () => {
        const json = richJson();
        const text = JSON.stringify({ ...json, [key]: '@@VALUE@@' }).replace('"@@VALUE@@"', value);
        await rejects(`not-array-${key}-${value.replace(/\W/g, '_')}`, text, /expected an array/, key);
      });
    }
  }
});

describe('the byte offset in the message points at the problem', () => {
  const base = buildSnapshotText(richHeap(), { pretty: 'v8', locations: RICH_LOCATIONS });
  const cases: Array<[string, string, number, RegExp, string | undefined]> = (() => {
    const list: Array<[string, string, number, RegExp, string | undefined]> = [];
    const nodesAt = base.indexOf('"nodes":[') + 9;
    const negative = base.slice(0, nodesAt) + '-' + base.slice(nodesAt);
    list.push(['a negative number', negative, nodesAt, /unsupported number syntax '-'/, 'nodes']);
    const edgesAt = base.indexOf('"edges":[') + 9;
    const fraction = base.slice(0, edgesAt + 1) + '.5' + base.slice(edgesAt + 1);
    list.push(['a fraction', fraction, edgesAt + 1, /unsupported number syntax '.'/, 'edges']);
    const escapeAt = base.indexOf('alice') + 5;
    const escape = base.slice(0, escapeAt) + '\\q' + base.slice(escapeAt);
    list.push(['an invalid escape', escape, escapeAt, /invalid escape 'q'/, 'strings']);
    list.push(['trailing garbage', base + '\n  junk', base.length + 3, /after the end/, undefined]);
    const colonAt = base.indexOf('"edges":') + 7;
    list.push(['a missing colon', base.slice(0, colonAt) + ' ' + base.slice(colonAt + 1), colonAt + 1, /expected ':'/, undefined]);
    return list;
  })();

  for (const [what, text, offset, problem, section] of cases) {
    it(what, async () => {
      const file = writeCase(`offset-${what.replace(/\W/g, '_')}`, text);
      const gz = writeCase(`offset-gz-${what.replace(/\W/g, '_')}`, gzipSync(text));
      const errors = [
        await expectSnapshotError(readSnapshotFile(file), file, problem),
        await expectSnapshotError(readSnapshotFile(gz), gz, problem),
        await expectSnapshotError(readSnapshotStream('one', stream(text)), 'one', problem),
        await expectSnapshotError(readSnapshotStream('tiny', chunked(text, cyclingSizes(7))), 'tiny', problem),
      ];
      for (const error of errors) {
        expect(error.offset, error.message).toBe(offset);
        expect(error.section).toBe(section);
        expect(error.message).toMatch(section === undefined ? new RegExp(`\\(at byte ${offset}\\)$`) : new RegExp(`\\(in "${section}", at byte ${offset}\\)$`));
      }
    });
  }
});

describe('gzip', () => {
  const text = buildSnapshotText(richHeap(), { pretty: 'v8', locations: RICH_LOCATIONS });

  it('valid gzip magic, garbage after', async () => {
    const bytes = Buffer.concat([Buffer.from([0x1f, 0x8b]), pseudoRandomBytes(2048, 99)]);
    await rejects('gzip-garbage', bytes, /corrupt gzip/);
  });

  it('just the gzip magic', async () => {
    await rejects('gzip-magic', Buffer.from([0x1f, 0x8b]), /gzip/);
  });

  it('a valid gzip header, then a corrupt deflate stream', async () => {
    const gz = gzipSync(text);
    const bad = Buffer.from(gz);
    for (let i = 12; i < Math.min(bad.length - 8, 200); i++) bad[i] = 0xff;
    await rejects('gzip-corrupt-body', bad, /gzip|not|unexpected|expected|invalid|truncated/);
  });

  it('a wrong CRC in the gzip trailer (the JSON itself is complete)', async () => {
    const gz = Buffer.from(gzipSync(text));
    gz[gz.length - 8] ^= 0xff;
    await rejects('gzip-crc', gz, /corrupt gzip/);
  });

  it('a truncated gzip file', async () => {
    const gz = gzipSync(text);
    for (const length of [3, 10, 20, Math.floor(gz.length / 2), gz.length - 9, gz.length - 4, gz.length - 1]) {
      await rejects(`gzip-truncated-${length}`, gz.subarray(0, length), /truncated/);
    }
  });

  it('gzip of non-snapshot content and of an empty file', async () => {
    await rejects('gzip-hello', gzipSync('hello'), /not a heap snapshot/);
    await rejects('gzip-empty', gzipSync(''), /empty/);
    await rejects('gzip-trailing', gzipSync(text + ' x'), /after the end of the snapshot/);
  });
});

describe('a minimal valid file is accepted (the error tests are not vacuous)', () => {
  it('rich heap as JSON.stringify writes it', async () => {
    const snap = await withTimeLimit(readSnapshotFile(writeCase('valid', JSON.stringify(richJson()))));
    expect(snap.nodeCount).toBe(11);
  });

  it('minimal heap', async () => {
    const nodes: BuildNode[] = minimalHeap();
    const snap = await withTimeLimit(readSnapshotFile(writeCase('minimal', buildSnapshotText(nodes))));
    expect(snap.nodeName(MINIMAL.global)).toBe('global');
  });
});
