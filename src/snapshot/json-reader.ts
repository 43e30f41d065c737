/**
 * leakgraph/snapshot/json-reader — a pull reader over the bytes of one JSON document.
 *
 * A heap snapshot is one JSON object whose sections can each be larger than the longest
 * string V8 allows (~512 MB), so no section is ever turned into one JS string. The reader
 * walks the bytes: numeric arrays go straight into typed-array sinks, string arrays are
 * decoded literal by literal, unknown values are skipped without being kept. Only the small
 * "snapshot" header object goes through JSON.parse.
 *
 * Bytes arrive in chunks; a token that straddles two chunks is handled by keeping the bytes
 * from the token's start when the next chunk is appended (see `more`).
 */

import { isAscii } from 'node:buffer';
import { SnapshotError } from './errors.js';
import { doubled } from './typed-arrays.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const ZERO = 0x30;
const NINE = 0x39;

/** Receives the strings of an array in order (see `readStringArray`). */
export interface StringSink {
  /** One decoded string. */
  add(value: string): void;
  /** `count` plain strings in `text`, the file's own: the first at 0, each ending at `ends[i]`, the next after the following quote. */
  addRaw(text: string, ends: Uint32Array, count: number): void;
}

/** Receives decoded numbers in batches; may throw SnapshotError to reject a value. */
export interface NumberSink {
  take(values: Float64Array, count: number, reader: JsonReader): void;
  /** Values per record: every batch but the last then holds whole records. */
  readonly recordSize?: number;
  /**
   * How many of the next `wanted` values the sink may take, asked before each batch; 0 stops
   * the reading right after the last value taken (another reader has the rest of the array).
   */
  claim?(wanted: number): number;
}

const EMPTY = Buffer.alloc(0);
/** Literals up to this long are scanned byte by byte; past it, with native searches. */
const SHORT_LITERAL_BYTES = 64;
/** Kept bytes up to this size are simply joined to the next chunk. */
const SMALL_KEPT_BYTES = 64 * 1024;
let primed = false;
const EMPTY_CHUNKS: AsyncIterator<Buffer> = { next: async () => ({ done: true, value: undefined }) };

/** Where `readNumberArray` is between chunks. */
interface NumberScan {
  /** Values a batch takes: whole records. */
  limit: number;
  filled: number;
  value: number;
  /** 0: a value must come next (after '[' or ','), 1: inside a number, 2: after a value */
  state: number;
  first: boolean;
  /** Bytes after `pos` already consumed when the batch filled (the delimiter). */
  skip: number;
}

/** How `scanNumbers` stopped. */
const CHUNK_END = 0;
const BATCH_FULL = 1;
const ARRAY_END = 2;

export function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function describeByte(byte: number): string {
  if (byte >= 0x21 && byte < 0x7f) return `'${String.fromCharCode(byte)}'`;
  return `byte 0x${byte.toString(16).padStart(2, '0')}`;
}

export class JsonReader {
  /** The current chunk (possibly with kept bytes of the previous one in front). */
  buf: Buffer = EMPTY;
  /** Read position in `buf`. */
  pos = 0;
  /** Offset in the document of `buf[0]`. */
  private base: number;
  /** The buffer `buf` is a view of while a long token is kept across chunks (see `appendTo`). */
  private store: Buffer | null = null;
  /** Bytes after the opening quote of the literal at `pos` already searched for its end. */
  private literalScanned = 0;
  private done = false;
  /** The part of the last chunk not yet in `buf` (see `more`). */
  private chunkRest: Buffer | null = null;
  /** Name of the section being read, for error messages. */
  section: string | undefined;
  private readonly batch = new Float64Array(1 << 16);

  /** @param startOffset where in the document `chunks` begins (for reading a part of a file) */
  constructor(
    private chunks: AsyncIterator<Buffer>,
    readonly file: string,
    private readonly onChunk?: () => void,
    startOffset = 0,
  ) {
    this.base = startOffset;
  }

  /**
   * Continues at `offset` with bytes from `chunks` (which must start there), closing the
   * current source: for skipping a section another thread has read.
   */
  async jumpTo(offset: number, chunks: AsyncIterator<Buffer>): Promise<void> {
    await this.chunks.return?.();
    this.chunks = chunks;
    this.chunkRest = null;
    this.buf = EMPTY;
    this.pos = 0;
    this.base = offset;
    this.done = false;
  }

