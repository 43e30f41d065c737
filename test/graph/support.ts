// Shared helpers for the graph-rule tests (test/graph/*.test.ts): a tiny heap DSL on top
// of test/helpers/snapshot-builder.ts, and comparisons of leakgraph against DevTools'
// own numbers (test/helpers/oracle.ts).

import { expect } from 'vitest';
import { loadSnapshot, summarizeClasses, type HeapGraph } from '../../src/index.js';
import { MINIMAL, minimalHeap, tmpPath, writeSnapshot, type BuildNode, type BuildOptions } from '../helpers/snapshot-builder.js';
import { devtoolsSnapshot, devtoolsSummary, type OracleClass, type OracleSummary } from '../helpers/oracle.js';

export { MINIMAL };

/** DevTools' baseSystemDistance: objects reachable only through (GC roots) sit at SYS + depth. */
export const SYS = 100_000_000;
/** DevTools' and leakgraph's "no distance". */
export const NONE = -5;

/**
 * A heap under construction. Starts from V8's skeleton (minimalHeap(): root 0, (GC roots) 1,
 * (Strong roots) 2, (Handle scope) 3, global 4 with id 9 and 32 bytes); new nodes get odd
 * ids 11, 13, 15, … in creation order, like V8 heap objects.
 */
export class Heap {
  readonly nodes: BuildNode[];
  private nextId = 11;

  constructor(nodes: BuildNode[] = minimalHeap()) {
    this.nodes = nodes;
    const maxId = Math.max(0, ...nodes.map((n) => n.id));
    this.nextId = Math.max(11, maxId + (maxId % 2 === 0 ? 1 : 2));
  }

  /** Adds a node and returns its ordinal. */
  add(type: string, name: string, selfSize: number, extra: { detachedness?: number; id?: number } = {}): number {
    const id = extra.id ?? this.nextId;
    if (id >= this.nextId) this.nextId = id + 2;
    this.nodes.push({ type, name, id, selfSize, detachedness: extra.detachedness, edges: [] });
    return this.nodes.length - 1;
  }

  /** Adds an edge from → to (element/hidden names are numbers, all others strings). */
  edge(from: number, type: string, name: string | number, to: number): this {
    (this.nodes[from]!.edges ??= []).push({ type, name, to });
    return this;
  }

  id(ordinal: number): number {
    return this.nodes[ordinal]!.id;
  }

  /** Writes the snapshot to a fresh temp file and returns its path. */
  write(name: string, options?: BuildOptions): string {
    const file = tmpPath(`${name}.heapsnapshot`);
    writeSnapshot(file, this.nodes, options);
    return file;
  }
}

/** leakgraph's Summary in the oracle's shape: classes sorted by key, distance -5 → -1. */
export function ourSummary(graph: HeapGraph): OracleSummary {
  const classes: OracleClass[] = summarizeClasses(graph).map((row) => ({
    key: row.key,
    name: row.name,
    count: row.count,
    shallowSize: row.shallowSize,
    retainedSize: row.retainedSize,
    distance: row.distance === NONE ? -1 : row.distance,
  }));
  classes.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    nodeCount: graph.snapshot.nodeCount,
    edgeCount: graph.snapshot.edgeCount,
    totalSize: graph.totalSize,
    classes,
  };
}

/** One row per node, keyed by id so that a mismatch names the node. */
export interface NodeRow {
  id: number;
  distance: number;
  /** id of the immediate dominator */
  idom: number;
  shallow: number;
  retained: number;
  key: string;
}

export function ourNodeRows(graph: HeapGraph): NodeRow[] {
  const { nodeIds, nodeCount } = graph.snapshot;
  const rows: NodeRow[] = [];
  for (let i = 0; i < nodeCount; i++) {
    rows.push({
      id: nodeIds[i],
      distance: graph.distances[i],
      idom: nodeIds[graph.idom[i]],
      shallow: graph.shallowSizes[i],
      retained: graph.retainedSizes[i],
      key: graph.classes.keys[graph.classes.classOf[i]],
    });
  }
  return rows;
}

/** The same rows from DevTools' JSHeapSnapshot (sizes after its shallow-size reassignment). */
export function devtoolsNodeRows(snap: any): NodeRow[] {
  const nfc: number = snap.nodeFieldCount;
  const idOf = (ordinal: number): number => snap.nodes.getValue(ordinal * nfc + snap.nodeIdOffset);
  const rows: NodeRow[] = [];
  for (let i = 0; i < snap.nodeCount; i++) {
    const node = snap.createNode(i * nfc);
    rows.push({
      id: idOf(i),
      distance: snap.nodeDistances[i],
      idom: idOf(snap.dominatorsTree[i]),
      shallow: snap.nodes.getValue(i * nfc + snap.nodeSelfSizeOffset),
      retained: snap.retainedSizes[i],
      key: snap.classKeyFromClassKeyInternal(node.classKeyInternal()),
    });
  }
  return rows;
}

export interface Analysis {
  file: string;
  graph: HeapGraph;
  /** leakgraph's Summary (oracle shape) */
  ours: OracleSummary;
  /** DevTools' Summary (devtoolsSummary) */
  devtools: OracleSummary;
  /** DevTools' parsed JSHeapSnapshot */
  snap: any;
}

/** Loads `file` with leakgraph and with DevTools. */
export async function analyze(file: string): Promise<Analysis> {
  const graph = await loadSnapshot(file);
  const [devtools, snap] = await Promise.all([devtoolsSummary(file), devtoolsSnapshot(file)]);
  return { file, graph, ours: ourSummary(graph), devtools, snap };
}

/** Writes the heap, loads it both ways and asserts Summary + per-node equality with DevTools. */
export async function checkAgainstDevTools(heap: Heap, name: string, options?: BuildOptions): Promise<Analysis> {
  const analysis = await analyze(heap.write(name, options));
  expectSameAsDevTools(analysis);
  return analysis;
}

/**
 * (b) leakgraph's whole Summary equals DevTools' exactly, and per node: distance, immediate
 * dominator, shallow size (after reassignment), retained size and class key.
 */
export function expectSameAsDevTools(a: Analysis): void {
  expect(a.ours, 'Summary (leakgraph vs DevTools)').toEqual(a.devtools);
  expect(ourNodeRows(a.graph), 'per-node distance/idom/shallow/retained/class key (leakgraph vs DevTools)').toEqual(devtoolsNodeRows(a.snap));
}

/** A Summary row by key, or undefined. */
export function row(summary: OracleSummary, key: string): OracleClass | undefined {
  return summary.classes.find((c) => c.key === key);
}

/** Ordinal of the node with snapshot id `id` in leakgraph's graph. */
export function ordinalOf(graph: HeapGraph, id: number): number {
  const ordinal = graph.snapshot.findNodeById(id);
  if (ordinal < 0) throw new Error(`no node with id ${id}`);
  return ordinal;
}
