/**
 * leakgraph/analysis/containers — how many entries a Map, Set, WeakMap, WeakSet, Array or
 * dictionary-like plain object holds, read from its edges.
 *
 * V8 writes no element counts; entries show as edges. An Array has one `element` edge per
 * heap value; a plain object one `property` edge per property. A Map or Set keeps its
 * entries in an ordered hash table (internal edge `table`) whose slots are numbered internal
 * edges; an entry spans a fixed number of slots (key, value, chain for Map; key, chain for
 * Set) after a header of 3 slots and capacity/2 buckets, so the entry of a slot is known once
 * the capacity is, and the capacity follows from the table's size. A WeakMap or WeakSet table
 * has one ephemeron edge per live entry.
 */

import type { HeapSnapshot } from '../snapshot/heap-snapshot.js';
import type { EphemeronNames } from '../graph/ephemerons.js';

export type ContainerKind = 'Map' | 'Set' | 'WeakMap' | 'WeakSet' | 'Array' | 'Object';

const POINTER_SIZE = 8;
/** Map and length words in front of every FixedArray. */
const FIXED_ARRAY_HEADER = 2 * POINTER_SIZE;
/** Element count, deleted count and bucket count before the buckets of an ordered table. */
const ORDERED_TABLE_HEADER_SLOTS = 3;

/** The container kind of a node, or null when it is not one we count. */
export function containerKind(heap: HeapSnapshot, node: number): ContainerKind | null {
  if (heap.nodeTypes[node] !== heap.nodeType.object) return null;
  const name = heap.nodeName(node);
  switch (name) {
    case 'Map':
    case 'Set':
    case 'WeakMap':
    case 'WeakSet':
    case 'Array':
    case 'Object':
      return name;
    default:
      return null;
  }
}

/** Container kinds by code, as ContainerKinds gives them. */
export const CONTAINER_KINDS: readonly ContainerKind[] = ['Map', 'Set', 'WeakMap', 'WeakSet', 'Array', 'Object'];
const NOT_A_CONTAINER = 0xff;

/**
 * containerKind for many nodes of one heap, as a code (an index in CONTAINER_KINDS, or -1):
 * each distinct name's text is read once rather than once per node.
 */
export class ContainerKinds {
  /** Per string index: 0 not looked at yet, else 1 + code or NOT_A_CONTAINER. */
  private readonly byName: Uint8Array;

  constructor(private readonly heap: HeapSnapshot) {
    this.byName = new Uint8Array(heap.strings.length);
  }

  codeOf(node: number): number {
    const heap = this.heap;
    if (heap.nodeTypes[node] !== heap.nodeType.object) return -1;
    const name = heap.nodeNames[node];
    let known = this.byName[name];
    if (known === 0) {
      const kind = containerKind(heap, node);
      known = this.byName[name] = kind === null ? NOT_A_CONTAINER : 1 + CONTAINER_KINDS.indexOf(kind);
    }
    return known === NOT_A_CONTAINER ? -1 : known - 1;
  }
}

export function isWeakContainer(kind: ContainerKind): boolean {
  return kind === 'WeakMap' || kind === 'WeakSet';
}

/** Number of entries the container holds, as far as the snapshot shows them. */
export function countEntries(heap: HeapSnapshot, ephemerons: EphemeronNames, node: number, kind: ContainerKind): number {
  const { firstEdges, edgeTypes, edgeNames, strings } = heap;
  const types = heap.edgeType;
  let count = 0;
  switch (kind) {
    case 'Array':
      for (let edge = firstEdges[node]; edge < firstEdges[node + 1]; edge++) if (edgeTypes[edge] === types.element) count++;
      return count;
    case 'Object':
      for (let edge = firstEdges[node]; edge < firstEdges[node + 1]; edge++) {
        if (edgeTypes[edge] === types.property && !strings.equals(edgeNames[edge], '__proto__')) count++;
      }
      return count;
    default: {
      const table = heap.internalEdgeTarget(node, 'table');
      if (table < 0) return 0;
      if (kind === 'WeakMap' || kind === 'WeakSet') {
        for (let edge = firstEdges[table]; edge < firstEdges[table + 1]; edge++) {
          if (edgeTypes[edge] === types.internal && ephemerons.match(edgeNames[edge]) !== null) count++;
        }
        return count;
      }
      return countOrderedTableEntries(heap, table, kind === 'Map' ? 3 : 2);
    }
  }
}


/**
 * Entries of an OrderedHashMap/Set: distinct entry numbers among the slots that have edges.
 * Falls back to counting slot edges (an entry per `entrySlots - 1` of them) when the table's
 * size does not give a power-of-two capacity (another V8 layout).
 */
function countOrderedTableEntries(heap: HeapSnapshot, table: number, entrySlots: number): number {
  const slots = (heap.selfSizes[table] - FIXED_ARRAY_HEADER) / POINTER_SIZE;
  // slots = header + capacity / 2 buckets + capacity × entrySlots
  const capacity = (slots - ORDERED_TABLE_HEADER_SLOTS) / (entrySlots + 0.5);
  const knownLayout = Number.isInteger(capacity) && capacity >= 2 && (capacity & (capacity - 1)) === 0;
  const firstEntrySlot = ORDERED_TABLE_HEADER_SLOTS + capacity / 2;
  let count = 0;
  let lastEntry = -1;
  let slotEdges = 0;
  for (let edge = heap.firstEdges[table]; edge < heap.firstEdges[table + 1]; edge++) {
    if (heap.edgeTypes[edge] !== heap.edgeType.internal) continue;
    const slot = Number(heap.strings.get(heap.edgeNames[edge]));
    if (!Number.isInteger(slot)) continue;
    slotEdges++;
    if (!knownLayout || slot < firstEntrySlot) continue;
    // Slots come in increasing order, so equal entry numbers are adjacent.
    const entry = Math.floor((slot - firstEntrySlot) / entrySlots);
    if (entry !== lastEntry) {
      count++;
      lastEntry = entry;
    }
  }
  return knownLayout ? count : Math.ceil(slotEdges / (entrySlots - 1));
}
