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
import { startDominatorThread, type DominatorThread } from './dominator-thread.js';
import { computeDominators, type Dominators } from './dominators.js';
import { EphemeronNames } from './ephemerons.js';
import { EssentialEdges } from './essential-edges.js';
import { buildDominatorTree, computeClassRetainedSizes, computeRetainedSizes, type DominatorTree } from './retained-sizes.js';
import { buildRetainers, type Retainers } from './retainers.js';
import { releaseDeadArrays } from './memory.js';
import { hasUserRoots, markPageOwned } from './roots.js';
import { Scratch } from './scratch.js';
import type { SourceMapSetting } from './source-maps.js';
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
  /** Per class id, the retained size DevTools' Summary shows: instances under another of the same class not counted again. */
  classRetainedSizes: Float64Array;
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
  /** The dominators' worker, started when the node count was read (graph/load); undefined: started here. */
  dominatorThread?: DominatorThread | null;
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
  /**
   * Source maps for the locations printed of this heap's functions (graph/source-maps):
   * `false` turns them off; unset, maps are looked for beside the scripts.
   */
  sourceMaps?: SourceMapSetting;
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
 * Computes classes, dominators, shallow and retained sizes (of nodes and of classes) and
 * distances of a snapshot (retainers and the dominator tree on first use). On a mid-sized
 * heap the dominators are computed in a worker thread while this thread does the classes
 * (graph/dominator-thread says which heaps).
 */
export async function buildHeapGraph(snapshot: HeapSnapshot, options: GraphOptions = {}): Promise<HeapGraph> {
  const phase = phaseTimer(options);
  releaseDeadArrays(snapshot.nodeCount); // the reader's chunks
  const ephemerons = new EphemeronNames(snapshot);
  const domState = phase('dom state', () => propagateDomState(snapshot));
  // One working array for the search for page-owned nodes, the shallow sizes' owners and the
  // distances' queue. It is let go before the dominator tree is built.
  const scratch = new Scratch();
  // Each phase's working arrays are freed before the next allocates its own.
  const afterwards = <T>(result: T): T => {
    releaseDeadArrays(snapshot.nodeCount);
    return result;
  };

  // Page ownership and the essential-edge rule use the raw graph; sizes are reassigned after.
  // On a mid-sized heap a worker computes the dominators while this thread does the classes,
  // shallow sizes and distances (none of which needs them); graph/load starts it while the
  // file is read, others here, while the page-owned nodes are marked.
  options.onPhase?.('dominators');
  const dominatorStart = performance.now();
  const thread = options.dominatorThread !== undefined ? options.dominatorThread : startDominatorThread(snapshot.nodeCount);
  const essential = cancelOnError(thread, () => EssentialEdges.of(snapshot, markPageOwned(snapshot, scratch), ephemerons));
  const dominatorsDone = (result: Dominators): Dominators => {
    options.onPhaseDone?.('dominators', performance.now() - dominatorStart);
    return afterwards(result);
  };
  const threadResult = thread?.compute(snapshot, essential) ?? null;
  let dominators: Dominators | null = threadResult ? null : dominatorsDone(computeDominators(snapshot, essential));
  const { classes, interfaces, shallowSizes, distances } = cancelOnError(thread, () => {
    const { classes, interfaces } = afterwards(phase('classes', () => classesOf(snapshot, domState, options)));
    const shallowSizes = phase('shallow sizes', () => reassignShallowSizes(snapshot, hasUserRoots(snapshot), domState, scratch));
    const distances = phase('distances', () => computeDistances(snapshot, ephemerons, scratch));
    return { classes, interfaces, shallowSizes, distances };
  });
  scratch.release();
  releaseDeadArrays(snapshot.nodeCount);
  dominators ??= dominatorsDone(await threadResult!.catch(() => computeDominators(snapshot, essential)));
  const idom = dominators.idom;
  const { retainedSizes, classRetainedSizes } = phase('retained sizes', () => {
    const retained = computeRetainedSizes(dominators!, shallowSizes);
    // The top-down order is finished: its memory holds the tree's child lists, which only
    // the classes' retained sizes need here (later users build the tree again). Nothing
    // may keep it after this.
    const storage = dominators!.topDown;
    const tree = buildDominatorTree(idom, snapshot.rootOrdinal, storage);
    dominators = null;
    const byClass = computeClassRetainedSizes(tree, snapshot.rootOrdinal, classes.classOf, classes.names.length, shallowSizes, retained);
    return { retainedSizes: retained, classRetainedSizes: byClass };
  });
  releaseDeadArrays(snapshot.nodeCount);
  return assembleGraph(snapshot, { domState, shallowSizes, distances, idom, retainedSizes, classes, interfaces, classRetainedSizes });
}

/** Runs `work`; if it throws, stops the dominators' worker first (no one will want its answer, and it would keep a library caller's process alive). */
function cancelOnError<T>(thread: DominatorThread | null, work: () => T): T {
  try {
    return work();
  } catch (error) {
    thread?.cancel();
    throw error;
  }
}

/** The HeapGraph of computed arrays, with the retainer index and dominator tree built on first use. */
function assembleGraph(snapshot: HeapSnapshot, parts: Omit<HeapGraph, 'snapshot' | 'retainers' | 'dominatorTree' | 'totalSize'>): HeapGraph {
  // A summary needs neither, and on large heaps they cost more memory than anything else
  // (the retainer index is a slot per edge).
  let retainers: Retainers | null = null;
  let dominatorTree: DominatorTree | null = null;
  return {
    snapshot,
    ...parts,
    get retainers() {
      return (retainers ??= buildRetainers(snapshot));
    },
    get dominatorTree() {
      return (dominatorTree ??= buildDominatorTree(parts.idom, snapshot.rootOrdinal));
    },
    totalSize: parts.retainedSizes[snapshot.rootOrdinal] + snapshot.extraNativeBytes,
  };
}
