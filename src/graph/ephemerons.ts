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
/**
 * Found in every entry name, so the strings worth matching against EPHEMERON_NAME; it starts
 * with a character rare in other text, which keeps the native search fast over long strings.
 */
const ENTRY_NAME_PART = ') pair in WeakMap (table @';

/** The WeakMap entry edge names of a heap, found once by searching its strings. */
export class EphemeronNames {
  private found: { isEntry: Uint8Array; entries: Map<number, EphemeronEdge> } | null = null;

  constructor(private readonly heap: HeapSnapshot) {}

  /** The parsed name if string `nameIndex` is a WeakMap entry edge name, else null. */
  match(nameIndex: number): EphemeronEdge | null {
    const { isEntry, entries } = (this.found ??= this.find());
    return isEntry[nameIndex] === 1 ? entries.get(nameIndex)! : null;
  }

  /** Every WeakMap entry edge name of the heap, by string index. */
  entries(): ReadonlyMap<number, EphemeronEdge> {
    return (this.found ??= this.find()).entries;
  }

  private find(): { isEntry: Uint8Array; entries: Map<number, EphemeronEdge> } {
    const { strings } = this.heap;
    // A byte per string, so that asking about every internal edge costs one load each.
    const isEntry = new Uint8Array(strings.length);
    const entries = new Map<number, EphemeronEdge>();
    for (const index of strings.indexesContaining(ENTRY_NAME_PART)) {
      const found = EPHEMERON_NAME.exec(strings.get(index));
      if (!found) continue;
      isEntry[index] = 1;
      entries.set(index, { pair: found[1], tableId: Number(found[2]) });
    }
    return { isEntry, entries };
  }
}
