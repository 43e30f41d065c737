/**
 * leakgraph/graph/essential-edges — the edges that count for dominators, as DevTools decides.
 *
 * An edge S → T retains T unless: it is the table → value edge of a WeakMap entry (the value
 * is kept by its key instead); it is weak; it is a self edge; or, when S is not the root, it
 * is a shortcut, or it goes from a node outside the page into a page-owned one (so handles of
 * the debugger or console do not dominate page objects).
 *
 * The rule is asked as the dominator searches meet each edge instead of being stored as a bit
 * per edge: a pass over every edge to store them would sit on the main thread before the
 * dominators' worker could start. It reads the heap's arrays in shared memory, and the WeakMap
 * entry names with their tables (a pair per live entry, copied), so a worker builds the same
 * rule from `data`.
 */

import type { HeapSnapshot } from '../snapshot/heap-snapshot.js';
import type { EphemeronNames } from './ephemerons.js';

/** Bits of `nodeFlags`. */
const PAGE_OWNED = 1;
const WEAK_MAP_TABLE = 2;

/** What the rule reads: shared arrays of the heap, and the WeakMap entries' names and tables. */
export interface EssentialEdgesData {
  rootOrdinal: number;
  edgeTypes: Uint8Array;
  edgeTargets: Uint32Array;
  edgeNames: Uint32Array;
  /** Per node, PAGE_OWNED and WEAK_MAP_TABLE (its id is the table id of a WeakMap entry's name). */
  nodeFlags: Uint8Array;
  weak: number;
  shortcut: number;
  internal: number;
  /** The WeakMap entry edge names (string indexes) and, at the same position, their tables' ids. */
  entryNames: Uint32Array;
  entryTableIds: Float64Array;
  /** The nodes flagged WEAK_MAP_TABLE and, at the same position, their ids. */
  tableNodes: Uint32Array;
  tableNodeIds: Float64Array;
}

export class EssentialEdges {
  private readonly types: Uint8Array;
  private readonly targets: Uint32Array;
  private readonly names: Uint32Array;
  private readonly flags: Uint8Array;
  private readonly root: number;
  private readonly weak: number;
  private readonly shortcut: number;
  private readonly internal: number;
  private readonly tableIdOfName = new Map<number, number>();
  private readonly tableIdOfNode = new Map<number, number>();

  /**
   * The rule for `heap`. It keeps `pageOwned` (from markPageOwned, in shared memory for a
   * worker) as its node flags and adds the WeakMap tables to it.
   */
  static of(heap: HeapSnapshot, pageOwned: Uint8Array, ephemerons: EphemeronNames): EssentialEdges {
    const entries = ephemerons.entries();
    const tableIds = new Set([...entries.values()].map((entry) => entry.tableId));
    const tableNodes: number[] = [];
    const tableNodeIds: number[] = [];
    if (tableIds.size > 0) {
      let lowest = Infinity;
      let highest = -Infinity;
      for (const id of tableIds) {
        lowest = Math.min(lowest, id);
        highest = Math.max(highest, id);
      }
      const ids = heap.nodeIds;
      for (let node = 0; node < heap.nodeCount; node++) {
        const id = ids[node];
        if (id < lowest || id > highest || !tableIds.has(id)) continue;
        pageOwned[node] |= WEAK_MAP_TABLE;
        tableNodes.push(node);
        tableNodeIds.push(id);
      }
    }
    const { weak, shortcut, internal } = heap.edgeType;
    return new EssentialEdges({
      rootOrdinal: heap.rootOrdinal,
      edgeTypes: heap.edgeTypes,
      edgeTargets: heap.edgeTargets,
      edgeNames: heap.edgeNames,
      nodeFlags: pageOwned,
      weak,
      shortcut,
      internal,
      entryNames: Uint32Array.from(entries.keys()),
      entryTableIds: Float64Array.from(entries.values(), (entry) => entry.tableId),
      tableNodes: Uint32Array.from(tableNodes),
      tableNodeIds: Float64Array.from(tableNodeIds),
    });
  }

  constructor(readonly data: EssentialEdgesData) {
    this.types = data.edgeTypes;
    this.targets = data.edgeTargets;
    this.names = data.edgeNames;
    this.flags = data.nodeFlags;
    this.root = data.rootOrdinal;
    this.weak = data.weak;
    this.shortcut = data.shortcut;
    this.internal = data.internal;
    data.entryNames.forEach((name, i) => this.tableIdOfName.set(name, data.entryTableIds[i]));
    data.tableNodes.forEach((node, i) => this.tableIdOfNode.set(node, data.tableNodeIds[i]));
  }

  /** Whether `edge`, one of `source`'s, retains its target. */
  has(edge: number, source: number): boolean {
    const type = this.types[edge];
    if (type === this.weak) return false;
    const target = this.targets[edge];
    if (target === source) return false;
    const sourceFlags = this.flags[source];
    if (source !== this.root && (type === this.shortcut || (this.flags[target] & PAGE_OWNED) > (sourceFlags & PAGE_OWNED))) return false;
    return type !== this.internal || (sourceFlags & WEAK_MAP_TABLE) === 0 || !this.isFromTable(edge, source);
  }

  /** A WeakMap entry's table → value edge: named for an entry of the table `source` is. */
  private isFromTable(edge: number, source: number): boolean {
    const tableId = this.tableIdOfName.get(this.names[edge]);
    return tableId !== undefined && tableId === this.tableIdOfNode.get(source);
  }
}
