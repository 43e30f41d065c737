/**
 * leakgraph/snapshot/edges-from-end — the main thread's share of a large `edges` array, read
 * backwards from its ']' in records claimed from the edge thread (edge-claims) while the
 * worker reads forwards. On a large file the main thread's sections (nodes, strings) are
 * read before the worker's edges, and it would otherwise wait.
 *
 * Nothing here reports an error: at anything the sequential reader would not accept silently
 * (a sign, a fraction, a value out of range, a missing or doubled ','), it stops, and the
 * loader reads what is left forwards, so that errors come in file order and in its words.
 */

import { closeSync, openSync, readSync } from 'node:fs';
import type { EdgeArrays } from './columns.js';
import type { EdgeClaims } from './edge-claims.js';
import type { SnapshotLayout } from './meta.js';

export interface EdgesFromEnd {
  /** Records taken from the claims (including those reserved), read or not. */
  claimed: number;
  /** Records read: the array's last ones, from edgeCount - records on. */
  records: number;
  /** Offset of the first digit of the first value read; the ']' when none was. */
  start: number;
  /** Largest string index naming one of these edges (not element or hidden). */
  maxStringName: number;
  /** False when it stopped at something unexpected before reading every record it claimed. */
  complete: boolean;
}

const CHUNK_SIZE = 1 << 20;
/** Records claimed at a time: small enough for the two readers to meet within a few ms. */
const CLAIM_RECORDS = 1 << 14;
/** More digits than this cannot be a valid value of any edge field. */
const MAX_DIGITS = 15;
const COMMA = 0x2c;
const ZERO = 0x30;

const isWhitespace = (byte: number) => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/**
 * A file read backwards a chunk at a time, never before `floor`. Every chunk but the floor's
 * starts after its first non-digit, so that no value is cut between two chunks.
 */
class BackwardChunks {
  readonly buffer = Buffer.allocUnsafe(CHUNK_SIZE);
  /** Lowest index of `buffer` in the current chunk; the bytes below it come again in the next. */
  low = 0;
  /** File offset of buffer[0]. */
  private windowStart: number;

  constructor(
    private readonly fd: number,
    private readonly floor: number,
    end: number,
  ) {
    this.windowStart = end;
  }

  /** Reads the chunk before the current one: the index of its last byte, or -1 at the floor (or a chunk of digits only). */
  previous(): number {
    const end = this.windowStart + this.low;
    const start = Math.max(this.floor, end - CHUNK_SIZE);
    if (start >= end) return -1;
    const length = end - start;
    for (let filled = 0; filled < length; ) {
      const read = readSync(this.fd, this.buffer, filled, length - filled, start + filled);
      if (read === 0) return -1;
      filled += read;
    }
    let low = 0;
    if (start > this.floor) while (low < length && this.buffer[low] - ZERO >>> 0 <= 9) low++;
    this.windowStart = start;
    this.low = low;
    return low < length ? length - 1 : -1;
  }

  offsetOf(index: number): number {
    return this.windowStart + index;
  }
}

/**
 * Reads records from the end of the edges array whose ']' is at `close` (the '[' at
 * `arrayStart`) into `arrays`, claiming them from `claims` until none are left; or, given
 * `reserved` (tests), exactly that many, which the claims left to it.
 */
export function readEdgesFromEnd(file: string, arrayStart: number, close: number, layout: SnapshotLayout, arrays: EdgeArrays, claims: EdgeClaims, reserved?: number): EdgesFromEnd {
  const fd = openSync(file, 'r');
  try {
    const reader = new EdgeRecordsBackward(new BackwardChunks(fd, arrayStart + 1, close), layout, arrays, close);
    let claimed = 0;
    for (;;) {
      const pending = reserved === undefined ? claims.claim(CLAIM_RECORDS) : Math.min(reserved, layout.edgeCount) - claimed;
      if (pending === 0) break;
      claimed += pending;
      if (!reader.read(pending)) return reader.outcome(claimed, false);
    }
    return reader.outcome(claimed, true);
  } finally {
    closeSync(fd);
  }
}

