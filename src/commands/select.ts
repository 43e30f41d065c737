/**
 * leakgraph/commands/select — which objects a command is about: one id (`@123`), or the
 * largest objects of a class (`--type Session --limit 3`). One rule for every command.
 */

import { LeakgraphError, NotFoundError } from '../errors.js';
import type { HeapGraph } from '../graph/heap-graph.js';
import { IdIndex } from '../graph/id-index.js';
import { objectsOfClass } from '../analysis/retaining-path.js';

import { checkCount, checkSelection, type ObjectSelection } from './checks.js';

export { checkCount, checkSelection, type ObjectSelection };

/**
 * The node ordinals `selection` names in `graph`, checked: exactly one of `id` and `type`, an
 * id that exists, a class with objects (else a suggestion of the nearest class names).
 * @throws UsageError naming `command` and what is wrong
 */
export function selectObjects(graph: HeapGraph, command: string, selection: ObjectSelection, defaultLimit: number): number[] {
  checkSelection(command, selection);
  const file = graph.snapshot.file;
  if (selection.id !== undefined) {
    const node = IdIndex.of(graph.snapshot).find(selection.id);
    if (node < 0) throw new NotFoundError(`${file}: no object with id @${selection.id}`);
    return [node];
  }
  const found = objectsOfClass(graph, selection.type!, selection.limit ?? defaultLimit);
  if (found.length === 0) throw unknownClass(graph, selection.type!);
  return found;
}

/** The error for a class with no objects, with the nearest class names. */
export function unknownClass(graph: HeapGraph, type: string): LeakgraphError {
  return new LeakgraphError(`${graph.snapshot.file}: no objects of class "${type}"${suggestion(graph.classes.names, type)}`);
}

/** `; did you mean "Session"?`, or the hint to look at `summary`'s names. */
function suggestion(names: readonly string[], wanted: string): string {
  const near = nearestNames(names, wanted, 3);
  if (near.length === 0) return ' (see leakgraph summary for class names)';
  return `; did you mean ${near.map((name) => `"${name}"`).join(', ')}?`;
}

/** Up to `count` distinct names closest to `wanted`: same letters in another case first, then by edit distance. */
export function nearestNames(names: readonly string[], wanted: string, count: number): string[] {
  const lower = wanted.toLowerCase();
  const allowed = Math.max(1, Math.floor(wanted.length / 3));
  const scored = new Map<string, number>();
  for (const name of names) {
    if (scored.has(name) || name === wanted || Math.abs(name.length - wanted.length) > allowed) continue;
    const distance = name.toLowerCase() === lower ? 0 : editDistance(name.toLowerCase(), lower, allowed);
    if (distance <= allowed) scored.set(name, distance);
  }
  return [...scored].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).slice(0, count).map(([name]) => name);
}

/** Levenshtein distance, giving up (returning limit + 1) once it must exceed `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, current[j]);
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length];
}
