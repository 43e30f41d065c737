/**
 * leakgraph/analysis/allocs — where memory is allocated, per function.
 *
 * From a sampling heap profile (`.heapprofile`): each function's sampled bytes allocated in
 * the function itself and including its callees, and the top-down call tree. From a heap
 * snapshot taken with allocation tracking: the objects still alive, attributed to the
 * function (and stack) that allocated them, as DevTools' Allocation stacks and bottom-up
 * view. V8 records the position of the allocating function, not of the statement, so
 * everything here is per function, located at the function's start.
 */

import type { ClassifiedHeap } from '../graph/heap-graph.js';
import type { OriginalPosition, OriginalPositions } from '../graph/scripts.js';
import { sourceMapsOf } from '../graph/source-maps.js';
import type { HeapProfile, HeapProfileNode, ProfileCallFrame } from '../profile/heap-profile.js';
import { treeNodes } from '../profile/tree-nodes.js';
import type { HeapSnapshot } from '../snapshot/heap-snapshot.js';

/** A function as V8 locates it. */
export interface AllocationFrame {
  /** The function's name, "(anonymous)" when it has none. */
  name: string;
  /** Script URL or path; "" when V8 recorded none. */
  url: string;
  /** V8's script id ("0" for built-ins, native code and V8's own pseudo-frames). */
  scriptId: string;
  /** 1-based line and column of the function's start, as editors count; 0 when unknown. */
  line: number;
  column: number;
  /** Where the function is in the original source, when the script has a source map. */
  original?: OriginalPosition;
}

/** How much is known of where a frame is. */
export type FrameLocation = 'script' | 'native' | 'unknown';

/**
 * `script`: it has a URL; `native`: no script at all (V8 built-ins such as `push`, native
 * code, V8's pseudo-frames such as "(V8 API)"); `unknown`: it belongs to a script, but V8
 * did not record the script's URL or the line (the script was gone when the profile was
 * taken, as with CommonJS module code under `node --heap-prof`).
 */
export function frameLocation(frame: AllocationFrame): FrameLocation {
  if (frame.url !== '') return 'script';
  return frame.scriptId === '0' || frame.scriptId === '' ? 'native' : 'unknown';
}

export interface FunctionAllocation extends AllocationFrame {
  /** Sampled bytes allocated in the function itself. */
  selfBytes: number;
  /** Sampled bytes allocated in the function and everything it called (recursion counted once). */
  totalBytes: number;
  /** selfBytes / the profile's total (0..1). */
  share: number;
  /** Samples taken in the function itself. */
  samples: number;
}

export interface ProfileAllocations {
  file: string;
  /** Sampled bytes of the whole profile. */
  totalBytes: number;
  sampleCount: number;
  /** Whether the profile lists its samples (else every `samples` is 0). */
  hasSamples: boolean;
  /**
   * Every function that allocated something itself, busiest first (self bytes, then total
   * bytes, then name and location). Functions that only called allocating code are in the tree.
   */
  functions: FunctionAllocation[];
}

export interface AllocationTreeNode extends AllocationFrame {
  /** The profile's node id. */
  id: number;
  selfBytes: number;
  /** Bytes of the node and everything below it. */
  totalBytes: number;
  /** totalBytes / the profile's total (0..1). */
  share: number;
  /** Samples taken at exactly this stack. */
  samples: number;
  /** Children above the cut, largest total first. */
  children: AllocationTreeNode[];
  /** Children left out by the cut, and their bytes. */
  cutCount: number;
  cutBytes: number;
}

/** The frame of a profile node, with 1-based positions, and the original ones from `sourceMaps`. */
export function profileFrame(callFrame: ProfileCallFrame, sourceMaps: OriginalPositions | null = null): AllocationFrame {
  return withOriginal(
    {
      name: callFrame.functionName || '(anonymous)',
      url: callFrame.url,
      scriptId: callFrame.scriptId,
      line: callFrame.lineNumber >= 0 ? callFrame.lineNumber + 1 : 0,
      column: callFrame.columnNumber >= 0 ? callFrame.columnNumber + 1 : 0,
    },
    sourceMaps,
  );
}

