/**
 * leakgraph/io/atomic-file — output files are written whole or not at all.
 *
 * A regular file is written under a temporary name beside it and renamed into place, so a
 * failure or an interrupt never leaves a half-written file where a reader expects a whole one.
 * A symbolic link is followed: the file it names is the one replaced. Anything else that
 * exists (a device such as /dev/stdout, a pipe) is written to directly: renaming over it would
 * replace the device with a file.
 */

import { constants, createWriteStream, type WriteStream } from 'node:fs';
import { access, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
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

/** Where to write `file`: its real path when it is a link; whether it is a device or pipe. */
async function target(file: string): Promise<{ path: string; special: boolean }> {
  const real = await realpath(file).catch(() => file);
  const info = await stat(real).catch(() => null);
  return { path: real, special: info !== null && !info.isFile() && !info.isDirectory() };
}

/** Writes `data` to `file` whole or not at all. */
export async function writeFileAtomically(file: string, data: string | Uint8Array): Promise<void> {
  const { path, special } = await target(file);
  if (special) {
    await writeFile(path, data).catch((error: unknown) => {
      throw cannotWrite(file, error);
    });
    return;
  }
  const partial = temporaryName(path);
  try {
    await writeFile(partial, data);
    await rename(partial, path);
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

/**
 * Opens `file` for streaming, whole or not at all, as writeFileAtomically writes (a link
 * followed, a device written in place); `highWaterMark` as for a write stream.
 */
export async function openFileAtomically(file: string, options: { highWaterMark?: number } = {}): Promise<AtomicFile> {
  const { path, special } = await target(file);
  const partial = special ? path : temporaryName(path);
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
        if (!special) await rename(partial, path);
      } catch (error) {
        if (!special) await rm(partial, { force: true });
        throw cannotWrite(file, error);
      }
    },
    async abort() {
      stream.destroy();
      if (!special) await rm(partial, { force: true });
    },
  };
}

/**
 * Checks, before any work, that `file` can be written: its folder exists and takes new files,
 * and `file` is not a folder. Failing after minutes of loading for a typo in `-o` helps nobody.
 */
export async function checkOutputPath(file: string): Promise<void> {
  const { path, special } = await target(file);
  if (special) return;
  const folder = dirname(resolve(path));
  const info = await stat(folder).catch(() => null);
  if (!info?.isDirectory()) throw new LeakgraphError(`cannot write ${file}: no such directory`);
  const existing = await stat(path).catch(() => null);
  if (existing?.isDirectory()) throw new LeakgraphError(`cannot write ${file}: it is a directory`);
  await access(folder, constants.W_OK).catch(() => {
    throw new LeakgraphError(`cannot write ${file}: permission denied`);
  });
}
