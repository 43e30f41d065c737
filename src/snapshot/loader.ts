/**
 * leakgraph/snapshot/loader — reads a .heapsnapshot (plain or gzipped) into a HeapSnapshot.
 *
 * One streaming pass over the bytes. Sections are recognised by key, in any order V8 or
 * another producer writes them, as long as the "snapshot" header comes before the arrays it
 * describes; unknown keys are skipped. Everything is validated as it arrives, so a broken
 * file gives a SnapshotError naming the section and byte offset, never a wrong answer.
 */

import { openByteSource, streamByteSource, type ByteSource } from './byte-source.js';
import { EdgeColumns, NodeColumns, NumberList, readEdgeSection } from './columns.js';
import { SnapshotError } from './errors.js';
import { HeapSnapshot } from './heap-snapshot.js';
import { Bytes, JsonReader } from './json-reader.js';
import { resolveLayout, type SnapshotLayout } from './meta.js';
import { edgeThreadAvailable, startEdgeThread, type EdgeThread } from './edge-thread.js';
import { partsMeet, readEdgesFromEnd } from './edges-from-end.js';
import { coreFreeForReader } from './reader-threads.js';
import { StringTableBuilder, type StringTable } from './string-table.js';
import { readTraceTree, type TraceTree } from './trace-tree.js';

export interface LoadProgress {
  /** Fraction of the file read, 0..1 (NaN when the size is unknown). */
  fraction: number;
  bytesRead: number;
  fileSize: number;
}

export interface LoadOptions {
  /** Called after each chunk read. */
  onProgress?: (progress: LoadProgress) => void;
  /**
   * Plain files at least this large have their edges read in a worker thread, in parallel
   * with the nodes (default 100 MB, or LEAKGRAPH_PARALLEL_MIN_BYTES; Infinity turns it off).
   */
  parallelMinBytes?: number;
  /**
   * Exactly how many records at the end of the edges array the main thread reads backwards
   * (tests). Otherwise it takes, from the end, those the worker has not reached when the main
   * thread's own sections are read.
   */
  edgesFromEnd?: number;
  /** Called once the header is read, before any section: the node and edge counts are known. */
  onLayout?: (layout: SnapshotLayout) => void;
}

// A thread's start-up and cold code cost more than it saves below about this size (summary
// of 51 MB: 0.58 s alone against 0.63 s with it; 70 MB: even; 195 MB: 1.31–1.39 against 1.29–1.32 s).
const DEFAULT_PARALLEL_MIN_BYTES = 100 * 1000 * 1000;

function parallelMinBytes(options: LoadOptions): number {
  if (options.parallelMinBytes !== undefined) return options.parallelMinBytes;
  const fromEnvironment = process.env.LEAKGRAPH_PARALLEL_MIN_BYTES;
  return fromEnvironment !== undefined && /^\d+$/.test(fromEnvironment) ? Number(fromEnvironment) : DEFAULT_PARALLEL_MIN_BYTES;
}

/** Largest header we accept before deciding the file is not a snapshot. */
const MAX_HEADER_BYTES = 16 * 1024 * 1024;

/**
 * Loads a heap snapshot file. Gzip is detected by magic bytes.
 * @throws SnapshotError for anything wrong with the file
 */
export async function readSnapshotFile(file: string, options: LoadOptions = {}): Promise<HeapSnapshot> {
  return readSnapshot(file, await openByteSource(file), options);
}

/** Loads a heap snapshot from a stream of bytes or text, e.g. `v8.getHeapSnapshot()`. */
export async function readSnapshotStream(name: string, stream: AsyncIterable<Uint8Array | string>, options: LoadOptions = {}): Promise<HeapSnapshot> {
  return readSnapshot(name, streamByteSource(name, stream), options);
}

async function readSnapshot(file: string, source: ByteSource, options: LoadOptions): Promise<HeapSnapshot> {
  const iterator = source.chunks[Symbol.asyncIterator]();
  const onChunk = options.onProgress
    ? () => options.onProgress!({ fraction: source.fileSize ? source.bytesRead() / source.fileSize : NaN, bytesRead: source.bytesRead(), fileSize: source.fileSize })
    : undefined;
  const reader = new JsonReader(iterator, file, onChunk);
  const parallel = source.openAt !== undefined && source.fileSize >= parallelMinBytes(options) && edgeThreadAvailable() && coreFreeForReader();
  try {
    return await parseDocument(reader, file, {
      startEdgeThread: parallel ? (nodesStart, layout) => startEdgeThread(file, nodesStart, layout, reader, options.edgesFromEnd) : undefined,
      openAt: source.openAt,
      edgesFromEnd: options.edgesFromEnd,
      onLayout: options.onLayout,
    });
  } finally {
    await reader.source.return?.();
  }
}

