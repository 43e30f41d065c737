/**
 * leakgraph/commands/paths — why objects are alive: the retaining path a person would write,
 * from a root (or the module holding it) to each object.
 */

import { PathFinder, type RetainingPath } from '../analysis/retaining-path.js';
import { pathsJson, type PathsJson } from '../render/path.js';
import { loadGraph, type LoadOptions, type SnapshotSource } from './load.js';
import { checkSelection, selectObjects, type ObjectSelection } from './select.js';

export interface PathsOptions extends LoadOptions, ObjectSelection {}

/** With `type`, how many objects by default. */
export const PATHS_LIMIT = 3;

export interface PathsReport {
  file: string;
  paths: RetainingPath[];
}

/** The paths with every step and fold, as the text shows them. */
export async function pathsReport(source: SnapshotSource, options: PathsOptions): Promise<PathsReport> {
  checkSelection('path', options);
  const { graph, file } = await loadGraph(source, options);
  const finder = PathFinder.of(graph);
  return { file, paths: selectObjects(graph, 'path', options, PATHS_LIMIT).map((node) => finder.pathOf(node)) };
}

/** What `leakgraph path --json` prints. */
export async function paths(source: SnapshotSource, options: PathsOptions): Promise<PathsJson> {
  const report = await pathsReport(source, options);
  return pathsJson(report.file, report.paths);
}
