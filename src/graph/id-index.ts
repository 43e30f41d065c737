/**
 * leakgraph/graph/id-index — find a node by its snapshot id, in typed arrays.
 *
 * Ids are sorted once (radix sort on the 32-bit ids, carrying ordinals), then looked up by
 * binary search. No Map or Set over all ids: those stop at 2^24 entries.
 */

import type { HeapSnapshot } from '../snapshot/heap-snapshot.js';

/** Position of `id` in an ascending array of ids, or -1 (binary search). */
export function sortedPosition(sortedIds: Uint32Array, id: number): number {
  const position = firstAtLeast(sortedIds, id, 0, sortedIds.length);
  return position < sortedIds.length && sortedIds[position] === id ? position : -1;
}

/** The first position in [low, high) of an ascending array whose value is at least `id` (high when none). */
function firstAtLeast(sortedIds: Uint32Array, id: number, low: number, high: number): number {
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sortedIds[middle] < id) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Per entry of `ids`, 1 when `sortedIds` (ascending) holds it. V8 writes nodes mostly in
 * ascending id order (a descent every 40 nodes or so), so instead of sorting `ids`, each
 * ascending run gallops forward through `sortedIds` from where the last id was found.
 */
export function presentAmong(ids: Uint32Array, sortedIds: Uint32Array): Uint8Array {
  const present = new Uint8Array(ids.length);
  const size = sortedIds.length;
  let at = 0; // sortedIds[at - 1] < the previous id
  let previous = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (id < previous) at = 0;
    previous = id;
    // Gallop: the first position at or past `at` whose value is at least `id`.
    let step = 1;
    let low = at;
    while (low + step < size && sortedIds[low + step - 1] < id) {
      low += step;
      step *= 2;
    }
    at = firstAtLeast(sortedIds, id, low, Math.min(low + step, size));
    if (at < size && sortedIds[at] === id) present[i] = 1;
  }
  return present;
}

/** Indexes made, per heap: leaks, report and a server ask one heap for many ids, and each index sorts every id. */
const indexes = new WeakMap<HeapSnapshot, IdIndex>();

export class IdIndex {
  /** The heap's index, made on first use and kept while the heap lives. */
  static of(heap: HeapSnapshot): IdIndex {
    let index = indexes.get(heap);
    if (!index) indexes.set(heap, (index = new IdIndex(heap)));
    return index;
  }

  /** Ids in ascending order. */
  readonly sortedIds: Uint32Array;
  /** Ordinal of the node with sortedIds[i]. */
  readonly ordinals: Uint32Array;

  constructor(heap: Pick<HeapSnapshot, 'nodeCount' | 'nodeIds'>) {
    // LSD radix sort, 16 bits at a time: both digits counted in one pass, then two stable
    // passes, the first straight from the id column (the ordinal is the position there).
    const n = heap.nodeCount;
    const ids = heap.nodeIds;
    const lowStarts = new Uint32Array(65537);
    const highStarts = new Uint32Array(65537);
    for (let i = 0; i < n; i++) {
      const id = ids[i];
      lowStarts[(id & 0xffff) + 1]++;
      highStarts[(id >>> 16) + 1]++;
    }
    for (let digit = 0; digit < 65536; digit++) {
      lowStarts[digit + 1] += lowStarts[digit];
      highStarts[digit + 1] += highStarts[digit];
    }
    const byLowIds = new Uint32Array(n);
    const byLowOrdinals = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const slot = lowStarts[ids[i] & 0xffff]++;
      byLowIds[slot] = ids[i];
      byLowOrdinals[slot] = i;
    }
    const sortedIds = new Uint32Array(n);
    const ordinals = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const id = byLowIds[i];
      const slot = highStarts[id >>> 16]++;
      sortedIds[slot] = id;
      ordinals[slot] = byLowOrdinals[i];
    }
    this.sortedIds = sortedIds;
    this.ordinals = ordinals;
  }

  /** Ordinal of the node with this id, or -1. */
  find(id: number): number {
    const position = sortedPosition(this.sortedIds, id);
    return position < 0 ? -1 : this.ordinals[position];
  }

  /** True when a node with this id exists. */
  has(id: number): boolean {
    return this.find(id) >= 0;
  }
}