/** The frame with its original position added, when a source map knows it. */
function withOriginal(frame: AllocationFrame, sourceMaps: OriginalPositions | null): AllocationFrame {
  if (!sourceMaps || frame.url === '' || frame.line === 0) return frame;
  const original = sourceMaps.original(frame.url, frame.line, frame.column);
  return original ? { ...frame, original } : frame;
}

/** Identity of a function: name and location (the script id where there is no URL). */
export function frameKey(frame: AllocationFrame): string {
  return `${frame.name}\u0000${frame.url === '' ? `#${frame.scriptId}` : frame.url}\u0000${frame.line}\u0000${frame.column}`;
}

/** Total bytes of every node's subtree, by node id (iteratively: trees can be deep). */
function subtreeTotals(head: HeapProfileNode): Map<number, number> {
  const totals = new Map<number, number>();
  const order = treeNodes(head);
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i];
    let total = node.selfSize;
    for (const child of node.children) total += totals.get(child.id)!;
    totals.set(node.id, total);
  }
  return totals;
}

/** Compares functions busiest first, then by name and location, so the order is stable. */
function compareFunctions(a: FunctionAllocation, b: FunctionAllocation): number {
  return b.selfBytes - a.selfBytes || b.totalBytes - a.totalBytes || compareFrames(a, b);
}

