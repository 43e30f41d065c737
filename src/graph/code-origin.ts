/**
 * leakgraph/graph/code-origin — whose code made each object: the program's own scripts, the
 * runtime's (Node's `node:` modules, V8's natives), or neither (builtins such as Object, Map,
 * Promise, and V8's internals).
 *
 * - A closure is the program's when its script is a user script; the runtime's when its script
 *   is a `node:`/internal one or it has no script at all (natives, API functions).
 * - A context belongs to the closures that point at it: the program's when any of them is.
 * - An object takes its class's origin, read from its constructor (`__proto__.constructor`),
 *   whose script says who defined the class. `process` is made by Node's C++ side and has no
 *   script; it is the runtime's too.
 *
 * Paths prefer the program's holders to the runtime's, and leak clusters are named after the
 * program's classes. The top-level scope of every module (the program's and Node's) is known,
 * so that a path reads from the module whose state holds an object.
 */

import type { HeapSnapshot } from '../snapshot/heap-snapshot.js';
import type { ScriptNames } from './scripts.js';

const NEUTRAL = 0;
export const USER = 1;
export const RUNTIME = 2;
export type Origin = typeof NEUTRAL | typeof USER | typeof RUNTIME;

/** Objects Node makes in C++, without a constructor in any script. */
const RUNTIME_OBJECT = 'process';
/** A script context whose script the snapshot does not name, and what it is called then. */
const UNNAMED_SCRIPT = -1;
export const TOP_LEVEL_SCRIPTS = 'top-level scripts';
/**
 * A module scope whose module the snapshot does not name, and what it is called then: Bun's
 * V8-format snapshots have JavaScriptCore's module environments but no script names.
 */
const UNNAMED_MODULE = -2;
export const UNNAMED_MODULE_NAME = '(unnamed)';
/** JavaScriptCore's top-level scope of an ES module, as Bun's snapshots name it. */
const JSC_MODULE_SCOPE = 'system / JSModuleEnvironment';
/** Instances tried per class before its constructor is taken as unknown. */
const CONSTRUCTOR_TRIES = 4;

/**
 * True for script URLs of the runtime rather than the program. Deno names its own JavaScript
 * `ext:<extension>/<file>` (`ext:core/01_core.js`, `ext:deno_node/…`) and its Node modules
 * `node:…`; Bun's V8-format snapshots name no scripts at all.
 */
function isRuntimeScript(script: string): boolean {
  return script.startsWith('node:') || script.startsWith('ext:') || script.startsWith('internal/') || script.startsWith('extensions::') || script.startsWith('v8/');
}

export class CodeOrigins {
  /** Origin per node ordinal. */
  readonly origin: Uint8Array;
  /** Script id of the top-level (module) scope contexts, by context ordinal. */
  private readonly moduleScopes = new Map<number, number>();
  private readonly scriptOrigins = new Map<number, Origin>();
  private readonly boundTargetOf: (closure: number) => number;

  constructor(
    private readonly heap: HeapSnapshot,
    private readonly scripts: ScriptNames,
    classOf: ArrayLike<number>,
    classCount: number,
  ) {
    this.origin = new Uint8Array(heap.nodeCount);
    this.boundTargetOf = heap.internalEdgeFinder('bound_function');
    this.markClosuresAndContexts();
    this.markObjects(classOf, classCount);
  }

  /** The script of a module's top-level scope (a context right below the native context), the program's or Node's; else null. */
  moduleScopeScript(context: number): string | null {
    const scriptId = this.moduleScopes.get(context);
    if (scriptId === undefined) return null;
    if (scriptId === UNNAMED_MODULE) return UNNAMED_MODULE_NAME;
    return scriptId === UNNAMED_SCRIPT ? TOP_LEVEL_SCRIPTS : (this.scripts.name(scriptId) ?? TOP_LEVEL_SCRIPTS);
  }

  /** A closure's origin is its script's; a bound function (`f.bind(x)`) takes its target's. */
  private closureOrigin(closure: number): Origin {
    const entry = this.heap.locationEntry(closure);
    if (entry < 0) {
      const target = this.boundTargetOf(closure);
      return target >= 0 && target !== closure && this.heap.locationEntry(target) >= 0 ? this.closureOrigin(target) : RUNTIME;
    }
    return this.scriptOrigin(this.heap.location(closure)!.scriptId);
  }

  /** A script's origin, worked out once per script (a heap has hundreds of thousands of closures and a few hundred scripts). */
  private scriptOrigin(scriptId: number): Origin {
    let origin = this.scriptOrigins.get(scriptId);
    if (origin === undefined) {
      // A script without a name (an inline or evaluated one) is the program's too.
      const script = this.scripts.name(scriptId);
      origin = script !== null && isRuntimeScript(script) ? RUNTIME : USER;
      this.scriptOrigins.set(scriptId, origin);
    }
    return origin;
  }

