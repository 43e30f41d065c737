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

export const NEUTRAL = 0;
export const USER = 1;
export const RUNTIME = 2;
export type Origin = typeof NEUTRAL | typeof USER | typeof RUNTIME;

const RUNTIME_OBJECTS = new Set(['process']);
/** Instances tried per class before its constructor is taken as unknown. */
const CONSTRUCTOR_TRIES = 4;

/** True for script URLs of the runtime rather than the program. */
export function isRuntimeScript(script: string): boolean {
  return script.startsWith('node:') || script.startsWith('internal/') || script.startsWith('extensions::') || script.startsWith('v8/');
}

export class CodeOrigins {
  /** Origin per node ordinal. */
  readonly origin: Uint8Array;
  /** Script id of the top-level (module) scope contexts, by context ordinal. */
  private readonly moduleScopes = new Map<number, number>();

  constructor(
    private readonly heap: HeapSnapshot,
    private readonly scripts: ScriptNames,
    classOf: ArrayLike<number>,
    classCount: number,
  ) {
    this.origin = new Uint8Array(heap.nodeCount);
    this.markClosuresAndContexts();
    this.markObjects(classOf, classCount);
  }

  /** The script of a module's top-level scope (a context right below the native context), the program's or Node's; else null. */
  moduleScopeScript(context: number): string | null {
    const scriptId = this.moduleScopes.get(context);
    return scriptId === undefined ? null : this.scripts.name(scriptId);
  }

  /** A closure's origin is its script's; a bound function (`f.bind(x)`) takes its target's. */
  private closureOrigin(closure: number): Origin {
    const location = this.heap.location(closure);
    if (!location) {
      const target = this.heap.internalEdgeTarget(closure, 'bound_function');
      return target >= 0 && target !== closure && this.heap.location(target) ? this.closureOrigin(target) : RUNTIME;
    }
    const script = this.scripts.name(location.scriptId);
    return script === null || script === '' || isRuntimeScript(script) ? RUNTIME : USER;
  }

  private markClosuresAndContexts(): void {
    const heap = this.heap;
    const { closure } = heap.nodeType;
    const contextVotes = new Uint8Array(heap.nodeCount);
    for (let node = 0; node < heap.nodeCount; node++) {
      if (heap.nodeTypes[node] !== closure) continue;
      const origin = this.closureOrigin(node);
      this.origin[node] = origin;
      const context = heap.internalEdgeTarget(node, 'context');
      if (context < 0) continue;
      contextVotes[context] |= origin;
      const location = heap.location(node);
      if (!location || this.moduleScopes.has(context)) continue;
      const previous = heap.internalEdgeTarget(context, 'previous');
      if (previous >= 0 && heap.nodeName(previous).startsWith('system / NativeContext')) this.moduleScopes.set(context, location.scriptId);
    }
    for (let node = 0; node < heap.nodeCount; node++) {
      const votes = contextVotes[node];
      if (votes !== 0) this.origin[node] = votes & USER ? USER : RUNTIME;
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
    for (let node = 0; node < heap.nodeCount; node++) {
      if (heap.nodeTypes[node] !== object) continue;
      const known = classOrigin[classOf[node]];
      if (known !== 0) this.origin[node] = known - 1;
      else if (RUNTIME_OBJECTS.has(heap.nodeName(node))) this.origin[node] = RUNTIME;
    }
  }

  /** Origin of an object's constructor, or null when the object shows none. */
  private constructorOrigin(node: number): Origin | null {
    const heap = this.heap;
    if (RUNTIME_OBJECTS.has(heap.nodeName(node))) return RUNTIME;
    const prototype = propertyTarget(heap, node, '__proto__');
    const constructor = prototype < 0 ? -1 : propertyTarget(heap, prototype, 'constructor');
    if (constructor < 0 || heap.nodeTypes[constructor] !== heap.nodeType.closure) return null;
    // A builtin (Object, Map, Promise) has no script: neither the program's nor the runtime's.
    if (!heap.location(constructor)) return NEUTRAL;
    return this.closureOrigin(constructor);
  }
}

/** The target of `node`'s property edge `name`, or -1. */
export function propertyTarget(heap: HeapSnapshot, node: number, name: string): number {
  const property = heap.edgeType.property;
  for (let edge = heap.firstEdges[node]; edge < heap.firstEdges[node + 1]; edge++) {
    if (heap.edgeTypes[edge] === property && !heap.edgeHasIndexName(edge) && heap.strings.equals(heap.edgeNames[edge], name)) return heap.edgeTargets[edge];
  }
  return -1;
}
