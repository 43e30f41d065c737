/**
 * leakgraph/analysis/source-lines — the text of a source line, when the script is a readable
 * local file (a `file://` URL or an absolute path), as memory_profiler shows each line.
 */

import { readFileSync, statSync } from 'node:fs';
import { localScriptPath } from '../graph/source-maps.js';

/** Files larger than this are not read for one line. */
const MAX_SOURCE_BYTES = 16 * 1024 * 1024;

/** Reads each script at most once. */
export class SourceLines {
  private readonly files = new Map<string, string[] | null>();

  /** The trimmed text of `line` (1-based) of the script, or null when it cannot be read. */
  line(url: string, line: number): string | null {
    if (line < 1) return null;
    const lines = this.lines(url);
    const text = lines?.[line - 1];
    return text === undefined ? null : text.trim();
  }

  private lines(url: string): string[] | null {
    let lines = this.files.get(url);
    if (lines === undefined) {
      lines = readLines(url);
      this.files.set(url, lines);
    }
    return lines;
  }
}

function readLines(url: string): string[] | null {
  const path = localScriptPath(url);
  if (path === null) return null;
  try {
    const stats = statSync(path);
    if (!stats.isFile() || stats.size > MAX_SOURCE_BYTES) return null;
    return readFileSync(path, 'utf8').split(/\r\n|\r|\n/);
  } catch {
    return null;
  }
}
