/**
 * leakgraph/commands/load — how every command gets its heaps: from a file, with progress, or
 * already loaded (the explorer and the HTTP endpoint load once and ask many questions).
 */

import { loadSnapshot, type LoadPhase } from '../graph/load.js';
import type { HeapGraph } from '../graph/heap-graph.js';
import type { InterfaceDefinition } from '../graph/classes.js';
import type { SourceMapOptions } from '../graph/source-maps.js';

/** A snapshot file (plain or gzipped), or a heap already loaded from one. */
export type SnapshotSource = string | HeapGraph;

/** What every command that loads snapshots accepts. */
export interface LoadOptions {
  /** Progress of each file's load: the phase, and for 'reading' the fraction read. */
  onProgress?: (file: string, phase: LoadPhase, fraction?: number) => void;
  /** Duration of each phase of each file's load, in milliseconds, as it ends. */
  onPhaseDone?: (file: string, phase: LoadPhase, milliseconds: number) => void;
  /** Source maps for printed locations: on by default; `{ directories }` adds places to look; `false` is off. */
  sourceMaps?: SourceMapOptions | false;
}

export interface LoadedGraph {
  graph: HeapGraph;
  /** The file it came from. */
  file: string;
  /** Seconds the load took; 0 when it was loaded already. */
  loadSeconds: number;
}

/**
 * The heaps of `sources`, the last one first: its plain-object shapes classify the older files,
 * as `growth` and DevTools' Comparison do, so that a class key means the same in every
 * snapshot. Heaps already loaded are taken as they are.
 */
export async function loadComparableGraphs(sources: readonly SnapshotSource[], options: LoadOptions = {}): Promise<HeapGraph[]> {
  const last = sources.length - 1;
  const final = (await loadGraph(sources[last], options)).graph;
  const heaps = new Array<HeapGraph>(sources.length);
  heaps[last] = final;
  for (let index = 0; index < last; index++) heaps[index] = (await loadGraph(sources[index], options, final.interfaces)).graph;
  return heaps;
}

/** The heap of `source`, loaded with progress unless it is loaded already. */
export async function loadGraph(source: SnapshotSource, options: LoadOptions = {}, interfaces?: InterfaceDefinition[]): Promise<LoadedGraph> {
  if (typeof source !== 'string') return { graph: source, file: source.snapshot.file, loadSeconds: 0 };
  const start = performance.now();
  const graph = await loadSnapshot(source, {
    interfaces,
    onProgress: options.onProgress && ((phase, fraction) => options.onProgress!(source, phase, fraction)),
    onPhaseDone: options.onPhaseDone && ((phase, milliseconds) => options.onPhaseDone!(source, phase, milliseconds)),
    sourceMaps: options.sourceMaps,
  });
  return { graph, file: source, loadSeconds: (performance.now() - start) / 1000 };
}
