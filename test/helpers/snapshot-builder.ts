// Test helper: builds tiny V8 .heapsnapshot files from a plain description, so a
// test can make one small graph per DevTools rule.
//
// Format reference: docs in /work/shared/docs/devtools-semantics.md §1 (written from
// V8's heap-snapshot-generator.cc serializer). Layout 'v8' reproduces what V8 /
// Node write byte for byte (modulo the data itself).

import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BuildNode {
  type: string;
  name: string;
  id: number;
  selfSize: number;
  traceNodeId?: number;
  detachedness?: number;
  edges?: BuildEdge[];
}

export interface BuildEdge {
  type: string;
  /** element/hidden: a number (array index / slot); every other type: a string name. */
  name: string | number;
  /** index into the nodes array passed to the builder (ordinal, not node index) */
  to: number;
}

export interface BuildOptions {
  /** default V8's 7 fields; may drop trace_node_id/detachedness or reorder. Unknown field names are written as 0. */
  nodeFields?: string[];
  /** default V8's current enum (15 types, up to 'object shape') */
  nodeTypes?: string[];
  /** default context,element,property,internal,hidden,shortcut,weak */
  edgeTypes?: string[];
  /** node = index into the nodes array; written as node index (ordinal × node field count) */
  locations?: Array<{ node: number; scriptId: number; line: number; column: number }>;
  /**
   * Top-level keys to leave out entirely, e.g. ['trace_function_infos','trace_tree','samples','locations'].
   * Omitting a section also drops its meta description (trace_function_info_fields, trace_node_fields,
   * sample_fields, location_fields), like the older producers that never had the section; DevTools'
   * loader waits forever for a section whose meta field is present. A meta key name
   * (e.g. 'location_fields') may also be listed on its own to drop only that meta entry.
   */
  omitSections?: string[];
  /**
   * 'compact' (default) | 'v8' (the layout V8/Node write) | 'newlines' (whitespace/newlines everywhere JSON
   * allows, except between "snapshot" and its colon, which DevTools' loader cannot handle)
   */
  pretty?: 'compact' | 'v8' | 'newlines';
  /** extra keys in the "snapshot" header object, written after the standard ones (may override them) */
  extraHeader?: Record<string, unknown>;
  /**
   * How characters outside the BMP are escaped. 'surrogates' (default): each UTF-16 unit as \uXXXX,
   * so the text round-trips. 'v8': like V8, one \uXXXX holding the low 16 bits of the code point
   * (the character comes out mangled, as in real snapshots).
   */
  nonBmp?: 'surrogates' | 'v8';
}

export const DEFAULT_NODE_FIELDS: readonly string[] = [
  'type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness',
];

export const DEFAULT_NODE_TYPES: readonly string[] = [
  'hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native',
  'synthetic', 'concatenated string', 'sliced string', 'symbol', 'bigint', 'object shape',
];

export const DEFAULT_EDGE_TYPES: readonly string[] = [
  'context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak',
];

const EDGE_FIELDS = ['type', 'name_or_index', 'to_node'];

/** section key → the meta key that describes it */
const SECTION_META: Record<string, string> = {
  trace_function_infos: 'trace_function_info_fields',
  trace_tree: 'trace_node_fields',
  samples: 'sample_fields',
  locations: 'location_fields',
};

// ---------------------------------------------------------------------------------
// JSON text helpers (V8-style escaping)

function hex4(u: number): string {
  return '\\u' + (u & 0xffff).toString(16).toUpperCase().padStart(4, '0');
}

/**
 * JSON string literal escaped the way V8's HeapSnapshotJSONSerializer does it:
 * \b \f \n \r \t \" \\ as two-character escapes, other code units < 0x20 and everything
 * >= 0x80 as \uXXXX (upper-case hex), 0x20..0x7F verbatim (DEL included).
 */
