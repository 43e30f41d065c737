/**
 * leakgraph/profile/sampling-env — how `leakgraph allocs -- node app.js` tells the preloaded
 * sampling module what to do: environment variables, removed by the module as it starts so
 * the program and its children never see them.
 */

/** Path the profile is written to when the program exits; the module does nothing without it. */
export const PROFILE_PATH_ENV = 'LEAKGRAPH_ALLOCS_PROFILE';
/** Average bytes between samples (V8's default: 512 KiB). */
export const INTERVAL_ENV = 'LEAKGRAPH_ALLOCS_INTERVAL';
/** "1": keep the samples of objects the garbage collector freed, too. */
export const INCLUDE_COLLECTED_ENV = 'LEAKGRAPH_ALLOCS_INCLUDE_COLLECTED';

/** V8's default sampling interval. */
export const DEFAULT_SAMPLING_INTERVAL = 512 * 1024;
