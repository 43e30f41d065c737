/**
 * leakgraph/analysis/compare — what grew across snapshots of one process, each loaded in turn
 * and dropped once its classes are counted.
 */

import type { InterfaceDefinition } from '../graph/classes.js';
import { loadSnapshotClasses, type LoadPhase } from '../graph/load.js';
import { classCounts, classInstances, computeGrowth, snapshotInfo, type ClassGrowth, type ClassInstances, type SnapshotInfo } from './growth.js';
import { SameProcessCheck, type SameProcessProblem } from './same-process.js';

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
