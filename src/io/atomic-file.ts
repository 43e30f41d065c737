/**
 * leakgraph/io/atomic-file — output files are written whole or not at all.
 *
 * Everything is written under a temporary name beside the file and renamed into place, so a
 * failure or an interrupt never leaves a half-written file where a reader expects a whole one.
 */

import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { LeakgraphError } from '../errors.js';

function temporaryName(file: string): string {
  return `${file}.partial-${process.pid}`;
}

function cannotWrite(file: string, error: unknown): LeakgraphError {
  const err = error as NodeJS.ErrnoException;
  const why = err.code === 'ENOENT' ? 'no such directory' : err.code === 'EACCES' ? 'permission denied' : err.code === 'EISDIR' ? 'it is a directory' : err.message;
  return new LeakgraphError(`cannot write ${file}: ${why}`);
}

/** Writes `data` to `file` whole or not at all. */
export async function writeFileAtomically(file: string, data: string | Uint8Array): Promise<void> {
  const partial = temporaryName(file);
  try {
    await writeFile(partial, data);
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw cannotWrite(file, error);
  }
}

/** A file being streamed: `commit` renames it into place, `abort` removes what was written. */
export interface AtomicFile {
  readonly stream: WriteStream;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/** Opens `file` for streaming, whole or not at all; `highWaterMark` as for a write stream. */
export function openFileAtomically(file: string, options: { highWaterMark?: number } = {}): AtomicFile {
  const partial = temporaryName(file);
  const stream = createWriteStream(partial, { highWaterMark: options.highWaterMark });
  let failure: unknown = null;
  stream.on('error', (error) => {
    failure ??= error;
  });
  return {
    stream,
    async commit() {
      await new Promise<void>((done) => (stream.writableFinished || stream.destroyed ? done() : stream.end(done)));
      try {
        if (failure) throw failure;
        await rename(partial, file);
      } catch (error) {
        await rm(partial, { force: true });
        throw cannotWrite(file, error);
      }
    },
    async abort() {
      stream.destroy();
      await rm(partial, { force: true });
    },
  };
}

/**
 * Checks, before any work, that `file` can be created: its folder exists and `file` is not a
 * folder. Failing after minutes of loading for a typo in `-o` helps nobody.
 */
export async function checkOutputPath(file: string): Promise<void> {
  const folder = dirname(resolve(file));
  const info = await stat(folder).catch(() => null);
  if (!info?.isDirectory()) throw new LeakgraphError(`cannot write ${file}: no such directory`);
  const existing = await stat(file).catch(() => null);
  if (existing?.isDirectory()) throw new LeakgraphError(`cannot write ${file}: it is a directory`);
}
