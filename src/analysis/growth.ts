/**
 * leakgraph/analysis/growth — what grew between snapshots of one process: objgraph's
 * show_growth, with the numbers of DevTools' Comparison view.
 *
 * DevTools compares two snapshots class by class: per public class key it walks the ids of
 * the base snapshot's instances and the newer snapshot's instances, both in ascending order
 * (only nodes whose shallow size after the reassignment of internals is non-zero). An id only
 * in the base is a deleted object, an id only in the newer snapshot a new one; an id in both
 * is the same object. The base must be classified with the newer snapshot's shape classes
 * (`InterfaceDefinition`s) so that plain-object keys agree.
 *
 * Growth over several snapshots compares the first with the last that way, and adds each
 * snapshot's instance count per class (all snapshots classified with the last one's shapes).
 */

import type { ClassifiedHeap } from '../graph/heap-graph.js';
import { IdIndex } from '../graph/id-index.js';

/**
 * Per class, the ids and shallow sizes of its instances with non-zero shallow size, by
 * ascending id: all that a comparison needs of one snapshot.
 */
export interface ClassInstances {
  /** Public class key per class slot (as in `ClassTable.keys`). */
  keys: string[];
  /** Class name per class slot. */
  names: string[];
  /** The instances of class slot c are at [start[c], start[c + 1]) of `ids` and `sizes`. */
  start: Uint32Array;
  ids: Uint32Array;
  /** DevTools' shallow sizes (after reassignment), parallel to `ids`. */
  sizes: Float64Array;
}

/** One class in DevTools' Comparison view (its `Diff` for a class key). */
export interface ClassDiff {
  key: string;
  /** The newer snapshot's class name, else the base's. */
  name: string;
  /** "# New": instances whose id is not in the base. */
  addedCount: number;
  /** "# Deleted": base instances whose id is not in the newer snapshot. */
  removedCount: number;
  /** "Alloc. Size": shallow size of the new instances. */
  addedSize: number;
  /** "Freed Size": shallow size of the deleted instances. */
  removedSize: number;
  countDelta: number;
  sizeDelta: number;
}

/** One class of `leakgraph growth`: counts per snapshot and the first-to-last comparison. */
export interface ClassGrowth {
  key: string;
  name: string;
  /** Instances (non-zero shallow size) in each snapshot, in the order given. */
  counts: number[];
  /** Instances of the last snapshot whose id is not in the first. */
  new: number;
  /** Instances of the first snapshot whose id is not in the last. */
  deleted: number;
  /** new − deleted. */
  countDelta: number;
  /** Shallow size of the new instances. */
  allocSize: number;
  /** Shallow size of the deleted instances. */
  freedSize: number;
  /** allocSize − freedSize. */
  sizeDelta: number;
  /** The count grew at every step from one snapshot to the next. */
  grewEveryStep: boolean;
}

export type GrowthSort = 'count' | 'size';

/** Sizes of one snapshot for a report header, from a classes-only load. */
export interface SnapshotInfo {
  file: string;
  nodeCount: number;
  edgeCount: number;
  /** DevTools' total: every node's shallow size (the root's retained size) plus extra_native_bytes. */
  totalSize: number;
}

/** Groups a snapshot's non-zero-size instances by class, each class's ids ascending. */
export function classInstances(heap: ClassifiedHeap): ClassInstances {
  const { classOf, names, keys } = heap.classes;
  const { shallowSizes } = heap;
  const classCount = names.length;
  const start = new Uint32Array(classCount + 1);
  let total = 0;
  for (let node = 0; node < classOf.length; node++) {
    if (shallowSizes[node] === 0) continue;
    start[classOf[node] + 1]++;
    total++;
  }
  for (let c = 0; c < classCount; c++) start[c + 1] += start[c];
  const ids = new Uint32Array(total);
  const sizes = new Float64Array(total);
  const next = start.slice(0, classCount);
  // Visiting nodes by ascending id fills each class's range in id order.
  const { sortedIds, ordinals } = IdIndex.of(heap.snapshot);
  for (let i = 0; i < sortedIds.length; i++) {
    const node = ordinals[i];
    const size = shallowSizes[node];
    if (size === 0) continue;
    const slot = next[classOf[node]]++;
    ids[slot] = sortedIds[i];
    sizes[slot] = size;
  }
  return { keys: [...keys], names: [...names], start, ids, sizes };
}

/** Instances per class key (non-zero shallow size only; classes with none left out). */
export function classCounts(heap: ClassifiedHeap): Map<string, number> {
  const { classOf, keys } = heap.classes;
  const { shallowSizes } = heap;
  const perClass = new Float64Array(keys.length);
  for (let node = 0; node < classOf.length; node++) {
    if (shallowSizes[node] !== 0) perClass[classOf[node]]++;
  }
  const counts = new Map<string, number>();
  keys.forEach((key, c) => {
    if (perClass[c] > 0) counts.set(key, perClass[c]);
  });
  return counts;
}

/** Instances per class key of grouped instances (classes with none left out). */
export function instanceCounts(instances: ClassInstances): Map<string, number> {
  const counts = new Map<string, number>();
  instances.keys.forEach((key, c) => {
    const count = instances.start[c + 1] - instances.start[c];
    if (count > 0) counts.set(key, count);
  });
  return counts;
}

