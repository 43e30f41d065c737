/**
 * leakgraph/commands/instances — the objects of one class, a page at a time, largest retained
 * size first (DevTools' Summary view opening a class). For an explorer: a class of 600,000
 * objects is sorted once, and each page after that is a slice.
 */

import { nodeInfo } from '../analysis/inspect.js';
import { objectsOfClasses } from '../analysis/retaining-path.js';
import { LeakgraphError, UsageError } from '../errors.js';
import type { HeapGraph } from '../graph/heap-graph.js';
import { jsonDistance } from '../render/format.js';
import { jsonNode } from '../render/path.js';
import { loadGraph, type LoadOptions, type SnapshotSource } from './load.js';
import { unknownClass } from './select.js';

export interface InstancesOptions extends LoadOptions {
  /** The class by name, as `summary` shows it (every class key with that name). */
  type?: string;
  /** Or one class by its key (`summary --json`'s `key`). */
  key?: string;
  /** The first object of the page, from 0 (default 0). */
  offset?: number;
  /** Objects on the page (default 50, at most 500). */
  limit?: number;
}

export const INSTANCES_PAGE = 50;
export const INSTANCES_MAX_PAGE = 500;

export interface InstancesJson {
  file: string;
  className: string;
  key: string | null;
  /** Objects of the class (non-zero shallow size, as `summary` counts them). */
  total: number;
  offset: number;
  limit: number;
  instances: Array<ReturnType<typeof jsonNode> & { distance: number }>;
}

/** Sorted classes kept per heap: the last few opened, since each costs 4 bytes an object. */
const SORTED_KEPT = 16;
const sortedByHeap = new WeakMap<HeapGraph, Map<string, Uint32Array>>();

/** A page of the objects of a class, largest retained size first (then by id). */
export async function instances(source: SnapshotSource, options: InstancesOptions): Promise<InstancesJson> {
  if ((options.type === undefined) === (options.key === undefined)) throw new UsageError('instances: give either a class name (type) or a class key (key)');
  const offset = options.offset ?? 0;
  const limit = options.limit ?? INSTANCES_PAGE;
  if (!Number.isInteger(offset) || offset < 0) throw new UsageError('instances: the offset must be a non-negative integer');
  if (!Number.isInteger(limit) || limit < 1 || limit > INSTANCES_MAX_PAGE) throw new UsageError(`instances: the page size must be 1 to ${INSTANCES_MAX_PAGE}`);
  const { graph, file } = await loadGraph(source, options);
  const sorted = sortedInstances(graph, options.type, options.key);
  const page = Array.from(sorted.subarray(offset, offset + limit), (node) => ({ ...jsonNode(nodeInfo(graph, node)), distance: jsonDistance(graph.distances[node]) }));
  const className = options.type ?? graph.classes.names[graph.classes.keys.indexOf(options.key!)];
  return { file, className, key: options.key ?? null, total: sorted.length, offset, limit, instances: page };
}

/** The class's objects, sorted, from the heap's cache or made now. */
function sortedInstances(graph: HeapGraph, type: string | undefined, key: string | undefined): Uint32Array {
  const cacheKey = type !== undefined ? `name:${type}` : `key:${key}`;
  let cache = sortedByHeap.get(graph);
  if (!cache) sortedByHeap.set(graph, (cache = new Map()));
  const found = cache.get(cacheKey);
  if (found) {
    cache.delete(cacheKey);
    cache.set(cacheKey, found); // most recently used last
    return found;
  }
  const sorted = sortInstances(graph, classIdsOf(graph, type, key));
  cache.set(cacheKey, sorted);
  if (cache.size > SORTED_KEPT) cache.delete(cache.keys().next().value!);
  return sorted;
}

/** Which class ids are meant: every one with the name, or the one with the key. */
function classIdsOf(graph: HeapGraph, type: string | undefined, key: string | undefined): Uint8Array {
  const { names, keys } = graph.classes;
  const wanted = new Uint8Array(names.length);
  let any = false;
  for (let c = 0; c < names.length; c++) {
    if (type !== undefined ? names[c] === type : keys[c] === key) wanted[c] = 1;
    any ||= wanted[c] === 1;
  }
  if (!any && type !== undefined) throw unknownClass(graph, type);
  if (!any) throw new LeakgraphError(`${graph.snapshot.file}: no class with key "${key}"`);
  return wanted;
}

/** The objects of the wanted classes with a non-zero shallow size, largest retained first, then by id. */
function sortInstances(graph: HeapGraph, wanted: Uint8Array): Uint32Array {
  return Uint32Array.from(objectsOfClasses(graph, (classId) => wanted[classId] === 1, 0));
}
