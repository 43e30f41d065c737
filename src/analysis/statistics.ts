/**
 * leakgraph/analysis/statistics — where the heap's bytes are, as DevTools' Statistics chart.
 *
 * Over all nodes, with DevTools' reassigned shallow sizes, the first rule that matches wins:
 * hidden → system; native → native (and typed arrays for "system / JSArrayBufferData");
 * code → code; strings of any kind → strings; objects named exactly "Array" → JS arrays (the
 * array plus its `elements` store when that store has no other retainer). The rest of the V8
 * heap is "other JS objects", the rest of native memory "other non-JS objects".
 */

import type { HeapGraph } from '../graph/heap-graph.js';

export interface HeapStatistics {
  total: number;
  v8Heap: number;
  native: number;
  code: number;
  strings: number;
  jsArrays: number;
  typedArrays: number;
  system: number;
  /** v8Heap − code − strings − jsArrays − system. */
  otherJs: number;
  /** native − typedArrays. */
  otherNative: number;
}

export function heapStatistics(graph: HeapGraph): HeapStatistics {
  const heap = graph.snapshot;
  const sizes = graph.shallowSizes;
  const t = heap.nodeType;
  let native = heap.extraNativeBytes;
  let typedArrays = 0;
  let code = 0;
  let strings = 0;
  let jsArrays = 0;
  let system = 0;
  const isArrayBufferData = heap.strings.matcher('system / JSArrayBufferData');
  const isArray = heap.strings.matcher('Array');
  const elementsOf = heap.internalEdgeFinder('elements');
  for (let node = 0; node < heap.nodeCount; node++) {
    const type = heap.nodeTypes[node];
    const size = sizes[node];
    if (type === t.hidden) system += size;
    else if (type === t.native) {
      native += size;
      if (isArrayBufferData(heap.nodeNames[node])) typedArrays += size;
    } else if (type === t.code) code += size;
    else if (type === t.string || type === t.consString || type === t.slicedString) strings += size;
    else if (isArray(heap.nodeNames[node])) jsArrays += size + exclusiveElementsSize(graph, elementsOf(node));
  }
  const total = graph.totalSize;
  const v8Heap = total - native;
  return { total, v8Heap, native, code, strings, jsArrays, typedArrays, system, otherJs: v8Heap - code - strings - jsArrays - system, otherNative: native - typedArrays };
}

/** Size of an array's `elements` store (-1: none) when nothing else retains it. */
function exclusiveElementsSize(graph: HeapGraph, store: number): number {
  if (store < 0) return 0;
  const { firstRetainer } = graph.retainers;
  return firstRetainer[store + 1] - firstRetainer[store] === 1 ? graph.shallowSizes[store] : 0;
}
