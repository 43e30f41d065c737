/**
 * leakgraph/snapshot/errors — the one error type for broken input.
 *
 * Everything that is wrong with a file the user gave us (missing, truncated, not a heap
 * snapshot, inconsistent counts…) is a SnapshotError. The CLI prints its message as one line
 * and exits with code 2; every other error is a bug in leakgraph.
 */

import { LeakgraphError } from '../errors.js';

export class SnapshotError extends LeakgraphError {
  override name = 'SnapshotError';

  /**
   * @param file    the file (or stream name) being read
   * @param problem what is wrong, in words a user understands
   * @param section the top-level section ("nodes", "strings"…) where it was found, if any
   * @param offset  byte offset in the (decompressed) JSON text, where it helps
   */
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly section?: string,
    readonly offset?: number,
  ) {
    super(formatMessage(file, problem, section, offset));
  }
}

function formatMessage(file: string, problem: string, section?: string, offset?: number): string {
  // Always one line: problems may quote file content (e.g. JSON.parse's messages).
  problem = problem.replace(/\s+/g, ' ').trim();
  const where: string[] = [];
  if (section !== undefined) where.push(`in "${section}"`);
  if (offset !== undefined) where.push(`at byte ${offset}`);
  return `${file}: ${problem}${where.length ? ` (${where.join(', ')})` : ''}`;
}