  private markClosuresAndContexts(): void {
    const heap = this.heap;
    const { closure } = heap.nodeType;
    const contextOf = heap.internalEdgeFinder('context');
    const previousOf = heap.internalEdgeFinder('previous');
    const contextVotes = new Uint8Array(heap.nodeCount);
    // Whether a context was looked at as a possible module scope (closures share contexts).
    const looked = new Uint8Array(heap.nodeCount);
    for (let node = 0; node < heap.nodeCount; node++) {
      if (heap.nodeTypes[node] !== closure) continue;
      const origin = this.closureOrigin(node);
      this.origin[node] = origin;
      const context = contextOf(node);
      if (context < 0) continue;
      contextVotes[context] |= origin;
      if (looked[context] === 1 || heap.locationEntry(node) < 0) continue;
      looked[context] = 1;
      const previous = previousOf(context);
      if (previous >= 0 && heap.nodeName(previous).startsWith('system / NativeContext')) this.moduleScopes.set(context, heap.location(node)!.scriptId);
    }
    const isScriptContextTable = heap.strings.matcher('system / ScriptContextTable');
    const isModuleScope = heap.strings.matcher(JSC_MODULE_SCOPE);
    for (let node = 0; node < heap.nodeCount; node++) {
      const votes = contextVotes[node];
      if (votes !== 0) this.origin[node] = votes & USER ? USER : RUNTIME;
      const name = heap.nodeNames[node];
      // A page's top-level `let` and `const` live in script contexts, listed by its native context.
      if (isScriptContextTable(name)) this.markScriptContexts(node);
      // Bun's module variables hang off the module environment by context edges, with no
      // closure's context edge to say whose scope it is.
      else if (isModuleScope(name) && !this.moduleScopes.has(node)) this.moduleScopes.set(node, UNNAMED_MODULE);
    }
  }

  /** The script contexts of a table: top-level scopes, of the program's scripts unless a runtime closure says otherwise. */
  private markScriptContexts(table: number): void {
    const heap = this.heap;
    for (let edge = heap.firstEdges[table]; edge < heap.firstEdges[table + 1]; edge++) {
      const context = heap.edgeTargets[edge];
      if (!heap.nodeName(context).startsWith('system / Context')) continue;
      if (!this.moduleScopes.has(context)) this.moduleScopes.set(context, UNNAMED_SCRIPT);
      if (this.origin[context] === NEUTRAL) this.origin[context] = USER;
    }
  }

  private markObjects(classOf: ArrayLike<number>, classCount: number): void {
    const heap = this.heap;
    const { object } = heap.nodeType;
    // 0 = unknown yet, 1 + origin once known.
    const classOrigin = new Uint8Array(classCount);
    const tries = new Uint8Array(classCount);
    for (let node = 0; node < heap.nodeCount; node++) {
      if (heap.nodeTypes[node] !== object) continue;
      const klass = classOf[node];
      if (classOrigin[klass] === 0 && tries[klass] < CONSTRUCTOR_TRIES) {
        tries[klass]++;
        const origin = this.constructorOrigin(node);
        if (origin !== null) classOrigin[klass] = 1 + origin;
      }
    }
    const isRuntimeObject = heap.strings.matcher(RUNTIME_OBJECT);
    for (let node = 0; node < heap.nodeCount; node++) {
      if (heap.nodeTypes[node] !== object) continue;
      const known = classOrigin[classOf[node]];
      if (known !== 0) this.origin[node] = known - 1;
      else if (isRuntimeObject(heap.nodeNames[node])) this.origin[node] = RUNTIME;
    }
  }

  /** Origin of an object's constructor, or null when the object shows none. */
  private constructorOrigin(node: number): Origin | null {
    const heap = this.heap;
    if (heap.nodeNameIs(node, RUNTIME_OBJECT)) return RUNTIME;
    const prototype = propertyTarget(heap, node, '__proto__');
    const constructor = prototype < 0 ? -1 : propertyTarget(heap, prototype, 'constructor');
    if (constructor < 0 || heap.nodeTypes[constructor] !== heap.nodeType.closure) return null;
    // A builtin (Object, Map, Promise) has no script: neither the program's nor the runtime's.
    if (!heap.location(constructor)) return NEUTRAL;
    return this.closureOrigin(constructor);
  }
}

/** The target of `node`'s property edge `name`, or -1. */
function propertyTarget(heap: HeapSnapshot, node: number, name: string): number {
  const property = heap.edgeType.property;
  for (let edge = heap.firstEdges[node]; edge < heap.firstEdges[node + 1]; edge++) {
    if (heap.edgeTypes[edge] === property && !heap.edgeHasIndexName(edge) && heap.strings.equals(heap.edgeNames[edge], name)) return heap.edgeTargets[edge];
  }
  return -1;
}
