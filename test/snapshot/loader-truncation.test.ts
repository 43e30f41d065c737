// Truncated input: a snapshot cut at any byte must be rejected with a SnapshotError saying
// it is truncated — within a time limit, never resolved with a partial heap.

import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readSnapshotFile, readSnapshotStream } from '../../src/snapshot/loader.js';
import { SnapshotError } from '../../src/snapshot/errors.js';
import { MINIMAL, buildSnapshotText, tmpPath, type BuildOptions } from '../helpers/snapshot-builder.js';
import { RICH_LOCATIONS, chunked, cyclingSizes, outcome, richHeap, stream } from './support.js';

/** Per-case limit: a hang fails the case instead of the whole run. */
const CASE_MS = 2_000;

/** A built snapshot of a few KB: the rich heap plus strings with \u escapes. */
function smallSnapshot(pretty: NonNullable<BuildOptions['pretty']>): Buffer {
  const nodes = richHeap();
  const names = ['é€ü', 'tab\there', 'quote"back\\slash', '\u{1F600}', '\uD800 lone', 'plain string value', '日本語'];
  for (let i = 0; i < 28; i++) {
    nodes.push({ type: 'string', name: `${names[i % names.length]} #${i}`, id: 1001 + 2 * i, selfSize: 16 + i });
    nodes[MINIMAL.global]!.edges!.push({ type: 'property', name: `s${i}`, to: nodes.length - 1 });
  }
  return Buffer.from(buildSnapshotText(nodes, { pretty, locations: RICH_LOCATIONS }), 'utf8');
}

/** Yields `bytes` (no copies) in pieces of the given sizes. */
async function* pieces(bytes: Buffer, sizes: Iterator<number>): AsyncGenerator<Buffer> {
  for (let pos = 0; pos < bytes.length;) {
    const size = sizes.next().value as number;
    yield bytes.subarray(pos, pos + size);
    pos += size;
  }
}

interface Failure { cut: number; what: string }

/** Loads `bytes.subarray(0, cut)`; returns a description of what was wrong, or null if it was a proper rejection. */
async function checkCut(name: string, load: Promise<unknown>, cut: number, expected: RegExp): Promise<Failure | null> {
  const result = await outcome(load as Promise<never>, CASE_MS);
  if (!('error' in result) || result.error === undefined) return { cut, what: `${name}: resolved instead of rejecting` };
  const error = result.error;
  if (!(error instanceof SnapshotError)) {
    return { cut, what: `${name}: ${error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error)}` };
  }
  if (/[\r\n]/.test(error.message)) return { cut, what: `${name}: multi-line message ${JSON.stringify(error.message)}` };
  if (!error.message.startsWith(`${error.file}: `) || error.file !== name) return { cut, what: `${name}: message does not start with the name: ${error.message}` };
  if (!expected.test(error.message)) return { cut, what: `${name}: unexpected message ${JSON.stringify(error.message)}` };
  return null;
}

/** What a cut at `cut` must say: whitespace-only prefixes are "empty", all others "truncated". */
function expectedFor(bytes: Buffer, cut: number): RegExp {
  return bytes.subarray(0, cut).toString('latin1').trim() === '' ? /empty/ : /truncated/;
}

describe('truncation of a small built snapshot at every byte offset', () => {
  // every offset as one chunk; in 1..7-byte chunks every offset for 'v8', every n-th for the others (run time)
  for (const [pretty, tinyEvery] of [['v8', 1], ['compact', 3], ['newlines', 9]] as const) {
    it(`layout ${pretty}: every prefix as one chunk, ${tinyEvery === 1 ? 'every prefix' : `one prefix in ${tinyEvery}`} in 1..7-byte chunks`, async () => {
      const bytes = smallSnapshot(pretty);
      expect(bytes.length).toBeGreaterThan(2000);
      expect(bytes.length).toBeLessThan(pretty === 'newlines' ? 8000 : 4500);
      // the whole file is fine
      const whole = await readSnapshotStream('whole', stream(bytes));
      expect(whole.nodeCount).toBe(11 + 28);
      // every prefix that stops before the final '}' is incomplete (trailing whitespace is not)
      const end = bytes.toString('latin1').trimEnd().length;
      expect(bytes[end - 1]).toBe(0x7d);

      const failures: Failure[] = [];
      for (let cut = 0; cut < end; cut++) {
        const prefix = bytes.subarray(0, cut);
        const expected = expectedFor(bytes, cut);
        const name = `cut-${cut}`;
        const one = await checkCut(name, readSnapshotStream(name, stream(prefix)), cut, expected);
        if (one) failures.push(one);
        if (cut % tinyEvery === 0 || cut > end - 8) {
          const tiny = await checkCut(name, readSnapshotStream(name, pieces(prefix, cyclingSizes(7))), cut, expected);
          if (tiny) failures.push(tiny);
        }
        if (failures.length > 20) break;
      }
      expect(failures).toEqual([]);
      // and the prefixes that only lose trailing whitespace still load
      for (let cut = end; cut <= bytes.length; cut++) {
        expect((await readSnapshotStream('ws', stream(bytes.subarray(0, cut)))).nodeCount).toBe(39);
      }
    }, 30_000);
  }

  it('files: plain and gzip-compressed prefixes (every 37th offset)', async () => {
    const bytes = smallSnapshot('v8');
    const failures: Failure[] = [];
    for (let cut = 0; cut < bytes.length; cut += 37) {
      const prefix = bytes.subarray(0, cut);
      const plain = tmpPath(`cut-${cut}.heapsnapshot`);
      writeFileSync(plain, prefix);
      const a = await checkCut(plain, readSnapshotFile(plain), cut, expectedFor(bytes, cut));
      if (a) failures.push(a);
      // a complete gzip stream of a truncated snapshot
      const gz = tmpPath(`cut-${cut}.heapsnapshot.gz`);
      writeFileSync(gz, gzipSync(prefix));
      const b = await checkCut(gz, readSnapshotFile(gz), cut, expectedFor(bytes, cut));
      if (b) failures.push(b);
    }
    expect(failures).toEqual([]);
  });
});