/** Header numbers of a snapshot; needs no dominators (every node is under the root). */
export function snapshotInfo(heap: ClassifiedHeap): SnapshotInfo {
  const { shallowSizes } = heap;
  let total = 0;
  for (let node = 0; node < shallowSizes.length; node++) total += shallowSizes[node];
  const { snapshot } = heap;
  return { file: snapshot.file, nodeCount: snapshot.nodeCount, edgeCount: snapshot.edgeCount, totalSize: total + snapshot.extraNativeBytes };
}

/** Class slot per key, for classes with at least one instance. */
function slotsByKey(instances: ClassInstances): Map<string, number> {
  const slots = new Map<string, number>();
  instances.keys.forEach((key, c) => {
    if (instances.start[c + 1] > instances.start[c]) slots.set(key, c);
  });
  return slots;
}

/**
 * DevTools' comparison of `current` against `base` (base classified with current's shape
 * classes): one row per class key with at least one new or deleted instance, in no
 * particular order.
 */
export function diffClasses(base: ClassInstances, current: ClassInstances): ClassDiff[] {
  const baseSlots = slotsByKey(base);
  const currentSlots = slotsByKey(current);
  const rows: ClassDiff[] = [];
  const compare = (key: string, baseSlot: number | undefined, currentSlot: number | undefined) => {
    let i = baseSlot === undefined ? 0 : base.start[baseSlot];
    const iEnd = baseSlot === undefined ? 0 : base.start[baseSlot + 1];
    let j = currentSlot === undefined ? 0 : current.start[currentSlot];
    const jEnd = currentSlot === undefined ? 0 : current.start[currentSlot + 1];
    let addedCount = 0;
    let removedCount = 0;
    let addedSize = 0;
    let removedSize = 0;
    while (i < iEnd && j < jEnd) {
      const baseId = base.ids[i];
      const currentId = current.ids[j];
      if (baseId < currentId) {
        removedCount++;
        removedSize += base.sizes[i++];
      } else if (baseId > currentId) {
        addedCount++;
        addedSize += current.sizes[j++];
      } else {
        i++;
        j++;
      }
    }
    for (; i < iEnd; i++) {
      removedCount++;
      removedSize += base.sizes[i];
    }
    for (; j < jEnd; j++) {
      addedCount++;
      addedSize += current.sizes[j];
    }
    if (addedCount === 0 && removedCount === 0) return;
    const name = currentSlot !== undefined ? current.names[currentSlot] : base.names[baseSlot!];
    rows.push({ key, name, addedCount, removedCount, addedSize, removedSize, countDelta: addedCount - removedCount, sizeDelta: addedSize - removedSize });
  };
  for (const [key, currentSlot] of currentSlots) compare(key, baseSlots.get(key), currentSlot);
  for (const [key, baseSlot] of baseSlots) {
    if (!currentSlots.has(key)) compare(key, baseSlot, undefined);
  }
  return rows;
}

/**
 * Growth from the first snapshot to the last, with counts in between.
 * @param first the first snapshot's instances, classified with the last one's shape classes
 * @param middle instance counts per class key of the snapshots in between, in order (same
 *   classification)
 * @param last the last snapshot's instances
 * @returns one row per class with new or deleted instances, in no particular order
 */
export function computeGrowth(first: ClassInstances, middle: readonly ReadonlyMap<string, number>[], last: ClassInstances): ClassGrowth[] {
  const firstCounts = instanceCounts(first);
  const lastCounts = instanceCounts(last);
  return diffClasses(first, last).map((diff) => {
    const counts = [firstCounts.get(diff.key) ?? 0, ...middle.map((counts) => counts.get(diff.key) ?? 0), lastCounts.get(diff.key) ?? 0];
    return {
      key: diff.key,
      name: diff.name,
      counts,
      new: diff.addedCount,
      deleted: diff.removedCount,
      countDelta: diff.countDelta,
      allocSize: diff.addedSize,
      freedSize: diff.removedSize,
      sizeDelta: diff.sizeDelta,
      grewEveryStep: grewEveryStep(counts),
    };
  });
}

/** True when every count is larger than the one before it. */
export function grewEveryStep(counts: readonly number[]): boolean {
  if (counts.length < 2) return false;
  for (let i = 1; i < counts.length; i++) {
    if (counts[i] <= counts[i - 1]) return false;
  }
  return true;
}

/** Largest growth first: by countDelta or sizeDelta, descending, then by key. */
export function sortGrowth(rows: readonly ClassGrowth[], sort: GrowthSort): ClassGrowth[] {
  const value = sort === 'size' ? (row: ClassGrowth) => row.sizeDelta : (row: ClassGrowth) => row.countDelta;
  return [...rows].sort((a, b) => value(b) - value(a) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export interface GrowthSelection {
  sort: GrowthSort;
  /** Rows to keep after sorting; 0 keeps all. */
  top: number;
  /** Keep only classes whose |countDelta| is at least this. */
  minDelta: number;
}

/** The rows a report shows: filtered by `minDelta`, sorted, cut to `top`. */
export function selectGrowth(rows: readonly ClassGrowth[], selection: GrowthSelection): { rows: ClassGrowth[]; matching: number } {
  const kept = sortGrowth(rows.filter((row) => Math.abs(row.countDelta) >= selection.minDelta), selection.sort);
  return { rows: selection.top === 0 ? kept : kept.slice(0, selection.top), matching: kept.length };
}
