/**
 * leakgraph/commands/leaks — what leaks, from snapshots of one process: objects allocated
 * between BASE and TARGET still alive in FINAL, clustered and named by class and holder, and
 * containers that grow at every step.
 */

import { DEFAULT_MIN_RETAINED, findLeaks, type LeakReport } from '../analysis/leaks.js';
import { UsageError } from '../errors.js';
import { leaksJson, type LeaksJson } from '../render/leaks.js';
import { loadGraph, type LoadOptions } from './load.js';

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

/** The leaks with everything their text shows (paths with their steps, holders' routes). */
export async function leaksReport(files: readonly string[], options: LeaksOptions = {}): Promise<LeakReport> {
  if (files.length < 2) throw new UsageError('leaks: give at least two snapshots of one process, oldest first (BASE TARGET FINAL)');
  return findLeaks([...files], async (file) => (await loadGraph(file, options)).graph, {
    minRetained: options.minRetained ?? DEFAULT_MIN_RETAINED,
    top: options.top ?? LEAKS_TOP,
    force: options.force === true,
    onPhaseDone: options.onAnalysisPhaseDone,
  });
}

/** What `leakgraph leaks --json` prints. */
export async function leaks(files: readonly string[], options: LeaksOptions = {}): Promise<LeaksJson> {
  return leaksJson(await leaksReport(files, options));
}

/** Whether a report has something `--fail` fails on. */
export function foundLeaks(report: Pick<LeakReport, 'clusters' | 'growingContainers'>): boolean {
  return report.clusters.length > 0 || report.growingContainers.length > 0;
}
