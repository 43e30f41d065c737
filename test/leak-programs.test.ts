// Sanity of the real leak programs in test/fixtures/leaks: each writes three snapshots, the
// leaking ones grow by their leaked class, the controls stay flat, and the holders the manifest
// names are really there in the last snapshot.

import { statSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { loadSnapshotClasses, snapshotInfo, type ClassifiedHeap, type HeapSnapshot } from '../src/index.js';
import { leakManifest, snapshotLeakProgram, type LeakProgram } from './helpers/leak-programs.js';

/** Instances of a class as `leakgraph summary` counts them (non-zero shallow size). */
function countOfClass(heap: ClassifiedHeap, className: string): number {
  const { classOf, names } = heap.classes;
  let count = 0;
  for (let node = 0; node < classOf.length; node++) {
    if (heap.shallowSizes[node] !== 0 && names[classOf[node]] === className) count++;
  }
  return count;
}

/** Closures defined at `file`:`line` (1-based; file is the script's last path part). */
function closuresAt(heap: HeapSnapshot, file: string, line: number): number[] {
  const closures: number[] = [];
  for (let node = 0; node < heap.nodeCount; node++) {
    if (heap.nodeTypes[node] !== heap.nodeType.closure) continue;
    const location = heap.location(node);
    if (!location || location.line + 1 !== line) continue;
    const shared = heap.internalEdgeTarget(node, 'shared');
    if (shared < 0) continue;
    const script = Math.max(heap.internalEdgeTarget(shared, 'script_or_debug_info'), heap.internalEdgeTarget(shared, 'script'));
    if (script >= 0 && heap.nodeName(script).split('/').pop() === file) closures.push(node);
  }
  // A method bound with .bind() is held through its bound function, which holds `this`.
  for (let node = 0; node < heap.nodeCount; node++) {
    if (heap.nodeTypes[node] === heap.nodeType.closure && closures.includes(heap.internalEdgeTarget(node, 'bound_function'))) closures.push(node);
  }
  return closures;
}

/** Targets of the edges (properties, variables, internals) named `name`. */
function targetsOfEdgesNamed(heap: HeapSnapshot, name: string): number[] {
  const targets: number[] = [];
  for (let edge = 0; edge < heap.edgeCount; edge++) {
    if (!heap.edgeHasIndexName(edge) && heap.edgeTypes[edge] !== heap.edgeType.weak && heap.edgeName(edge) === name) targets.push(heap.edgeTargets[edge]);
  }
  return targets;
}

/** Whether an instance of `className` is at most `depth` strong edges from one of `starts`. */
function reachesClass(heap: ClassifiedHeap, starts: number[], className: string, depth: number): boolean {
  const { snapshot, classes } = heap;
  const seen = new Set(starts);
  let frontier = starts;
  for (let step = 0; step <= depth && frontier.length > 0; step++) {
    const next: number[] = [];
    for (const node of frontier) {
      if (classes.names[classes.classOf[node]] === className) return true;
      for (let edge = snapshot.firstEdges[node]; edge < snapshot.firstEdges[node + 1]; edge++) {
        const target = snapshot.edgeTargets[edge];
        if (snapshot.edgeTypes[edge] !== snapshot.edgeType.weak && !seen.has(target)) {
          seen.add(target);
          next.push(target);
        }
      }
    }
    frontier = next;
  }
  return false;
}

function holdersOf(entry: LeakProgram): string[] {
  return entry.holders ?? (entry.holder ? [entry.holder] : []);
}

describe('leak programs', () => {
  test('the manifest lists every pattern once, with a class and a holder for each leak', () => {
    const programs = leakManifest.map((entry) => entry.program);
    expect(new Set(programs).size).toBe(programs.length);
    expect(leakManifest.filter((entry) => entry.leaks).length).toBeGreaterThanOrEqual(14);
    expect(leakManifest.filter((entry) => !entry.leaks).length).toBeGreaterThanOrEqual(4);
    for (const entry of leakManifest) {
      if (entry.leaks) {
        expect(entry.leakedClass, entry.program).toBeTruthy();
        expect(entry.holder, entry.program).toBeTruthy();
        if (entry.holders) expect(entry.holders).toContain(entry.holder);
      } else {
        expect(entry.leakedClass, entry.program).toBeUndefined();
      }
    }
  });

  test.each(leakManifest.map((entry) => [entry.program, entry] as const))('%s', async (program, entry) => {
    const files = snapshotLeakProgram(program);
    expect(files).toHaveLength(3);
    for (const file of files) expect(statSync(file).size).toBeGreaterThan(0);

    const counts: number[] = [];
    const totals: number[] = [];
    let last: ClassifiedHeap | null = null;
    for (const file of files) {
      const heap = await loadSnapshotClasses(file);
      totals.push(snapshotInfo(heap).totalSize);
      if (entry.leakedClass) counts.push(countOfClass(heap, entry.leakedClass));
      last = heap;
    }

    if (!entry.leaks) {
      expect(Math.abs(totals[2] - totals[1]), `total sizes ${totals.join(' → ')}`).toBeLessThanOrEqual(totals[1] * 0.1);
      return;
    }
    if (entry.leakedClass === '(concatenated string)') {
      expect(totals[1]).toBeGreaterThan(totals[0]);
      expect(totals[2]).toBeGreaterThan(totals[1]);
    } else {
      expect(counts[1], `${entry.leakedClass}: ${counts.join(' → ')}`).toBeGreaterThan(counts[0]);
      expect(counts[2], `${entry.leakedClass}: ${counts.join(' → ')}`).toBeGreaterThan(counts[1]);
    }
    // Each round leaves well over the leaks command's default 100 kB behind.
    expect(totals[1] - totals[0], `total sizes ${totals.join(' → ')}`).toBeGreaterThan(150_000);
    expect(totals[2] - totals[1], `total sizes ${totals.join(' → ')}`).toBeGreaterThan(150_000);

    // The holder is there and holds the class: a closure (file:line) within three steps
    // (closure, its context, a captured variable, an element), a variable or property within four
    // (a container, its table, or a bound callback, its context, the async resource).
    for (const holder of holdersOf(entry)) {
      const at = /^(.+):(\d+)$/.exec(holder);
      const starts = at ? closuresAt(last!.snapshot, at[1], Number(at[2])) : targetsOfEdgesNamed(last!.snapshot, holder);
      expect(starts.length, `${holder} in the last snapshot`).toBeGreaterThan(0);
      expect(reachesClass(last!, starts, entry.leakedClass!, at ? 3 : 4), `${holder} holds ${entry.leakedClass}`).toBe(true);
    }
  });
});