export function v8JsonString(s: string, nonBmp: 'surrogates' | 'v8' = 'surrogates'): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    switch (c) {
      case 0x08: out += '\\b'; continue;
      case 0x0c: out += '\\f'; continue;
      case 0x0a: out += '\\n'; continue;
      case 0x0d: out += '\\r'; continue;
      case 0x09: out += '\\t'; continue;
      case 0x22: out += '\\"'; continue;
      case 0x5c: out += '\\\\'; continue;
    }
    if (c < 0x20) {
      out += hex4(c);
    } else if (c < 0x80) {
      out += s[i];
    } else if (nonBmp === 'v8' && c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        out += hex4(cp); // V8 keeps only the low 16 bits
        i++;
      } else {
        out += hex4(c);
      }
    } else {
      out += hex4(c);
    }
  }
  return out + '"';
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function compactJson(v: unknown, nonBmp: 'surrogates' | 'v8'): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return v8JsonString(v, nonBmp);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : 'null';
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return '[' + v.map((x) => compactJson(x, nonBmp)).join(',') + ']';
  const obj = v as Record<string, unknown>;
  return '{' + Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .map((k) => v8JsonString(k, nonBmp) + ':' + compactJson(obj[k], nonBmp))
    .join(',') + '}';
}

/** Whitespace (spaces, tabs, CR/LF) around every token; still valid JSON. */
function looseJson(v: unknown, indent: string, nonBmp: 'surrogates' | 'v8'): string {
  const inner = indent + '  ';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[ \n' + indent + ']';
    return '[\n' + v.map((x) => inner + looseJson(x, inner, nonBmp)).join(' ,\n') + '\n' + indent + ']';
  }
  if (v !== null && typeof v === 'object') {
    const obj = v as Record<string, unknown>;
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined);
    if (keys.length === 0) return '{\t\n' + indent + '}';
    return '{\r\n' + keys
      .map((k) => inner + v8JsonString(k, nonBmp) + ' \n' + inner + ':\t' + looseJson(obj[k], inner, nonBmp))
      .join('\n' + inner + ',\n') + '\n' + indent + '}';
  }
  return compactJson(v, nonBmp);
}

// ---------------------------------------------------------------------------------

