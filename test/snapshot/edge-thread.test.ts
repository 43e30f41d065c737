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

describe('edges read from both ends (the main thread from the end, the worker from the start)', () => {
  const file = write('both-ends.heapsnapshot', text);
  const edgeCount = Number(/"edge_count":(\d+)/.exec(text)![1]);

  async function readFromEnd(path: string, records: number) {
    try {
      return { snapshot: await readSnapshotFile(path, { parallelMinBytes: 0, edgesFromEnd: records }) };
    } catch (error) {
      return { error: (error as Error).message };
    }
  }

  /** [start, end) of the value `back` values before the edges array's ']' (0: the last). */
  function valueBeforeEnd(back: number): [number, number] {
    let end = edgesEnd;
    for (let i = 0; ; i++) {
      while (!/\d/.test(text[end - 1])) end--;
      let start = end;
      while (/\d/.test(text[start - 1])) start--;
      if (i === back) return [start, end];
      end = start;
    }
  }

  test('gives the sequential arrays wherever the two parts meet', async () => {
    const sequential = (await outcome(file, false)).snapshot!;
    for (const records of [1, 2, 1000, Math.floor(edgeCount / 2), edgeCount - 1, edgeCount]) {
      const split = (await readFromEnd(file, records)).snapshot!;
      expect(Buffer.from(split.edgeTypes.buffer).equals(Buffer.from(sequential.edgeTypes.buffer)), `${records}`).toBe(true);
      expect(Buffer.from(split.edgeNames.buffer).equals(Buffer.from(sequential.edgeNames.buffer)), `${records}`).toBe(true);
      expect(Buffer.from(split.edgeTargets.buffer).equals(Buffer.from(sequential.edgeTargets.buffer)), `${records}`).toBe(true);
    }
  });

  test('whitespace and leading zeros the sequential reader accepts are read alike', async () => {
    const [start, end] = valueBeforeEnd(40);
    const [start2] = valueBeforeEnd(41);
    const spaced = write('spaced.heapsnapshot', `${text.slice(0, start2)}${text.slice(start2, start - 1).trim()} \n,\t 00${text.slice(start, end)}${text.slice(end)}`);
    const sequential = await outcome(spaced, false);
    expect(sequential.error).toBeUndefined();
    const split = await readFromEnd(spaced, 100);
    expect(split.error).toBeUndefined();
    expect(Buffer.from(split.snapshot!.edgeTargets.buffer).equals(Buffer.from(sequential.snapshot!.edgeTargets.buffer))).toBe(true);
    expect(Buffer.from(split.snapshot!.edgeNames.buffer).equals(Buffer.from(sequential.snapshot!.edgeNames.buffer))).toBe(true);
  });

  // Each breaks the array inside the part read from the end (its last 1,000 records) or where
  // the parts meet; the error must be the sequential reader's, word for word and offset.
  const breakages: Array<[string, (text: string) => string]> = [
    ['a letter in a value', (t) => { const [s] = valueBeforeEnd(30); return `${t.slice(0, s)}x${t.slice(s + 1)}`; }],
    ['a sign', (t) => { const [s] = valueBeforeEnd(300); return `${t.slice(0, s)}-${t.slice(s)}`; }],
    ['a missing comma', (t) => { const [s] = valueBeforeEnd(31); return `${t.slice(0, s - 1)} ${t.slice(s)}`; }],
    ['a doubled comma', (t) => { const [s] = valueBeforeEnd(32); return `${t.slice(0, s)},${t.slice(s)}`; }],
    ['a comma before the ]', (t) => `${t.slice(0, edgesEnd)},${t.slice(edgesEnd)}`],
    ['an edge type out of range', (t) => { const [s, e] = valueBeforeEnd(3 * 20 + 2); return `${t.slice(0, s)}99${t.slice(e)}`; }],
    ['a to_node between two nodes', (t) => { const [s, e] = valueBeforeEnd(3 * 25); return `${t.slice(0, s)}5${t.slice(e)}`; }],
    ['a to_node past the last node', (t) => { const [s, e] = valueBeforeEnd(3 * 26); return `${t.slice(0, s)}7777777777${t.slice(e)}`; }],
    ['a property name past the strings', (t) => {
      const [typeStart, typeEnd] = valueBeforeEnd(3 * 21 + 2);
      const [nameStart, nameEnd] = valueBeforeEnd(3 * 21 + 1);
      return `${t.slice(0, typeStart)}2${t.slice(typeEnd, nameStart)}99999999${t.slice(nameEnd)}`;
    }],
    // In the worker's last batch, which the split cuts short: its error offset would not be the sequential reader's.
    ['an edge type out of range before the parts meet', (t) => { const [s, e] = valueBeforeEnd(3 * 1500 + 2); return `${t.slice(0, s)}99${t.slice(e)}`; }],
    ['a value too long', (t) => { const [s] = valueBeforeEnd(40); return `${t.slice(0, s)}12345678901234567890${t.slice(s)}`; }],
    ['one value too many', (t) => { const [s] = valueBeforeEnd(500); return `${t.slice(0, s)}0,${t.slice(s)}`; }],
    ['one value missing', (t) => { const [s, e] = valueBeforeEnd(500); return `${t.slice(0, s)}${t.slice(e + 1)}`; }],
    // A valid record more, where the parts meet (before the type of the 1,000th record from the end).
    ['one record too many', (t) => { const [s] = valueBeforeEnd(3 * 999 + 2); return `${t.slice(0, s)}1,0,0,${t.slice(s)}`; }],
  ];
  for (const [what, breakText] of breakages) {
    test(`${what}: the sequential reader's error`, async () => {
      const broken = write(`broken-${what.replace(/\W+/g, '-')}.heapsnapshot`, breakText(text));
      const sequential = await outcome(broken, false);
      expect(sequential.error).toBeDefined();
      for (const records of [1, 1000, edgeCount]) expect((await readFromEnd(broken, records)).error, `${records}`).toBe(sequential.error);
    });
  }
});