export function compareFrames(a: AllocationFrame, b: AllocationFrame): number {
  return compareText(a.name, b.name) || compareText(a.url, b.url) || a.line - b.line || a.column - b.column || compareText(a.scriptId, b.scriptId);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Per function: bytes allocated in it and including its callees, its share of the total and
 * its samples. The profile's root is left out unless it holds bytes itself.
 */
export function profileFunctions(profile: HeapProfile): ProfileAllocations {
  const totals = subtreeTotals(profile.head);
  const sourceMaps = sourceMapsOf(profile);
  const byKey = new Map<string, FunctionAllocation>();
  /** How many times each function is on the current stack, so recursion counts once. */
  const onStack = new Map<string, number>();
  type Step = { node: HeapProfileNode; key: string; enter: boolean };
  const steps: Step[] = [{ node: profile.head, key: '', enter: true }];
  while (steps.length > 0) {
    const step = steps.pop()!;
    if (!step.enter) {
      onStack.set(step.key, onStack.get(step.key)! - 1);
      continue;
    }
    const node = step.node;
    const frame = profileFrame(node.callFrame);
    const key = node === profile.head ? '\u0000root' : frameKey(frame);
    let entry = byKey.get(key);
    if (!entry) {
      entry = { ...withOriginal(frame, sourceMaps), selfBytes: 0, totalBytes: 0, share: 0, samples: 0 };
      byKey.set(key, entry);
    }
    entry.selfBytes += node.selfSize;
    entry.samples += node.samples;
    const depth = onStack.get(key) ?? 0;
    if (depth === 0) entry.totalBytes += totals.get(node.id)!;
    onStack.set(key, depth + 1);
    steps.push({ node, key, enter: false });
    for (let i = node.children.length - 1; i >= 0; i--) steps.push({ node: node.children[i], key: '', enter: true });
  }
  const total = profile.totalBytes;
  const functions = [...byKey.values()].filter((entry) => entry.selfBytes > 0);
  for (const entry of functions) entry.share = total > 0 ? entry.selfBytes / total : 0;
  functions.sort(compareFunctions);
  return { file: profile.file, totalBytes: total, sampleCount: profile.sampleCount, hasSamples: profile.hasSamples, functions };
}

/**
 * The top-down call tree, children largest first, without the subtrees whose share of the
 * total is below `minShare` (0..1; they are counted in their parent's cutCount/cutBytes).
 */
export function profileTree(profile: HeapProfile, minShare = 0): AllocationTreeNode {
  const totals = subtreeTotals(profile.head);
  const total = profile.totalBytes;
  const sourceMaps = sourceMapsOf(profile);
  const make = (node: HeapProfileNode): AllocationTreeNode => {
    const totalBytes = totals.get(node.id)!;
    return {
      ...profileFrame(node.callFrame, sourceMaps),
      id: node.id,
      selfBytes: node.selfSize,
      totalBytes,
      share: total > 0 ? totalBytes / total : 0,
      samples: node.samples,
      children: [],
      cutCount: 0,
      cutBytes: 0,
    };
  };
  const root = make(profile.head);
  const pending: Array<[HeapProfileNode, AllocationTreeNode]> = [[profile.head, root]];
  while (pending.length > 0) {
    const [node, out] = pending.pop()!;
    for (const child of node.children) {
      const made = make(child);
      if (made.share < minShare || made.totalBytes === 0) {
        out.cutCount++;
        out.cutBytes += made.totalBytes;
        continue;
      }
      out.children.push(made);
      pending.push([child, made]);
    }
    out.children.sort((a, b) => b.totalBytes - a.totalBytes || compareFrames(a, b) || a.id - b.id);
  }
  return root;
}

/**
 * Whether a script URL matches a `--file` pattern: a part of the URL, where `*` stands for
 * any text and `?` for one character (`service`, `src/*.mjs`, `node:internal`).
 */
export function matchesScript(url: string, pattern: string): boolean {
  const regex = new RegExp(pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.'));
  return regex.test(url);
}

// ---------------------------------------------------------------------------------------
// Heap snapshots with allocation stacks

/** Live objects of one class allocated by a function. */
export interface LiveClassCount {
  className: string;
  count: number;
  size: number;
}

/** Live objects allocated with one stack (a trace node). */
export interface LiveAllocationStack {
  /** The trace node's id (what the objects' trace_node_id says). */
  traceNodeId: number;
  count: number;
  size: number;
  /** The allocating function first, then its callers up to the outermost (the tree's root left out). */
  frames: AllocationFrame[];
}

export interface LiveAllocationFunction extends AllocationFrame {
  /** Live objects this function allocated (through every stack), and their shallow size. */
  count: number;
  size: number;
  /** size / the live bytes with an allocation stack (0..1). */
  share: number;
  /** Allocations the tracker recorded in this function, since-freed ones included. */
  allocatedCount: number;
  allocatedBytes: number;
  /** The live objects by class, largest size first. */
  classes: LiveClassCount[];
  /** The live objects by allocation stack, largest size first. */
  stacks: LiveAllocationStack[];
}

export interface LiveAllocations {
  file: string;
  /** Live objects with a known allocation stack, and their shallow size. */
  liveObjects: number;
  liveBytes: number;
  /** Live objects without one: allocated before tracking started, or by V8 itself. */
  untrackedObjects: number;
  untrackedBytes: number;
  /** Live objects whose trace_node_id is not in the trace tree (a damaged snapshot). */
  unknownStackObjects: number;
  unknownStackBytes: number;
  /** Functions that allocated live objects, largest size first. */
  functions: LiveAllocationFunction[];
}

export interface LiveAllocationOptions {
  /** Only objects of this class (a class name as `summary` shows it). */
  className?: string;
}

/** Whether the snapshot was taken with allocation tracking (it has a non-empty trace tree). */
export function hasAllocationTraces(snapshot: HeapSnapshot): boolean {
  return snapshot.traceNodeIds !== null && snapshot.traceTree !== null && snapshot.traceTree.length > 0;
}

/**
 * Attributes the snapshot's objects to the functions that allocated them: DevTools' live
 * count and live size per trace node (every node with that trace_node_id, its shallow size as
 * DevTools shows it), summed per allocating function as in its bottom-up view.
 * @throws RangeError when the snapshot has no allocation traces (see hasAllocationTraces)
 */
export function liveAllocations(heap: ClassifiedHeap, options: LiveAllocationOptions = {}): LiveAllocations {
  const snapshot = heap.snapshot;
  if (!hasAllocationTraces(snapshot)) throw new RangeError(`${snapshot.file} has no allocation traces`);
  const tree = snapshot.traceTree!;
  const traceNodeIds = snapshot.traceNodeIds!;
  const { classOf, names } = heap.classes;
  const sizes = heap.shallowSizes;

  const wanted = options.className === undefined ? -1 : names.indexOf(options.className);
  const liveCount = new Float64Array(tree.length);
  const liveSize = new Float64Array(tree.length);
  /** Per trace node with live objects: count and size per class id. */
  const classesByTrace = new Map<number, Map<number, { count: number; size: number }>>();
  const result: LiveAllocations = {
    file: snapshot.file,
    liveObjects: 0,
    liveBytes: 0,
    untrackedObjects: 0,
    untrackedBytes: 0,
    unknownStackObjects: 0,
    unknownStackBytes: 0,
    functions: [],
  };
  for (let node = 0; node < snapshot.nodeCount; node++) {
    const classId = classOf[node];
    if (options.className !== undefined && (wanted < 0 || names[classId] !== options.className)) continue;
    const size = sizes[node];
    const traceId = traceNodeIds[node];
    if (traceId === 0) {
      result.untrackedObjects++;
      result.untrackedBytes += size;
      continue;
    }
    const trace = tree.indexOfId(traceId);
    if (trace < 0) {
      result.unknownStackObjects++;
      result.unknownStackBytes += size;
      continue;
    }
    result.liveObjects++;
    result.liveBytes += size;
    liveCount[trace]++;
    liveSize[trace] += size;
    let byClass = classesByTrace.get(trace);
    if (!byClass) classesByTrace.set(trace, (byClass = new Map()));
    const entry = byClass.get(classId);
    if (entry) {
      entry.count++;
      entry.size += size;
    } else {
      byClass.set(classId, { count: 1, size });
    }
  }

  const sourceMaps = sourceMapsOf(heap);
  const frames = new Map<number, AllocationFrame>();
  const frameOf = (functionIndex: number): AllocationFrame => {
    let frame = frames.get(functionIndex);
    if (!frame) {
      const info = snapshot.traceFunction(functionIndex);
      frame = withOriginal({ name: info.name || '(anonymous)', url: info.scriptName, scriptId: String(info.scriptId), line: info.line, column: info.column }, sourceMaps);
      frames.set(functionIndex, frame);
    }
    return frame;
  };
  const byFunction = new Map<number, LiveAllocationFunction>();
  const classTotals = new Map<number, Map<number, { count: number; size: number }>>();
  for (let trace = 0; trace < tree.length; trace++) {
    const functionIndex = tree.functionInfoIndices[trace];
    let entry = byFunction.get(functionIndex);
    if (!entry) {
      entry = { ...frameOf(functionIndex), count: 0, size: 0, share: 0, allocatedCount: 0, allocatedBytes: 0, classes: [], stacks: [] };
      byFunction.set(functionIndex, entry);
    }
    entry.allocatedCount += tree.counts[trace];
    entry.allocatedBytes += tree.sizes[trace];
    if (liveCount[trace] === 0) continue;
    entry.count += liveCount[trace];
    entry.size += liveSize[trace];
    const frames: AllocationFrame[] = [];
    for (let at = trace; at >= 0 && tree.parents[at] >= 0; at = tree.parents[at]) frames.push(frameOf(tree.functionInfoIndices[at]));
    entry.stacks.push({ traceNodeId: tree.ids[trace], count: liveCount[trace], size: liveSize[trace], frames });
    let totals = classTotals.get(functionIndex);
    if (!totals) classTotals.set(functionIndex, (totals = new Map()));
    for (const [classId, counts] of classesByTrace.get(trace)!) {
      const sum = totals.get(classId);
      if (sum) {
        sum.count += counts.count;
        sum.size += counts.size;
      } else {
        totals.set(classId, { ...counts });
      }
    }
  }

  for (const [functionIndex, entry] of byFunction) {
    if (entry.count === 0) continue;
    entry.share = result.liveBytes > 0 ? entry.size / result.liveBytes : 0;
    entry.stacks.sort((a, b) => b.size - a.size || b.count - a.count || a.traceNodeId - b.traceNodeId);
    entry.classes = [...classTotals.get(functionIndex)!]
      .map(([classId, counts]) => ({ className: names[classId], ...counts }))
      .sort((a, b) => b.size - a.size || b.count - a.count || compareText(a.className, b.className));
    result.functions.push(entry);
  }
  result.functions.sort((a, b) => b.size - a.size || b.count - a.count || compareFrames(a, b));
  return result;
}
