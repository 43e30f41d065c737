/**
 * Every exit code leakgraph uses, in one table.
 */

// 0: done.
/** A bug in leakgraph; or, with `leaks --fail` and `record --fail`, a leak was found. */
export const EXIT_FAILURE = 1;
export const EXIT_LEAKS_FOUND = 1;
/** Bad input or wrong use: one `leakgraph:` line on stderr says what. */
export const EXIT_BAD_INPUT = 2;
/** Stopped by Ctrl-C (128 + SIGINT), after writing what was complete. */
export const EXIT_INTERRUPTED = 130;
