/**
 * leakgraph/serve/heaps — the snapshots a server answers from, loaded once, and the answers
 * worth keeping (tables, the leak analysis) so that asking again costs nothing.
 */

import type { HeapGraph } from '../graph/heap-graph.js';
import { PathFinder } from '../analysis/retaining-path.js';
import { loadComparableGraphs, type LoadOptions } from '../commands/load.js';
import { IdIndex } from '../graph/id-index.js';

/** Loads the snapshots to serve, the last one first (see `loadComparableGraphs`). */
export async function loadServedHeaps(files: readonly string[], options: LoadOptions = {}): Promise<HeapGraph[]> {
  return loadComparableGraphs(files, options);
}

/**
 * Builds now what the first questions about a heap would otherwise wait for: the id index,
 * the retainer index (inspect), the dominator tree's children and the readable paths' tree.
 */
export function prepareHeap(heap: HeapGraph): void {
  IdIndex.of(heap.snapshot);
  void heap.retainers;
  void heap.dominatorTree;
  PathFinder.of(heap);
}

/** Answers kept by question, the most recently asked last; failures are not kept. */
export class AnswerCache {
  private readonly answers = new Map<string, Promise<unknown>>();

  constructor(private readonly capacity: number) {}

  /** The answer to `key`, computed by `compute` the first time it is asked. */
  get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    const kept = this.answers.get(key) as Promise<T> | undefined;
    if (kept) {
      this.answers.delete(key);
      this.answers.set(key, kept);
      return kept;
    }
    const answer = compute();
    this.answers.set(key, answer);
    answer.catch(() => this.answers.delete(key));
    if (this.answers.size > this.capacity) this.answers.delete(this.answers.keys().next().value!);
    return answer;
  }

  has(key: string): boolean {
    return this.answers.has(key);
  }
}