interface ParallelReading {
  /** Starts reading the edges in a worker, given the offset of the nodes array's '['. */
  startEdgeThread?: (nodesStart: number, layout: SnapshotLayout) => EdgeThread;
  openAt?: (offset: number) => AsyncIterator<Buffer>;
  edgesFromEnd?: number;
  onLayout?: (layout: SnapshotLayout) => void;
}

/** What the sections fill in as they are read: null until their section has come. */
interface DocumentParts {
  layout: SnapshotLayout | null;
  nodes: NodeColumns | null;
  edges: EdgeColumns | null;
  strings: StringTable | null;
  traceTree: TraceTree | null;
  locations: NumberList;
  traceFunctionInfos: NumberList;
  samples: NumberList;
  /** Reads the edges in a worker: started with the nodes, stopped on the way out. */
  edgeThread: EdgeThread | null;
  /** Set once the main thread has skipped past edges the worker is still reading. */
  edgesInWorker: { thread: EdgeThread; arrayStart: number; afterArray: number } | null;
}

/** One document being read: its reader, its name for errors, and what it has given so far. */
interface Parse {
  reader: JsonReader;
  file: string;
  parallel: ParallelReading;
  parts: DocumentParts;
}

async function parseDocument(reader: JsonReader, file: string, parallel: ParallelReading): Promise<HeapSnapshot> {
  await openDocument(reader, file);
  const parse: Parse = {
    reader,
    file,
    parallel,
    parts: {
      layout: null,
      nodes: null,
      edges: null,
      strings: null,
      traceTree: null,
      locations: new NumberList(),
      traceFunctionInfos: new NumberList(),
      samples: new NumberList(),
      edgeThread: null,
      edgesInWorker: null,
    },
  };
  try {
    try {
      await readSections(parse);
    } catch (error) {
      await joinEdges(parse, false);
      throw error;
    }
    await joinEdges(parse, true);
  } finally {
    await parse.parts.edgeThread?.stop();
  }
  return assembleSnapshot(file, parse.parts);
}

async function openDocument(reader: JsonReader, file: string): Promise<void> {
  const first = await reader.peek();
  if (first === -1) throw new SnapshotError(file, 'empty file, not a heap snapshot');
  if (first !== Bytes.OPEN_BRACE) reader.fail('not a heap snapshot: the file does not start with a JSON object');
  reader.pos++;
}

/** The layout the "snapshot" header gave, which every array section needs first. */
function needLayout(parse: Parse, key: string): SnapshotLayout {
  const reader: JsonReader = parse.reader;
  const layout = parse.parts.layout;
  // A heap profile's first array section: its `head` object is skipped as an unknown section.
  if (!layout && key === 'samples') reader.fail('a heap profile, not a heap snapshot: read it with leakgraph allocs');
  if (!layout) reader.fail(`not a heap snapshot: "${key}" comes before the "snapshot" header`);
  return layout;
}

/**
 * Waits for the worker's edges, reading those it has not reached from the end of the array
 * meanwhile (`readFromEnd`, unless an error was found before the edges), then joins the two
 * parts. The worker's error comes first, being earlier in the file.
 */
async function joinEdges(parse: Parse, readFromEnd: boolean): Promise<void> {
  const { parts, file, parallel } = parse;
  if (!parts.edgesInWorker) return;
  const { thread, arrayStart, afterArray } = parts.edgesInWorker;
  parts.edgesInWorker = null;
  const layout = needLayout(parse, 'edges');
  const fromEnd = readFromEnd ? readEdgesFromEnd(file, arrayStart, afterArray - 1, layout, thread.arrays, thread.claims, parallel.edgesFromEnd) : null;
  const result = await thread.result;
  const split = fromEnd !== null && fromEnd.claimed > 0;
  if (result.kind === 'error' && !split) throw new SnapshotError(file, result.problem, result.section, result.offset);
  if (result.kind === 'done') {
    parts.edges!.maxStringName = result.maxStringName;
    return;
  }
  if (result.kind === 'split' && fromEnd !== null && partsMeet(file, layout, { records: result.records, end: result.partEnd }, fromEnd)) {
    parts.edges!.maxStringName = Math.max(result.maxStringName, fromEnd.maxStringName);
    return;
  }
  // The worker died (not the file's fault), or the two parts do not make a valid array, or
  // the worker's error may lie in a batch the split cut short (its offset would not be the
  // sequential reader's): read the whole array here, into the same arrays, for the
  // sequential reader's values or error.
  const again = new JsonReader(parallel.openAt!(arrayStart), file, undefined, arrayStart);
  again.section = 'edges';
  try {
    parts.edges = await readEdgeSection(again, layout, thread.arrays);
  } finally {
    await again.source.return?.();
  }
}

