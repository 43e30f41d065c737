/**
 * leakgraph/snapshot/meta — the layout a snapshot describes in its header.
 *
 * Every field and every type is found by name in `snapshot.meta`, never by position: fields
 * come and go between V8 versions (`trace_node_id`, `detachedness`), and so do types
 * (`object shape`, `bigint`).
 */

import { SnapshotError } from './errors.js';

export interface SnapshotLayout {
  nodeCount: number;
  edgeCount: number;
  traceFunctionCount: number;
  extraNativeBytes: number;
  /** Ordinal of the root node (V8 puts it first; `root_index` can say otherwise). */
  rootOrdinal: number;
  nodeFieldCount: number;
  edgeFieldCount: number;
  /** Offsets of the node fields in a node record, -1 when the field is absent. */
  nodeField: { type: number; name: number; id: number; selfSize: number; edgeCount: number; traceNodeId: number; detachedness: number };
  edgeField: { type: number; name: number; toNode: number };
  nodeTypeNames: string[];
  edgeTypeNames: string[];
  /** Offsets in a `locations` record, or null when the snapshot has no location_fields. */
  locationField: { fieldCount: number; objectIndex: number; scriptId: number; line: number; column: number } | null;
  /** Number of fields per `trace_function_infos` and `samples` record, 0 when absent. */
  traceFunctionInfoFieldCount: number;
  sampleFieldCount: number;
  /** Offsets in a `trace_function_infos` record, or null without trace_function_info_fields. */
  traceFunctionInfoField: { fieldCount: number; name: number; scriptName: number; scriptId: number; line: number; column: number } | null;
  /** Offsets in a `trace_tree` node record, or null without trace_node_fields. */
  traceNodeField: TraceNodeFields | null;
}

