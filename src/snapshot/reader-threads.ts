/**
 * leakgraph/snapshot/reader-threads — how many worker threads of ours are reading snapshots
 * right now (`leaks` reads its older snapshots in one while the final one loads).
 *
 * The loader reads a large file's edges in a thread of its own only when a core is free for
 * it: with every core already reading, another reader adds its start-up and shared-memory
 * faults and takes nothing off the others (`leaks` of the bench triple: 0.2 s less CPU and
 * shorter runs without the final snapshot's edge thread).
 */

import { availableParallelism } from 'node:os';

let reading = 0;

/** Counts a reader thread as started; call the function returned once it has read everything. */
export function readerThreadStarted(): () => void {
  reading++;
  let finished = false;
  return () => {
    if (!finished) reading--;
    finished = true;
  };
}

/** Whether a core is free for one more reader thread beside this one and those reading (true while none is). */
export function coreFreeForReader(): boolean {
  return reading === 0 || availableParallelism() > 1 + reading;
}