  /** The source being read now (it changes at `jumpTo`), so that its owner can close it. */
  get source(): AsyncIterator<Buffer> {
    return this.chunks;
  }

  /** Offset in the document of `buf[pos]` (or of `buf[at]`). */
  offset(at = this.pos): number {
    return this.base + at;
  }

  fail(problem: string, at = this.pos): never {
    throw new SnapshotError(this.file, problem, this.section, this.offset(at));
  }

  /** Error for the end of input inside a value. */
  truncated(): never {
    throw new SnapshotError(
      this.file,
      this.section === undefined ? 'truncated: the file ends before the snapshot is complete' : 'truncated: the file ends inside this section',
      this.section,
      this.offset(this.buf.length),
    );
  }

  /**
   * Appends the next chunk, dropping the bytes before `keepFrom`. Returns false at the end
   * of input. `pos` keeps pointing at the same byte.
   * @param tokenEnd where in the next chunk the token cut at the end of this one ends (just
   * past it), or -1 when not near its start. Given an end, the kept bytes are joined to that
   * much of the chunk only, and the rest of the chunk is read in place next, uncopied.
   */
  async more(keepFrom = this.buf.length, tokenEnd?: (chunk: Buffer) => number): Promise<boolean> {
    if (this.done) return false;
    let chunk = this.chunkRest;
    this.chunkRest = null;
    if (chunk === null) {
      const next = await this.chunks.next();
      if (next.done) {
        this.done = true;
        return false;
      }
      this.onChunk?.();
      chunk = next.value;
    }
    const kept = this.buf.length - keepFrom;
    if (kept > 0 && kept <= SMALL_KEPT_BYTES && tokenEnd) {
      const end = tokenEnd(chunk);
      if (end >= 0 && end < chunk.length) {
        this.chunkRest = chunk.subarray(end);
        chunk = chunk.subarray(0, end);
      }
    }
    this.buf = kept > 0 ? this.appendTo(this.buf.subarray(keepFrom), chunk) : chunk;
    if (this.buf.buffer !== this.store?.buffer) this.store = null;
    this.base += keepFrom;
    this.pos -= keepFrom;
    return true;
  }

  /**
   * `kept` and then `chunk` in one buffer. A token that spans many chunks (a long string
   * literal) grows in a store of twice its size, so that each chunk is copied once, not
   * once for every chunk after it.
   */
  private appendTo(kept: Buffer, chunk: Buffer): Buffer {
    if (kept.length + chunk.length <= SMALL_KEPT_BYTES) return Buffer.concat([kept, chunk]);
    const store = this.store;
    const keptAt = store !== null && kept.buffer === store.buffer ? kept.byteOffset - store.byteOffset : -1;
    if (keptAt >= 0 && keptAt + kept.length + chunk.length <= store!.length) {
      chunk.copy(store!, keptAt + kept.length);
      return store!.subarray(keptAt, keptAt + kept.length + chunk.length);
    }
    const grown = Buffer.allocUnsafeSlow(2 * (kept.length + chunk.length));
    kept.copy(grown, 0);
    chunk.copy(grown, kept.length);
    this.store = grown;
    return grown.subarray(0, kept.length + chunk.length);
  }

  /** Skips whitespace; returns the next byte without consuming it, or -1 at the end. */
  async peek(): Promise<number> {
    for (;;) {
      const buf = this.buf;
      let pos = this.pos;
      while (pos < buf.length && isWhitespace(buf[pos])) pos++;
      this.pos = pos;
      if (pos < buf.length) return buf[pos];
      if (!(await this.more())) return -1;
    }
  }

  /** Consumes `byte` (after whitespace) or fails with `problem`. */
  async expect(byte: number, problem: string): Promise<void> {
    const next = await this.peek();
    if (next === -1) this.truncated();
    if (next !== byte) this.fail(`${problem}, found ${describeByte(next)}`);
    this.pos++;
  }

  /** Reads a JSON string literal (after whitespace) and returns its value. */
  async readString(): Promise<string> {
    const first = await this.peek();
    if (first === -1) this.truncated();
    if (first !== QUOTE) this.fail(`expected a string, found ${describeByte(first)}`);
    for (;;) {
      const value = this.takeString();
      if (value !== undefined) return value;
      // The literal continues in the next chunk: keep it and look again.
      if (!(await this.more(this.pos))) this.truncated();
    }
  }

