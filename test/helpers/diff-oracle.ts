// Test oracle for comparisons: DevTools' Comparison view from its own heap snapshot worker
// code (heap-snapshot-toolkit). Used ONLY to check leakgraph in tests.
//
// DevTools' data grid asks the base snapshot for its aggregates classified with the NEWER
// snapshot's interface definitions (HeapSnapshotDataGrids.ts, HeapSnapshotDiffDataGrid), then
// the newer snapshot diffs against them. The toolkit's own diff() passes the base's own
// definitions instead (its getAggregatesForDiff), which differs for plain-object shape classes.

import { diff } from 'heap-snapshot-toolkit';
import { devtoolsSnapshot } from './oracle.js';

export interface OracleDiff {
  key: string;
  name: string;
  addedCount: number;
  removedCount: number;
  addedSize: number;
  removedSize: number;
  countDelta: number;
  sizeDelta: number;
}

type ToolkitDiff = Record<string, { name: string; addedCount: number; removedCount: number; addedSize: number; removedSize: number; countDelta: number; sizeDelta: number }>;

function rows(result: ToolkitDiff): OracleDiff[] {
  return Object.keys(result)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((key) => {
      const d = result[key]!;
      return { key, name: d.name, addedCount: d.addedCount, removedCount: d.removedCount, addedSize: d.addedSize, removedSize: d.removedSize, countDelta: d.countDelta, sizeDelta: d.sizeDelta };
    });
}

/** DevTools' Comparison of `newerFile` against `baseFile`, rows sorted by key. */
export async function devtoolsComparison(baseFile: string, newerFile: string): Promise<OracleDiff[]> {
  const base = await devtoolsSnapshot(baseFile);
  const newer = await devtoolsSnapshot(newerFile);
  const aggregates = base.aggregatesForDiff(newer.interfaceDefinitions());
  return rows(newer.calculateSnapshotDiff(base.uid, aggregates) as ToolkitDiff);
}

/** heap-snapshot-toolkit's plain diff(): the base classified with its own definitions. */
export async function toolkitDiff(baseFile: string, newerFile: string): Promise<OracleDiff[]> {
  const base = await devtoolsSnapshot(baseFile);
  const newer = await devtoolsSnapshot(newerFile);
  return rows((await diff(base, newer)) as ToolkitDiff);
}
