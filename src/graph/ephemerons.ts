/**
 * leakgraph/graph/ephemerons — recognising WeakMap entry edges by name.
 *
 * For each live key → value pair of a WeakMap, V8 writes two internal edges to the value, one
 * from the key and one from the table, both named
 * "<n> / part of key (<key> @<id>) -> value (<value> @<id>) pair in WeakMap (table @<id>)".
 * A value is alive only while both key and table are; DevTools' distance and dominator rules
 * depend on telling the two edges apart.
 */

import type { HeapSnapshot } from '../snapshot/heap-snapshot.js';

export interface EphemeronEdge {
  /** The name without its leading counter: the same for both edges of one pair. */
  pair: string;
  /** Id of the WeakMap's table. */
  tableId: number;
}

const EPHEMERON_NAME = /^\d+( \/ part of key \(.*? @\d+\) -> value \(.*? @\d+\) pair in WeakMap \(table @(\d+)\))$/;
/** Found in every entry name: the strings worth matching against EPHEMERON_NAME. */
const ENTRY_NAME_PART = ' pair in WeakMap (table @';
/** Status 0, a fresh array's value, is "not looked at yet". */
const NOT_EPHEMERON = 1;
const EPHEMERON = 2;

/** Caches, per string index, whether an edge name is a WeakMap entry name. */
export class EphemeronNames {
  private readonly status: Uint8Array;
  private readonly matches = new Map<number, EphemeronEdge>();

  constructor(private readonly heap: HeapSnapshot) {
    this.status = new Uint8Array(heap.strings.length);
  }

  /** The parsed name if string `nameIndex` is a WeakMap entry edge name, else null. */
  match(nameIndex: number): EphemeronEdge | null {
    const status = this.status[nameIndex];
    if (status === NOT_EPHEMERON) return null;
    if (status === EPHEMERON) return this.matches.get(nameIndex)!;
    const found = EPHEMERON_NAME.exec(this.heap.strings.get(nameIndex));
    if (!found) {
      this.status[nameIndex] = NOT_EPHEMERON;
      return null;
    }
    const entry = { pair: found[1], tableId: Number(found[2]) };
    this.status[nameIndex] = EPHEMERON;
    this.matches.set(nameIndex, entry);
    return entry;
  }

  /** Every WeakMap entry edge name of the heap (string index) with its table's id. */
  entryTableIds(): Map<number, number> {
    const entries = new Map<number, number>();
    for (const index of this.heap.strings.indexesContaining(ENTRY_NAME_PART)) {
      const entry = this.match(index);
      if (entry !== null) entries.set(index, entry.tableId);
    }
    return entries;
  }
}
