/**
 * leakgraph/graph/scripts — script names by script id, for showing where functions live.
 *
 * V8 records each function's position (script id, line, column) in `locations`, but not the
 * script's name. A closure links to it: closure → `shared` (SharedFunctionInfo) →
 * `script_or_debug_info` (or `script` in newer V8) → Script, named by its URL, or "system /
 * Script" with an internal `name` edge to the URL string.
 */

import type { HeapSnapshot } from '../snapshot/heap-snapshot.js';

/** A position in the original source a script was compiled from (1-based line and column). */
export interface OriginalPosition {
  /** The source file as its map names it, resolved against the map's location. */
  file: string;
  line: number;
  column: number;
}

/** Where a function is: its script and 1-based position, and the original one when a source map says. */
export interface ScriptLocation {
  script: string;
  line: number;
  column: number;
  original?: OriginalPosition;
}

/** Maps generated positions to original ones (graph/source-maps' SourceMaps). */
export interface OriginalPositions {
  original(script: string, line: number, column: number): OriginalPosition | null;
}

export class ScriptNames {
  private byId: Map<number, string> | null = null;

  /** `sourceMaps`: where to find original positions; none, or null, leaves them out. */
  constructor(
    private readonly heap: HeapSnapshot,
    private readonly sourceMaps: OriginalPositions | null = null,
  ) {}

  /** The script's URL or file name, or null when the snapshot does not say. */
  name(scriptId: number): string | null {
    if (!this.byId) this.byId = this.collect();
    return this.byId.get(scriptId) ?? null;
  }

  /**
   * Script, line and column (1-based) of a function or of an object's constructor, with the
   * original position when the script has a source map.
   */
  locate(node: number): ScriptLocation | null {
    const location = this.heap.location(node);
    if (!location) return null;
    const script = this.name(location.scriptId);
    if (script === null) return null;
    const found: ScriptLocation = { script, line: location.line + 1, column: location.column + 1 };
    const original = this.sourceMaps?.original(script, found.line, found.column);
    if (original) found.original = original;
    return found;
  }

  private collect(): Map<number, string> {
    const heap = this.heap;
    const names = new Map<number, string>();
    // Closures of a script the snapshot does not name are each looked at: names are compared once per string.
    const sharedOf = heap.internalEdgeFinder('shared');
    const scriptOrDebugInfoOf = heap.internalEdgeFinder('script_or_debug_info');
    const scriptOf = heap.internalEdgeFinder('script');
    const nameOf = heap.internalEdgeFinder('name');
    for (let node = 0; node < heap.nodeCount; node++) {
      if (heap.nodeTypes[node] !== heap.nodeType.closure) continue;
      const location = heap.location(node);
      if (!location || names.has(location.scriptId)) continue;
      const shared = sharedOf(node);
      const script = shared < 0 ? -1 : Math.max(scriptOrDebugInfoOf(shared), scriptOf(shared));
      if (script < 0) continue;
      // Node names scripts by URL; Chromium "system / Script / <url>", the URL possibly empty.
      let name = heap.nodeName(script).replace(/^system \/ Script( \/ )?/, '');
      if (!name) {
        const nameNode = nameOf(script);
        name = nameNode < 0 ? '' : heap.nodeName(nameNode);
      }
      if (name) names.set(location.scriptId, name);
    }
    return names;
  }
}

/**
 * Last part of a script URL or path: `file:///srv/app/service.mjs` → `service.mjs`. Node's own
 * modules keep their whole name (`node:internal/timers`), which says whose code it is.
 */
export function shortScriptName(script: string): string {
  if (script.startsWith('node:')) return script;
  const cut = script.replace(/[?#].*$/, '');
  const slash = cut.lastIndexOf('/');
  return slash >= 0 && slash < cut.length - 1 ? cut.slice(slash + 1) : cut;
}

/** `orders.ts:41:7`: the original position when known, else the script's. */
export function formatLocation(location: ScriptLocation): string {
  const { original } = location;
  return original ? `${shortScriptName(original.file)}:${original.line}:${original.column}` : `${shortScriptName(location.script)}:${location.line}:${location.column}`;
}
