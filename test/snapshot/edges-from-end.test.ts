// The backward reader of the edges array on its own (the loader's use of it, beside the edge
// thread, is in edge-thread.test.ts): every chunk boundary, every layout, and what it refuses.
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allocateEdgeArrays, type EdgeArrays } from '../../src/snapshot/columns.js';
import { EdgeClaims } from '../../src/snapshot/edge-claims.js';
import { readEdgesFromEnd } from '../../src/snapshot/edges-from-end.js';
import { JsonReader } from '../../src/snapshot/json-reader.js';
import { readSnapshotFile } from '../../src/snapshot/loader.js';
import { buildSnapshotText, tmpPath, type BuildOptions } from '../helpers/snapshot-builder.js';
import { richHeap } from './support.js';

const LAYOUTS: Array<NonNullable<BuildOptions['pretty']>> = ['compact', 'v8', 'newlines'];

/** Offset of the edges array's '[' (text and bytes agree: everything before the strings is ASCII). */
function edgesArrayStart(text: string): number {
  const key = /"edges"\s*:\s*\[/.exec(text)!;
  return key.index + key[0].length - 1;
}

/** The edges array of `text` read backwards in chunks of `chunkSize` bytes, all of it from the end. */
async function fromEnd(text: string, chunkSize: number, records?: number) {
  const file = tmpPath('edges-from-end.heapsnapshot');
  writeFileSync(file, text);
  const sequential = await readSnapshotFile(file, { parallelMinBytes: Infinity });
  const arrayStart = edgesArrayStart(text);
  const close = text.indexOf(']', arrayStart);
  const layout = sequential.layout;
  const arrays: EdgeArrays = allocateEdgeArrays(new JsonReader((async function* () {})(), file), layout);
  const outcome = readEdgesFromEnd(file, arrayStart, close, layout, arrays, EdgeClaims.shared(layout.edgeCount, layout.edgeCount), records ?? layout.edgeCount, chunkSize);
  return { sequential, arrays, outcome, arrayStart };
}

describe('the edges array read backwards', () => {
  for (const pretty of LAYOUTS) {
    it(`gives the sequential columns at every chunk size from 1 to 48 bytes — layout ${pretty}`, async () => {
      const text = buildSnapshotText(richHeap(), { pretty });
      const edges = text.slice(edgesArrayStart(text), text.indexOf(']', edgesArrayStart(text)));
      const longestValue = Math.max(...(edges.match(/\d+/g) ?? []).map((digits) => digits.length));
      for (let chunkSize = 1; chunkSize <= 48; chunkSize++) {
        const { sequential, arrays, outcome, arrayStart } = await fromEnd(text, chunkSize);
        // A chunk must hold a value and the byte before it (1 MB in use); with less, it stops.
        expect(outcome.complete, `chunk ${chunkSize}`).toBe(chunkSize > longestValue);
        if (!outcome.complete) continue;
        expect(outcome.records).toBe(sequential.edgeCount);
        expect([...arrays.types], `chunk ${chunkSize}`).toEqual([...sequential.edgeTypes]);
        expect([...arrays.names], `chunk ${chunkSize}`).toEqual([...sequential.edgeNames]);
        expect([...arrays.targets], `chunk ${chunkSize}`).toEqual([...sequential.edgeTargets]);
        // The first value's first digit: only whitespace between it and the '['.
        expect(text[outcome.start]).toMatch(/\d/);
        expect(text.slice(arrayStart + 1, outcome.start).trim()).toBe('');
      }
    });
  }

  it('stops, without an error, at what the sequential reader refuses', async () => {
    const text = buildSnapshotText(richHeap(), { pretty: 'v8' });
    const { layout } = (await fromEnd(text, 1 << 20)).sequential;
    const close = text.indexOf(']', edgesArrayStart(text));
    const lastValue = text.lastIndexOf(',', close) + 1;
    const breakages = {
      sign: `${text.slice(0, lastValue)}-${text.slice(lastValue)}`,
      fraction: `${text.slice(0, close)}.5${text.slice(close)}`,
      'doubled comma': `${text.slice(0, lastValue)},${text.slice(lastValue)}`,
      'trailing comma': `${text.slice(0, close)},${text.slice(close)}`,
      'space for a comma': `${text.slice(0, lastValue - 1)} ${text.slice(lastValue)}`,
      'too many digits': `${text.slice(0, lastValue)}1234567890123456${text.slice(lastValue)}`,
    };
    for (const [what, broken] of Object.entries(breakages)) {
      const file = tmpPath('broken-edges.heapsnapshot');
      writeFileSync(file, broken);
      const arrayStart = edgesArrayStart(broken);
      const arrays = allocateEdgeArrays(new JsonReader((async function* () {})(), file), layout);
      for (const chunkSize of [1, 7, 1 << 20]) {
        const outcome = readEdgesFromEnd(file, arrayStart, broken.indexOf(']', arrayStart), layout, arrays, EdgeClaims.shared(layout.edgeCount, layout.edgeCount), 3, chunkSize);
        expect(outcome.complete, `${what}, chunk ${chunkSize}`).toBe(false);
      }
    }
  });

  it('takes records from the claims until none are left, then stops', async () => {
    const text = buildSnapshotText(richHeap(), { pretty: 'compact' });
    const file = tmpPath('claims.heapsnapshot');
    writeFileSync(file, text);
    const { layout } = await readSnapshotFile(file, { parallelMinBytes: Infinity });
    const arrayStart = edgesArrayStart(text);
    const claims = EdgeClaims.shared(layout.edgeCount);
    expect(claims.claim(layout.edgeCount - 5)).toBe(layout.edgeCount - 5);
    const arrays = allocateEdgeArrays(new JsonReader((async function* () {})(), file), layout);
    const outcome = readEdgesFromEnd(file, arrayStart, text.indexOf(']', arrayStart), layout, arrays, claims, undefined, 16);
    expect(outcome).toMatchObject({ claimed: 5, records: 5, complete: true });
    // The part starts at the first digit of the 15th value from the end.
    const values = [...text.slice(arrayStart, text.indexOf(']', arrayStart)).matchAll(/\d+/g)];
    expect(outcome.start).toBe(arrayStart + values[values.length - 5 * layout.edgeFieldCount]!.index!);
    expect(claims.claim(1)).toBe(0);
  });
});
