/**
 * leakgraph/render/allocs — `leakgraph allocs` as text and as JSON: per function grouped by
 * script, the top-down call tree, and a snapshot's live objects by allocating function.
 */

import {
  frameLocation,
  type AllocationFrame,
  type AllocationTreeNode,
  type FunctionAllocation,
  type LiveAllocationFunction,
  type LiveAllocations,
} from '../analysis/allocs.js';
import type { SourceLines } from '../analysis/source-lines.js';
import { shortScriptName } from '../graph/scripts.js';
import { formatBytes, formatCount, truncate } from './format.js';
import { renderTable, type Column } from './table.js';

/** Longest function name in a table cell, and longest source line. */
const NAME_WIDTH = 48;
const SOURCE_WIDTH = 60;
/** Stacks shown per function with --stack in text (JSON has all). */
const STACKS_PER_FUNCTION = 5;

/** What the header line says about the profile. */
export interface ProfileReportInfo {
  /** The file, or the command that was run. */
  source: string;
  totalBytes: number;
  sampleCount: number;
  hasSamples: boolean;
  /** For a recorded command: how it ended and how it was sampled. */
  run?: { exitCode: number | null; signal: string | null; interval: number; includeCollected: boolean };
}

export interface ProfileFunctionsReport extends ProfileReportInfo {
  /** Rows to show, filtered and cut, busiest first. */
  functions: FunctionAllocation[];
  /** Rows before the cut (after --file). */
  functionCount: number;
  /** The --file pattern, if any. */
  filePattern?: string;
}

export interface ProfileTreeReport extends ProfileReportInfo {
  tree: AllocationTreeNode;
  minShare: number;
}

export function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** `service.mjs:12:3` for a script, `node:internal/x:4:1` for Node's own, "" for native code. */
export function shortLocation(frame: AllocationFrame): string {
  switch (frameLocation(frame)) {
    case 'native':
      return '';
    case 'unknown':
      return `(script ${frame.scriptId}, location not recorded)`;
    default: {
      if (frame.original) return `${shortScriptName(frame.original.file)}:${frame.original.line}:${frame.original.column}`;
      const name = frame.url.startsWith('node:') ? frame.url : shortScriptName(frame.url);
      return frame.line > 0 ? `${name}:${frame.line}:${frame.column}` : name;
    }
  }
}

/** The heading of a script's group of rows. */
function scriptHeading(frame: AllocationFrame): string {
  switch (frameLocation(frame)) {
    case 'native':
      return '(V8 built-ins, native code and V8\'s own work: no script)';
    case 'unknown':
      return `(script ${frame.scriptId}: V8 recorded no URL or line ‡)`;
    default:
      return frame.url;
  }
}

function groupKey(frame: AllocationFrame): string {
  const location = frameLocation(frame);
  return location === 'script' ? `s:${frame.url}` : location === 'unknown' ? `u:${frame.scriptId}` : 'n:';
}

function lineColumn(frame: AllocationFrame): string {
  switch (frameLocation(frame)) {
    case 'native':
      return '-';
    case 'unknown':
      return '?';
    default:
      // A source-mapped script's functions come from several files: the row names its own.
      if (frame.original) return `${shortScriptName(frame.original.file)}:${frame.original.line}:${frame.original.column}`;
      return frame.line > 0 ? `${frame.line}:${frame.column}` : '?';
  }
}

const UNKNOWN_LOCATION_NOTE =
  '‡ V8 recorded no location for these frames: their script had been garbage-collected when the profile was taken ' +
  '(CommonJS module code no longer referenced at exit, e.g. under node --heap-prof). `leakgraph allocs -- node app.js` records them.';

function describeRun(info: ProfileReportInfo): string {
  const run = info.run;
  if (!run) return '';
  const ending = run.signal ? `ended by ${run.signal}` : `exit code ${run.exitCode}`;
  return ` (${ending}; sampled every ${formatInterval(run.interval)}${run.includeCollected ? ', objects freed by GC included' : ', objects still alive at exit'})`;
}

