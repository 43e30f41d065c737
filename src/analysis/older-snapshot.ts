/**
 * leakgraph/analysis/older-snapshot — what `leaks` needs of a snapshot older than the final
 * one, and nothing more: its sorted object ids (BASE and TARGET), its same-process
 * fingerprint, the entry counts of the final snapshot's containers and the lengths of its
 * linked lists, and, for the few that grew at every step, their retained sizes.
 *
 * No dominators, distances or retainers are computed for it: classes only when there are
 * lists to follow, and retained sizes one search per asked-for node (graph/retained-of), with
 * the same figures the full graph would give. When a full graph was loaded anyway (the
 * report needs every heap), its figures are read from it.
 */

import type { InterfaceDefinition } from '../graph/classes.js';
import { classifyHeap, type ClassifiedHeap, type HeapGraph } from '../graph/heap-graph.js';
import { EphemeronNames } from '../graph/ephemerons.js';
import { IdIndex } from '../graph/id-index.js';
import { retainedSizesOf } from '../graph/retained-of.js';
import type { SizeArray } from '../snapshot/columns.js';
import type { HeapSnapshot } from '../snapshot/heap-snapshot.js';
import { CONTAINER_KINDS, ContainerKinds, countEntries } from './containers.js';
import { classInstances, snapshotInfo, type ClassInstances, type SnapshotInfo } from './growth.js';
import { listLength, type LinkedList } from './linked-lists.js';
import { processFingerprint, type ProcessFingerprint } from './same-process.js';

/** A list of the final snapshot, as looked for in an older one: its holder's id and its links. */
export type ListQuery = Pick<LinkedList, 'head' | 'next' | 'className'> & { holderId: number };

/** Entry counts of containers and lengths of lists; -1 where the object is gone or is another kind. */
export interface TrackCounts {
  entries: Float64Array;
  lengths: Float64Array;
}

/** What a comparison needs of its first snapshot, classified with the last one's shapes. */
export interface GrowthFacts {
  info: SnapshotInfo;
  instances: ClassInstances;
}

/** One older snapshot, answering in this thread or from a worker (analysis/older-snapshot-thread). */
export interface OlderSnapshot {
  /** Object ids, ascending. */
  readonly sortedIds: Uint32Array;
  readonly fingerprint: ProcessFingerprint;
  /**
   * Entries of the containers `containerIds` (kinds as codes of containers' ContainerKinds) and
   * lengths of `lists`, whose elements are told by class with the final snapshot's shapes.
   */
  counts(containerIds: Uint32Array, kindCodes: Uint8Array, lists: readonly ListQuery[], interfaces: InterfaceDefinition[]): Promise<TrackCounts>;
  /** Retained sizes of objects known to be in this snapshot, by id. */
  retainedSizes(ids: readonly number[]): Promise<Float64Array>;
  /** Its header numbers and instances per class for `growth`, with these shapes. */
  growthFacts(interfaces: InterfaceDefinition[]): Promise<GrowthFacts>;
  /** Lets go of the heap. */
  close(): void;
}

/** Entry counts of the containers at `nodes` in `heap`; -1 where one is gone (node -1) or is another kind. */
export function countContainers(heap: HeapSnapshot, nodes: Int32Array, kindCodes: Uint8Array): Float64Array {
  const ephemerons = new EphemeronNames(heap);
  const kinds = new ContainerKinds(heap);
  const entries = new Float64Array(nodes.length);
  for (let track = 0; track < nodes.length; track++) {
    const node = nodes[track];
    entries[track] = node < 0 || kinds.codeOf(node) !== kindCodes[track] ? -1 : countEntries(heap, ephemerons, node, CONTAINER_KINDS[kindCodes[track]]);
  }
  return entries;
}

/**
 * The answers, from a loaded snapshot, or from a full graph when there is one: then only its
 * retained sizes are kept once the counts are taken (asked for once), not the whole graph.
 */
export class OlderSnapshotFacts {
  readonly ids: IdIndex;
  readonly fingerprint: ProcessFingerprint;
  private heap: HeapSnapshot | null;
  private classified: ClassifiedHeap | null;
  private readonly graphRetained: SizeArray | null;

  constructor(heap: HeapSnapshot, graph: HeapGraph | null = null) {
    this.heap = heap;
    this.ids = IdIndex.of(heap);
    this.fingerprint = processFingerprint(heap);
    this.classified = graph;
    this.graphRetained = graph?.retainedSizes ?? null;
  }

  counts(containerIds: Uint32Array, kindCodes: Uint8Array, lists: readonly ListQuery[], interfaces: InterfaceDefinition[]): TrackCounts {
    const heap = this.heap!;
    const entries = countContainers(heap, Int32Array.from(containerIds, (id) => this.ids.find(id)), kindCodes);
    const lengths = new Float64Array(lists.length);
    // The lists' elements are told by class, with the newest snapshot's shapes as every
    // comparison classifies: classes are worked out only when there are lists.
    if (lists.length > 0) this.classify(interfaces);
    lists.forEach((list, track) => {
      const holder = this.ids.find(list.holderId);
      lengths[track] = holder < 0 ? -1 : listLength(this.classified!, holder, list);
    });
    if (this.graphRetained) this.heap = this.classified = null;
    return { entries, lengths };
  }

  growthFacts(interfaces: InterfaceDefinition[]): GrowthFacts {
    const heap = this.classify(interfaces);
    return { info: snapshotInfo(heap), instances: classInstances(heap) };
  }

  /** Classes with the final snapshot's shapes, worked out once (again for a graph loaded with other shapes). */
  private classify(interfaces: InterfaceDefinition[]): ClassifiedHeap {
    if (this.classified === null || !sameShapes(this.classified.interfaces, interfaces)) this.classified = classifyHeap(this.heap!, { interfaces });
    return this.classified;
  }

  retainedSizes(ids: readonly number[]): Float64Array {
    const nodes = ids.map((id) => this.ids.find(id));
    if (this.graphRetained) return Float64Array.from(nodes, (node) => this.graphRetained![node]);
    return retainedSizesOf(this.heap!, nodes);
  }
}

function sameShapes(a: readonly InterfaceDefinition[], b: readonly InterfaceDefinition[]): boolean {
  return a === b || (a.length === b.length && a.every((definition, index) => definition.name === b[index].name && definition.properties.join('\0') === b[index].properties.join('\0')));
}

/** The same answers as an OlderSnapshot, worked out in this thread. */
export function olderSnapshotHere(heap: HeapSnapshot, graph: HeapGraph | null = null): OlderSnapshot {
  let facts: OlderSnapshotFacts | null = new OlderSnapshotFacts(heap, graph);
  const open = () => facts ?? (() => {
    throw new Error('older snapshot used after close()');
  })();
  return {
    sortedIds: facts.ids.sortedIds,
    fingerprint: facts.fingerprint,
    counts: async (containerIds, kindCodes, lists, interfaces) => open().counts(containerIds, kindCodes, lists, interfaces),
    retainedSizes: async (ids) => open().retainedSizes(ids),
    growthFacts: async (interfaces) => open().growthFacts(interfaces),
    close: () => {
      facts = null;
    },
  };
}
