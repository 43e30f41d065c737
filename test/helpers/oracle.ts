// Test oracles: reference numbers from DevTools' own heap snapshot worker code
// (heap-snapshot-toolkit, a build of devtools-frontend's HeapSnapshot.ts) and raw
// decoding by heapsnapshot-parser. Used ONLY to check leakgraph in tests.

import { closeSync, createReadStream, openSync, readFileSync, readSync } from 'node:fs';
import type { ReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import { parse } from 'heap-snapshot-toolkit';

export interface OracleClass {
  /** DevTools' public class key: ",<className>" or "<scriptId>,<line>,<column>,<className>" */
  key: string;
  name: string;
  count: number;
  shallowSize: number;
  retainedSize: number;
  /** min distance of the instances; DevTools' "no distance" (-5) mapped to -1; system distances keep the 100000000 offset */
  distance: number;
}

export interface OracleSummary {
  nodeCount: number;
  edgeCount: number;
  /** root retained size + snapshot.extra_native_bytes (DevTools' JSHeapSnapshot.totalSize) */
  totalSize: number;
  classes: OracleClass[];
}

export interface RawNode { type: string; name: string; id: number; selfSize: number; edgeCount: number }
export interface RawEdge { from: number; type: string; nameOrIndex: string | number; to: number }

const DEVTOOLS_NO_DISTANCE = -5;

function isGzipFile(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const magic = Buffer.alloc(2);
    const n = readSync(fd, magic, 0, 2, 0);
    return n === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/** A stream of UTF-8 text chunks (strings) of the file, gunzipped if it starts with 1f 8b. */
function textStream(file: string): Readable {
  const src = createReadStream(file);
  let out: Readable = src;
  if (isGzipFile(file)) {
    // pipeline() forwards errors of the file stream to the gunzip stream.
    out = pipeline(src, createGunzip(), () => { /* errors surface on the returned stream */ });
  }
  // The DevTools loader concatenates chunks as strings; setEncoding decodes UTF-8
  // without splitting multi-byte characters across chunks.
  out.setEncoding('utf8');
  return out;
}

/**
 * The parsed DevTools JSHeapSnapshot (heap-snapshot-toolkit's parse(), i.e. HeapSnapshotLoader +
 * JSHeapSnapshot.initialize in one thread). Useful members: nodeCount, nodes/containmentEdges
 * (BigUint32Array, getValue(i)), nodeFieldCount, edgeFieldsCount, strings, retainedSizes
 * (Float64Array by ordinal), nodeDistances (Int32Array by ordinal, -5 = none),
 * dominatorsTree (Uint32Array by ordinal → dominator ordinal), totalSize,
 * getStatistics(), aggregatesWithFilter({}), nodeForSnapshotObjectId(id), createNode(nodeIndex).
 */
export async function devtoolsSnapshot(file: string): Promise<any> {
  // parse() accepts a web ReadableStream or anything with .on('data'|'end'|'error').
  return parse(textStream(file) as unknown as ReadStream);
}

/** DevTools' Summary view numbers (no filter), classes sorted by key (code-unit order). */
export async function devtoolsSummary(file: string): Promise<OracleSummary> {
  const snapshot = await devtoolsSnapshot(file);
  // aggregatesWithFilter({}) already converts internal keys (class string index, or the
  // "scriptId,line,column,className" string for located objects) to public keys via
  // classKeyFromClassKeyInternal: number → "," + strings[index].
  const aggregates = snapshot.aggregatesWithFilter({}) as Record<string, {
    count: number; distance: number; self: number; maxRet: number; name: string; idxs: number[];
  }>;
  const classes: OracleClass[] = Object.keys(aggregates).map((key) => {
    const a = aggregates[key]!;
    return {
      key,
      name: a.name,
      count: a.count,
      shallowSize: a.self,
      retainedSize: a.maxRet,
      distance: a.distance === DEVTOOLS_NO_DISTANCE ? -1 : a.distance,
    };
  });
  classes.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    nodeCount: snapshot.nodeCount,
    edgeCount: snapshot.containmentEdges.length / snapshot.edgeFieldsCount,
    totalSize: snapshot.totalSize,
    classes,
  };
}

const require = createRequire(import.meta.url);
// heapsnapshot-parser is CommonJS without types.
const heapsnapshotParser = require('heapsnapshot-parser') as {
  parse(snapshot: unknown): {
    nodes: Array<{ type: string; name: string; id: number; self_size: number; edge_count: number }>;
    edges: Array<{ type: string; name_or_index: string | undefined; fromNode: { id: number }; toNode: { id: number } }>;
  };
};

/**
 * Raw decoding by heapsnapshot-parser (whole-file JSON.parse; small files only).
 * heapsnapshot-parser maps EVERY edge name through the strings table, element/hidden
 * indexes included (wrong: those are plain numbers). parserRaw reports the raw number
 * for element/hidden edges instead, read from the same edges array. It also works around
 * the parser reading the type enums from node_types[0]/edge_types[0] (see below).
 */
export function parserRaw(file: string): { nodes: RawNode[]; edges: RawEdge[] } {
  const buf = readFileSync(file);
  const text = (buf.length >= 2 && buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf) : buf).toString('utf8');
  const json = JSON.parse(text) as {
    snapshot: { meta: { node_fields: string[]; node_types: unknown[]; edge_fields: string[]; edge_types: unknown[] } };
    edges: number[];
  };
  // heapsnapshot-parser always takes the type enum from node_types[0] / edge_types[0],
  // i.e. it assumes 'type' is the first field. Hand it a copy whose element 0 is the
  // enum of the real 'type' field so reordered layouts decode correctly.
  const meta = json.snapshot.meta;
  const parserInput = {
    ...json,
    snapshot: {
      ...json.snapshot,
      meta: {
        ...meta,
        node_types: [meta.node_types[meta.node_fields.indexOf('type')], ...meta.node_types.slice(1)],
        edge_types: [meta.edge_types[meta.edge_fields.indexOf('type')], ...meta.edge_types.slice(1)],
      },
    },
  };
  const parsed = heapsnapshotParser.parse(parserInput);
  const edgeFieldCount = json.snapshot.meta.edge_fields.length;
  const nameOffset = json.snapshot.meta.edge_fields.indexOf('name_or_index');
  return {
    nodes: parsed.nodes.map((n) => ({
      type: n.type,
      name: n.name,
      id: n.id,
      selfSize: n.self_size,
      edgeCount: n.edge_count,
    })),
    edges: parsed.edges.map((e, i) => ({
      from: e.fromNode.id,
      type: e.type,
      nameOrIndex: e.type === 'element' || e.type === 'hidden'
        ? json.edges[i * edgeFieldCount + nameOffset]!
        : (e.name_or_index as string),
      to: e.toNode.id,
    })),
  };
}