/** Builds the text of a .heapsnapshot file. Node ordinal 0 is the root (as V8 writes it). */
export function buildSnapshotText(nodes: BuildNode[], options: BuildOptions = {}): string {
  const nodeFields = options.nodeFields ?? [...DEFAULT_NODE_FIELDS];
  const nodeTypes = options.nodeTypes ?? [...DEFAULT_NODE_TYPES];
  const edgeTypes = options.edgeTypes ?? [...DEFAULT_EDGE_TYPES];
  const omit = new Set(options.omitSections ?? []);
  const layout = options.pretty ?? 'compact';
  const nonBmp = options.nonBmp ?? 'surrogates';
  const nodeFieldCount = nodeFields.length;

  // Strings table: index 0 "<dummy>"; V8 assigns ids in first-use order, node names
  // first (node order), then edge names (edge order). "<dummy>" itself is not in the
  // lookup map, so a node really named "<dummy>" gets its own entry, as in V8.
  const strings: string[] = ['<dummy>'];
  const stringIds = new Map<string, number>();
  const stringId = (s: string): number => {
    let id = stringIds.get(s);
    if (id === undefined) {
      id = strings.length;
      strings.push(s);
      stringIds.set(s, id);
    }
    return id;
  };

  const typeIndex = (list: string[], t: string, what: string): number => {
    const i = list.indexOf(t);
    if (i < 0) throw new Error(`snapshot-builder: unknown ${what} type ${JSON.stringify(t)} (known: ${list.join(', ')})`);
    return i;
  };

  // nodes
  const nodeRows: number[][] = [];
  for (const n of nodes) {
    const nameId = stringId(n.name);
    const row: number[] = [];
    for (const f of nodeFields) {
      switch (f) {
        case 'type': row.push(typeIndex(nodeTypes, n.type, 'node')); break;
        case 'name': row.push(nameId); break;
        case 'id': row.push(n.id); break;
        case 'self_size': row.push(n.selfSize); break;
        case 'edge_count': row.push(n.edges?.length ?? 0); break;
        case 'trace_node_id': row.push(n.traceNodeId ?? 0); break;
        case 'detachedness': row.push(n.detachedness ?? 0); break;
        default: row.push(0);
      }
    }
    nodeRows.push(row);
  }

  // edges
  const elementType = edgeTypes.indexOf('element');
  const hiddenType = edgeTypes.indexOf('hidden');
  const edgeRows: number[][] = [];
  nodes.forEach((n, from) => {
    for (const e of n.edges ?? []) {
      const t = typeIndex(edgeTypes, e.type, 'edge');
      if (!Number.isInteger(e.to) || e.to < 0 || e.to >= nodes.length) {
        throw new Error(`snapshot-builder: edge from node ${from} (${n.name}) targets missing node ${e.to}`);
      }
      let nameOrIndex: number;
      if (t === elementType || t === hiddenType) {
        const num = typeof e.name === 'number' ? e.name : /^\d+$/.test(e.name) ? Number(e.name) : NaN;
        if (!Number.isInteger(num) || num < 0) {
          throw new Error(`snapshot-builder: ${e.type} edge needs a numeric name, got ${JSON.stringify(e.name)}`);
        }
        nameOrIndex = num;
      } else {
        nameOrIndex = stringId(String(e.name));
      }
      edgeRows.push([t, nameOrIndex, e.to * nodeFieldCount]);
    }
  });

  // locations
  const locationRows: number[][] = (options.locations ?? []).map((l) => {
    if (!Number.isInteger(l.node) || l.node < 0 || l.node >= nodes.length) {
      throw new Error(`snapshot-builder: location for missing node ${l.node}`);
    }
    return [l.node * nodeFieldCount, l.scriptId, l.line, l.column];
  });

  // header
  const meta: Record<string, Json> = {
    node_fields: nodeFields,
    node_types: nodeFields.map((f) => (f === 'type' ? nodeTypes : f === 'name' ? 'string' : 'number')),
    edge_fields: EDGE_FIELDS,
    edge_types: [edgeTypes, 'string_or_number', 'node'],
    trace_function_info_fields: ['function_id', 'name', 'script_name', 'script_id', 'line', 'column'],
    trace_node_fields: ['id', 'function_info_index', 'count', 'size', 'children'],
    sample_fields: ['timestamp_us', 'last_assigned_id'],
    location_fields: ['object_index', 'script_id', 'line', 'column'],
  };
  for (const key of omit) {
    if (key in SECTION_META) delete meta[SECTION_META[key]!];
    if (key in meta && !['node_fields', 'node_types', 'edge_fields', 'edge_types'].includes(key)) delete meta[key];
  }
  const header: Record<string, unknown> = {
    meta,
    node_count: nodes.length,
    edge_count: edgeRows.length,
    trace_function_count: 0,
    ...(options.extraHeader ?? {}),
  };

  const sections: Array<[string, 'rows' | 'strings' | 'tree', unknown]> = [
    ['nodes', 'rows', nodeRows],
    ['edges', 'rows', edgeRows],
    ['trace_function_infos', 'rows', [] as number[][]],
    ['trace_tree', 'tree', []],
    ['samples', 'rows', [] as number[][]],
    ['locations', 'rows', locationRows],
    ['strings', 'strings', strings],
  ];
  const kept = sections.filter(([k]) => !omit.has(k));

  if (layout === 'compact') {
    let out = '{"snapshot":' + compactJson(header, nonBmp);
    for (const [k, kind, data] of kept) {
      out += ',"' + k + '":';
      if (kind === 'rows') out += '[' + (data as number[][]).map((r) => r.join(',')).join(',') + ']';
      else if (kind === 'strings') out += '[' + (data as string[]).map((s) => v8JsonString(s, nonBmp)).join(',') + ']';
      else out += compactJson(data, nonBmp);
    }
    return out + '}';
  }

  if (layout === 'v8') {
    // Exactly V8's HeapSnapshotJSONSerializer::SerializeImpl layout:
    // {"snapshot":{...},\n"nodes":[r0\n,r1\n],\n ... "strings":["<dummy>",\n"s1",\n"s2"]}
    let out = '{"snapshot":' + compactJson(header, nonBmp) + ',\n';
    kept.forEach(([k, kind, data], i) => {
      out += '"' + k + '":[';
      if (kind === 'rows') out += (data as number[][]).map((r) => r.join(',') + '\n').join(',');
      else if (kind === 'strings') {
        out += (data as string[]).map((s, j) => (j === 0 ? '' : '\n') + v8JsonString(s, nonBmp)).join(',');
      }
      out += i === kept.length - 1 ? ']' : '],\n';
    });
    return out + '}';
  }

  // 'newlines': whitespace and newlines between every token JSON allows, with ONE
  // exception: the colon directly follows "snapshot". DevTools' HeapSnapshotLoader skips
  // exactly one character after the "snapshot" token and JSON.parses the rest of the
  // balanced header, so `"snapshot" :` makes DevTools (and heap-snapshot-toolkit) fail
  // with a SyntaxError. Whitespace after that colon, and everywhere else, is fine for it.
  let out = ' \n{\n  "snapshot":\n  ' + looseJson(header, '  ', nonBmp);
  for (const [k, kind, data] of kept) {
    out += '\n  ,\r\n  "' + k + '" \n :\n  [';
    if (kind === 'rows') {
      const flat = (data as number[][]).flat();
      out += flat.length ? '\n' + flat.map((x) => '    ' + x).join(' ,\n') + '\n  ' : ' \n  ';
    } else if (kind === 'strings') {
      out += '\n' + (data as string[]).map((s) => '    ' + v8JsonString(s, nonBmp)).join(' ,\n') + '\n  ';
    } else {
      out += ' \n  ';
    }
    out += ']';
  }
  return out + '\n}\n';
}

