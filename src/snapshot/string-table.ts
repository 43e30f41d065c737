/**
 * leakgraph/snapshot/string-table — the snapshot's strings, packed into a few large strings.
 *
 * A strings section holds millions of short strings. Kept as separate JS strings, each costs
 * a header and an array slot besides its characters: most of the JS heap, several times the
 * characters themselves. Here consecutive strings share a block of up to about a million
 * characters, each string is known by where it ends in its block (4 bytes a string), and
 * `get` slices one out when asked. Callers that look at many strings keep what they need
 * per index, and comparisons (`equals`) slice nothing.
 *
 * Most blocks are the snapshot's own text: a run of plain ASCII literals without escapes, as
 * read, separators and quotes included (one string made per chunk of the file instead of one
 * per literal, so reading leaves almost nothing for the garbage collector). In such a "raw"
 * block a string starts after the first quote past the previous one's end. The other strings
 * (escapes, other characters) are decoded and joined into "packed" blocks, where each starts
 * where the previous one ends.
 */

import { doubled } from './typed-arrays.js';

const BLOCK_CHARS = 1 << 20;

export class StringTable implements Iterable<string> {
  /** Index of each block's first string. */
  private readonly blockFirst: Uint32Array;
  /** 1 for a raw block (the file's text), 0 for a packed one. */
  private readonly raw: Uint8Array;

  /**
   * @param ends where each string ends in its block
   * @param raw per block, 1 when it is the file's own text (a raw block), 0 when packed
   */
  constructor(
    private readonly blocks: readonly string[],
    blockFirst: readonly number[],
    private readonly ends: Uint32Array,
    raw: readonly number[],
  ) {
    this.blockFirst = Uint32Array.from(blockFirst);
    this.raw = Uint8Array.from(raw);
  }

  get length(): number {
    return this.ends.length;
  }

  /** The string at `index`, which must be below `length`. */
  get(index: number): string {
    const block = this.blockOf(index);
    return this.blocks[block].slice(this.startOf(index, block), this.ends[index]);
  }

  /** Whether the string at `index` is `text`, without slicing it out. */
  equals(index: number, text: string): boolean {
    const block = this.blockOf(index);
    const start = this.startOf(index, block);
    return this.ends[index] - start === text.length && this.blocks[block].startsWith(text, start);
  }

  /**
   * A test of `equals(index, text)` for scans that ask it of every node: each string index is
   * compared once, with a byte per string of the table to remember the verdicts.
   */
  matcher(text: string): (index: number) => boolean {
    const verdicts = new Uint8Array(this.ends.length); // 0: not compared yet, 1: other, 2: equal
    return (index) => {
      let verdict = verdicts[index];
      if (verdict === 0) verdicts[index] = verdict = this.equals(index, text) ? 2 : 1;
      return verdict === 2;
    };
  }

  /** Indexes, ascending, of the strings that contain `text` (searched block by block, natively). */
  indexesContaining(text: string): number[] {
    const found: number[] = [];
    for (let block = 0; block < this.blocks.length; block++) {
      const blockText = this.blocks[block];
      const last = (block + 1 < this.blockFirst.length ? this.blockFirst[block + 1] : this.ends.length) - 1;
      for (let at = blockText.indexOf(text); at >= 0; at = blockText.indexOf(text, at + 1)) {
        // The first string of the block ending past `at` holds it, unless the match runs
        // across strings (a packed block joins them) or starts in a raw block's separator.
        let low = this.blockFirst[block];
        let high = last;
        while (low < high) {
          const middle = (low + high) >>> 1;
          if (this.ends[middle] <= at) low = middle + 1;
          else high = middle;
        }
        if (this.ends[low] <= at || at + text.length > this.ends[low] || at < this.startOf(low, block)) continue;
        if (found[found.length - 1] !== low) found.push(low);
      }
    }
    return found;
  }

  *[Symbol.iterator](): Iterator<string> {
    for (let index = 0; index < this.ends.length; index++) yield this.get(index);
  }

  private startOf(index: number, block: number): number {
    if (index === this.blockFirst[block]) return 0;
    const previousEnd = this.ends[index - 1];
    return this.raw[block] === 1 ? this.blocks[block].indexOf('"', previousEnd + 1) + 1 : previousEnd;
  }

  private blockOf(index: number): number {
    const first = this.blockFirst;
    let low = 0;
    let high = first.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (first[middle] <= index) low = middle;
      else high = middle - 1;
    }
    return low;
  }
}

/**
 * The table's strings by index, each sliced out once: for loops that meet the same few
 * strings again and again (property names).
 */
export function cachedStrings(table: StringTable): (index: number) => string {
  const cache = new Map<number, string>();
  return (index) => {
    let value = cache.get(index);
    if (value === undefined) {
      value = table.get(index);
      cache.set(index, value);
    }
    return value;
  };
}

/** Collects strings in order into a StringTable. */
export class StringTableBuilder {
  private blocks: string[] = [];
  private blockFirst: number[] = [];
  private raw: number[] = [];
  private parts: string[] = [];
  private partChars = 0;
  private ends = new Uint32Array(1024);
  private count = 0;

  /** Adds one decoded string. */
  add(value: string): void {
    // A string longer than a block gets one of its own: joined, the block could pass V8's
    // longest string.
    if (this.parts.length > 0 && this.partChars + value.length > BLOCK_CHARS) this.closeBlock();
    if (this.parts.length === 0) {
      this.blockFirst.push(this.count);
      this.raw.push(0);
    }
    this.parts.push(value);
    this.partChars += value.length;
    if (this.count === this.ends.length) this.ends = doubled(this.ends);
    this.ends[this.count++] = this.partChars;
  }

  /**
   * Adds `count` strings that lie in `text` as the file has them: plain ASCII literals, the
   * first starting at 0, each ending at `ends[i]` (where its closing quote is) and the next
   * starting after the next quote.
   */
  addRaw(text: string, ends: Uint32Array, count: number): void {
    if (count === 0) return;
    if (this.parts.length > 0) this.closeBlock();
    this.blocks.push(text);
    this.blockFirst.push(this.count);
    this.raw.push(1);
    while (this.count + count > this.ends.length) this.ends = doubled(this.ends);
    this.ends.set(ends.subarray(0, count), this.count);
    this.count += count;
  }

  finish(): StringTable {
    if (this.parts.length > 0) this.closeBlock();
    return new StringTable(this.blocks, this.blockFirst, this.ends.slice(0, this.count), this.raw);
  }

  private closeBlock(): void {
    this.blocks.push(this.parts.join(''));
    this.parts = [];
    this.partChars = 0;
  }
}
