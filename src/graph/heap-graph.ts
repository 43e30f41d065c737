/**
 * leakgraph/graph/heap-graph — all whole-heap results for one snapshot, computed in DevTools'
 * order (DOM state, page ownership and essential edges before sizes are reassigned, so that
 * every number matches its Summary view).
 */

import type { HeapSnapshot } from '../snapshot/heap-snapshot.js';
import { computeClasses, inferInterfaces, type ClassTable, type InterfaceDefinition } from './classes.js';
import { computeDistances } from './distances.js';
import { propagateDomState } from './dom-state.js';
import { computeDominators } from './dominators.js';
import { EphemeronNames } from './ephemerons.js';
import { findEssentialEdges } from './essential-edges.js';
import { buildDominatorTree, computeRetainedSizes, type DominatorTree } from './retained-sizes.js';
import { buildRetainers, type Retainers } from './retainers.js';
import { hasUserRoots, markPageOwned } from './roots.js';
import { reassignShallowSizes } from './shallow-sizes.js';

export interface HeapGraph extends ClassifiedHeap {
  snapshot: HeapSnapshot;
  retainers: Retainers;
  /** Propagated DOM state per node, or null without `detachedness`. */
  domState: Uint8Array | null;
  /** Shallow sizes after internals moved into their single owner (what DevTools shows). */
  shallowSizes: Float64Array;
  distances: Int32Array;
  /** Immediate dominator (ordinal) per node; the root's is itself. */
  idom: Uint32Array;
  dominatorTree: DominatorTree;
  retainedSizes: Float64Array;
  classes: ClassTable;
  interfaces: InterfaceDefinition[];
  /** Root retained size plus extra_native_bytes: DevTools' snapshot total. */
  totalSize: number;
}

export type GraphPhase = 'retainers' | 'dom state' | 'shallow sizes' | 'dominators' | 'retained sizes' | 'distances' | 'classes';

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
  shallowSizes: Float64Array;
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

/** Computes retainers, distances, dominators, retained sizes and classes of a snapshot. */
export function buildHeapGraph(snapshot: HeapSnapshot, options: GraphOptions = {}): HeapGraph {
  const phase = phaseTimer(options);
  const ephemerons = new EphemeronNames(snapshot);
  const retainers = phase('retainers', () => buildRetainers(snapshot));
  const domState = phase('dom state', () => propagateDomState(snapshot));
  // Page ownership and essential edges use the raw graph; sizes are reassigned after.
  const dominators = phase('dominators', () => computeDominators(snapshot, retainers, findEssentialEdges(snapshot, markPageOwned(snapshot), ephemerons)));
  const shallowSizes = phase('shallow sizes', () => reassignShallowSizes(snapshot, hasUserRoots(snapshot), domState));
  const { retainedSizes, dominatorTree } = phase('retained sizes', () => ({
    retainedSizes: computeRetainedSizes(dominators, shallowSizes),
    dominatorTree: buildDominatorTree(dominators.idom, snapshot.rootOrdinal),
  }));
  const distances = phase('distances', () => computeDistances(snapshot, ephemerons));
  const { classes, interfaces } = phase('classes', () => classesOf(snapshot, domState, options));
  return {
    snapshot,
    retainers,
    domState,
    shallowSizes,
    distances,
    idom: dominators.idom,
    dominatorTree,
    retainedSizes,
    classes,
    interfaces,
    totalSize: retainedSizes[snapshot.rootOrdinal] + snapshot.extraNativeBytes,
  };
}
