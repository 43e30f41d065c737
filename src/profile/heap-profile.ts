/**
 * leakgraph/profile/heap-profile — reads `.heapprofile` files, the output of V8's sampling
 * heap profiler (`node --heap-prof`, the inspector's `HeapProfiler.stopSampling`, DevTools'
 * "Allocation sampling").
 *
 * A profile is one JSON object: `head`, the call tree (each node a `callFrame` — function
 * name, script id, URL, 0-based line and column, -1 when V8 did not record them — the
 * sampled bytes allocated at exactly that stack as `selfSize`, an `id` and `children`), and
 * `samples`, one `{size, nodeId, ordinal}` per sample. Profiles are small (one node per
 * distinct allocating stack), so the file goes through JSON.parse; every value is then
 * checked, and anything wrong is a ProfileError: one line naming the file and the problem.
 */

import { constants } from 'node:buffer';
import { openByteSource } from '../snapshot/byte-source.js';
import { SnapshotError } from '../snapshot/errors.js';
import type { SourceMapSetting } from '../graph/source-maps.js';

/**
 * Bad input in a heap profile (missing, truncated, not a profile…). A SnapshotError, so that
 * everything that handles broken snapshots (one line, exit code 2) handles it the same way.
 */
export class ProfileError extends SnapshotError {
  constructor(file: string, problem: string) {
    super(file, problem);
    this.name = 'ProfileError';
  }
}

/** A frame as V8 records it: line and column 0-based, -1 when unknown. */
export interface ProfileCallFrame {
  functionName: string;
  scriptId: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

export interface HeapProfileNode {
  id: number;
  callFrame: ProfileCallFrame;
  /** Sampled bytes allocated with exactly this stack (V8's estimate of the real bytes). */
  selfSize: number;
  /** Number of samples taken with exactly this stack (0 when the profile lists no samples). */
  samples: number;
  children: HeapProfileNode[];
}

export interface HeapProfile {
  /** The file (or name) the profile was read from. */
  file: string;
  head: HeapProfileNode;
  /** Number of call tree nodes, the head included. */
  nodeCount: number;
  /** Sum of every node's selfSize. */
  totalBytes: number;
  /** Number of samples (0 when the profile has no `samples` list, as in old profiles). */
  sampleCount: number;
  /** Whether the profile lists its samples. */
  hasSamples: boolean;
  /** Samples of nodes that are not in the call tree (V8 can list a few), left out of sampleCount. */
  orphanSamples: number;
  /**
   * Source maps for the functions' positions (graph/source-maps): `false` turns them off;
   * unset, maps are looked for beside the scripts.
   */
  sourceMaps?: SourceMapSetting;
}

/** What a file holds, judged from its first key (gzip is looked through). */
export type HeapFileKind = 'snapshot' | 'profile';

/** Longest text JSON.parse can take: V8's string length limit. */
const MAX_PROFILE_BYTES = constants.MAX_STRING_LENGTH;

/**
 * Tells a heap snapshot (`{"snapshot": …`) from anything else, which is read as a heap
 * profile. Reads only the first bytes of the file.
 * @throws ProfileError when the file cannot be read, is empty or is not a JSON object
 */
export async function detectHeapFileKind(file: string): Promise<HeapFileKind> {
  const source = await openSource(file, 'a heap profile or heap snapshot');
  const iterator = source.chunks[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  try {
    for (;;) {
      const text = head.toString('latin1').trimStart();
      if (text.length > 0 && text[0] !== '{') throw new ProfileError(file, 'not a heap profile or heap snapshot: the file does not start with a JSON object');
      const key = /^\{\s*"([^"\\]*)"/.exec(text);
      if (key) return key[1] === 'snapshot' ? 'snapshot' : 'profile';
      if (head.length > 4096) return 'profile';
      const next = await iterator.next();
      if (next.done) {
        if (text.length === 0) throw new ProfileError(file, 'empty file, not a heap profile or heap snapshot');
        return 'profile';
      }
      head = Buffer.concat([head, next.value]);
    }
  } catch (error) {
    throw asProfileError(file, error, 'a heap profile or heap snapshot');
  } finally {
    await iterator.return?.();
  }
}

/**
 * Reads a `.heapprofile` file, plain or gzipped (recognised by its magic bytes).
 * @throws ProfileError for anything wrong with the file
 */
export async function readHeapProfile(file: string): Promise<HeapProfile> {
  const source = await openSource(file, 'a heap profile');
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of source.chunks) {
      length += chunk.length;
      if (length > MAX_PROFILE_BYTES) throw new ProfileError(file, `larger than ${MAX_PROFILE_BYTES} bytes, too large for a heap profile`);
      chunks.push(Buffer.from(chunk)); // the source reuses its buffers
    }
  } catch (error) {
    throw asProfileError(file, error, 'a heap profile');
  }
  const text = Buffer.concat(chunks, length).toString('utf8');
  if (text.trim().length === 0) throw new ProfileError(file, 'empty file, not a heap profile');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    if (isTruncated(text)) throw new ProfileError(file, 'truncated: the file ends before the profile is complete');
    throw new ProfileError(file, `not a heap profile: not valid JSON (${(error as Error).message})`);
  }
  return parseHeapProfile(file, value);
}

