/**
 * leakgraph/commands/why — what keeps one object alive: every holder with its path, its
 * dominators, and what single cut would free it.
 */

import { explainRetention, type WhyResult } from '../analysis/why.js';
import { whyJson, type WhyJson } from '../render/why.js';
import { loadGraph, type LoadOptions, type SnapshotSource } from './load.js';
import { checkSelection, selectObjects, type ObjectSelection } from './select.js';

export interface WhyOptions extends LoadOptions, ObjectSelection {}

export interface WhyReport {
  file: string;
  results: WhyResult[];
}

/** The explanation of each object selected (one for an id; the largest of a class, 1 by default). */
export async function whyReport(source: SnapshotSource, options: WhyOptions): Promise<WhyReport> {
  checkSelection('why', options);
  const { graph, file } = await loadGraph(source, options);
  return { file, results: selectObjects(graph, 'why', options, 1).map((node) => explainRetention(graph, node)) };
}

/** What `leakgraph why --json` prints: the object's explanation; for a class, the list of them. */
export async function why(source: SnapshotSource, options: WhyOptions & { id: number }): Promise<WhyJson>;
export async function why(source: SnapshotSource, options: WhyOptions & { type: string }): Promise<WhyJson[]>;
export async function why(source: SnapshotSource, options: WhyOptions): Promise<WhyJson | WhyJson[]>;
export async function why(source: SnapshotSource, options: WhyOptions): Promise<WhyJson | WhyJson[]> {
  const report = await whyReport(source, options);
  const results = report.results.map((result) => whyJson(report.file, result));
  return options.id !== undefined ? results[0] : results;
}
