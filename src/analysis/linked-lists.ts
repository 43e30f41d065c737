/**
 * leakgraph/analysis/linked-lists — chains of same-class objects hanging off one holder, as
 * containers whose length can be followed across snapshots.
 *
 * A list is a holder H whose edge `head` reaches X1 of class C, where X1 has an edge `next` to
 * another C, and so on (X1 › next › X2 › next › X3 …). X1 must be the start: no C points at it
 * through `next`. Node's timer lists (a TimersList and its Timeouts linked by `_idleNext`),
 * promise reaction chains and hand-written lists are all of this shape. A circular list comes
 * back to its holder (another class), which ends the walk.
 */

import type { HeapGraph } from '../graph/heap-graph.js';
import type { HeapSnapshot } from '../snapshot/heap-snapshot.js';

/** What following a list needs of a heap: its nodes and their classes. */
type ClassedHeap = Pick<HeapGraph, 'snapshot' | 'classes'>;

export interface LinkedList {
  holder: number;
  /** Edge from the holder to the first element, and from each element to the next. */
  head: string;
  next: string;
  className: string;
  length: number;
}

/** Shorter chains are not followed across snapshots: a leak's list is long by the final one. */
const MIN_LIST_LENGTH = 16;
const SEVERAL_NAMES = 0xffffffff;
/** Walks stop here, so that a corrupt or huge chain cannot stall the analysis. */
const MAX_LIST_LENGTH = 1 << 24;

/** The name of an edge that can link list elements (a written property, a named or numbered V8 slot), else null. */
function linkName(heap: HeapSnapshot, edge: number): string | null {
  const type = heap.edgeTypes[edge];
  // A module's `let head` (a context variable) can hold a list too.
  if (type !== heap.edgeType.property && type !== heap.edgeType.internal && type !== heap.edgeType.hidden && type !== heap.edgeType.context) return null;
  const name = String(heap.edgeName(edge));
  return name === '__proto__' || name === 'constructor' || name === 'map' ? null : name;
}

function isElement(heap: HeapSnapshot, node: number): boolean {
  const type = heap.nodeTypes[node];
  return type === heap.nodeType.object || type === heap.nodeType.hidden;
}

/** The target of `node`'s first link edge called `name`, or -1. */
function linkTarget(heap: HeapSnapshot, node: number, name: string): number {
  for (let edge = heap.firstEdges[node]; edge < heap.firstEdges[node + 1]; edge++) {
    if (linkName(heap, edge) === name) return heap.edgeTargets[edge];
  }
  return -1;
}

/** Every list of at least MIN_LIST_LENGTH elements in a heap. Each element belongs to one list. */
export function findLinkedLists(graph: HeapGraph): LinkedList[] {
  const heap = graph.snapshot;
  const { classOf } = graph.classes;
  // One pass over the edges between objects of one class: which objects link to another (only
  // those can start a list), and by what name each is linked to (so that a start is one that no
  // object of its class links to by the list's own link), without reading any other edge's name.
  const { nodeCount, firstEdges, edgeTargets, edgeTypes, edgeNames } = heap;
  const weak = heap.edgeType.weak;
  const linked = new Uint8Array(nodeCount);
  const linkedBy = new Uint32Array(nodeCount);
  for (let node = 0; node < nodeCount; node++) {
    const nodeClass = classOf[node];
    const end = firstEdges[node + 1];
    for (let edge = firstEdges[node]; edge < end; edge++) {
      const target = edgeTargets[edge];
      if (target === node || classOf[target] !== nodeClass || edgeTypes[edge] === weak) continue;
      linked[node] = 1;
      const name = edgeNames[edge] + 1;
      linkedBy[target] = linkedBy[target] === 0 || linkedBy[target] === name ? name : SEVERAL_NAMES;
    }
  }
  const walked = new Uint8Array(nodeCount);
  const lists: LinkedList[] = [];
  for (let holder = 0; holder < nodeCount; holder++) {
    const end = firstEdges[holder + 1];
    for (let edge = firstEdges[holder]; edge < end; edge++) {
      const first = edgeTargets[edge];
      if (!linked[first] || walked[first] || !isElement(heap, first) || classOf[first] === classOf[holder]) continue;
      const head = linkName(heap, edge);
      if (head === null) continue;
      const next = nextLink(heap, classOf, first, head);
      // No named link to its class (only elements or a map): never a start, whatever the holder,
      // so it is not looked at again from its other holders (a shared object has thousands).
      if (next === null) linked[first] = 0;
      if (next === null || hasPredecessor(heap, linkedBy[first], next)) continue;
      const length = walk(heap, classOf, first, next, walked);
      if (length >= MIN_LIST_LENGTH) lists.push({ holder, head, next, className: elementName(graph, first), length });
    }
  }
  return lists;
}

/** The link from `node` to another of its class: `preferred` when it is one, else the first. */
function nextLink(heap: HeapSnapshot, classOf: ArrayLike<number>, node: number, preferred: string): string | null {
  let found: string | null = null;
  for (let edge = heap.firstEdges[node]; edge < heap.firstEdges[node + 1]; edge++) {
    const target = heap.edgeTargets[edge];
    if (target === node || classOf[target] !== classOf[node]) continue;
    const name = linkName(heap, edge);
    if (name === null) continue;
    if (name === preferred) return name;
    found ??= name;
  }
  return found;
}

/**
 * Whether an object of the same class links to this one by the name `next`, from the name it
 * is linked by (`linkedBy`: a name index + 1, 0 for none, SEVERAL_NAMES when linked by more
 * than one name, which counts as linked).
 */
function hasPredecessor(heap: HeapSnapshot, linkedBy: number, next: string): boolean {
  if (linkedBy === 0) return false;
  if (linkedBy === SEVERAL_NAMES) return true;
  const name = linkedBy - 1;
  return /^\d+$/.test(next) ? String(name) === next : heap.strings.get(name) === next;
}

/** Elements from `first` along `next` while they keep its class; marks them when `walked` is given. */
function walk(heap: HeapSnapshot, classOf: ArrayLike<number>, first: number, next: string, walked: Uint8Array | null): number {
  let length = 0;
  const seen = walked ?? new Set<number>();
  for (let node = first; node >= 0 && classOf[node] === classOf[first] && length < MAX_LIST_LENGTH; node = linkTarget(heap, node, next)) {
    if (seen instanceof Uint8Array ? seen[node] : seen.has(node)) break;
    if (seen instanceof Uint8Array) seen[node] = 1;
    else seen.add(node);
    length++;
  }
  return length;
}

/**
 * The length of the list of `list` in another snapshot of the process, where its holder is
 * `holder`: 0 when the holder no longer heads such a list.
 */
export function listLength(graph: ClassedHeap, holder: number, list: Pick<LinkedList, 'head' | 'next' | 'className'>): number {
  const heap = graph.snapshot;
  const first = linkTarget(heap, holder, list.head);
  if (first < 0 || elementName(graph, first) !== list.className) return 0;
  return walk(heap, graph.classes.classOf, first, list.next, null);
}

/** An object's class, or for V8's own records (class "(system)") what the record is: `PromiseReaction`. */
export function elementName(graph: ClassedHeap, node: number): string {
  const className = graph.classes.names[graph.classes.classOf[node]];
  return className === '(system)' ? graph.snapshot.nodeName(node).replace(/^system \/ /, '') : className;
}
