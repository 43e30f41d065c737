/**
 * leakgraph/graph/names — the name DevTools displays for a node (not its class).
 *
 * Concatenated strings show their text, rebuilt from the `first`/`second` parts; plain
 * objects show their property names, `{a, b, …, z}`; detached DOM nodes get "Detached ".
 */

import type { HeapSnapshot } from '../snapshot/heap-snapshot.js';
import { formatPropertyName } from './classes.js';
import { DETACHED } from './dom-state.js';

/** DevTools stops rebuilding a concatenated string's text past this many characters. */
const CONS_STRING_TEXT_LIMIT = 1024;
/** Longest `{a, b, …}` display name, beyond its first property. */
const PLAIN_OBJECT_NAME_LIMIT = 100;

export function displayName(heap: HeapSnapshot, domState: Uint8Array | null, node: number): string {
  const type = heap.nodeTypes[node];
  if (type === heap.nodeType.consString) return consStringText(heap, node);
  if (type === heap.nodeType.object && heap.nodeNameIs(node, 'Object')) return plainObjectName(heap, node);
  if (type === heap.nodeType.native && domState !== null && domState[node] === DETACHED) return `Detached ${heap.nodeName(node)}`;
  return heap.nodeName(node);
}

/** Text of a concatenated string: its leaves in order, up to about 1024 characters. */
function consStringText(heap: HeapSnapshot, node: number): string {
  const { firstEdges, edgeTypes, edgeNames, edgeTargets, strings } = heap;
  const internal = heap.edgeType.internal;
  const stack = [node];
  let text = '';
  while (stack.length > 0 && text.length < CONS_STRING_TEXT_LIMIT) {
    const current = stack.pop()!;
    if (heap.nodeTypes[current] !== heap.nodeType.consString) {
      text += heap.nodeName(current);
      continue;
    }
    let first = -1;
    let second = -1;
    for (let edge = firstEdges[current]; edge < firstEdges[current + 1]; edge++) {
      if (edgeTypes[edge] !== internal) continue;
      if (strings.equals(edgeNames[edge], 'first')) first = edgeTargets[edge];
      else if (strings.equals(edgeNames[edge], 'second')) second = edgeTargets[edge];
    }
    if (second >= 0) stack.push(second);
    if (first >= 0) stack.push(first);
  }
  return text;
}

/**
 * `{a, b, …, y, z}`: property names taken alternately from the front and the back of the
 * edge list (`__proto__` skipped), as many as fit in about 100 characters, at least one.
 */
function plainObjectName(heap: HeapSnapshot, node: number): string {
  const property = heap.edgeType.property;
  let front = '{';
  let back = '}';
  let fromStart = heap.firstEdges[node];
  let fromEnd = heap.firstEdges[node + 1] - 1;
  let takeFromEnd = false;
  while (fromStart <= fromEnd) {
    const edge = takeFromEnd ? fromEnd : fromStart;
    const name = heap.edgeTypes[edge] === property ? heap.strings.get(heap.edgeNames[edge]) : null;
    if (name === null || name === '__proto__') {
      if (takeFromEnd) fromEnd--;
      else fromStart++;
      continue;
    }
    const formatted = formatPropertyName(name);
    if (front.length > 1 && front.length + back.length + formatted.length > PLAIN_OBJECT_NAME_LIMIT) break;
    if (takeFromEnd) {
      fromEnd--;
      back = (back.length > 1 ? `${formatted}, ` : formatted) + back;
    } else {
      fromStart++;
      front += (front.length > 1 ? ', ' : '') + formatted;
    }
    takeFromEnd = !takeFromEnd;
  }
  if (fromStart <= fromEnd) front += ', …';
  if (back.length > 1) front += ', ';
  return front + back;
}