  /**
   * Decodes the string literal whose opening quote is at `pos` and moves past it, or returns
   * undefined (leaving `pos` alone) when the literal does not end within `buf`.
   */
  private takeString(): string | undefined {
    // Fast path: plain ASCII with no escapes, the common case in V8's output.
    const plainEnd = this.literalScanned === 0 ? this.plainLiteralEnd(this.pos) : -1;
    if (plainEnd >= 0) {
      const start = this.pos;
      this.pos = plainEnd + 1;
      return this.buf.toString('latin1', start + 1, plainEnd);
    }
    return this.takeDecodedString();
  }

  /** `takeString` for a literal that is not plain (or not yet known to end in `buf`): its end searched for from where a search stopped. */
  private takeDecodedString(): string | undefined {
    const start = this.pos;
    const end = this.findStringEnd(start + 1 + this.literalScanned);
    if (end < 0) {
      // Not in this chunk: the search goes on where it stopped once more bytes come.
      this.literalScanned = ~end - start - 1;
      return undefined;
    }
    this.literalScanned = 0;
    this.pos = end + 1;
    return this.decodeString(start + 1, end);
  }

  /**
   * Index of the closing quote of the literal being scanned from `pos`; when it is not in
   * `buf`, `~stop` (negative), where `stop` is where the search is to go on.
   */
  private findStringEnd(pos: number): number {
    const buf = this.buf;
    while (pos < buf.length) {
      const byte = buf[pos];
      if (byte === QUOTE) return pos;
      if (byte === BACKSLASH) pos += 2;
      else pos++;
    }
    return ~pos;
  }

  /** Decodes the body of a string literal `buf[from, to)` that has escapes or non-ASCII bytes. */
  private decodeString(from: number, to: number): string {
    const buf = this.buf;
    let out = '';
    let runStart = from;
    let pos = from;
    while (pos < to) {
      if (buf[pos] !== BACKSLASH) {
        pos++;
        continue;
      }
      if (pos > runStart) out += buf.toString('utf8', runStart, pos);
      const escape = buf[pos + 1];
      switch (escape) {
        case 0x22: out += '"'; break;
        case 0x5c: out += '\\'; break;
        case 0x2f: out += '/'; break;
        case 0x62: out += '\b'; break;
        case 0x66: out += '\f'; break;
        case 0x6e: out += '\n'; break;
        case 0x72: out += '\r'; break;
        case 0x74: out += '\t'; break;
        case 0x75: {
          // \uXXXX: one UTF-16 unit. V8 writes lone and mismatched surrogates as they are,
          // and a JS string can hold them, so each unit is taken on its own.
          const hex = pos + 6 <= to ? buf.toString('latin1', pos + 2, pos + 6) : '';
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid \\u escape in a string', pos);
          out += String.fromCharCode(parseInt(hex, 16));
          pos += 4;
          break;
        }
        default:
          this.fail(`invalid escape ${describeByte(escape)} in a string`, pos);
      }
      pos += 2;
      runStart = pos;
    }
    if (to > runStart) out += buf.toString('utf8', runStart, to);
    return out;
  }

  /**
   * Reads a small JSON object or array (the header) as one value through JSON.parse.
   * Scans for the balanced end first, so nothing is decoded twice.
   */
  async readSmallValue(limitBytes: number): Promise<unknown> {
    const first = await this.peek();
    if (first === -1) this.truncated();
    for (;;) {
      const start = this.pos;
      const end = this.findBalancedEnd(start);
      if (end >= 0) {
        const text = this.buf.toString('utf8', start, end);
        this.pos = end;
        try {
          return JSON.parse(text);
        } catch (error) {
          this.fail(`not valid JSON (${(error as Error).message})`, start);
        }
      }
      if (this.buf.length - start > limitBytes) this.fail(`value longer than ${limitBytes} bytes`, start);
      if (!(await this.more(start))) this.truncated();
    }
  }

