/**
 * leakgraph/snapshot/heap-snapshot — the loaded heap: raw data only, in typed arrays.
 *
 * One slot per node or edge; edges in CSR form (the edges of node k are
 * [firstEdges[k], firstEdges[k + 1])). Nodes are addressed by ordinal, not by the file's
 * "node index" (ordinal × field count). Derived data (retainers, distances, dominators,
 * class names, reassigned sizes) lives in src/graph and never overwrites what is here.
 */

import type { SizeArray } from './columns.js';
import { LocationIndex } from './location-index.js';
import type { SnapshotLayout } from './meta.js';
import type { StringTable } from './string-table.js';
import type { TraceTree } from './trace-tree.js';

/** Codes of the node types this snapshot declares; -1 for a type it does not know. */
export interface NodeTypeCodes {
  hidden: number;
  array: number;
  string: number;
  object: number;
  code: number;
  closure: number;
  regexp: number;
  number: number;
  native: number;
  synthetic: number;
  consString: number;
  slicedString: number;
  symbol: number;
  bigint: number;
  objectShape: number;
}

/** Codes of the edge types this snapshot declares; -1 for a type it does not know. */
export interface EdgeTypeCodes {
  context: number;
  element: number;
  property: number;
  internal: number;
  hidden: number;
  shortcut: number;
  weak: number;
}

export interface HeapSnapshotData {
  file: string;
  layout: SnapshotLayout;
  nodeTypes: Uint8Array;
  nodeNames: Uint32Array;
  nodeIds: Uint32Array;
  selfSizes: SizeArray;
  firstEdges: Uint32Array;
  traceNodeIds: Uint32Array | null;
  detachedness: Uint8Array | null;
  edgeTypes: Uint8Array;
  edgeNames: Uint32Array;
  edgeTargets: Uint32Array;
  strings: StringTable;
  /** Uint32 when every value fits, as they do in practice. */
  locations: Uint32Array | Float64Array;
  traceFunctionInfos: Float64Array;
  samples: Float64Array;
  /** The allocation trace tree, or null when the snapshot has none (no `trace_tree` section or layout). */
  traceTree?: TraceTree | null;
}

/** A function of the allocation traces (`trace_function_infos`); line and column 1-based, 0 = unknown. */
export interface TraceFunction {
  name: string;
  scriptName: string;
  scriptId: number;
  line: number;
  column: number;
}

/** Location of an object's constructor or function, 0-based as V8 records it. */
export interface SourceLocation {
  scriptId: number;
  line: number;
  column: number;
}

export class HeapSnapshot {
  readonly file: string;
  readonly nodeCount: number;
  readonly edgeCount: number;
  readonly rootOrdinal: number;
  /** Native bytes V8 could not attribute to a node (newer V8); part of the total. */
  readonly extraNativeBytes: number;
  readonly nodeTypeNames: readonly string[];
  readonly edgeTypeNames: readonly string[];
  readonly nodeType: NodeTypeCodes;
  readonly edgeType: EdgeTypeCodes;

  readonly nodeTypes: Uint8Array;
  readonly nodeNames: Uint32Array;
  readonly nodeIds: Uint32Array;
  /** Shallow sizes as the file gives them (before DevTools' reassignment of internals). */
  readonly selfSizes: SizeArray;
  readonly firstEdges: Uint32Array;
  readonly traceNodeIds: Uint32Array | null;
  /** Embedder-reported DOM state: 0 unknown, 1 attached, 2 detached; null when absent or all 0. */
  readonly detachedness: Uint8Array | null;
  readonly edgeTypes: Uint8Array;
  readonly edgeNames: Uint32Array;
  readonly edgeTargets: Uint32Array;
  readonly strings: StringTable;
  /** Raw `trace_function_infos` and `samples` numbers, for allocation analysis. */
  readonly traceFunctionInfos: Float64Array;
  readonly samples: Float64Array;
  /** The allocation trace tree, or null without one; empty unless allocations were tracked. */
  readonly traceTree: TraceTree | null;
  readonly layout: SnapshotLayout;

  private readonly rawLocations: Uint32Array | Float64Array;
  private locationIndex: LocationIndex | null = null;

  constructor(data: HeapSnapshotData) {
    this.file = data.file;
    this.layout = data.layout;
    this.nodeCount = data.layout.nodeCount;
    this.edgeCount = data.layout.edgeCount;
    this.rootOrdinal = data.layout.rootOrdinal;
    this.extraNativeBytes = data.layout.extraNativeBytes;
    this.nodeTypeNames = data.layout.nodeTypeNames;
    this.edgeTypeNames = data.layout.edgeTypeNames;
    const nodeCode = (name: string) => this.nodeTypeNames.indexOf(name);
    this.nodeType = {
      hidden: nodeCode('hidden'),
      array: nodeCode('array'),
      string: nodeCode('string'),
      object: nodeCode('object'),
      code: nodeCode('code'),
      closure: nodeCode('closure'),
      regexp: nodeCode('regexp'),
      number: nodeCode('number'),
      native: nodeCode('native'),
      synthetic: nodeCode('synthetic'),
      consString: nodeCode('concatenated string'),
      slicedString: nodeCode('sliced string'),
      symbol: nodeCode('symbol'),
      bigint: nodeCode('bigint'),
      objectShape: nodeCode('object shape'),
    };
    const edgeCode = (name: string) => this.edgeTypeNames.indexOf(name);
    this.edgeType = {
      context: edgeCode('context'),
      element: edgeCode('element'),
      property: edgeCode('property'),
      internal: edgeCode('internal'),
      hidden: edgeCode('hidden'),
      shortcut: edgeCode('shortcut'),
      weak: edgeCode('weak'),
    };
    this.nodeTypes = data.nodeTypes;
    this.nodeNames = data.nodeNames;
    this.nodeIds = data.nodeIds;
    this.selfSizes = data.selfSizes;
    this.firstEdges = data.firstEdges;
    this.traceNodeIds = data.traceNodeIds;
    this.detachedness = data.detachedness;
    this.edgeTypes = data.edgeTypes;
    this.edgeNames = data.edgeNames;
    this.edgeTargets = data.edgeTargets;
    this.strings = data.strings;
    this.rawLocations = data.locations;
    this.traceFunctionInfos = data.traceFunctionInfos;
    this.samples = data.samples;
    this.traceTree = data.traceTree ?? null;
  }

