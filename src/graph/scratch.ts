/**
 * leakgraph/graph/scratch — one node-sized working array that the whole-heap phases of one
 * thread take in turn (a search stack, a queue, an owner per node).
 *
 * On a large heap each such array is tens of MB. Allocated once per phase, the dead ones
 * leave holes in the allocator's heap that the results allocated after them do not always
 * fill, and the holes stay resident to the end.
 */
export class Scratch {
  private array: Uint32Array | null = null;

  /** `length` slots of undefined contents, valid until the next call. */
  uint32(length: number): Uint32Array {
    if (this.array === null || this.array.length < length) this.array = new Uint32Array(length);
    return this.array.subarray(0, length);
  }

  /** Lets the array go, for the next allocation to take its memory. */
  release(): void {
    this.array = null;
  }
}
