/**
 * leakgraph — find memory leaks in JavaScript programs from V8 heap snapshots.
 *
 * The library entry point: `loadSnapshot` reads a .heapsnapshot (plain or gzipped) and
 * computes everything DevTools computes on load, with the same numbers.
 */

import { buildHeapGraph, classifyHeap, type ClassifiedHeap, type GraphPhase, type HeapGraph } from './graph/heap-graph.js';
import type { InterfaceDefinition } from './graph/classes.js';
import { classCounts, classInstances, computeGrowth, snapshotInfo, type ClassGrowth, type ClassInstances, type SnapshotInfo } from './analysis/growth.js';
import { readSnapshotFile, readSnapshotStream } from './snapshot/loader.js';
import { SameProcessCheck, type SameProcessProblem } from './analysis/same-process.js';

export type LoadPhase = 'reading' | GraphPhase;

export interface LoadSnapshotOptions {
  /** Progress: the phase, and for 'reading' the fraction of the file read so far. */
  onProgress?: (phase: LoadPhase, fraction?: number) => void;
  /** Duration of each phase in milliseconds, as it ends. */
  onPhaseDone?: (phase: LoadPhase, milliseconds: number) => void;
  /** Shape classes for plain objects (default: inferred from this snapshot). */
  interfaces?: InterfaceDefinition[];
}

/**
 * Loads a heap snapshot file and computes retainers, distances, dominators, retained sizes
 * and classes.
 * @throws SnapshotError when the file is missing, truncated or not a valid heap snapshot
 */
export async function loadSnapshot(file: string, options: LoadSnapshotOptions = {}): Promise<HeapGraph> {
  const start = performance.now();
  const snapshot = await readSnapshotFile(file, { onProgress: options.onProgress && ((progress) => options.onProgress!('reading', progress.fraction)) });
  options.onPhaseDone?.('reading', performance.now() - start);
  return await buildHeapGraph(snapshot, { onPhase: options.onProgress, onPhaseDone: options.onPhaseDone, interfaces: options.interfaces });
}

/**
 * Loads a snapshot for comparisons: classes and DevTools' shallow sizes only (no dominators),
 * which is all that growth needs of the older snapshots.
 */
export async function loadSnapshotClasses(file: string, options: LoadSnapshotOptions = {}): Promise<ClassifiedHeap> {
  const start = performance.now();
  const snapshot = await readSnapshotFile(file, { onProgress: options.onProgress && ((progress) => options.onProgress!('reading', progress.fraction)) });
  options.onPhaseDone?.('reading', performance.now() - start);
  return classifyHeap(snapshot, { onPhase: options.onProgress, onPhaseDone: options.onPhaseDone, interfaces: options.interfaces });
}

export interface GrowthReport {
  /** Header numbers of each snapshot, in the order given. */
  files: SnapshotInfo[];
  /** Classes with new or deleted instances between the first and the last snapshot, unsorted. */
  classes: ClassGrowth[];
  /** Why the files may not be one process's, oldest first; only ever set with `force`. */
  sameProcessProblem: SameProcessProblem | null;
}

export interface CompareSnapshotsOptions {
  /** Progress of each file's load, as for `loadSnapshot`. */
  onProgress?: (file: string, phase: LoadPhase, fraction?: number) => void;
  /** Duration of each phase of each file's load, in milliseconds. */
  onPhaseDone?: (file: string, phase: LoadPhase, milliseconds: number) => void;
  /**
   * Compare even when the snapshots do not look like one process's, oldest first: the problem
   * goes into the report's `sameProcessProblem` instead of being thrown.
   */
  force?: boolean;
}

/**
 * What grew from the first snapshot to the last (DevTools' Comparison of the two), with each
 * class's count in every snapshot. The last snapshot is loaded first for its shape classes,
 * which classify all the others, as in DevTools. Snapshots are loaded one at a time, classes
 * only (no dominators), and only per-class ids and sizes (first and last) or counts (the
 * others) are kept, so memory does not grow with the number of files.
 *
 * Each file is checked against the others as it loads (see analysis/same-process): ids must
 * name the same objects in all of them, and grow from the first file to the last.
 * @throws SnapshotError for a bad file; RangeError for fewer than two files;
 *   MixedSnapshotsError when the files cannot be one process's in that order (unless `force`)
 */
export async function compareSnapshots(files: readonly string[], options: CompareSnapshotsOptions = {}): Promise<GrowthReport> {
  if (files.length < 2) throw new RangeError('comparing snapshots needs at least two files');
  const load = async (index: number, interfaces?: InterfaceDefinition[]) => {
    const file = files[index];
    return loadSnapshotClasses(file, {
      interfaces,
      onProgress: options.onProgress && ((phase, fraction) => options.onProgress!(file, phase, fraction)),
      onPhaseDone: options.onPhaseDone && ((phase, milliseconds) => options.onPhaseDone!(file, phase, milliseconds)),
    });
  };
  // Each step keeps only its summary; the heap itself is garbage once the step returns.
  const lastIndex = files.length - 1;
  const infos: SnapshotInfo[] = new Array<SnapshotInfo>(files.length);
  const check = new SameProcessCheck(files, { force: options.force });
  const loadInstances = async (index: number, interfaces?: InterfaceDefinition[]): Promise<{ instances: ClassInstances; interfaces: InterfaceDefinition[] }> => {
    const heap = await load(index, interfaces);
    check.add(index, heap.snapshot);
    infos[index] = snapshotInfo(heap);
    return { instances: classInstances(heap), interfaces: heap.interfaces };
  };
  const loadCounts = async (index: number, interfaces: InterfaceDefinition[]): Promise<Map<string, number>> => {
    const heap = await load(index, interfaces);
    check.add(index, heap.snapshot);
    infos[index] = snapshotInfo(heap);
    return classCounts(heap);
  };
  const last = await loadInstances(lastIndex);
  const first = await loadInstances(0, last.interfaces);
  const middle: Map<string, number>[] = [];
  for (let index = 1; index < lastIndex; index++) middle.push(await loadCounts(index, last.interfaces));
  return { files: infos, classes: computeGrowth(first.instances, middle, last.instances), sameProcessProblem: check.problem };
}

