/**
 * leakgraph/snapshot/edges-from-end — the main thread's share of a large `edges` array, read
 * backwards from its ']' in records claimed from the edge thread (edge-claims) while the
 * worker reads forwards. On a large file the main thread's sections (nodes, strings) are
 * read before the worker's edges, and it would otherwise wait.
 *
 * No problem of the file is reported here: at anything the sequential reader would not accept
 * silently (a sign, a fraction, a value out of range, a missing or doubled ','), the reading
 * stops, and the loader reads the array again sequentially, so that errors come in file order
 * and in its words.
 */

import { closeSync, openSync, readSync } from 'node:fs';
import { edgeValueProblem, type EdgeArrays } from './columns.js';
import type { EdgeClaims } from './edge-claims.js';
import { Bytes, isWhitespace } from './json-reader.js';
import type { SnapshotLayout } from './meta.js';

export interface EdgesFromEnd {
  /** Records taken from the claims, read or not. */
  claimed: number;
  /** Records read: the array's last ones, from edgeCount - records on. */
  records: number;
  /** Offset of the first digit of the value read last (the lowest in the file); the ']' when none was. */
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
/** Bytes between the two parts: a ',' and whitespace, never this much. */
const MAX_GAP = 4096;

/**
 * Reads records from the end of the edges array whose '[' is at `arrayStart` and ']' at
 * `close` into `arrays`, claiming them from `claims` until none are left; or, given
 * `edgesFromEnd` (tests), exactly that many, which the claims left to it.
 */
export function readEdgesFromEnd(
  file: string,
  arrayStart: number,
  close: number,
  layout: SnapshotLayout,
  arrays: EdgeArrays,
  claims: EdgeClaims,
  edgesFromEnd?: number,
  chunkSize = CHUNK_SIZE,
): EdgesFromEnd {
  const fd = openSync(file, 'r');
  try {
    const reader = new EdgeRecordsBackward(new BackwardChunks(fd, arrayStart + 1, close, chunkSize), layout, arrays, close);
    let claimed = 0;
    for (;;) {
      const claimedNow = edgesFromEnd === undefined ? claims.claim(CLAIM_RECORDS) : Math.min(edgesFromEnd, layout.edgeCount) - claimed;
      if (claimedNow === 0) break;
      claimed += claimedNow;
      if (!reader.read(claimedNow)) return reader.outcome(claimed, false);
    }
    return reader.outcome(claimed, true);
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether the worker's part (its first `records` records, ending at byte `end`) and the part
 * read from the end make the whole array: every record read, and between the two only
 * whitespace and one ',' (none when the worker's part is empty and ends at the '[').
 */
export function partsMeet(file: string, layout: SnapshotLayout, forward: { records: number; end: number }, backward: EdgesFromEnd): boolean {
  if (!backward.complete || forward.records + backward.records !== layout.edgeCount) return false;
  const length = backward.start - forward.end;
  const comma = forward.records > 0;
  if (length < (comma ? 1 : 0) || length > MAX_GAP) return false;
  const gap = Buffer.alloc(length);
  const fd = openSync(file, 'r');
  try {
    if (!readExactly(fd, gap, length, forward.end)) return false;
  } finally {
    closeSync(fd);
  }
  let commas = 0;
  for (const byte of gap) {
    if (byte === Bytes.COMMA) commas++;
    else if (!isWhitespace(byte)) return false;
  }
  return commas === (comma ? 1 : 0);
}

/** Reads `length` bytes at `position` into the start of `buffer`; false if the file ends first. */
function readExactly(fd: number, buffer: Buffer, length: number, position: number): boolean {
  for (let filled = 0; filled < length; ) {
    const read = readSync(fd, buffer, filled, length - filled, position + filled);
    if (read === 0) return false;
    filled += read;
  }
  return true;
}

/**
 * A file read backwards a chunk at a time, never before `floor`. Every chunk but the floor's
 * starts after its first non-digit, so that no value is cut between two chunks.
 */
class BackwardChunks {
  readonly buffer: Buffer;
  /** Index in `buffer` where the current chunk's own bytes start; those below it come again in the next chunk. */
  ownStart = 0;
  /** File offset of buffer[0]. */
  private windowStart: number;

  constructor(
    private readonly fd: number,
    private readonly floor: number,
    end: number,
    chunkSize: number,
  ) {
    this.buffer = Buffer.allocUnsafe(chunkSize);
    this.windowStart = end;
  }

  /** Reads the chunk before the current one: the index of its last byte, or -1 at the floor (or for a chunk of digits only). */
  previous(): number {
    const end = this.windowStart + this.ownStart;
    const start = Math.max(this.floor, end - this.buffer.length);
    if (start >= end) return -1;
    const length = end - start;
    if (!readExactly(this.fd, this.buffer, length, start)) return -1;
    let ownStart = 0;
    if (start > this.floor) while (ownStart < length && this.buffer[ownStart] - Bytes.ZERO >>> 0 <= 9) ownStart++;
    this.windowStart = start;
    this.ownStart = ownStart;
    return ownStart < length ? length - 1 : -1;
  }

  offsetOf(index: number): number {
    return this.windowStart + index;
  }
}

/** Values met last to first, checked and stored as `EdgeColumns` does. */
class EdgeRecordsBackward {
  private records = 0;
  private start: number;
  private maxStringName = 0;
  /** Whether a ',' must come before the next value (not right before the ']'). */
  private needComma = false;
  /** Index in the chunk of the next byte to look at, going down. */
  private index = -1;
  private readonly elementType: number;
  private readonly hiddenType: number;

  constructor(
    private readonly chunks: BackwardChunks,
    private readonly layout: SnapshotLayout,
    private readonly arrays: EdgeArrays,
    close: number,
  ) {
    this.start = close;
    this.elementType = layout.edgeTypeNames.indexOf('element');
    this.hiddenType = layout.edgeTypeNames.indexOf('hidden');
  }

  outcome(claimed: number, complete: boolean): EdgesFromEnd {
    return { claimed, records: this.records, start: this.start, maxStringName: this.maxStringName, complete };
  }

  /** Reads `count` more records, last field first; false at anything unexpected. */
  read(count: number): boolean {
    const { layout, elementType, hiddenType } = this;
    const { edgeFieldCount, edgeCount, nodeFieldCount } = layout;
    const { type: typeField, name: nameField, toNode: toField } = layout.edgeField;
    const { types, names, targets } = this.arrays;
    const last = edgeCount - 1 - this.records - count;
    if (last < -1) return false;
    for (let record = edgeCount - 1 - this.records; record > last; record--) {
      for (let field = edgeFieldCount - 1; field >= 0; field--) {
        const value = this.previousValue();
        if (value < 0 || edgeValueProblem(layout, record, field, value) !== null) return false;
        if (field === typeField) types[record] = value;
        else if (field === nameField) names[record] = value;
        else if (field === toField) targets[record] = value / nodeFieldCount;
      }
      const type = types[record];
      if (names[record] > this.maxStringName && type !== elementType && type !== hiddenType) this.maxStringName = names[record];
    }
    this.records += count;
    this.start = this.chunks.offsetOf(this.index + 1);
    return true;
  }

  /** The value before the current position (its ',' consumed), or -1 when what comes is not `digits ws* , ws*`. */
  private previousValue(): number {
    const chunks = this.chunks;
    const buffer = chunks.buffer;
    let index = this.index;
    let ownStart = chunks.ownStart;
    let needComma = this.needComma;
    // The delimiter: whitespace and, after a value, one ','.
    for (;;) {
      if (index < ownStart) {
        index = chunks.previous();
        ownStart = chunks.ownStart;
        if (index < 0) return -1;
      }
      const byte = buffer[index];
      if (byte === Bytes.COMMA && needComma) needComma = false;
      else if (!isWhitespace(byte)) break;
      index--;
    }
    if (needComma) return -1;
    // The digits: never cut by a chunk's start (see BackwardChunks).
    let value = 0;
    let scale = 1;
    const lastDigit = index;
    for (; index >= ownStart; index--) {
      const digit = buffer[index] - Bytes.ZERO;
      if (digit >>> 0 > 9) break;
      value += digit * scale;
      scale *= 10;
    }
    if (index === lastDigit || lastDigit - index > MAX_DIGITS) return -1;
    // What precedes them must end the value: ',', whitespace, or the '[' below the floor.
    if (index >= ownStart && buffer[index] !== Bytes.COMMA && !isWhitespace(buffer[index])) return -1;
    this.index = index;
    this.needComma = true;
    return value;
  }
}
