// Raw decoding of real snapshots (Node 20 and Chromium) against heapsnapshot-parser
// (whole-file JSON.parse): every node and every edge must come out exactly the same.

import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readSnapshotFile, readSnapshotStream } from '../../src/snapshot/loader.js';
import type { HeapSnapshot } from '../../src/snapshot/heap-snapshot.js';
import { parserRaw } from '../helpers/oracle.js';
import { tmpPath } from '../helpers/snapshot-builder.js';
import { chunked, columnsOf, expectSameColumns, withTimeLimit } from './support.js';

const SAMPLES = ['orm-1', 'browser-1'] as const;

/** Compares field by field; collects the first mismatches instead of 200k expect() calls. */
function compareWithParser(snap: HeapSnapshot, file: string): { mismatches: string[]; nodes: number; edges: number } {
  const raw = parserRaw(file);
  const mismatches: string[] = [];
  const note = (what: string, ours: unknown, theirs: unknown) => {
    if (mismatches.length < 20) mismatches.push(`${what}: ours ${JSON.stringify(ours)}, parser ${JSON.stringify(theirs)}`);
    else if (mismatches.length === 20) mismatches.push('…');
  };
  if (snap.nodeCount !== raw.nodes.length) note('node count', snap.nodeCount, raw.nodes.length);
  if (snap.edgeCount !== raw.edges.length) note('edge count', snap.edgeCount, raw.edges.length);
  const n = Math.min(snap.nodeCount, raw.nodes.length);
  for (let o = 0; o < n; o++) {
    const p = raw.nodes[o]!;
    if (snap.nodeTypeName(o) !== p.type) note(`node ${o} type`, snap.nodeTypeName(o), p.type);
    if (snap.nodeName(o) !== p.name) note(`node ${o} name`, snap.nodeName(o), p.name);
    if (snap.nodeIds[o] !== p.id) note(`node ${o} id`, snap.nodeIds[o], p.id);
    if (snap.selfSizes[o] !== p.selfSize) note(`node ${o} self size`, snap.selfSizes[o], p.selfSize);
    const edgeCount = snap.firstEdges[o + 1]! - snap.firstEdges[o]!;
    if (edgeCount !== p.edgeCount) note(`node ${o} edge count`, edgeCount, p.edgeCount);
  }
  let e = 0;
  for (let o = 0; o < snap.nodeCount; o++) {
    for (let end = snap.firstEdges[o + 1]!; e < end; e++) {
      const p = raw.edges[e];
      if (!p) continue;
      const ours = { from: snap.nodeIds[o], type: snap.edgeTypeName(e), nameOrIndex: snap.edgeName(e), to: snap.nodeIds[snap.edgeTargets[e]!] };
      if (ours.from !== p.from || ours.type !== p.type || ours.nameOrIndex !== p.nameOrIndex || ours.to !== p.to) note(`edge ${e}`, ours, p);
    }
  }
  return { mismatches, nodes: raw.nodes.length, edges: raw.edges.length };
}

describe.each(SAMPLES)('real snapshot %s', (sample) => {
  const gzFile = `samples/${sample}.heapsnapshot.gz`;

  it('every node and edge equals heapsnapshot-parser\'s raw decoding', async () => {
    const snap = await withTimeLimit(readSnapshotFile(gzFile), 20_000);
    const { mismatches, nodes, edges } = compareWithParser(snap, gzFile);
    expect(mismatches).toEqual([]);
    expect(nodes).toBeGreaterThan(10_000);
    expect(edges).toBeGreaterThan(50_000);
    expect(snap.nodeCount).toBe(nodes);
    expect(snap.edgeCount).toBe(edges);
  }, 60_000);

  it('strings, header counts and locations equal a whole-file JSON.parse', async () => {
    const snap = await withTimeLimit(readSnapshotFile(gzFile), 20_000);
    const json = JSON.parse(gunzipSync(readFileSync(gzFile)).toString('utf8')) as {
      snapshot: { node_count: number; edge_count: number; meta: { node_fields: string[]; location_fields?: string[] } };
      strings: string[];
      locations?: number[];
      nodes: number[];
    };
    expect(snap.nodeCount).toBe(json.snapshot.node_count);
    expect(snap.edgeCount).toBe(json.snapshot.edge_count);
    expect(snap.strings.length).toBe(json.strings.length);
    let wrong = 0;
    for (let i = 0; i < json.strings.length; i++) if (snap.strings.get(i) !== json.strings[i]) wrong++;
    expect(wrong).toBe(0);
    // locations, by their own field names
    const fields = json.snapshot.meta.location_fields!;
    const locations = json.locations!;
    expect(locations.length).toBeGreaterThan(0);
    expect(snap.locationCount).toBe(locations.length / fields.length);
    const nodeFieldCount = json.snapshot.meta.node_fields.length;
    const expected = new Map<number, { scriptId: number; line: number; column: number }>();
    for (let i = 0; i < locations.length; i += fields.length) {
      expected.set(locations[i + fields.indexOf('object_index')]! / nodeFieldCount, {
        scriptId: locations[i + fields.indexOf('script_id')]!,
        line: locations[i + fields.indexOf('line')]!,
        column: locations[i + fields.indexOf('column')]!,
      });
    }
    let wrongLocations = 0;
    for (let o = 0; o < snap.nodeCount; o++) {
      const loc = snap.location(o);
      const want = expected.get(o) ?? null;
      if (JSON.stringify(loc) !== JSON.stringify(want)) wrongLocations++;
    }
    expect(wrongLocations).toBe(0);
  }, 60_000);

  it('plain file, gzip file and odd-sized stream chunks give identical columns', async () => {
    const plain = gunzipSync(readFileSync(gzFile));
    const plainFile = tmpPath(`${sample}.heapsnapshot`);
    writeFileSync(plainFile, plain);
    const fromGz = columnsOf(await withTimeLimit(readSnapshotFile(gzFile), 20_000));
    expectSameColumns(columnsOf(await withTimeLimit(readSnapshotFile(plainFile), 20_000)), fromGz, 'plain vs gzip');
    const sizes = (function* () { for (let i = 0; ; i++) yield [1, 3, 65_521, 7, 1_000_003][i % 5]!; })();
    expectSameColumns(columnsOf(await withTimeLimit(readSnapshotStream(sample, chunked(plain, sizes)), 20_000)), fromGz, 'stream vs gzip');
  }, 60_000);
});