/** Writes buildSnapshotText() to path (gzip-compressed when path ends in .gz), creating parent dirs. */
export function writeSnapshot(path: string, nodes: BuildNode[], options?: BuildOptions): void {
  const text = buildSnapshotText(nodes, options);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, path.endsWith('.gz') ? gzipSync(Buffer.from(text, 'utf8')) : text);
}

// ---------------------------------------------------------------------------------

const TMP_PREFIX = 'leakgraph-test-';
const TMP_BASE = join(tmpdir(), `${TMP_PREFIX}${process.pid}`);
let tmpSeq = 0;
let tmpInitialised = false;

function processIsGone(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: existence probe only, nothing is sent
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function initTmp(): void {
  tmpInitialised = true;
  if (process.env.LEAKGRAPH_KEEP_TEST_FILES) return;
  // Vitest may end its worker processes without a normal exit, so 'exit' hooks do not
  // always run: also sweep directories left behind by test processes that no longer exist.
  try {
    for (const entry of readdirSync(tmpdir())) {
      const m = /^leakgraph-test-(\d+)$/.exec(entry);
      if (m && Number(m[1]) !== process.pid && processIsGone(Number(m[1]))) {
        rmSync(join(tmpdir(), entry), { recursive: true, force: true });
      }
    }
  } catch {
    // best effort
  }
  process.once('exit', () => rmSync(TMP_BASE, { recursive: true, force: true }));
}

/**
 * A fresh path os.tmpdir()/leakgraph-test-<pid>/<n>/<name> (own directory per call, so
 * the basename is exactly `name`; parent directories are created). The leakgraph-test-<pid>
 * directory is removed at process exit, or by a later test run once this process is gone,
 * unless LEAKGRAPH_KEEP_TEST_FILES is set.
 */
export function tmpPath(name: string): string {
  if (!tmpInitialised) initTmp();
  const p = join(TMP_BASE, String(++tmpSeq), name);
  mkdirSync(dirname(p), { recursive: true });
  return p;
}

// ---------------------------------------------------------------------------------

/**
 * V8's graph skeleton, to extend in tests (fresh objects on every call):
 *   0  synthetic ""               id 1   element 1 → (GC roots), shortcut "2" → global
 *   1  synthetic "(GC roots)"     id 3   element 1 → (Strong roots), element 2 → (Handle scope)
 *   2  synthetic "(Strong roots)" id 5
 *   3  synthetic "(Handle scope)" id 7
 *   4  object    "global"         id 9   selfSize 32, no edges (the single user root)
 * Synthetic nodes have self size 0. The root's edge names follow V8's auto-index (one
 * counter across the root's edges), which is why the shortcut is "2" as in Node's snapshots.
 */
export const MINIMAL = { root: 0, gcRoots: 1, strongRoots: 2, handleScope: 3, global: 4 } as const;

export function minimalHeap(): BuildNode[] {
  return [
    {
      type: 'synthetic', name: '', id: 1, selfSize: 0,
      edges: [
        { type: 'element', name: 1, to: MINIMAL.gcRoots },
        { type: 'shortcut', name: '2', to: MINIMAL.global },
      ],
    },
    {
      type: 'synthetic', name: '(GC roots)', id: 3, selfSize: 0,
      edges: [
        { type: 'element', name: 1, to: MINIMAL.strongRoots },
        { type: 'element', name: 2, to: MINIMAL.handleScope },
      ],
    },
    { type: 'synthetic', name: '(Strong roots)', id: 5, selfSize: 0, edges: [] },
    { type: 'synthetic', name: '(Handle scope)', id: 7, selfSize: 0, edges: [] },
    { type: 'object', name: 'global', id: 9, selfSize: 32, edges: [] },
  ];
}
