/**
 * leakgraph/graph/load — a snapshot file (or stream) in, the heap with everything DevTools
 * computes on load out.
 */

import { buildHeapGraph, classifyHeap, type ClassifiedHeap, type GraphPhase, type HeapGraph } from './heap-graph.js';
import type { InterfaceDefinition } from './classes.js';
import { readSnapshotFile, readSnapshotStream, type LoadOptions, type LoadProgress } from '../snapshot/loader.js';
import type { HeapSnapshot } from '../snapshot/heap-snapshot.js';
import { startDominatorThread, type DominatorThread } from './dominator-thread.js';
import type { SourceMapOptions } from './source-maps.js';

export type LoadPhase = 'reading' | GraphPhase;

export interface LoadSnapshotOptions {
  /** Progress: the phase, and for 'reading' the fraction of the file read so far. */
  onProgress?: (phase: LoadPhase, fraction?: number) => void;
  /** Duration of each phase in milliseconds, as it ends. */
  onPhaseDone?: (phase: LoadPhase, milliseconds: number) => void;
  /** Shape classes for plain objects (default: inferred from this snapshot). */
  interfaces?: InterfaceDefinition[];
  /**
   * Source maps for the locations of functions (paths, holders, pictures, allocations): on by
   * default, looked for beside each script; `{ directories }` adds places to look, `false`
   * turns them off. A script's map is read only when one of its locations is first asked for.
   */
  sourceMaps?: SourceMapOptions | false;
}

/**
 * Loads a heap snapshot file and computes retainers, distances, dominators, retained sizes
 * and classes.
 * @throws SnapshotError when the file is missing, truncated or not a valid heap snapshot
 */
export async function loadSnapshot(file: string, options: LoadSnapshotOptions = {}): Promise<HeapGraph> {
  const onProgress = options.onProgress && ((progress: LoadProgress) => options.onProgress!('reading', progress.fraction));
  return loadGraph((onLayout) => readSnapshotFile(file, { onLayout, onProgress }), options);
}

/**
 * Loads a snapshot for comparisons: classes and DevTools' shallow sizes only (no dominators),
 * which is all that growth needs of the older snapshots.
 */
export async function loadSnapshotClasses(file: string, options: LoadSnapshotOptions = {}): Promise<ClassifiedHeap> {
  const start = performance.now();
  const snapshot = await readSnapshotFile(file, { onProgress: options.onProgress && ((progress) => options.onProgress!('reading', progress.fraction)) });
  options.onPhaseDone?.('reading', performance.now() - start);
  const heap = classifyHeap(snapshot, { onPhase: options.onProgress, onPhaseDone: options.onPhaseDone, interfaces: options.interfaces });
  heap.sourceMaps = options.sourceMaps;
  return heap;
}

/** Same as loadSnapshot, from a stream of snapshot text (e.g. `v8.getHeapSnapshot()`). */
export async function loadSnapshotStream(name: string, stream: AsyncIterable<Uint8Array | string>, options: LoadSnapshotOptions = {}): Promise<HeapGraph> {
  return loadGraph((onLayout) => readSnapshotStream(name, stream, { onLayout }), options);
}

/**
 * Reads a snapshot and builds its graph, starting the dominators' worker as soon as the header
 * gives the node count, so that the worker's start-up overlaps the reading. The worker is
 * stopped if anything fails before it has answered.
 */
async function loadGraph(read: (onLayout: LoadOptions['onLayout']) => Promise<HeapSnapshot>, options: LoadSnapshotOptions): Promise<HeapGraph> {
  const start = performance.now();
  const started: { thread: DominatorThread | null } = { thread: null };
  try {
    const snapshot = await read((layout) => (started.thread = startDominatorThread(layout.nodeCount)));
    options.onPhaseDone?.('reading', performance.now() - start);
    const graph = await buildHeapGraph(snapshot, { onPhase: options.onProgress, onPhaseDone: options.onPhaseDone, interfaces: options.interfaces, dominatorThread: started.thread });
    graph.sourceMaps = options.sourceMaps;
    return graph;
  } catch (error) {
    started.thread?.cancel();
    throw error;
  }
}