/** A sampling interval as it is usually given: `512 KiB`, `32 KiB`, `1000 B`. */
export function formatInterval(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${formatCount(bytes)} B`;
}

function profileHeader(info: ProfileReportInfo): string {
  const samples = info.hasSamples ? ` in ${formatCount(info.sampleCount)} sample${info.sampleCount === 1 ? '' : 's'}` : '';
  return `${info.source}${describeRun(info)}: ${formatBytes(info.totalBytes)} sampled${samples}`;
}

/** Rows grouped by script: the groups in order of their bytes, the rows in their given order. */
function groupRows<Row extends AllocationFrame>(rows: Row[], weight: (row: Row) => number): Array<{ heading: string; rows: Row[]; weight: number }> {
  const groups = new Map<string, { heading: string; rows: Row[]; weight: number }>();
  for (const row of rows) {
    const key = groupKey(row);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { heading: scriptHeading(row), rows: [], weight: 0 }));
    group.rows.push(row);
    group.weight += weight(row);
  }
  return [...groups.values()].sort((a, b) => b.weight - a.weight || (a.heading < b.heading ? -1 : a.heading > b.heading ? 1 : 0));
}

/**
 * Lays out grouped rows as one table (columns aligned across groups), each group under its
 * heading with its own copy of the column titles; `after` adds lines below a row.
 */
function groupedTable<Row extends AllocationFrame>(
  columns: Column<Row>[],
  groups: Array<{ heading: string; rows: Row[]; weight: number }>,
  headingSuffix: (group: { rows: Row[]; weight: number }) => string,
  after?: (row: Row) => string[],
): string {
  const ordered = groups.flatMap((group) => group.rows);
  const lines = renderTable(columns, ordered).split('\n');
  const titles = lines[0];
  const out: string[] = [];
  let index = 1;
  for (const group of groups) {
    out.push('', `${group.heading}${headingSuffix(group)}`, `  ${titles}`);
    for (const row of group.rows) {
      out.push(`  ${lines[index++]}`);
      if (after) out.push(...after(row));
    }
  }
  return out.join('\n');
}

export function renderProfileFunctionsText(report: ProfileFunctionsReport, sources: SourceLines | null): string {
  const header = profileHeader(report);
  if (report.functions.length === 0) {
    const why = report.filePattern !== undefined && report.functionCount === 0
      ? `No function in a script matching "${report.filePattern}" allocated anything sampled.`
      : emptyProfileNote(report);
    return `${header}\n\n${why}\n`;
  }
  const source = (row: FunctionAllocation): string => {
    if (!sources || frameLocation(row) !== 'script') return '';
    const text = row.original ? sources.line(row.original.file, row.original.line) : sources.line(row.url, row.line);
    return text === null ? '' : truncate(text, SOURCE_WIDTH);
  };
  const columns: Column<FunctionAllocation>[] = [
    { title: 'Self', align: 'right', value: (row) => formatBytes(row.selfBytes) },
    { title: 'Share', align: 'right', value: (row) => formatShare(row.share) },
    { title: 'Total', align: 'right', value: (row) => formatBytes(row.totalBytes) },
    ...(report.hasSamples ? [{ title: 'Samples', align: 'right' as const, value: (row: FunctionAllocation) => formatCount(row.samples) }] : []),
    { title: 'Function', align: 'left', value: (row) => truncate(row.name, NAME_WIDTH) },
    { title: 'Line:Col', align: 'right', value: lineColumn },
  ];
  if (sources && report.functions.some((row) => source(row) !== '')) columns.push({ title: 'Source', align: 'left', value: source });
  const groups = groupRows(report.functions, (row) => row.selfBytes);
  const total = report.totalBytes;
  const body = groupedTable(columns, groups, (group) => `  (${formatBytes(group.weight)}, ${formatShare(total > 0 ? group.weight / total : 0)})`);
  const notes: string[] = [];
  if (report.functions.length < report.functionCount) notes.push(`(${report.functions.length} of ${report.functionCount} functions; --top 0 shows all)`);
  if (report.functions.some((row) => frameLocation(row) === 'unknown')) notes.push(UNKNOWN_LOCATION_NOTE);
  return `${header}\n${body}\n${notes.length ? `\n${notes.join('\n')}\n` : ''}`;
}

function emptyProfileNote(info: ProfileReportInfo): string {
  if (info.run && !info.run.includeCollected) {
    return 'Nothing sampled is still alive at exit: the sampling heap profiler keeps only the samples of objects not yet freed. --include-collected counts every allocation.';
  }
  if (info.run) return 'No allocation was sampled: the program allocated less than the sampling interval (--interval).';
  return 'No allocation in this profile: the sampling heap profiler keeps only the samples of objects not yet freed when the profile was taken.';
}

export function renderProfileTreeText(report: ProfileTreeReport): string {
  const header = `${profileHeader(report)}; call tree down to ${formatShare(report.minShare)} of the total`;
  type Line = { node: AllocationTreeNode | null; depth: number; cut?: { count: number; bytes: number } };
  const lines: Line[] = [];
  const pending: Line[] = [{ node: report.tree, depth: 0 }];
  while (pending.length > 0) {
    const line = pending.pop()!;
    lines.push(line);
    const node = line.node;
    if (!node) continue;
    if (node.cutCount > 0) pending.push({ node: null, depth: line.depth + 1, cut: { count: node.cutCount, bytes: node.cutBytes } });
    for (let i = node.children.length - 1; i >= 0; i--) pending.push({ node: node.children[i], depth: line.depth + 1 });
  }
  const columns: Column<Line>[] = [
    { title: 'Total', align: 'right', value: (line) => (line.node ? formatBytes(line.node.totalBytes) : '') },
    { title: 'Share', align: 'right', value: (line) => (line.node ? formatShare(line.node.share) : '') },
    { title: 'Self', align: 'right', value: (line) => (line.node ? formatBytes(line.node.selfBytes) : '') },
    ...(report.hasSamples ? [{ title: 'Samples', align: 'right' as const, value: (line: Line) => (line.node ? formatCount(line.node.samples) : '') }] : []),
    {
      title: 'Function',
      align: 'left',
      value: (line) => {
        const indent = '  '.repeat(line.depth);
        if (!line.node) {
          const count = line.cut!.count;
          return `${indent}… ${count} more call${count === 1 ? '' : 's'} below ${formatShare(report.minShare)}: ${formatBytes(line.cut!.bytes)}`;
        }
        const location = shortLocation(line.node);
        return `${indent}${truncate(line.node.name, NAME_WIDTH)}${location ? `  ${location}` : ''}`;
      },
    },
  ];
  const notes = lines.some((line) => line.node && frameLocation(line.node) === 'unknown') ? `\n${UNKNOWN_LOCATION_NOTE}\n` : '';
  return `${header}\n\n${renderTable(columns, lines)}\n${notes}`;
}

/** A function's name and place, as every JSON row of `allocs` starts. */
export interface AllocationFrameJson {
  name: string;
  url: string;
  line: number;
  column: number;
  /** Where a source map puts it (`file.ts:line:col`), beside the generated position. */
  original?: AllocationFrame['original'];
}

function frameJson(frame: AllocationFrame): AllocationFrameJson {
  return { name: frame.name, url: frame.url, line: frame.line, column: frame.column, ...(frame.original ? { original: frame.original } : {}) };
}

/** `allocs PROFILE --json`: the busiest functions of a sampling heap profile. */
export interface ProfileFunctionsJson {
  /** The profile file (or, for a command run, the saved profile or the command line). */
  file: string;
  /** The command that was run, for `allocs -- node app.js`. */
  command?: string[];
  totalBytes: number;
  functions: Array<AllocationFrameJson & { selfBytes: number; totalBytes: number; share: number; samples: number }>;
}

export function profileFunctionsJson(report: ProfileFunctionsReport, file: string, command?: string[]): ProfileFunctionsJson {
  return {
    file,
    ...(command ? { command } : {}),
    totalBytes: report.totalBytes,
    functions: report.functions.map((row) => ({
      ...frameJson(row),
      selfBytes: row.selfBytes,
      totalBytes: row.totalBytes,
      share: row.share,
      samples: row.samples,
    })),
  };
}

/** One call of the `--tree` JSON, with the calls it made. */
export interface AllocationTreeJson extends AllocationFrameJson {
  selfBytes: number;
  totalBytes: number;
  share: number;
  samples: number;
  children: AllocationTreeJson[];
}

/** `allocs PROFILE --tree --json`: the top-down call tree. */
export interface ProfileTreeJson {
  file: string;
  command?: string[];
  totalBytes: number;
  minShare: number;
  tree: AllocationTreeJson;
}

export function profileTreeJson(report: ProfileTreeReport, file: string, command?: string[]): ProfileTreeJson {
  const convert = (node: AllocationTreeNode): AllocationTreeJson => ({
    ...frameJson(node),
    selfBytes: node.selfBytes,
    totalBytes: node.totalBytes,
    share: node.share,
    samples: node.samples,
    children: [],
  });
  // Iteratively: call trees can be deeper than the JS stack allows recursion.
  const root = convert(report.tree);
  const pending: Array<[AllocationTreeNode, AllocationTreeJson]> = [[report.tree, root]];
  while (pending.length > 0) {
    const [node, out] = pending.pop()!;
    for (const child of node.children) {
      const made = convert(child);
      out.children.push(made);
      pending.push([child, made]);
    }
  }
  return { file, ...(command ? { command } : {}), totalBytes: report.totalBytes, minShare: report.minShare, tree: root };
}

// ---------------------------------------------------------------------------------------
// Heap snapshots with allocation stacks

export interface LiveAllocationsReport {
  allocations: LiveAllocations;
  /** Rows to show, filtered and cut. */
  functions: LiveAllocationFunction[];
  functionCount: number;
  className?: string;
  filePattern?: string;
  showStacks: boolean;
}

function classList(row: LiveAllocationFunction, limit = 3): string {
  const shown = row.classes.slice(0, limit).map((entry) => `${formatCount(entry.count)} ${truncate(entry.className, 40)}`);
  const more = row.classes.length - limit;
  return `${shown.join(', ')}${more > 0 ? `, … ${more} more class${more === 1 ? '' : 'es'}` : ''}`;
}

function stackLines(row: LiveAllocationFunction): string[] {
  const lines: string[] = [];
  const shown = row.stacks.slice(0, STACKS_PER_FUNCTION);
  shown.forEach((stack, i) => {
    const objects = `${formatCount(stack.count)} object${stack.count === 1 ? '' : 's'}, ${formatBytes(stack.size)}`;
    lines.push(`      stack ${i + 1} of ${row.stacks.length}: ${objects}`);
    for (const frame of stack.frames) {
      const location = shortLocation(frame);
      lines.push(`        ${truncate(frame.name, NAME_WIDTH)}${location ? `  ${location}` : ''}`);
    }
  });
  if (row.stacks.length > shown.length) lines.push(`      … ${row.stacks.length - shown.length} more stacks (--json lists all)`);
  return lines;
}

export function renderLiveAllocationsText(report: LiveAllocationsReport): string {
  const a = report.allocations;
  const what = report.className === undefined ? 'live objects' : `live ${report.className} objects`;
  const header = `${a.file}: ${formatCount(a.liveObjects)} ${what} (${formatBytes(a.liveBytes)}) have an allocation stack; ` +
    `${formatCount(a.untrackedObjects)} (${formatBytes(a.untrackedBytes)}) have none (allocated before tracking started, or by V8 itself)` +
    (a.unknownStackObjects > 0 ? `; ${formatCount(a.unknownStackObjects)} name a stack the trace tree does not have` : '');
  if (report.functions.length === 0) {
    const why = report.className !== undefined && a.liveObjects === 0
      ? `No live ${report.className} object has an allocation stack.`
      : report.filePattern !== undefined ? `No function in a script matching "${report.filePattern}" allocated a live object.` : 'No live object has an allocation stack.';
    return `${header}\n\n${why}\n`;
  }
  const columns: Column<LiveAllocationFunction>[] = [
    { title: 'Live', align: 'right', value: (row) => formatCount(row.count) },
    { title: 'Size', align: 'right', value: (row) => formatBytes(row.size) },
    { title: 'Share', align: 'right', value: (row) => formatShare(row.share) },
    { title: 'Allocated', align: 'right', value: (row) => formatCount(row.allocatedCount) },
    { title: 'Function', align: 'left', value: (row) => truncate(row.name, NAME_WIDTH) },
    { title: 'Line:Col', align: 'right', value: lineColumn },
    { title: 'Still alive', align: 'left', value: (row) => classList(row) },
  ];
  const groups = groupRows(report.functions, (row) => row.size);
  const body = groupedTable(
    columns,
    groups,
    (group) => `  (${formatCount(group.rows.reduce((sum, row) => sum + row.count, 0))} objects, ${formatBytes(group.weight)})`,
    report.showStacks ? stackLines : undefined,
  );
  const notes: string[] = [];
  if (report.functions.length < report.functionCount) notes.push(`(${report.functions.length} of ${report.functionCount} functions; --top 0 shows all)`);
  notes.push(`(Allocated: every allocation the tracker saw in the function, of any class, freed ones included${report.showStacks ? '' : '; --stack shows the allocation stacks'})`);
  return `${header}\n${body}\n${notes.length ? `\n${notes.join('\n')}\n` : ''}`;
}

/** `allocs SNAPSHOT --json`: live objects by the function that allocated them. */
export interface LiveAllocationsJson {
  file: string;
  className?: string;
  liveObjects: number;
  liveBytes: number;
  untrackedObjects: number;
  untrackedBytes: number;
  unknownStackObjects: number;
  functions: Array<
    AllocationFrameJson & {
      count: number;
      size: number;
      share: number;
      allocatedCount: number;
      allocatedBytes: number;
      classes: LiveAllocationFunction['classes'];
      stacks?: Array<{ traceNodeId: number; count: number; size: number; frames: AllocationFrameJson[] }>;
    }
  >;
}

export function liveAllocationsJson(report: LiveAllocationsReport): LiveAllocationsJson {
  const a = report.allocations;
  return {
    file: a.file,
    ...(report.className !== undefined ? { className: report.className } : {}),
    liveObjects: a.liveObjects,
    liveBytes: a.liveBytes,
    untrackedObjects: a.untrackedObjects,
    untrackedBytes: a.untrackedBytes,
    unknownStackObjects: a.unknownStackObjects,
    functions: report.functions.map((row) => ({
      ...frameJson(row),
      count: row.count,
      size: row.size,
      share: row.share,
      allocatedCount: row.allocatedCount,
      allocatedBytes: row.allocatedBytes,
      classes: row.classes,
      ...(report.showStacks
        ? { stacks: row.stacks.map((stack) => ({ traceNodeId: stack.traceNodeId, count: stack.count, size: stack.size, frames: stack.frames.map(frameJson) })) }
        : {}),
    })),
  };
}
