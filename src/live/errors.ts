/**
 * leakgraph/live/errors — the one error for failures with a live process: an inspector that
 * cannot be reached or goes away, a program that does not start, a snapshot that cannot be
 * written, a timeline file that cannot be read. The CLI turns it into one line and exit code 2.
 */

import { LeakgraphError } from '../errors.js';

export class LiveError extends LeakgraphError {
  override name = 'LiveError';
}