/** The top-level keys, in whatever order they come, each read once, up to the closing brace. */
async function readSections(parse: Parse): Promise<void> {
  const { reader } = parse;
  const seenKeys = new Set<string>();
  for (;;) {
    reader.section = undefined;
    const next = await reader.peek();
    if (next === -1) reader.truncated();
    if (next === Bytes.CLOSE_BRACE) {
      reader.pos++;
      break;
    }
    if (seenKeys.size > 0) await reader.expect(Bytes.COMMA, 'expected \',\' between top-level keys');
    const key = await reader.readString();
    await reader.expect(Bytes.COLON, 'expected \':\' after a key');
    reader.section = key;
    if (seenKeys.has(key)) reader.fail(`a second "${key}" section`);
    seenKeys.add(key);
    await readSection(parse, key, seenKeys);
  }
  reader.section = undefined;
  const trailing = await reader.peek();
  if (trailing !== -1) reader.fail('unexpected data after the end of the snapshot');
}

async function readSection(parse: Parse, key: string, seenKeys: Set<string>): Promise<void> {
  const { reader, parts } = parse;
  switch (key) {
    case 'snapshot': {
      const offset = reader.offset();
      const header = await reader.readSmallValue(MAX_HEADER_BYTES);
      parts.layout = resolveLayout(parse.file, header, offset);
      parse.parallel.onLayout?.(parts.layout);
      return;
    }
    case 'nodes':
      return readNodes(parse, !seenKeys.has('edges'));
    case 'edges':
      return readEdges(parse);
    case 'strings': {
      const table = new StringTableBuilder();
      await reader.readStringArray(table);
      parts.strings = table.finish();
      return;
    }
    case 'locations':
      if (needLayout(parse, key).locationField) await reader.readNumberArray(parts.locations);
      else await reader.skipValue();
      return;
    case 'trace_function_infos':
      needLayout(parse, key);
      await reader.readNumberArray(parts.traceFunctionInfos);
      return;
    case 'trace_tree': {
      const fields = needLayout(parse, key).traceNodeField;
      if (fields) parts.traceTree = await readTraceTree(reader, fields);
      else await reader.skipValue();
      return;
    }
    case 'samples':
      needLayout(parse, key);
      await reader.readNumberArray(parts.samples);
      return;
    default:
      // Anything a newer V8 adds: not needed here.
      return reader.skipValue();
  }
}

/** The nodes, with the edges' worker started on the way when the edges are still to come. */
async function readNodes(parse: Parse, edgesAhead: boolean): Promise<void> {
  const { reader, parts, parallel } = parse;
  const layout = needLayout(parse, 'nodes');
  parts.nodes = new NodeColumns(layout, reader);
  if (parallel.startEdgeThread && edgesAhead && (await reader.peek()) === Bytes.OPEN_BRACKET) {
    parts.edgeThread = parallel.startEdgeThread(reader.offset(), layout);
  }
  await reader.readNumberArray(parts.nodes);
  parts.nodes.finish(reader);
}

/** The edges: skipped past when the worker is reading them, else read here. */
async function readEdges(parse: Parse): Promise<void> {
  const { reader, parts, parallel } = parse;
  const layout = needLayout(parse, 'edges');
  const thread = parts.edgeThread;
  const located = thread ? await thread.located : null;
  if (thread && located && (await reader.peek()) === Bytes.OPEN_BRACKET && reader.offset() === located.arrayStart) {
    parts.edges = new EdgeColumns(layout, reader, thread.arrays);
    parts.edgesInWorker = { thread, arrayStart: located.arrayStart, afterArray: located.end };
    await reader.jumpTo(located.end, parallel.openAt!(located.end));
    return;
  }
  // The worker found something else: it must stop writing before we read here, into its
  // arrays (every slot is written again).
  await thread?.stop();
  parts.edges = await readEdgeSection(reader, layout, thread?.arrays);
}

