/**
 * leakgraph/analysis/fold — retaining paths as a person reads them: repeated runs folded, and
 * keys made by data rather than by the programmer written as one key.
 *
 * - A run: the same edge name and holder class k times in a row (a linked list such as
 *   `._idlePrev Timeout` × 57) is one step × k.
 * - A cycle: a few steps repeated (closure-context chains such as `->originalThing` then
 *   `{context}`) are one group × k.
 * - Data-made keys: element indices, Map/Set table slots, dictionary property names (keys no
 *   programmer writes as `obj.name`: not identifiers, numbers, ids, or any key of a plain object
 *   with many properties) all read as one key, so the siblings of one container agree.
 *
 * Signatures built from folded steps are how leak clusters group objects held the same way.
 */

import type { HeapSnapshot } from '../snapshot/heap-snapshot.js';

/** One folded stretch of a path: steps [start, start + period × times) repeat `period` steps. */
export interface Fold {
  start: number;
  period: number;
  times: number;
}

/** Longest repeated group folded (three steps: a closure, its context and a variable). */
const MAX_PERIOD = 3;
/** A holder with this many named properties is used as a dictionary: its keys are data. */
const DICTIONARY_PROPERTIES = 32;
const IDENTIFIER = /^[#$_\p{ID_Start}][$\u200c\u200d\p{ID_Continue}]*$/u;

/** Keys made by programs rather than written by people: numbers, ids, hashes, UUIDs. */
export function looksGenerated(name: string): boolean {
  if (/^-?\d+(\.\d+)?$/.test(name)) return true;
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(name)) return true;
  if (/^[0-9a-f]{12,}$/i.test(name)) return true;
  const digits = name.replace(/\D/g, '').length;
  return name.length >= 6 && digits >= 3 && digits / name.length >= 0.3;
}

/**
 * A plain object with many named properties is a dictionary. Globals, `process` and
 * constructors with many statics have as many, but their names are written by people.
 */
function isDictionary(heap: HeapSnapshot, node: number): boolean {
  if (heap.nodeTypes[node] !== heap.nodeType.object || !heap.nodeNameIs(node, 'Object')) return false;
  const property = heap.edgeType.property;
  let count = 0;
  for (let edge = heap.firstEdges[node]; edge < heap.firstEdges[node + 1]; edge++) if (heap.edgeTypes[edge] === property && ++count >= DICTIONARY_PROPERTIES) return true;
  return false;
}

/**
 * An edge's name as a signature sees it: `type:name` for names a programmer wrote, `type:[]`
 * for indices and table slots, `type:*` for keys made by data.
 * @param holder the node the edge leaves
 */
export function edgeToken(heap: HeapSnapshot, edge: number, holder: number): string {
  const type = heap.edgeTypeName(edge);
  if (heap.edgeHasIndexName(edge)) return `${type}:[]`;
  const name = heap.strings.get(heap.edgeNames[edge]);
  if (/^\d+( \/ .*)?$/.test(name)) return `${type}:[]`;
  if (type === 'property' && name !== '__proto__') {
    if (!IDENTIFIER.test(name) || looksGenerated(name) || isDictionary(heap, holder)) return `${type}:*`;
  } else if (looksGenerated(name)) {
    return `${type}:*`;
  }
  return `${type}:${name}`;
}

/**
 * The folds of a path given one token per step (edge and holder class): at each step the
 * repetition covering the most steps, shorter periods first on ties; unfolded steps are left out.
 */
export function findFolds(tokens: readonly string[]): Fold[] {
  const folds: Fold[] = [];
  for (let start = 0; start < tokens.length; ) {
    let best: Fold | null = null;
    for (let period = 1; period <= MAX_PERIOD && start + 2 * period <= tokens.length; period++) {
      let times = 1;
      while (start + (times + 1) * period <= tokens.length && repeats(tokens, start, period, times)) times++;
      if (times >= 2 && (best === null || period * times > best.period * best.times)) best = { start, period, times };
    }
    if (best) {
      folds.push(best);
      start += best.period * best.times;
    } else {
      start++;
    }
  }
  return folds;
}

/** Whether the group at `start` repeats as its `times`-th copy. */
function repeats(tokens: readonly string[], start: number, period: number, times: number): boolean {
  for (let k = 0; k < period; k++) if (tokens[start + k] !== tokens[start + times * period + k]) return false;
  return true;
}

/**
 * A signature of steps with their folds: a fold counts once whatever its length, and a run of
 * one class counts the same whichever link it follows (`_idleNext` or `_idlePrev`).
 * @param tokens one per step; @param classes the class of each step's node
 */
export function foldedSignature(tokens: readonly string[], classes: readonly string[], folds: readonly Fold[]): string {
  const parts: string[] = [];
  let next = 0;
  for (const fold of folds) {
    for (; next < fold.start; next++) parts.push(tokens[next]);
    parts.push(fold.period === 1 ? `run of ${classes[fold.start]}` : `cycle ${tokens.slice(fold.start, fold.start + fold.period).join(' ')}`);
    next = fold.start + fold.period * fold.times;
  }
  for (; next < tokens.length; next++) parts.push(tokens[next]);
  return parts.join('\u0000');
}
