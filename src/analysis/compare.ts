/**
 * leakgraph/analysis/compare — what grew across snapshots of one process, each loaded in turn
 * and dropped once its classes are counted (the first read in a worker while the last loads).
 */

import type { InterfaceDefinition } from '../graph/classes.js';
import type { ClassifiedHeap } from '../graph/heap-graph.js';
import { loadSnapshotClasses, type LoadPhase } from '../graph/load.js';
import { classCounts, classInstances, computeGrowth, snapshotInfo, type ClassGrowth, type ClassInstances, type SnapshotInfo } from './growth.js';
import type { OlderSnapshot } from './older-snapshot.js';
import { startOlderSnapshotsThread } from './older-snapshot-thread.js';
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
  /**
   * Progress of each file's load, as for `loadSnapshot`; not for the first file when a worker
   * reads it (it is read while the last one loads, whose progress is shown).
   */
  onProgress?: (file: string, phase: LoadPhase, fraction?: number) => void;
  /** Duration of each phase of each file's load, in milliseconds (the same exception). */
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
 * which classify all the others, as in DevTools. The first is read in a worker meanwhile (two
 * heaps at once, on two cores); the others load one at a time, classes only (no dominators),
 * and only per-class ids and sizes (first and last) or counts (the others) are kept, so memory
 * does not grow with the number of files.
 *
 * Each file is checked against the others as it loads (see analysis/same-process): ids must
 * name the same objects in all of them, and grow from the first file to the last.
 * @throws SnapshotError for a bad file; RangeError for fewer than two files;
 *   MixedSnapshotsError when the files cannot be one process's in that order (unless `force`)
 */
export async function compareSnapshots(files: readonly string[], options: CompareSnapshotsOptions = {}): Promise<GrowthReport> {
  if (files.length < 2) throw new RangeError('comparing snapshots needs at least two files');
  // The first file is read in a worker while this thread loads the last: both reads at once.
  const thread = startOlderSnapshotsThread([files[0]], 'growth');
  try {
    const load = (index: number, interfaces?: InterfaceDefinition[]) => {
      const file = files[index];
      return loadSnapshotClasses(file, {
        interfaces,
        onProgress: options.onProgress && ((phase, fraction) => options.onProgress!(file, phase, fraction)),
        onPhaseDone: options.onPhaseDone && ((phase, milliseconds) => options.onPhaseDone!(file, phase, milliseconds)),
      });
    };
    return await compareEach(files, load, options, thread?.snapshots[0] ?? null);
  } finally {
    thread?.stop();
  }
}

/**
 * `compareSnapshots` on heaps already loaded (a server loads once). The report equals the
 * files' when the older heaps were classified with the last one's shapes
 * (`loadSnapshot(file, { interfaces: last.interfaces })`), as `compareSnapshots` loads them.
 * @throws MixedSnapshotsError as `compareSnapshots` does
 */
export async function compareHeaps(heaps: readonly ClassifiedHeap[], options: Pick<CompareSnapshotsOptions, 'force'> = {}): Promise<GrowthReport> {
  if (heaps.length < 2) throw new RangeError('comparing snapshots needs at least two heaps');
  return compareEach(heaps.map((heap) => heap.snapshot.file), async (index) => heaps[index], options, null);
}

/**
 * The comparison itself, each snapshot got through `load` (last first, for its shapes), or for
 * the first, `firstElsewhere` when another thread reads it.
 */
async function compareEach(
  files: readonly string[],
  load: (index: number, interfaces?: InterfaceDefinition[]) => Promise<ClassifiedHeap>,
  options: Pick<CompareSnapshotsOptions, 'force'>,
  firstElsewhere: Promise<OlderSnapshot> | null,
): Promise<GrowthReport> {
  // Each step keeps only its summary; a heap loaded here is garbage once the step returns.
  const lastIndex = files.length - 1;
  const infos: SnapshotInfo[] = new Array<SnapshotInfo>(files.length);
  const check = new SameProcessCheck(files, { force: options.force });
  const loadChecked = async (index: number, interfaces?: InterfaceDefinition[]): Promise<ClassifiedHeap> => {
    const heap = await load(index, interfaces);
    check.add(index, heap.snapshot);
    infos[index] = snapshotInfo(heap);
    return heap;
  };
  // Only the last heap's instances and shapes are kept, not the heap, while the others load.
  const { last, interfaces } = await loadChecked(lastIndex).then((heap) => ({ last: classInstances(heap), interfaces: heap.interfaces }));
  const firstInstances = async (): Promise<ClassInstances> => {
    if (!firstElsewhere) return classInstances(await loadChecked(0, interfaces));
    const older = await firstElsewhere;
    check.addFingerprint(0, older.fingerprint);
    const { info, instances } = await older.growthFacts(interfaces);
    older.close(); // the middle snapshots load without it
    infos[0] = info;
    return instances;
  };
  const first = await firstInstances();
  const middle: Map<string, number>[] = [];
  for (let index = 1; index < lastIndex; index++) middle.push(classCounts(await loadChecked(index, interfaces)));
  return { files: infos, classes: computeGrowth(first, middle, last), sameProcessProblem: check.problem };
}
