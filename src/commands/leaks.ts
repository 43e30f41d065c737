/**
 * leakgraph/commands/leaks — what leaks, from snapshots of one process: objects allocated
 * between BASE and TARGET still alive in FINAL, clustered and named by class and holder, and
 * containers that grow at every step.
 */

import { DEFAULT_MIN_RETAINED, findLeaks, type LeakReport } from '../analysis/leaks.js';
import { UsageError } from '../errors.js';
import { leaksJson, type LeaksJson } from '../render/leaks.js';
import { loadGraph, type LoadOptions, type SnapshotSource } from './load.js';
import { checkCount } from './checks.js';

export interface LeaksOptions extends LoadOptions {
  /** At most N clusters and N containers (0 = all; default 10). */
  top?: number;
  /** Leave out what retains less, in bytes (default 100 kB). */
  minRetained?: number;
  /** Go on when the files do not look like one process's, oldest first (see `sameProcessProblem`). */
  force?: boolean;
  /** How long each phase of the analysis took, in milliseconds. */
  onAnalysisPhaseDone?: (phase: string, milliseconds: number) => void;
}

export const LEAKS_TOP = 10;
export { DEFAULT_MIN_RETAINED };

/**
 * The leaks with everything their text shows (paths with their steps, holders' routes). Files,
 * or heaps already loaded (then every older snapshot is read from its loaded heap, as `report`
 * does with full loads, instead of from its file).
 */
export async function leaksReport(sources: readonly SnapshotSource[], options: LeaksOptions = {}): Promise<LeakReport> {
  if (sources.length < 2) throw new UsageError('leaks: give at least two snapshots of one process, oldest first (BASE TARGET FINAL)');
  checkCount('leaks', 'top', options.top);
  checkCount('leaks', 'minRetained', options.minRetained);
  const loaded = sources.some((source) => typeof source !== 'string');
  const files = sources.map((source) => (typeof source === 'string' ? source : source.snapshot.file));
  return findLeaks(files, async (_file, index) => (await loadGraph(sources[index], options)).graph, {
    minRetained: options.minRetained ?? DEFAULT_MIN_RETAINED,
    top: options.top ?? LEAKS_TOP,
    force: options.force === true,
    onPhaseDone: options.onAnalysisPhaseDone,
    ...(loaded ? { older: 'full' as const } : {}),
  });
}

/** What `leakgraph leaks --json` prints. */
export async function leaks(sources: readonly SnapshotSource[], options: LeaksOptions = {}): Promise<LeaksJson> {
  return leaksJson(await leaksReport(sources, options));
}

/** Whether a report has something `--fail` fails on. */
export function foundLeaks(report: Pick<LeakReport, 'clusters' | 'growingContainers'>): boolean {
  return report.clusters.length > 0 || report.growingContainers.length > 0;
}