describe('truncation of real snapshots', () => {
  /** ~200 offsets: spread evenly, plus every section boundary, \u escapes and the very end. */
  function interestingCuts(bytes: Buffer, spread: number): { cuts: number[]; escapes: number } {
    const text = bytes.toString('latin1'); // byte offsets = string offsets
    const cuts = new Set<number>();
    for (let i = 0; i < spread; i++) cuts.add(Math.floor((i * bytes.length) / spread));
    const around = (at: number, before = 3, after = 3) => {
      if (at < 0) return;
      for (let d = -before; d <= after; d++) if (at + d >= 0 && at + d < bytes.length) cuts.add(at + d);
    };
    // inside the header
    for (const at of [1, 2, 5, 11, 12, 13, 20, 100, 500]) cuts.add(at);
    around(text.indexOf('"meta"'));
    around(text.indexOf('"node_count"'));
    around(text.indexOf('},\n"nodes"'), 2, 1); // the end of the header
    // every top-level key and the start/end of its array
    for (const key of ['nodes', 'edges', 'trace_function_infos', 'trace_tree', 'samples', 'locations', 'scopes', 'strings']) {
      const at = text.indexOf(`"${key}":`);
      if (at < 0) continue;
      for (const d of [-1, 0, 1, key.length + 1, key.length + 2, key.length + 3]) cuts.add(at + d);
      const end = text.indexOf(key === 'strings' ? '"]}' : ']', at);
      around(end, 2, 2);
    }
    // inside the nodes and edges arrays, mid-number
    const nodesAt = text.indexOf('"nodes":');
    const edgesAt = text.indexOf('"edges":');
    const stringsAt = text.indexOf('"strings":');
    for (let i = 1; i <= 8; i++) {
      cuts.add(nodesAt + Math.floor(((edgesAt - nodesAt) * i) / 9));
      cuts.add(edgesAt + Math.floor(((stringsAt - edgesAt) * i) / 9));
      cuts.add(stringsAt + Math.floor(((bytes.length - stringsAt) * i) / 9));
    }
    // inside \u escapes and other escapes of the strings section
    let escapes = 0;
    for (let at = text.indexOf('\\u', stringsAt); at >= 0 && escapes < 4; at = text.indexOf('\\u', at + 6), escapes++) {
      for (let d = 0; d <= 6; d++) cuts.add(at + d);
    }
    const backslash = text.indexOf('\\"', stringsAt);
    if (backslash > 0) around(backslash, 1, 2);
    // the very end: right before the final '}' and its ']'
    for (let d = 1; d <= 4; d++) cuts.add(bytes.length - d);
    return { cuts: [...cuts].filter((c) => c >= 0 && c < bytes.length).sort((a, b) => a - b), escapes };
  }

  for (const [sample, spread] of [['orm-1', 100], ['browser-1', 10]] as const) {
    it(`${sample}: cut at ${spread} spread offsets plus every section boundary, escape and the end, each rejected as truncated`, async () => {
      const bytes = gunzipSync(readFileSync(`samples/${sample}.heapsnapshot.gz`));
      const { cuts, escapes } = interestingCuts(bytes, spread);
      expect(cuts.length).toBeGreaterThan(spread + 40);
      expect(escapes, 'cuts inside \\u escapes of the strings section').toBeGreaterThan(0);
      const failures: Failure[] = [];
      const started = Date.now();
      for (const cut of cuts) {
        const name = `${sample}-cut-${cut}`;
        const prefix = bytes.subarray(0, cut);
        const f = await checkCut(name, readSnapshotStream(name, pieces(prefix, (function* () { for (;;) yield 262_139; })())), cut, expectedFor(bytes, cut));
        if (f) failures.push(f);
        if (failures.length > 20) break;
      }
      expect(failures).toEqual([]);
      expect(Date.now() - started).toBeLessThan(25_000);
    }, 30_000);
  }

  it('orm-1 cut right before the final "}" names the problem and the end offset', async () => {
    const bytes = gunzipSync(readFileSync('samples/orm-1.heapsnapshot.gz'));
    expect(bytes[bytes.length - 1]).toBe(0x7d);
    const result = await outcome(readSnapshotStream('orm-1-no-brace', stream(bytes.subarray(0, bytes.length - 1))), CASE_MS);
    expect(result.error).toBeInstanceOf(SnapshotError);
    const error = result.error as SnapshotError;
    expect(error.message).toMatch(/^orm-1-no-brace: truncated/);
    expect(error.offset).toBe(bytes.length - 1);
  });

  it('orm-1 cut inside the strings section names the "strings" section', async () => {
    const bytes = gunzipSync(readFileSync('samples/orm-1.heapsnapshot.gz'));
    const at = bytes.indexOf('"strings":') + 5000;
    const result = await outcome(readSnapshotStream('orm-1-strings', chunked(bytes.subarray(0, at), 65_536)), CASE_MS);
    const error = result.error as SnapshotError;
    expect(error).toBeInstanceOf(SnapshotError);
    expect(error.section).toBe('strings');
    expect(error.message).toMatch(/truncated.*\(in "strings", at byte \d+\)$/);
  });
});
