/**
 * leakgraph/graph/heap-graph — all whole-heap results for one snapshot, computed in DevTools'
 * order (DOM state, page ownership and essential edges before sizes are reassigned, so that
 * every number matches its Summary view).
 */

import type { SizeArray } from '../snapshot/columns.js';
import type { HeapSnapshot } from '../snapshot/heap-snapshot.js';
import { computeClasses, inferInterfaces, type ClassTable, type InterfaceDefinition } from './classes.js';
import { computeDistances } from './distances.js';
import { propagateDomState } from './dom-state.js';
import { startDominatorThread } from './dominator-thread.js';
import { computeDominators, type Dominators } from './dominators.js';
import { EphemeronNames } from './ephemerons.js';
import { findEssentialEdges } from './essential-edges.js';
import { buildDominatorTree, computeRetainedSizes, type DominatorTree } from './retained-sizes.js';
import { buildRetainers, type Retainers } from './retainers.js';
import { releaseDeadArrays } from './memory.js';
import { hasUserRoots, markPageOwned } from './roots.js';
import { reassignShallowSizes } from './shallow-sizes.js';

export interface HeapGraph extends ClassifiedHeap {
  snapshot: HeapSnapshot;
  retainers: Retainers;
  /** Propagated DOM state per node, or null without `detachedness`. */
  domState: Uint8Array | null;
  /** Shallow sizes after internals moved into their single owner (what DevTools shows). */
  shallowSizes: SizeArray;
  distances: Int32Array;
  /** Immediate dominator (ordinal) per node; the root's is itself. */
  idom: Uint32Array;
  dominatorTree: DominatorTree;
  retainedSizes: SizeArray;
  classes: ClassTable;
  interfaces: InterfaceDefinition[];
  /** Root retained size plus extra_native_bytes: DevTools' snapshot total. */
  totalSize: number;
}

export type GraphPhase = 'dom state' | 'shallow sizes' | 'dominators' | 'retained sizes' | 'distances' | 'classes';

export interface GraphOptions {
  /** Called when a phase starts, e.g. for a progress line. */
  onPhase?: (phase: GraphPhase) => void;
  /** Called with each phase's duration in milliseconds. */
  onPhaseDone?: (phase: GraphPhase, milliseconds: number) => void;
  /** Shape classes to use instead of inferring them (the newer snapshot's, in comparisons). */
  interfaces?: InterfaceDefinition[];
}

/**
 * What comparisons need of the older snapshots: classes and the shallow sizes DevTools counts
 * (zero-size nodes drop out of diffs), without retainers, distances or dominators.
 */
export interface ClassifiedHeap {
  snapshot: HeapSnapshot;
  domState: Uint8Array | null;
  shallowSizes: SizeArray;
  classes: ClassTable;
  interfaces: InterfaceDefinition[];
}

/** Classes and reassigned shallow sizes only: the cheap part of `buildHeapGraph`. */
export function classifyHeap(snapshot: HeapSnapshot, options: GraphOptions = {}): ClassifiedHeap {
  const timed = phaseTimer(options);
  const domState = timed('dom state', () => propagateDomState(snapshot));
  const shallowSizes = timed('shallow sizes', () => reassignShallowSizes(snapshot, hasUserRoots(snapshot), domState));
  return { snapshot, domState, shallowSizes, ...timed('classes', () => classesOf(snapshot, domState, options)) };
}

function classesOf(snapshot: HeapSnapshot, domState: Uint8Array | null, options: GraphOptions): { classes: ClassTable; interfaces: InterfaceDefinition[] } {
  const definitions = options.interfaces ?? inferInterfaces(snapshot);
  return { classes: computeClasses(snapshot, domState, definitions), interfaces: definitions };
}

function phaseTimer(options: GraphOptions) {
  return <T>(name: GraphPhase, work: () => T): T => {
    options.onPhase?.(name);
    const start = performance.now();
    const result = work();
    options.onPhaseDone?.(name, performance.now() - start);
    return result;
  };
}

/**
 * Computes distances, dominators, retained sizes, the dominator tree and classes of a
 * snapshot (retainers on first use). On a large heap the dominators are computed in a worker
 * thread while this thread does the distances and classes.
 */
export async function buildHeapGraph(snapshot: HeapSnapshot, options: GraphOptions = {}): Promise<HeapGraph> {
  const phase = phaseTimer(options);
  releaseDeadArrays(snapshot.nodeCount); // the reader's chunks
  const ephemerons = new EphemeronNames(snapshot);
  const domState = phase('dom state', () => propagateDomState(snapshot));
  const assignShallowSizes = () => phase('shallow sizes', () => reassignShallowSizes(snapshot, hasUserRoots(snapshot), domState));

  // Page ownership and essential edges use the raw graph; sizes are reassigned after.
  options.onPhase?.('dominators');
  const dominatorStart = performance.now();
  const essential = findEssentialEdges(snapshot, markPageOwned(snapshot), ephemerons);
  const thread = startDominatorThread(snapshot, essential);
  let dominators: Dominators;
  let shallowSizes: SizeArray;
  let distances: Int32Array;
  let classified: { classes: ClassTable; interfaces: InterfaceDefinition[] };
  // Each phase's working arrays are freed before the next allocates its own.
  const assignDistances = () => {
    const result = phase('distances', () => computeDistances(snapshot, ephemerons));
    releaseDeadArrays(snapshot.nodeCount);
    return result;
  };
  const classify = () => {
    const result = phase('classes', () => classesOf(snapshot, domState, options));
    releaseDeadArrays(snapshot.nodeCount);
    return result;
  };
  if (thread) {
    distances = assignDistances();
    classified = classify();
    dominators = await thread.catch(() => computeDominators(snapshot, essential));
    // Its own span: it ran alongside the two phases above.
    options.onPhaseDone?.('dominators', performance.now() - dominatorStart);
    releaseDeadArrays(snapshot.nodeCount);
    // After the thread: the reassignment's working arrays would add to its memory peak.
    shallowSizes = assignShallowSizes();
  } else {
    dominators = computeDominators(snapshot, essential);
    options.onPhaseDone?.('dominators', performance.now() - dominatorStart);
    releaseDeadArrays(snapshot.nodeCount);
    shallowSizes = assignShallowSizes();
    distances = assignDistances();
    classified = classify();
  }
  const retainedSizes = phase('retained sizes', () => computeRetainedSizes(dominators, shallowSizes));
  // The top-down order is finished: its memory holds the tree's child lists.
  const dominatorTree = buildDominatorTree(dominators.idom, snapshot.rootOrdinal, dominators.topDown);
  return assembleGraph(snapshot, { domState, shallowSizes, distances, idom: dominators.idom, dominatorTree, retainedSizes, ...classified });
}

/** The HeapGraph of computed arrays, with the retainer index built on first use. */
function assembleGraph(snapshot: HeapSnapshot, parts: Omit<HeapGraph, 'snapshot' | 'retainers' | 'totalSize'>): HeapGraph {
  // A summary does not need it, and on large heaps it costs more memory than anything else
  // (two slots per edge).
  let retainers: Retainers | null = null;
  return {
    snapshot,
    ...parts,
    get retainers() {
      return (retainers ??= buildRetainers(snapshot));
    },
    totalSize: parts.retainedSizes[snapshot.rootOrdinal] + snapshot.extraNativeBytes,
  };
}