  /** Number of `trace_function_infos` records. */
  get traceFunctionCount(): number {
    const fields = this.layout.traceFunctionInfoField;
    return fields ? Math.floor(this.traceFunctionInfos.length / fields.fieldCount) : 0;
  }

  /** The function of `trace_function_infos` record `index` (a trace node's function_info_index). */
  traceFunction(index: number): TraceFunction {
    const fields = this.layout.traceFunctionInfoField!;
    const base = index * fields.fieldCount;
    const infos = this.traceFunctionInfos;
    return {
      name: this.strings.get(infos[base + fields.name]),
      scriptName: this.strings.get(infos[base + fields.scriptName]),
      scriptId: infos[base + fields.scriptId],
      line: infos[base + fields.line],
      column: infos[base + fields.column],
    };
  }

  /** The node's raw name (constructor name, string content, function name…). */
  nodeName(ordinal: number): string {
    return this.strings.get(this.nodeNames[ordinal]);
  }

  /** Whether the node's raw name is `name` (without making a string of it). */
  nodeNameIs(ordinal: number, name: string): boolean {
    return this.strings.equals(this.nodeNames[ordinal], name);
  }

  nodeTypeName(ordinal: number): string {
    return this.nodeTypeNames[this.nodeTypes[ordinal]];
  }

  edgeTypeName(edge: number): string {
    return this.edgeTypeNames[this.edgeTypes[edge]];
  }

  /** True when the edge's name_or_index is a number rather than a string index. */
  edgeHasIndexName(edge: number): boolean {
    const type = this.edgeTypes[edge];
    return type === this.edgeType.element || type === this.edgeType.hidden;
  }

  /** The edge's name: a number for element and hidden edges, else a string. */
  edgeName(edge: number): string | number {
    return this.edgeHasIndexName(edge) ? this.edgeNames[edge] : this.strings.get(this.edgeNames[edge]);
  }

  /** Target of the node's first internal edge with this name, or -1 (`table`, `shared`…). */
  internalEdgeTarget(node: number, name: string): number {
    const internal = this.edgeType.internal;
    for (let edge = this.firstEdges[node]; edge < this.firstEdges[node + 1]; edge++) {
      if (this.edgeTypes[edge] === internal && this.strings.equals(this.edgeNames[edge], name)) return this.edgeTargets[edge];
    }
    return -1;
  }

  /** `internalEdgeTarget(node, name)` for scans over many nodes: each edge name is compared once. */
  internalEdgeFinder(name: string): (node: number) => number {
    const isName = this.strings.matcher(name);
    const { internal } = this.edgeType;
    const { firstEdges, edgeTypes, edgeNames, edgeTargets } = this;
    return (node) => {
      for (let edge = firstEdges[node]; edge < firstEdges[node + 1]; edge++) {
        if (edgeTypes[edge] === internal && isName(edgeNames[edge])) return edgeTargets[edge];
      }
      return -1;
    };
  }

  /** Number of `locations` records. */
  get locationCount(): number {
    const fields = this.layout.locationField;
    return fields ? Math.floor(this.rawLocations.length / fields.fieldCount) : 0;
  }

  /** Where the node's constructor (or function) is defined, if V8 recorded it. */
  location(ordinal: number): SourceLocation | null {
    const entry = this.locationEntry(ordinal);
    if (entry < 0) return null;
    const fields = this.layout.locationField!;
    const base = entry * fields.fieldCount;
    return {
      scriptId: this.rawLocations[base + fields.scriptId],
      line: this.rawLocations[base + fields.line],
      column: this.rawLocations[base + fields.column],
    };
  }

  /** Index of the node's `locations` record, or -1. A later record for a node wins. */
  locationEntry(ordinal: number): number {
    this.locationIndex ??= this.buildLocationIndex();
    return this.locationIndex.recordOf(ordinal);
  }

  private buildLocationIndex(): LocationIndex {
    const fields = this.layout.locationField;
    if (!fields) return new LocationIndex(this.nodeCount, 0, () => 0);
    const nodeFieldCount = this.layout.nodeFieldCount;
    return new LocationIndex(this.nodeCount, this.locationCount, (record) => this.rawLocations[record * fields.fieldCount + fields.objectIndex] / nodeFieldCount);
  }

  /** Ordinal of the node with this id, or -1. Linear scan: for one-off lookups. */
  findNodeById(id: number): number {
    const ids = this.nodeIds;
    for (let ordinal = 0; ordinal < ids.length; ordinal++) if (ids[ordinal] === id) return ordinal;
    return -1;
  }
}
