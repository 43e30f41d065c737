// Test helper: heap snapshots with allocation traces (`trace_function_infos`, `trace_tree`),
// written from a plain description, and real ones taken through the inspector.

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { buildSnapshotText, minimalHeap, tmpPath, type BuildNode } from './snapshot-builder.js';

/** A function of the traces: line and column 1-based (0 = unknown), as V8 writes them. */
export interface TraceFunctionSpec {
  name: string;
  script: string;
  scriptId: number;
  line: number;
  column: number;
}

/** A trace node: [id, function index, count, size, children]. */
export type TraceNodeSpec = [number, number, number, number, TraceNodeSpec[]];

/** The tree as V8 writes it: each node's five values in a row, its children flattened in the fifth. */
export function flattenTree(nodes: TraceNodeSpec[]): unknown[] {
  return nodes.flatMap(([id, fn, count, size, children]) => [id, fn, count, size, flattenTree(children)]);
}

/**
 * A snapshot (compact JSON text) of `nodes` (default: V8's minimal heap) with these trace
 * functions and this trace tree (`root` is the top-level trace node).
 */
export function tracedSnapshotText(functions: TraceFunctionSpec[], root: TraceNodeSpec | null, nodes: BuildNode[] = minimalHeap()): string {
  const json = JSON.parse(buildSnapshotText(nodes)) as { snapshot: Record<string, unknown>; strings: string[]; [key: string]: unknown };
  const stringIndex = (text: string): number => {
    const at = json.strings.indexOf(text);
    if (at >= 0) return at;
    json.strings.push(text);
    return json.strings.length - 1;
  };
  json.trace_function_infos = functions.flatMap((fn, i) => [i + 1, stringIndex(fn.name), stringIndex(fn.script), fn.scriptId, fn.line, fn.column]);
  json.trace_tree = root ? flattenTree([root]) : [];
  json.snapshot.trace_function_count = functions.length;
  return JSON.stringify(json);
}

/**
 * Runs `body` as the middle of an ES module (file name `name`), between the inspector's
 * HeapProfiler.startTrackingHeapObjects({trackAllocations: true}) and
 * HeapProfiler.takeHeapSnapshot, and returns the path of the snapshot it writes.
 */
export function trackedSnapshotOfProgram(name: string, body: string): string {
  const script = tmpPath(name);
  const snapshot = `${script}.heapsnapshot`;
  const source = `
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
const session = new Session();
session.connect();
const post = (method, params = {}) => new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
await post('HeapProfiler.enable');
await post('HeapProfiler.startTrackingHeapObjects', { trackAllocations: true });
${body}
const chunks = [];
const onChunk = (message) => chunks.push(message.params.chunk);
session.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
await post('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
session.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
// stopTrackingHeapObjects would take a snapshot of its own; disconnecting ends the tracking
// (which otherwise keeps the program alive).
session.disconnect();
writeFileSync(${JSON.stringify(snapshot)}, chunks.join(''));
`;
  writeFileSync(script, source);
  const result = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`${name} failed: ${result.stderr}`);
  return snapshot;
}
