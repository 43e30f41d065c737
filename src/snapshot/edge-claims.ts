/**
 * leakgraph/snapshot/edge-claims — how two threads share the reading of one `edges` array.
 *
 * The edge thread reads records from the start; the main thread, once its own sections are
 * read, reads from the end instead of waiting. Each takes records a batch at a time from one
 * shared count of records nobody has claimed, so the two parts never overlap and meet where
 * the count runs out.
 */

export class EdgeClaims {
  /** @param unclaimed one slot in shared memory: records neither thread has taken yet (up to 2^32 - 1, as edge counts) */
  constructor(readonly unclaimed: Uint32Array) {}

  /** A count of `records` in shared memory, `edgesFromEnd` of them already the end's (tests). */
  static shared(records: number, edgesFromEnd = 0): EdgeClaims {
    const unclaimed = new Uint32Array(new SharedArrayBuffer(4));
    unclaimed[0] = Math.max(0, records - edgesFromEnd);
    return new EdgeClaims(unclaimed);
  }

  /** Takes up to `wanted` records; how many were taken (0 once none are left). */
  claim(wanted: number): number {
    for (;;) {
      const left = Atomics.load(this.unclaimed, 0);
      if (left === 0 || wanted <= 0) return 0;
      const taken = Math.min(wanted, left);
      if (Atomics.compareExchange(this.unclaimed, 0, left, left - taken) === left) return taken;
    }
  }

  /** Leaves nothing more to claim: the worker found an error, and its part is all that counts. */
  stop(): void {
    Atomics.store(this.unclaimed, 0, 0);
  }
}
