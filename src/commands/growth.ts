/**
 * leakgraph/commands/growth — what grew between snapshots of one process (DevTools'
 * Comparison of the first and the last), with each class's count in every snapshot.
 */

import { compareHeaps, compareSnapshots, type GrowthReport } from '../analysis/compare.js';
import { selectGrowth, type GrowthSort } from '../analysis/growth.js';
import { UsageError } from '../errors.js';
import { growthJson, type GrowthJson, type GrowthTextReport } from '../render/growth.js';
import { loadComparableGraphs, type LoadOptions, type SnapshotSource } from './load.js';
import { checkCount } from './checks.js';

export interface GrowthOptions extends LoadOptions {
  /** The N classes that changed most (0 = all; default 20). */
  top?: number;
  /** Order by the change in count (default) or in size. */
  sort?: GrowthSort;
  /** Only classes whose count changed by at least this much, either way. */
  minDelta?: number;
  /** Go on when the files do not look like one process's, oldest first (see `sameProcessProblem`). */
  force?: boolean;
}

export const GROWTH_TOP = 20;

export interface GrowthCommandReport extends GrowthTextReport {
  /** Why the files may not be one process's; only ever set with `force`. */
  sameProcessProblem: { message: string } | null;
}

/**
 * Growth with what its text shows (rows before the cut, classes that changed at all). Files, or
 * heaps already loaded: then the older ones should have been loaded with the last one's shapes
 * (`interfaces`), as the files are compared, for the same answer (files given beside them are).
 */
export async function growthReport(sources: readonly SnapshotSource[], options: GrowthOptions = {}): Promise<GrowthCommandReport> {
  if (sources.length < 2) throw new UsageError('growth needs at least two snapshot files, oldest first (leakgraph growth A B [C …])');
  checkCount('growth', 'top', options.top);
  checkCount('growth', 'minDelta', options.minDelta);
  const force = options.force === true;
  const files = sources.filter((source) => typeof source === 'string');
  const report = files.length === sources.length
    ? await compareSnapshots(files, { force, onProgress: options.onProgress, onPhaseDone: options.onPhaseDone })
    : await compareHeaps(await loadComparableGraphs(sources, options), { force });
  return selectedGrowth(report, options);
}

/** A comparison cut and ordered as `options` say (a server compares once and selects per question). */
export function selectedGrowth(report: GrowthReport, options: Pick<GrowthOptions, 'top' | 'sort' | 'minDelta'> = {}): GrowthCommandReport {
  checkCount('growth', 'top', options.top);
  checkCount('growth', 'minDelta', options.minDelta);
  const minDelta = options.minDelta ?? 0;
  const { rows, matching } = selectGrowth(report.classes, { top: options.top ?? GROWTH_TOP, sort: options.sort ?? 'count', minDelta });
  return { files: report.files, classes: rows, matching, changed: report.classes.length, minDelta, sameProcessProblem: report.sameProcessProblem };
}

/** What `leakgraph growth --json` prints. */
export async function growth(sources: readonly SnapshotSource[], options: GrowthOptions = {}): Promise<GrowthJson> {
  return growthJson(await growthReport(sources, options));
}
