/**
 * leakgraph/snapshot/byte-source — the bytes of a snapshot file, as a stream of chunks.
 *
 * Gzipped files are recognised by their magic bytes (1f 8b), never by their name, and
 * decompressed on the fly. A plain file is read into three buffers that take turns, so that
 * reading leaves no dead chunks behind; nothing here holds more of the file than that.
 */

import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { SnapshotError } from './errors.js';

// Larger chunks read no faster, and each reader thread holds three of them (51 MB snapshot:
// peak 183 MB with 8 MB chunks, 162 MB with 1 MB).
const CHUNK_SIZE = 1024 * 1024;

export interface ByteSource {
  /** The decompressed bytes, chunk by chunk. A plain file's chunk is valid only until the one after next is asked for: copy what must outlive that. */
  chunks: AsyncIterable<Buffer>;
  /** Size of the file on disk (compressed size for gzip), for progress. */
  fileSize: number;
  /** Bytes of the file on disk consumed so far, for progress. */
  bytesRead(): number;
  gzipped: boolean;
  /** For a plain file: its bytes from `offset` on (to skip a section read elsewhere). */
  openAt?: (offset: number) => AsyncIterator<Buffer>;
}

/**
 * Opens a snapshot file for streaming.
 * @throws SnapshotError when the file cannot be opened or is not a regular file.
 */
export async function openByteSource(file: string): Promise<ByteSource> {
  let fileSize: number;
  let magic: Buffer;
  try {
    const handle = await open(file, 'r');
    try {
      const stats = await handle.stat();
      if (!stats.isFile()) throw new SnapshotError(file, 'not a regular file');
      fileSize = stats.size;
      magic = Buffer.alloc(2);
      const { bytesRead } = await handle.read(magic, 0, 2, 0);
      magic = magic.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw asSnapshotError(file, error);
  }
  const gzipped = magic.length === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  if (gzipped) {
    const fileStream = createReadStream(file, { highWaterMark: CHUNK_SIZE });
    // pipeline() forwards an error of either stream to the one we iterate.
    const stream = pipeline(fileStream, createGunzip({ chunkSize: 1024 * 1024 }), () => {});
    return { chunks: wrapErrors(file, stream, true), fileSize, bytesRead: () => fileStream.bytesRead, gzipped };
  }
  const progress = { bytesRead: 0 };
  return {
    chunks: wrapErrors(file, readChunks(file, 0, progress), false),
    fileSize,
    bytesRead: () => progress.bytesRead,
    gzipped,
    openAt: (offset) => wrapErrors(file, readChunks(file, offset, progress), false)[Symbol.asyncIterator](),
  };
}

/**
 * A plain file's bytes from `offset` on; `progress.bytesRead` follows the offset reached.
 * Three buffers take turns: the chunk handed out, the one read ahead meanwhile, and the one
 * before, which the reader may still be copying a token's start from until it asks for the
 * next. So reading allocates no chunk for the collector to free later (dead chunks were
 * 12 MB of an 8.8 MB file's peak).
 */
async function* readChunks(file: string, offset: number, progress: { bytesRead: number }): AsyncGenerator<Buffer> {
  const buffers = [Buffer.allocUnsafeSlow(CHUNK_SIZE), Buffer.allocUnsafeSlow(CHUNK_SIZE), Buffer.allocUnsafeSlow(CHUNK_SIZE)];
  const handle = await open(file, 'r');
  let readAt = offset;
  const readInto = (buffer: Buffer) => {
    const read = handle.read(buffer, 0, CHUNK_SIZE, readAt);
    readAt += CHUNK_SIZE;
    read.catch(() => {}); // awaited below, unless the reader stops first
    return read;
  };
  let ahead: Promise<{ bytesRead: number }> = Promise.resolve({ bytesRead: 0 });
  try {
    ahead = readInto(buffers[0]);
    for (let turn = 0, reached = offset; ; turn = (turn + 1) % 3) {
      const { bytesRead } = await ahead;
      if (bytesRead === 0) return;
      progress.bytesRead = reached += bytesRead;
      // A short read is the end of the file.
      ahead = bytesRead === CHUNK_SIZE ? readInto(buffers[(turn + 1) % 3]) : Promise.resolve({ bytesRead: 0 });
      yield buffers[turn].subarray(0, bytesRead);
    }
  } finally {
    await ahead.catch(() => {});
    await handle.close();
  }
}

/** A plain file's bytes from `offset` on, for reading one section in another thread (each chunk valid until the one after next is asked for). */
export function openFileAt(file: string, offset: number): AsyncIterator<Buffer> {
  return wrapErrors(file, readChunks(file, offset, { bytesRead: offset }), false)[Symbol.asyncIterator]();
}

/** Wraps an in-memory or foreign stream (e.g. v8.getHeapSnapshot(), a web stream) as a byte source. */
export function streamByteSource(name: string, stream: AsyncIterable<Uint8Array | string>): ByteSource {
  let read = 0;
  async function* chunks(): AsyncGenerator<Buffer> {
    for await (const chunk of stream) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      read += bytes.length;
      yield bytes;
    }
  }
  return { chunks: wrapErrors(name, chunks(), false), fileSize: 0, bytesRead: () => read, gzipped: false };
}

async function* wrapErrors(file: string, stream: AsyncIterable<Buffer>, gzipped: boolean): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of stream) yield chunk;
  } catch (error) {
    throw asSnapshotError(file, error, gzipped);
  }
}

function asSnapshotError(file: string, error: unknown, gzipped = false): Error {
  if (error instanceof SnapshotError) return error;
  const err = error as NodeJS.ErrnoException;
  switch (err?.code) {
    case 'ENOENT':
      return new SnapshotError(file, 'no such file');
    case 'EACCES':
    case 'EPERM':
      return new SnapshotError(file, 'permission denied');
    case 'EISDIR':
      return new SnapshotError(file, 'is a directory, not a heap snapshot');
    case 'Z_BUF_ERROR':
      return new SnapshotError(file, 'truncated gzip data (the compressed file ends early)');
    case 'Z_DATA_ERROR':
    case 'Z_NEED_DICT':
      return new SnapshotError(file, `corrupt gzip data (${err.message})`);
  }
  if (gzipped && typeof err?.code === 'string' && err.code.startsWith('Z_')) {
    return new SnapshotError(file, `corrupt gzip data (${err.message})`);
  }
  if (gzipped && /unexpected end of file/i.test(err?.message ?? '')) {
    return new SnapshotError(file, 'truncated gzip data (the compressed file ends early)');
  }
  return error instanceof Error ? error : new Error(String(error));
}
