// The edges section read in a worker thread while the main thread reads the nodes: the same
// arrays and the same errors as reading sequentially. Workers run compiled code, so these
// tests load through dist/ (built by `npm test` before vitest).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, test } from 'vitest';
import { readSnapshotFile } from '../../dist/src/snapshot/loader.js';
import { edgeThreadAvailable } from '../../dist/src/snapshot/edge-thread.js';

const directory = mkdtempSync(join(tmpdir(), 'leakgraph-edges-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const text = gunzipSync(readFileSync('samples/orm-2.heapsnapshot.gz')).toString('utf8');

function write(name: string, content: string): string {
  const file = join(directory, name);
  writeFileSync(file, content);
  return file;
}

async function outcome(file: string, parallel: boolean): Promise<{ error?: string; snapshot?: Awaited<ReturnType<typeof readSnapshotFile>> }> {
  try {
    return { snapshot: await readSnapshotFile(file, { parallelMinBytes: parallel ? 0 : Infinity }) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** Offset of the edges array's '[' and of its ']' in the sample text. */
const edgesStart = text.indexOf('"edges":[') + '"edges":'.length;
const edgesEnd = text.indexOf(']', edgesStart);

describe('edges read in a worker thread', () => {
  test('is available from the compiled loader', () => {
    expect(edgeThreadAvailable()).toBe(true);
  });

  test('gives exactly the arrays of the sequential reader', async () => {
    const file = write('plain.heapsnapshot', text);
    const parallel = (await outcome(file, true)).snapshot!;
    const sequential = (await outcome(file, false)).snapshot!;
    expect(parallel.edgeCount).toBeGreaterThan(100_000);
    expect(Buffer.from(parallel.edgeTypes.buffer).equals(Buffer.from(sequential.edgeTypes.buffer))).toBe(true);
    expect(Buffer.from(parallel.edgeNames.buffer).equals(Buffer.from(sequential.edgeNames.buffer))).toBe(true);
    expect(Buffer.from(parallel.edgeTargets.buffer).equals(Buffer.from(sequential.edgeTargets.buffer))).toBe(true);
    expect(Buffer.from(parallel.firstEdges.buffer).equals(Buffer.from(sequential.firstEdges.buffer))).toBe(true);
    expect(parallel.strings).toEqual(sequential.strings);
    expect(parallel.edgeTypes.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  test('an error inside the edges reads as in the sequential reader, with its offset', async () => {
    const middle = Math.floor((edgesStart + edgesEnd) / 2);
    const comma = text.indexOf(',', middle);
    const file = write('bad-edge.heapsnapshot', `${text.slice(0, comma + 1)}x${text.slice(comma + 2)}`);
    const parallel = await outcome(file, true);
    expect(parallel.error).toMatch(/in "edges", at byte \d+/);
    expect(parallel.error).toBe((await outcome(file, false)).error);
  });

  test('an edges error comes before a later one in strings, as in file order', async () => {
    const comma = text.indexOf(',', edgesStart + 1000);
    const stringsAt = text.indexOf('"strings":[') + '"strings":['.length;
    const broken = `${text.slice(0, comma + 1)}-${text.slice(comma + 2, stringsAt)}nonsense${text.slice(stringsAt)}`;
    const file = write('two-errors.heapsnapshot', broken);
    const parallel = await outcome(file, true);
    expect(parallel.error).toContain('"edges"');
    expect(parallel.error).toBe((await outcome(file, false)).error);
  });

  test('a file cut inside the edges is truncated there', async () => {
    const file = write('cut.heapsnapshot', text.slice(0, Math.floor((edgesStart + edgesEnd) / 2)));
    const parallel = await outcome(file, true);
    expect(parallel.error).toMatch(/truncated/);
    expect(parallel.error).toBe((await outcome(file, false)).error);
  });

  test('sections in another order: the worker steps aside and the result is the same', async () => {
    const nodesAt = text.indexOf('"nodes":[');
    const edgesKeyAt = text.indexOf('"edges":[');
    const stringsKeyAt = text.indexOf('"strings":[');
    const closing = text.lastIndexOf('}');
    // {"snapshot":…,"nodes":[…],"strings":[…],"edges":[…],… (the sections after the edges)}
    const nodesPart = text.slice(nodesAt, text.indexOf(']', nodesAt) + 1);
    const edgesPart = text.slice(edgesKeyAt, stringsKeyAt).replace(/[,\s]+$/, '');
    const stringsPart = text.slice(stringsKeyAt, closing).replace(/\s+$/, '');
    const reordered = `${text.slice(0, nodesAt)}${nodesPart},\n${stringsPart},\n${edgesPart}}`;
    const file = write('reordered.heapsnapshot', reordered);
    const parallel = await outcome(file, true);
    const sequential = await outcome(file, false);
    expect(parallel.error).toBeUndefined();
    expect(Buffer.from(parallel.snapshot!.edgeTargets.buffer).equals(Buffer.from(sequential.snapshot!.edgeTargets.buffer))).toBe(true);
  });
});
