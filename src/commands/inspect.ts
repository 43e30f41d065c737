/**
 * leakgraph/commands/inspect — objects one at a time: class, sizes, distance, references,
 * retainers and dominator chain.
 */

import { inspectNode, type InspectResult } from '../analysis/inspect.js';
import { inspectJson, type InspectJson } from '../render/inspect.js';
import { loadGraph, type LoadOptions, type SnapshotSource } from './load.js';
import { checkCount, checkSelection, selectObjects, type ObjectSelection } from './select.js';

export interface InspectOptions extends LoadOptions, ObjectSelection {
  /** References and retainers listed per object (0 = all; default 25). */
  refs?: number;
}

export const INSPECT_REFS = 25;

/** The objects selected, each inspected: one for an id, the largest `limit` (default 1) of a class. */
export async function inspectReport(source: SnapshotSource, options: InspectOptions): Promise<InspectResult[]> {
  checkSelection('inspect', options);
  checkCount('inspect', 'refs', options.refs);
  const { graph } = await loadGraph(source, options);
  return selectObjects(graph, 'inspect', options, 1).map((node) => inspectNode(graph, node, options.refs ?? INSPECT_REFS));
}

/**
 * What `leakgraph inspect --json` prints: the object for an id; for a class, the list of its
 * largest objects.
 */
export async function inspect(source: SnapshotSource, options: InspectOptions & { id: number }): Promise<InspectJson>;
export async function inspect(source: SnapshotSource, options: InspectOptions & { type: string }): Promise<InspectJson[]>;
export async function inspect(source: SnapshotSource, options: InspectOptions): Promise<InspectJson | InspectJson[]>;
export async function inspect(source: SnapshotSource, options: InspectOptions): Promise<InspectJson | InspectJson[]> {
  const results = (await inspectReport(source, options)).map(inspectJson);
  return options.id !== undefined ? results[0] : results;
}