/** Same as loadSnapshot, from a stream of snapshot text (e.g. `v8.getHeapSnapshot()`). */
export async function loadSnapshotStream(name: string, stream: AsyncIterable<Uint8Array | string>, options: LoadSnapshotOptions = {}): Promise<HeapGraph> {
  const start = performance.now();
  const snapshot = await readSnapshotStream(name, stream);
  options.onPhaseDone?.('reading', performance.now() - start);
  return buildHeapGraph(snapshot, { onPhase: options.onProgress, onPhaseDone: options.onPhaseDone, interfaces: options.interfaces });
}

export { SnapshotError } from './snapshot/errors.js';
export { HeapSnapshot, type SourceLocation } from './snapshot/heap-snapshot.js';
export { readSnapshotFile, readSnapshotStream } from './snapshot/loader.js';
export { buildHeapGraph, classifyHeap, type HeapGraph, type ClassifiedHeap, type GraphPhase, type GraphOptions } from './graph/heap-graph.js';
export { IdIndex } from './graph/id-index.js';
export { NO_DISTANCE, BASE_SYSTEM_DISTANCE } from './graph/distances.js';
export type { ClassTable, InterfaceDefinition } from './graph/classes.js';
export { displayName } from './graph/names.js';
export { summarizeClasses, sortClasses, type ClassSummary, type SummarySort } from './analysis/summary.js';
export {
  classInstances,
  classCounts,
  instanceCounts,
  snapshotInfo,
  diffClasses,
  computeGrowth,
  grewEveryStep,
  sortGrowth,
  selectGrowth,
  type ClassInstances,
  type ClassDiff,
  type ClassGrowth,
  type GrowthSort,
  type GrowthSelection,
  type SnapshotInfo,
} from './analysis/growth.js';
export {
  processFingerprint,
  compareFingerprints,
  checkSameProcess,
  SameProcessCheck,
  MixedSnapshotsError,
  type ProcessFingerprint,
  type SameProcessProblem,
} from './analysis/same-process.js';
export { inspectObject, nodeInfo, type InspectResult, type NodeInfo, type ReferenceInfo, type RetainerInfo } from './analysis/inspect.js';
export { findLeaks, DEFAULT_MIN_RETAINED, type LeakReport, type LeakCluster, type GrowingContainer, type LeakOptions } from './analysis/leaks.js';
export { PathFinder, objectsOfClass, type RetainingPath, type PathStep } from './analysis/path.js';
export { explainRetention, type WhyResult, type WhyHolder, type WhyCut } from './analysis/why.js';
export type { HeldBy } from './analysis/holders.js';
export { backrefGraph, refGraph, chainGraph, type RefGraph, type WalkOptions } from './analysis/refgraph.js';
export { TraceTree } from './snapshot/trace-tree.js';
export type { TraceFunction } from './snapshot/heap-snapshot.js';
export {
  readHeapProfile,
  parseHeapProfile,
  detectHeapFileKind,
  ProfileError,
  type HeapProfile,
  type HeapProfileNode,
  type ProfileCallFrame,
  type HeapFileKind,
} from './profile/heap-profile.js';
export { recordHeapProfile, profiledCommand, type HeapProfileRecordOptions, type HeapProfileRecordResult } from './profile/record.js';
export {
  profileFunctions,
  profileTree,
  liveAllocations,
  hasAllocationTraces,
  matchesScript,
  frameLocation,
  type AllocationFrame,
  type FrameLocation,
  type FunctionAllocation,
  type ProfileAllocations,
  type AllocationTreeNode,
  type LiveAllocations,
  type LiveAllocationFunction,
  type LiveAllocationStack,
  type LiveAllocationOptions,
  type LiveClassCount,
} from './analysis/allocs.js';
export { renderFlameSvg, type FlameGraphOptions } from './render/flame-svg.js';
export { LiveError } from './live/errors.js';
export { InspectorSession, type ConnectOptions } from './live/inspector-client.js';
export { parseHostPort, isLoopbackHost, listTargets, chooseTarget, type HostPort, type InspectorTarget } from './live/discovery.js';
export { snapshotToFile, type SnapshotToFileOptions, type SnapshotProgress, type SnapshotFileInfo } from './live/snapshot-to-file.js';
export { openTarget, captureSnapshots, type TargetAddress, type OpenTargetOptions, type OpenedTarget, type CaptureOptions } from './live/capture.js';
export { startRecording, type Recording, type RecordOptions, type RecordEvent } from './live/recorder.js';
export { readRss, readDescendantsRss } from './live/memory.js';
export { parseDuration, parseDurationList } from './live/duration.js';
export {
  fitTrend,
  fitTrends,
  parseTimeline,
  serializeTimeline,
  TIMELINE_VERSION,
  type Timeline,
  type MemorySample,
  type TimelineSnapshot,
  type SnapshotTrigger,
  type Trend,
  type TrendSeries,
  type EndReason,
} from './live/timeline.js';
export { renderTimelineSvg, type TimelineSvgOptions, type TimelineSeries } from './render/timeline-svg.js';
