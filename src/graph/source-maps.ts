/**
 * leakgraph/graph/source-maps — the original position (`orders.ts:41:7`) of a position in a
 * script that was compiled or bundled, from the script's source map.
 *
 * A snapshot names each script by path or `file://` URL; the map is found on disk, once per
 * script and only for scripts whose positions are asked for:
 * 1. the script's own `//# sourceMappingURL=` comment: an inline `data:` URL, or a file
 *    beside the script;
 * 2. `SCRIPT.map` beside the script;
 * 3. in each of `directories`, the comment's file name, then `BASENAME.map`.
 * A script with no readable map, or a position the map does not cover, keeps its JavaScript
 * position: nothing here throws.
 */

import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FlattenMap, GREATEST_LOWER_BOUND, LEAST_UPPER_BOUND, originalPositionFor, type TraceMap } from '@jridgewell/trace-mapping';
import type { OriginalPosition, OriginalPositions } from './scripts.js';

export interface SourceMapOptions {
  /** Directories holding maps kept apart from the scripts (`--source-maps DIR`). */
  directories?: readonly string[];
}

/** `false` turns source maps off; an object (or nothing: the default) turns them on. */
export type SourceMapSetting = SourceMapOptions | false | undefined;

/** What some servers put before a map's JSON so that it cannot be run as a script. */
const XSSI_PREFIX = /^\)\]\}'[^\n]*\n/;

/** The `sourceMappingURL` of a comment in a script (`//#` or the older `//@`); the last one counts. */
const MAPPING_URL = /\/\/[#@][ \t]+sourceMappingURL=[ \t]*(\S+)[ \t]*$/gm;

/** Source maps of the scripts of one snapshot (or profile): each script and map read once. */
export class SourceMaps implements OriginalPositions {
  private readonly maps = new Map<string, TraceMap | null>();
  private readonly directories: readonly string[];

  constructor(options: SourceMapOptions = {}) {
    this.directories = options.directories ?? [];
  }

  /**
   * Where a 1-based line and column of `script` came from, or null when the script has no
   * readable map or the map says nothing of that position.
   */
  original(script: string, line: number, column: number): OriginalPosition | null {
    if (line < 1 || column < 1) return null;
    let map = this.maps.get(script);
    if (map === undefined) this.maps.set(script, (map = this.find(script)));
    if (!map) return null;
    try {
      // V8 places a function at its parameters or body; the mapping at or before that column
      // is the function's own (its name or keyword), the one after it the next best.
      const needle = { line, column: column - 1 };
      let found = originalPositionFor(map, { ...needle, bias: GREATEST_LOWER_BOUND });
      if (found.source === null) found = originalPositionFor(map, { ...needle, bias: LEAST_UPPER_BOUND });
      if (found.source === null || found.line === null) return null;
      return { file: found.source, line: found.line, column: found.column + 1 };
    } catch {
      return null;
    }
  }

  private find(script: string): TraceMap | null {
    if (script.startsWith('node:')) return null;
    const file = localScriptPath(script);
    const end = file === null ? null : readScriptEnd(file);
    const comment = end === null ? null : lastMappingUrl(end);
    if (comment?.startsWith('data:')) return parseMap(decodeDataUrl(comment), file!, null);
    const name = basename(script.replace(/[?#].*$/, ''));
    // A map the script names is trusted; one found by its name alone must not name another script.
    const candidates: { path: string; named: boolean }[] = [];
    if (file !== null) {
      if (comment) candidates.push({ path: commentTarget(comment, dirname(file)), named: true });
      candidates.push({ path: `${file}.map`, named: false });
    }
    for (const directory of this.directories) {
      if (comment && !comment.includes(':')) candidates.push({ path: join(directory, basename(comment)), named: true });
      if (name) candidates.push({ path: join(directory, `${name}.map`), named: false });
    }
    for (const candidate of candidates) {
      const map = parseMap(readText(candidate.path), candidate.path, candidate.named ? null : name);
      if (map) return map;
    }
    return null;
  }
}

const heapSourceMaps = new WeakMap<object, { setting: SourceMapSetting; maps: SourceMaps | null }>();

/**
 * The source maps of a loaded heap (or heap profile), as its `sourceMaps` setting asks: one
 * per heap, so that each map is read once however many analyses ask; null when off.
 */
export function sourceMapsOf(heap: { sourceMaps?: SourceMapSetting }): SourceMaps | null {
  let cached = heapSourceMaps.get(heap);
  if (cached === undefined || cached.setting !== heap.sourceMaps) {
    cached = { setting: heap.sourceMaps, maps: heap.sourceMaps === false ? null : new SourceMaps(heap.sourceMaps) };
    heapSourceMaps.set(heap, cached);
  }
  return cached.maps;
}

/** The file a script name denotes: an absolute path or a `file://` URL; else null (`node:…`, `http:…`, eval'd code). */
export function localScriptPath(script: string): string | null {
  try {
    if (script.startsWith('file:')) return fileURLToPath(script);
    return isAbsolute(script) ? script : null;
  } catch {
    return null;
  }
}

function lastMappingUrl(source: string): string | null {
  let url: string | null = null;
  for (const match of source.matchAll(MAPPING_URL)) url = match[1];
  return url;
}

function commentTarget(comment: string, scriptDirectory: string): string {
  if (comment.startsWith('file:')) return localScriptPath(comment) ?? comment;
  return resolve(scriptDirectory, decodeURIComponentSafely(comment));
}

function decodeDataUrl(url: string): string | null {
  const comma = url.indexOf(',');
  if (comma < 0) return null;
  const header = url.slice(0, comma);
  const body = url.slice(comma + 1);
  return /;base64$/i.test(header) ? Buffer.from(body, 'base64').toString('utf8') : decodeURIComponentSafely(body);
}

function decodeURIComponentSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** How much of a script's end is read for its comment; all of it only when its last line is longer. */
const SCRIPT_END_BYTES = 64 * 1024;

/**
 * The end of a script, where its `sourceMappingURL` comment is: its last 64 kB, or the whole
 * file when the last line is longer (an inline map), so that a large bundle without a map
 * costs one small read.
 */
function readScriptEnd(file: string): string | null {
  let descriptor: number | null = null;
  try {
    descriptor = openSync(file, 'r');
    const size = fstatSync(descriptor).size;
    const start = Math.max(0, size - SCRIPT_END_BYTES);
    const buffer = Buffer.alloc(size - start);
    readSync(descriptor, buffer, 0, buffer.length, start);
    const end = buffer.toString('utf8');
    return start > 0 && !end.trimEnd().includes('\n') ? readFileSync(descriptor, 'utf8') : end;
  } catch {
    return null;
  } finally {
    if (descriptor !== null) closeSync(descriptor);
  }
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/**
 * A parsed map whose sources are resolved against `mapPath`, or null when it is not one, or
 * when `scriptName` is given and the map says it is another script's (its `file`).
 */
function parseMap(text: string | null, mapPath: string, scriptName: string | null): TraceMap | null {
  if (text === null) return null;
  try {
    const json: unknown = JSON.parse(text.replace(XSSI_PREFIX, ''));
    if (typeof json !== 'object' || json === null || !('mappings' in json || 'sections' in json)) return null;
    const file = 'file' in json && typeof json.file === 'string' ? basename(json.file) : '';
    if (scriptName !== null && file !== '' && file !== scriptName) return null;
    return new FlattenMap(json as ConstructorParameters<typeof FlattenMap>[0], mapPath);
  } catch {
    return null;
  }
}