/** The model, once every required section has come and the sections agree with each other. */
function assembleSnapshot(file: string, parts: DocumentParts): HeapSnapshot {
  const { layout, nodes, edges, strings, traceTree, traceFunctionInfos, samples } = parts;
  if (!layout) throw new SnapshotError(file, 'not a heap snapshot: no "snapshot" header');
  if (!nodes) throw new SnapshotError(file, 'no "nodes" section');
  if (!edges) throw new SnapshotError(file, 'no "edges" section');
  if (!strings) throw new SnapshotError(file, 'no "strings" section');
  const locations = parts.locations.toCompactArray();
  validateCrossSections(file, layout, nodes, edges, strings, locations);
  validateTraces(file, layout, strings, traceFunctionInfos, traceTree);

  return new HeapSnapshot({
    file,
    layout,
    nodeTypes: nodes.types,
    nodeNames: nodes.names,
    nodeIds: nodes.ids,
    selfSizes: nodes.selfSizes,
    firstEdges: nodes.firstEdges,
    // All-zero trace ids are not stored; a tracked snapshot still gets its (zero) column.
    traceNodeIds: nodes.traceNodeIds ?? (traceTree && traceTree.length > 0 ? new Uint32Array(layout.nodeCount) : null),
    // A column of zeros (nothing reported) says no more than none, and costs a byte per node.
    detachedness: nodes.detachedness && !isAllZero(nodes.detachedness) ? nodes.detachedness : null,
    edgeTypes: edges.types,
    edgeNames: edges.names,
    edgeTargets: edges.targets,
    strings,
    locations,
    traceFunctionInfos: traceFunctionInfos.toArray(),
    samples: samples.toArray(),
    traceTree,
  });
}

/**
 * Checks the allocation traces: function info records whole and naming strings that exist,
 * trace nodes naming function infos that exist. (Heap nodes' trace_node_id values are not
 * checked against the tree: analyses treat an unknown one as an unknown stack.)
 */
function validateTraces(file: string, layout: SnapshotLayout, strings: StringTable, infos: NumberList, tree: TraceTree | null): void {
  const fields = layout.traceFunctionInfoField;
  let infoCount = 0;
  if (fields && infos.length > 0) {
    if (infos.length % fields.fieldCount !== 0) {
      throw new SnapshotError(file, `${infos.length} values, not a multiple of the ${fields.fieldCount} trace function info fields`, 'trace_function_infos');
    }
    infoCount = infos.length / fields.fieldCount;
    const values = infos.toArray();
    for (let record = 0; record < infoCount; record++) {
      const base = record * fields.fieldCount;
      for (const offset of [fields.name, fields.scriptName]) {
        if (values[base + offset] >= strings.length) {
          throw new SnapshotError(file, `function info ${record} refers to string ${values[base + offset]}, but there are ${strings.length} strings`, 'trace_function_infos');
        }
      }
    }
  }
  if (tree && tree.length > 0) {
    const max = tree.maxFunctionInfoIndex();
    if (max >= infoCount) {
      throw new SnapshotError(file, `a trace node refers to function info ${max}, but there are ${infoCount}`, 'trace_tree');
    }
  }
}

function isAllZero(values: Uint8Array): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) return false;
  return true;
}

/** Checks what no single section can check alone: edge totals and string indices. */
function validateCrossSections(file: string, layout: SnapshotLayout, nodes: NodeColumns, edges: EdgeColumns, strings: StringTable, locations: Uint32Array | Float64Array): void {
  if (nodes.edgeCountSum !== layout.edgeCount) {
    throw new SnapshotError(file, `the nodes' edge_count values add up to ${nodes.edgeCountSum}, but edge_count is ${layout.edgeCount}`, 'nodes');
  }
  if (layout.nodeCount === 0) throw new SnapshotError(file, 'the snapshot has no nodes (node_count is 0)', 'nodes');
  const stringCount = strings.length;
  if (nodes.maxNameIndex >= stringCount) {
    throw new SnapshotError(file, `a node name refers to string ${nodes.maxNameIndex}, but there are ${stringCount} strings`, 'nodes');
  }
  const elementType = layout.edgeTypeNames.indexOf('element');
  const hiddenType = layout.edgeTypeNames.indexOf('hidden');
  const { types, names } = edges;
  // The reader kept the largest string name: only a bad file needs the search for the first.
  for (let edge = 0; edges.maxStringName >= stringCount && edge < types.length; edge++) {
    const type = types[edge];
    if (type !== elementType && type !== hiddenType && names[edge] >= stringCount) {
      throw new SnapshotError(file, `edge ${edge} (${layout.edgeTypeNames[type]}) is named by string ${names[edge]}, but there are ${stringCount} strings`, 'edges');
    }
  }
  const fields = layout.locationField;
  if (fields) {
    if (locations.length % fields.fieldCount !== 0) {
      throw new SnapshotError(file, `${locations.length} values, not a multiple of the ${fields.fieldCount} location fields`, 'locations');
    }
    const limit = layout.nodeCount * layout.nodeFieldCount;
    for (let i = fields.objectIndex; i < locations.length; i += fields.fieldCount) {
      const index = locations[i];
      if (index % layout.nodeFieldCount !== 0 || index >= limit) {
        throw new SnapshotError(file, `object_index ${index} is not the index of a node`, 'locations');
      }
    }
  }
}