  /** End (exclusive) of the object or array starting at `start`, or -1 if it goes past `buf`. */
  private findBalancedEnd(start: number): number {
    const buf = this.buf;
    const open = buf[start];
    if (open !== OPEN_BRACE && open !== OPEN_BRACKET) this.fail(`expected an object or array, found ${describeByte(open)}`, start);
    let depth = 0;
    let pos = start;
    while (pos < buf.length) {
      const byte = buf[pos];
      if (byte === QUOTE) {
        const end = this.findStringEnd(pos + 1);
        if (end < 0) return -1;
        pos = end + 1;
        continue;
      }
      if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
      else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        if (--depth === 0) return pos + 1;
      }
      pos++;
    }
    return -1;
  }

  /**
   * Reads an array of non-negative integers into `sink`, in batches. Anything else in the
   * array (signs, fractions, exponents, nested values) is an error: V8 writes none of them,
   * and guessing would give silently wrong numbers.
   * @returns how many numbers were read
   */
  async readNumberArray(sink: NumberSink): Promise<number> {
    await this.expect(OPEN_BRACKET, 'expected an array');
    if (!primed) {
      primed = true;
      JsonReader.primeNumberScanner();
    }
    const batchLength = this.batch.length;
    const recordSize = sink.recordSize ?? 1;
    const limit = recordSize >= 1 && recordSize <= batchLength ? batchLength - (batchLength % recordSize) : batchLength;
    const scan: NumberScan = { limit, filled: 0, value: 0, state: 0, first: true, skip: 0 };
    let count = 0;
    let batchStarted = false;
    // The scanning is synchronous, chunk by chunk: V8 optimizes a plain loop far better than
    // one inside an async function. It calls no sink, so that its code, optimized while the
    // first batch fills, has no call it has not seen yet and serves every array alike.
    for (;;) {
      if (!batchStarted && sink.claim) {
        scan.limit = sink.claim(limit);
        if (scan.limit === 0) return count;
      }
      batchStarted = true;
      const stop = this.scanNumbers(scan);
      if (stop === CHUNK_END) {
        if (!(await this.more())) this.truncated();
        continue;
      }
      if (scan.filled > 0) sink.take(this.batch, scan.filled, this);
      count += scan.filled;
      scan.filled = 0;
      batchStarted = false;
      if (stop === ARRAY_END) return count;
    }
  }

  /**
   * Runs the number scanner once through each of its paths on a few bytes, so that the code
   * V8 optimizes while a real array is read has type feedback for all of them and is not
   * thrown away at the first full batch or chunk end (each such deoptimization costs a
   * return to the interpreter and a new compilation).
   */
  private static primeNumberScanner(): void {
    const reader = new JsonReader(EMPTY_CHUNKS, '(warm-up)');
    const scan: NumberScan = { limit: 2, filled: 0, value: 0, state: 0, first: true, skip: 0 };
    const parts = ['1,22\n,3 ,44', '4,5 ,66\n,7', '7,12345678901,8]'];
    for (let round = 0; round < 16; round++) for (const part of parts) {
      reader.buf = Buffer.from(part);
      reader.pos = 0;
      for (let stop = BATCH_FULL; stop === BATCH_FULL; ) {
        stop = reader.scanNumbers(scan);
        if (stop !== CHUNK_END) scan.filled = 0;
      }
    }
  }

  /**
   * Scans numbers of the current chunk into the batch until the chunk ends, the batch is full
   * (`pos` then just after its last number, for errors the sink finds) or the array's ']'
   * was consumed.
   */
  private scanNumbers(scan: NumberScan): number {
    const batch = this.batch;
    const batchSize = scan.limit;
    let { filled, value, state, first } = scan;
    const buf = this.buf;
    const end = buf.length;
    let pos = this.pos + scan.skip;
    scan.skip = 0;
    while (pos < end) {
      let byte = buf[pos];
      // Fast path for what V8 writes: a value of at most 9 digits (int32 arithmetic) that
      // ends in this chunk with ',' or '\n,'. Anything else goes through the state machine
      // below from the same position.
      if (state === 0) {
        let digits = byte - ZERO;
        if (digits >>> 0 <= 9) {
          let at = pos + 1;
          const limit = Math.min(end, pos + 9);
          for (; at < limit; at++) {
            const digit = buf[at] - ZERO;
            if (digit >>> 0 > 9) break;
            digits = (digits * 10 + digit) | 0;
          }
          if (at < end) {
            const next = buf[at];
            const skip = next === COMMA ? 1 : next === 0x0a && at + 1 < end && buf[at + 1] === COMMA ? 2 : 0;
            if (skip !== 0) {
              batch[filled++] = digits;
              first = false;
              if (filled === batchSize) return this.pause(scan, BATCH_FULL, at, skip, filled, false, 0);
              pos = at + skip;
              continue;
            }
          }
        }
      }
      if (byte >= ZERO && byte <= NINE) {
        if (state === 1) value = value * 10 + (byte - ZERO);
        else if (state === 0) {
          value = byte - ZERO;
          state = 1;
        } else this.fail('expected \',\' between numbers', pos);
        // The rest of the number's digits, without going through the delimiter tests.
        for (pos++; pos < end; pos++) {
          byte = buf[pos];
          if (byte < ZERO || byte > NINE) break;
          value = value * 10 + (byte - ZERO);
        }
        continue;
      } else if (byte === COMMA) {
        if (state === 0) this.fail('unexpected \',\'', pos);
        if (state === 1) {
          if (value > Number.MAX_SAFE_INTEGER) this.fail('number too large', pos);
          batch[filled++] = value;
          if (filled === batchSize) return this.pause(scan, BATCH_FULL, pos, 1, filled, false, 0);
        }
        state = 0;
        first = false;
      } else if (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) {
        if (state === 1) {
          if (value > Number.MAX_SAFE_INTEGER) this.fail('number too large', pos);
          batch[filled++] = value;
          if (filled === batchSize) return this.pause(scan, BATCH_FULL, pos, 1, filled, first, 2);
          state = 2;
        }
      } else if (byte === CLOSE_BRACKET) {
        if (state === 0 && !first) this.fail('unexpected \']\' after \',\'', pos);
        if (state === 1) {
          if (value > Number.MAX_SAFE_INTEGER) this.fail('number too large', pos);
          batch[filled++] = value;
        }
        this.pos = pos + 1;
        scan.filled = filled;
        return ARRAY_END;
      } else if (byte === 0x2d || byte === 0x2e || byte === 0x65 || byte === 0x45) {
        this.fail(`unsupported number syntax ${describeByte(byte)} (only non-negative integers are allowed)`, pos);
      } else {
        this.fail(`unexpected ${describeByte(byte)} in a number array`, pos);
      }
      pos++;
    }
    return this.pause(scan, CHUNK_END, pos, 0, filled, first, state, value);
  }

  /**
   * Saves where a scan stopped and returns why: `pos` is just after the last number read (for
   * errors the sink finds), `skip` the bytes past it already consumed.
   */
  private pause(scan: NumberScan, stop: number, pos: number, skip: number, filled: number, first: boolean, state: number, value = 0): number {
    this.pos = pos;
    scan.skip = skip;
    scan.filled = filled;
    scan.first = first;
    scan.state = state;
    scan.value = value;
    return stop;
  }

  /**
   * Reads an array of strings into `sink`. Works synchronously through each chunk and only
   * waits at chunk ends: snapshots hold millions of strings. Runs of plain ASCII literals
   * without escapes go to the sink as the chunk's own text (one JS string per run, not per
   * literal); any other literal is decoded on its own.
   */
  async readStringArray(sink: StringSink): Promise<number> {
    await this.expect(OPEN_BRACKET, 'expected an array');
    let count = 0;
    // 0: a string or ']' may come next, 1: a string must come (after ','), 2: ',' or ']'
    let state = 0;
    let runEnds = new Uint32Array(1024);
    for (;;) {
      const buf = this.buf;
      // The run of plain literals in this chunk: where the first one's text starts, and where each ends.
      let runStart = -1;
      let runCount = 0;
      const endRun = () => {
        if (runCount > 0) sink.addRaw(buf.toString('latin1', runStart, runStart + runEnds[runCount - 1]), runEnds, runCount);
        runCount = 0;
        runStart = -1;
      };
      while (this.pos < buf.length) {
        const byte = buf[this.pos];
        if (isWhitespace(byte)) {
          this.pos++;
        } else if (state !== 2 && byte === QUOTE) {
          const end = this.literalScanned === 0 ? this.plainLiteralEnd(this.pos) : -1;
          if (end >= 0) {
            if (runStart < 0) runStart = this.pos + 1;
            if (runCount === runEnds.length) runEnds = doubled(runEnds);
            runEnds[runCount++] = end - runStart;
            this.pos = end + 1;
          } else {
            endRun();
            const value = this.takeDecodedString();
            if (value === undefined) break;
            sink.add(value);
          }
          count++;
          state = 2;
        } else if (state === 2 && byte === COMMA) {
          this.pos++;
          state = 1;
        } else if (state !== 1 && byte === CLOSE_BRACKET) {
          endRun();
          this.pos++;
          return count;
        } else if (state === 2) {
          this.fail(`expected ',' or ']' after a string, found ${describeByte(byte)}`);
        } else {
          this.fail(`expected a string, found ${describeByte(byte)}`);
        }
      }
      endRun();
      // Out of bytes (possibly inside a literal, which starts at `pos`): fetch more.
      if (!(await this.more(this.pos, this.pos < buf.length ? this.literalEndIn(buf.length) : undefined))) this.truncated();
    }
  }

  /**
   * For the literal cut at the end of `buf` (its opening quote at `pos`, searched up to
   * `pos + 1 + literalScanned`): where in the next chunk it ends, just past its quote, if
   * within the chunk's first SMALL_KEPT_BYTES; else -1.
   */
  private literalEndIn(bufLength: number): (chunk: Buffer) => number {
    const from = this.pos + 1 + this.literalScanned - bufLength;
    return (chunk) => {
      const limit = Math.min(chunk.length, SMALL_KEPT_BYTES);
      for (let at = from; at < limit; ) {
        const byte = chunk[at];
        if (byte === QUOTE) return at + 1;
        at += byte === BACKSLASH ? 2 : 1;
      }
      return -1;
    };
  }

  /** Where the literal opening at `pos` closes, if it is plain ASCII without escapes and ends in `buf`; else -1. */
  private plainLiteralEnd(pos: number): number {
    const buf = this.buf;
    const shortEnd = Math.min(buf.length, pos + 1 + SHORT_LITERAL_BYTES);
    for (let at = pos + 1; at < shortEnd; at++) {
      const byte = buf[at];
      if (byte === QUOTE) return at;
      if (byte === BACKSLASH || byte >= 0x80) return -1;
    }
    if (shortEnd === buf.length) return -1;
    // A long literal (user text, source code): native searches, a few times faster per byte.
    const quote = buf.indexOf(QUOTE, shortEnd);
    if (quote < 0) return -1;
    const rest = buf.subarray(shortEnd, quote);
    return rest.indexOf(BACKSLASH) < 0 && isAscii(rest) ? quote : -1;
  }

  /** Skips one JSON value of any kind without keeping it. */
  async skipValue(): Promise<void> {
    const first = await this.peek();
    if (first === -1) this.truncated();
    if (first === QUOTE) {
      await this.readString();
      return;
    }
    if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
      // A scalar: a number or a literal. Validate loosely; it is not used.
      for (;;) {
        const buf = this.buf;
        let pos = this.pos;
        while (pos < buf.length) {
          const byte = buf[pos];
          if (byte === COMMA || byte === CLOSE_BRACE || byte === CLOSE_BRACKET || isWhitespace(byte)) {
            this.pos = pos;
            return;
          }
          if (!/[-+.0-9a-zA-Z]/.test(String.fromCharCode(byte))) this.fail(`unexpected ${describeByte(byte)}`, pos);
          pos++;
        }
        this.pos = pos;
        if (!(await this.more())) return;
      }
    }
    let depth = 0;
    let inString = false;
    let escaped = false;
    for (;;) {
      const buf = this.buf;
      let pos = this.pos;
      while (pos < buf.length) {
        const byte = buf[pos++];
        if (inString) {
          if (escaped) escaped = false;
          else if (byte === BACKSLASH) escaped = true;
          else if (byte === QUOTE) inString = false;
        } else if (byte === QUOTE) inString = true;
        else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) depth++;
        else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
          if (--depth === 0) {
            this.pos = pos;
            return;
          }
        }
      }
      this.pos = pos;
      if (!(await this.more())) this.truncated();
    }
  }
}

export const Bytes = { QUOTE, COMMA, COLON, OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET, CLOSE_BRACKET, ZERO } as const;
