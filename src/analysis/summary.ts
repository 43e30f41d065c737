/**
 * leakgraph/analysis/summary — the heap grouped by class, as DevTools' Summary view shows it.
 *
 * Per class key: instance count, shallow size, retained size and minimum distance, over the
 * objects whose shallow size is non-zero after the reassignment of internals (zero-size nodes
 * are left out, as DevTools leaves them out).
 */

import type { HeapGraph } from '../graph/heap-graph.js';

export interface ClassSummary {
  /** DevTools' public class key: ",User", "12,4,2,Foo". */
  key: string;
  name: string;
  count: number;
  shallowSize: number;
  /**
   * Memory freed if every instance went away: the retained sizes of instances not dominated
   * by another instance of the same class (nested instances are not counted twice).
   */
  retainedSize: number;
  /** Smallest distance of an instance (NO_DISTANCE -5 when one is unreachable). */
  distance: number;
}

export type SummarySort = 'retained' | 'shallow' | 'count';

/** Aggregates every class; unsorted (in class id order). */
export function summarizeClasses(graph: HeapGraph): ClassSummary[] {
  const { classOf, names, keys } = graph.classes;
  const { shallowSizes, distances } = graph;
  const classCount = names.length;
  const counts = new Float64Array(classCount);
  const shallow = new Float64Array(classCount);
  const minDistance = new Int32Array(classCount).fill(0x7fffffff);
  for (let node = 0; node < classOf.length; node++) {
    const size = shallowSizes[node];
    if (size === 0) continue;
    const id = classOf[node];
    counts[id]++;
    shallow[id] += size;
    if (distances[node] < minDistance[id]) minDistance[id] = distances[node];
  }
  const retained = graph.classRetainedSizes;
  const rows: ClassSummary[] = [];
  for (let id = 0; id < classCount; id++) {
    if (counts[id] === 0) continue;
    rows.push({ key: keys[id], name: names[id], count: counts[id], shallowSize: shallow[id], retainedSize: retained[id], distance: minDistance[id] });
  }
  return rows;
}

/** Sorts rows for display: largest first by the chosen column, then by key. */
export function sortClasses(rows: ClassSummary[], sort: SummarySort): ClassSummary[] {
  const value = sort === 'count' ? (row: ClassSummary) => row.count : sort === 'shallow' ? (row: ClassSummary) => row.shallowSize : (row: ClassSummary) => row.retainedSize;
  return [...rows].sort((a, b) => value(b) - value(a) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
