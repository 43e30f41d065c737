/**
 * `--source-maps DIR` and `--no-source-maps`, for every command that prints where functions
 * are: one helper, so that each command adds them with one call.
 */

import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { SourceMapOptions } from '../src/graph/source-maps.js';

export interface SourceMapCliOptions {
  /** `{ directories }` from `--source-maps DIR` (given again for more), `false` from `--no-source-maps`; unset: the default. */
  sourceMaps?: SourceMapOptions | false;
}

/** Adds the source-map options; their value is the library's `sourceMaps` load option as is. */
export function withSourceMapOptions(command: Command): Command {
  return command
    .option('--source-maps <dir>', 'look for source maps in DIR too (again for more directories); a map a script names, inline or as a file, or SCRIPT.map beside it is always used', addDirectory)
    .option('--no-source-maps', 'print positions in the JavaScript that ran, not in its original sources');
}

function addDirectory(directory: string, previous: SourceMapOptions | false | undefined): SourceMapOptions {
  let isDirectory = false;
  try {
    isDirectory = statSync(directory).isDirectory();
  } catch {
    // Reported below, as for a file.
  }
  if (!isDirectory) throw new InvalidArgumentError(`${directory} is not a directory`);
  return { directories: [...(previous ? (previous.directories ?? []) : []), resolve(directory)] };
}
