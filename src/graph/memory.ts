/**
 * leakgraph/graph/memory — hands finished phases' typed arrays back to the system.
 *
 * A phase's working arrays (hundreds of MB on a large heap) become garbage when it ends, but V8
 * frees an array's memory only when a full GC finds its JS object dead, and the next phase
 * allocates its own first. Between the big phases of a large heap a full GC (tens of ms with
 * the small JS heap we keep) lowers the peak by the size of the dead arrays.
 */

import v8 from 'node:v8';
import vm from 'node:vm';

/** Below this many nodes the arrays are small and a GC would cost more than it saves. */
const LARGE_HEAP_NODES = 1_000_000;

let collect: (() => void) | null | undefined;

/** Runs a full GC when `nodeCount` makes the dead arrays worth it. */
export function releaseDeadArrays(nodeCount: number): void {
  if (nodeCount < LARGE_HEAP_NODES) return;
  if (collect === undefined) {
    try {
      // The flag makes new contexts get `gc`; the process's own global stays as it was.
      v8.setFlagsFromString('--expose-gc');
      collect = vm.runInNewContext('gc') as () => void;
    } catch {
      collect = null;
    }
  }
  collect?.();
}