/** True when the JSON text ends inside a value: more brackets opened than closed. */
function isTruncated(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return inString || depth > 0;
}

/** The byte source's errors (missing file, broken gzip…) as ProfileErrors. */
function asProfileError(file: string, error: unknown, what: string): unknown {
  if (error instanceof SnapshotError && !(error instanceof ProfileError)) return new ProfileError(file, error.problem.replace('a heap snapshot', what));
  return error;
}

async function openSource(file: string, what: string) {
  try {
    return await openByteSource(file);
  } catch (error) {
    throw asProfileError(file, error, what);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPosition(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= -1;
}

function isSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/**
 * Checks a parsed heap profile (e.g. the `profile` of `HeapProfiler.stopSampling`) and copies
 * it into a HeapProfile.
 * @throws ProfileError naming the first thing that is wrong
 */
export function parseHeapProfile(file: string, value: unknown): HeapProfile {
  const fail = (problem: string): never => {
    throw new ProfileError(file, problem);
  };
  if (!isObject(value)) fail('not a heap profile: the file is not a JSON object');
  const document = value as Record<string, unknown>;
  if (!('head' in document)) {
    if ('snapshot' in document && 'nodes' in document) fail('a heap snapshot, not a heap profile');
    if ('nodes' in document && 'startTime' in document) fail('a CPU profile, not a heap profile');
    fail('not a heap profile: no "head" call tree');
  }

  const byId = new Map<number, HeapProfileNode>();
  let totalBytes = 0;
  const convert = (raw: unknown, where: string): HeapProfileNode => {
    if (!isObject(raw)) return fail(`${where} is not an object`);
    const id = raw.id;
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) return fail(`${where}: "id" is not a non-negative integer`);
    const label = `call tree node ${id}`;
    if (byId.has(id)) fail(`${label} appears twice`);
    const frame = raw.callFrame;
    if (!isObject(frame)) return fail(`${label}: no "callFrame" object`);
    if (typeof frame.functionName !== 'string') fail(`${label}: callFrame.functionName is not a string`);
    if (typeof frame.url !== 'string') fail(`${label}: callFrame.url is not a string`);
    if (typeof frame.scriptId !== 'string' && typeof frame.scriptId !== 'number') fail(`${label}: callFrame.scriptId is not a string`);
    if (!isPosition(frame.lineNumber)) fail(`${label}: callFrame.lineNumber is not an integer of -1 or more`);
    if (!isPosition(frame.columnNumber)) fail(`${label}: callFrame.columnNumber is not an integer of -1 or more`);
    if (!isSize(raw.selfSize)) fail(`${label}: "selfSize" is not a non-negative number`);
    if (!Array.isArray(raw.children)) fail(`${label}: "children" is not a list`);
    const node: HeapProfileNode = {
      id,
      callFrame: {
        functionName: frame.functionName as string,
        scriptId: String(frame.scriptId),
        url: frame.url as string,
        lineNumber: frame.lineNumber as number,
        columnNumber: frame.columnNumber as number,
      },
      selfSize: raw.selfSize as number,
      samples: 0,
      children: [],
    };
    byId.set(id, node);
    totalBytes += node.selfSize;
    return node;
  };

  // Iteratively: a call tree is as deep as the deepest stack.
  const head = convert(document.head, '"head"');
  const pending: Array<{ raw: unknown[]; node: HeapProfileNode }> = [{ raw: (document.head as { children: unknown[] }).children, node: head }];
  while (pending.length > 0) {
    const { raw, node } = pending.pop()!;
    for (let i = 0; i < raw.length; i++) {
      const child = convert(raw[i], `a child of call tree node ${node.id}`);
      node.children.push(child);
      pending.push({ raw: (raw[i] as { children: unknown[] }).children, node: child });
    }
  }

  let sampleCount = 0;
  let orphanSamples = 0;
  const samples = document.samples;
  const hasSamples = samples !== undefined;
  if (hasSamples) {
    if (!Array.isArray(samples)) fail('"samples" is not a list');
    (samples as unknown[]).forEach((sample, i) => {
      if (!isObject(sample)) fail(`sample ${i} is not an object`);
      const { nodeId, size } = sample as Record<string, unknown>;
      if (!isSize(size)) fail(`sample ${i}: "size" is not a non-negative number`);
      if (typeof nodeId !== 'number' || !Number.isSafeInteger(nodeId) || nodeId < 0) fail(`sample ${i}: "nodeId" is not a non-negative integer`);
      const node = byId.get(nodeId as number);
      // V8 builds the tree before it lists the samples, and what it allocates in between can
      // add samples of nodes the tree does not have (seen with node --heap-prof): not counted.
      if (!node) {
        orphanSamples++;
        return;
      }
      node.samples++;
      sampleCount++;
    });
  }
  return { file, head, nodeCount: byId.size, totalBytes, sampleCount, hasSamples, orphanSamples };
}