/** The value checks and column stores of `EdgeColumns`, for values met last to first. */
class EdgeRecordsBackward {
  private records = 0;
  private start: number;
  private maxStringName = 0;
  /** Whether a ',' must come before the next value (not right before the ']'). */
  private afterValue = false;
  /** Index in the chunk of the next byte to look at, going down; below `chunks.low`, the next chunk is needed. */
  private index = -1;
  private readonly typeCount: number;
  private readonly nodeIndexLimit: number;
  private readonly elementType: number;
  private readonly hiddenType: number;

  constructor(
    private readonly chunks: BackwardChunks,
    private readonly layout: SnapshotLayout,
    private readonly arrays: EdgeArrays,
    close: number,
  ) {
    this.start = close;
    this.typeCount = layout.edgeTypeNames.length;
    this.nodeIndexLimit = layout.nodeCount * layout.nodeFieldCount;
    this.elementType = layout.edgeTypeNames.indexOf('element');
    this.hiddenType = layout.edgeTypeNames.indexOf('hidden');
  }

  outcome(claimed: number, complete: boolean): EdgesFromEnd {
    return { claimed, records: this.records, start: this.start, maxStringName: this.maxStringName, complete };
  }

  /** Reads `count` more records, last field first; false at anything unexpected. */
  read(count: number): boolean {
    const { edgeFieldCount, edgeCount, nodeFieldCount } = this.layout;
    const { type: typeField, name: nameField, toNode: toField } = this.layout.edgeField;
    const { types, names, targets } = this.arrays;
    const { typeCount, nodeIndexLimit, elementType, hiddenType, chunks } = this;
    const buffer = chunks.buffer;
    let low = chunks.low;
    let index = this.index;
    let needComma = this.afterValue;
    let maxStringName = this.maxStringName;
    let record = edgeCount - 1 - this.records;
    const last = record - count;
    if (last < -1) return false;
    for (; record > last; record--) {
      for (let field = edgeFieldCount - 1; field >= 0; field--) {
        // The delimiter: whitespace and, after a value, one ','.
        for (;;) {
          if (index < low) {
            index = chunks.previous();
            low = chunks.low;
            if (index < 0) return false;
          }
          const byte = buffer[index];
          if (byte === COMMA && needComma) needComma = false;
          else if (!isWhitespace(byte)) break;
          index--;
        }
        if (needComma) return false;
        // The digits: never cut by a chunk's start (see BackwardChunks).
        let value = 0;
        let scale = 1;
        const end = index;
        for (; index >= low; index--) {
          const digit = buffer[index] - ZERO;
          if (digit >>> 0 > 9) break;
          value += digit * scale;
          scale *= 10;
        }
        if (index === end || end - index > MAX_DIGITS) return false;
        // What precedes them must end the value: ',', whitespace, or the '[' below the floor.
        if (index >= low && buffer[index] !== COMMA && !isWhitespace(buffer[index])) return false;
        needComma = true;
        if (field === typeField) {
          if (value >= typeCount) return false;
          types[record] = value;
        } else if (field === nameField) {
          if (value > 0xffffffff) return false;
          names[record] = value;
        } else if (field === toField) {
          if (value % nodeFieldCount !== 0 || value >= nodeIndexLimit) return false;
          targets[record] = value / nodeFieldCount;
        }
      }
      const type = types[record];
      if (names[record] > maxStringName && type !== elementType && type !== hiddenType) maxStringName = names[record];
    }
    // Only a complete read is used: what it leaves here need not hold after a failure.
    this.records += count;
    this.index = index;
    this.afterValue = needComma;
    this.maxStringName = maxStringName;
    this.start = chunks.offsetOf(index + 1);
    return true;
  }
}