/** Where each value sits in a `trace_tree` node record (`children` is the nested array). */
export interface TraceNodeFields {
  fieldCount: number;
  id: number;
  functionInfoIndex: number;
  count: number;
  size: number;
  children: number;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/**
 * Checks the "snapshot" header object and resolves its layout.
 * @throws SnapshotError naming what is missing or malformed
 */
export function resolveLayout(file: string, header: unknown, offset: number): SnapshotLayout {
  const fail = (problem: string): never => {
    throw new SnapshotError(file, problem, 'snapshot', offset);
  };
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('the header is not an object');
  const h = header as Record<string, unknown>;
  const meta = h.meta as Record<string, unknown> | undefined;
  if (typeof meta !== 'object' || meta === null) fail('the header has no "meta" object');
  const m = meta as Record<string, unknown>;
  if (!isStringArray(m.node_fields)) fail('meta.node_fields is missing or not a list of names');
  if (!isStringArray(m.edge_fields)) fail('meta.edge_fields is missing or not a list of names');
  const nodeFields = m.node_fields as string[];
  const edgeFields = m.edge_fields as string[];

  const nodeField = {
    type: nodeFields.indexOf('type'),
    name: nodeFields.indexOf('name'),
    id: nodeFields.indexOf('id'),
    selfSize: nodeFields.indexOf('self_size'),
    edgeCount: nodeFields.indexOf('edge_count'),
    traceNodeId: nodeFields.indexOf('trace_node_id'),
    detachedness: nodeFields.indexOf('detachedness'),
  };
  for (const [key, name] of [['type', 'type'], ['name', 'name'], ['id', 'id'], ['selfSize', 'self_size'], ['edgeCount', 'edge_count']] as const) {
    if (nodeField[key] < 0) fail(`meta.node_fields has no "${name}" field`);
  }
  const edgeField = {
    type: edgeFields.indexOf('type'),
    name: edgeFields.indexOf('name_or_index'),
    toNode: edgeFields.indexOf('to_node'),
  };
  for (const [key, name] of [['type', 'type'], ['name', 'name_or_index'], ['toNode', 'to_node']] as const) {
    if (edgeField[key] < 0) fail(`meta.edge_fields has no "${name}" field`);
  }

  const nodeTypes = Array.isArray(m.node_types) ? m.node_types[nodeField.type] : undefined;
  if (!isStringArray(nodeTypes)) fail('meta.node_types has no list of node type names');
  const edgeTypes = Array.isArray(m.edge_types) ? m.edge_types[edgeField.type] : undefined;
  if (!isStringArray(edgeTypes)) fail('meta.edge_types has no list of edge type names');
  if ((nodeTypes as string[]).length > 255 || (edgeTypes as string[]).length > 255) fail('more than 255 node or edge types');

  if (!isCount(h.node_count)) fail('node_count is missing or not a non-negative integer');
  if (!isCount(h.edge_count)) fail('edge_count is missing or not a non-negative integer');
  const nodeCount = h.node_count as number;
  const edgeCount = h.edge_count as number;
  // Typed arrays index with 32-bit-safe integers; V8 itself caps entries at 2^28.
  if (nodeCount >= 2 ** 32 - 1 || edgeCount >= 2 ** 32 - 1) fail('more than 2^32 nodes or edges');

  const rootIndex = h.root_index === undefined ? 0 : h.root_index;
  if (!isCount(rootIndex) || rootIndex % nodeFields.length !== 0 || (nodeCount > 0 && rootIndex / nodeFields.length >= nodeCount)) {
    fail('root_index is not the index of a node');
  }
  const extraNativeBytes = h.extra_native_bytes === undefined ? 0 : h.extra_native_bytes;
  if (!isCount(extraNativeBytes)) fail('extra_native_bytes is not a non-negative integer');
  const traceFunctionCount = h.trace_function_count === undefined ? 0 : h.trace_function_count;
  if (!isCount(traceFunctionCount)) fail('trace_function_count is not a non-negative integer');

  let locationField: SnapshotLayout['locationField'] = null;
  if (isStringArray(m.location_fields)) {
    const fields = m.location_fields;
    locationField = {
      fieldCount: fields.length,
      objectIndex: fields.indexOf('object_index'),
      scriptId: fields.indexOf('script_id'),
      line: fields.indexOf('line'),
      column: fields.indexOf('column'),
    };
    if (locationField.objectIndex < 0 || locationField.scriptId < 0 || locationField.line < 0 || locationField.column < 0) {
      fail('meta.location_fields lacks object_index, script_id, line or column');
    }
  }

  let traceFunctionInfoField: SnapshotLayout['traceFunctionInfoField'] = null;
  if (isStringArray(m.trace_function_info_fields)) {
    const fields = m.trace_function_info_fields;
    traceFunctionInfoField = {
      fieldCount: fields.length,
      name: fields.indexOf('name'),
      scriptName: fields.indexOf('script_name'),
      scriptId: fields.indexOf('script_id'),
      line: fields.indexOf('line'),
      column: fields.indexOf('column'),
    };
    if (Object.values(traceFunctionInfoField).some((offset) => offset < 0)) {
      fail('meta.trace_function_info_fields lacks name, script_name, script_id, line or column');
    }
  }
  let traceNodeField: TraceNodeFields | null = null;
  if (isStringArray(m.trace_node_fields)) {
    const fields = m.trace_node_fields;
    traceNodeField = {
      fieldCount: fields.length,
      id: fields.indexOf('id'),
      functionInfoIndex: fields.indexOf('function_info_index'),
      count: fields.indexOf('count'),
      size: fields.indexOf('size'),
      children: fields.indexOf('children'),
    };
    if (Object.values(traceNodeField).some((offset) => offset < 0)) {
      fail('meta.trace_node_fields lacks id, function_info_index, count, size or children');
    }
  }

  return {
    nodeCount,
    edgeCount,
    traceFunctionCount: traceFunctionCount as number,
    extraNativeBytes: extraNativeBytes as number,
    rootOrdinal: (rootIndex as number) / nodeFields.length,
    nodeFieldCount: nodeFields.length,
    edgeFieldCount: edgeFields.length,
    nodeField,
    edgeField,
    nodeTypeNames: nodeTypes as string[],
    edgeTypeNames: edgeTypes as string[],
    locationField,
    traceFunctionInfoFieldCount: isStringArray(m.trace_function_info_fields) ? m.trace_function_info_fields.length : 0,
    sampleFieldCount: isStringArray(m.sample_fields) ? m.sample_fields.length : 0,
    traceFunctionInfoField,
    traceNodeField,
  };
}
