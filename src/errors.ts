/**
 * leakgraph/errors — the base of every error a user can act on.
 *
 * A broken file, a wrong option, a process that cannot be reached: each is a LeakgraphError,
 * whose message is one line naming the file or option and what is wrong. Front-ends print it
 * as `leakgraph: …` with exit code 2; any other error is a bug in leakgraph.
 */

export class LeakgraphError extends Error {
  override name = 'LeakgraphError';
}

/** An object id the heap does not have (an API answers it with 404). */
export class NotFoundError extends LeakgraphError {
  override name = 'NotFoundError';
}

/** Wrong use of a command: a missing argument, options that clash, a value out of range. */
export class UsageError extends LeakgraphError {
  override name = 'UsageError';
}
