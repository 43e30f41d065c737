/**
 * leakgraph/analysis/holders — who holds an object, named as the person who wrote the code
 * would name it, and every distinct way it is held.
 *
 * - The holder a person names is the nearest step above the object that their code wrote: a
 *   variable of a module or of a closure defined in their scripts, a class static, a private
 *   `#field`, or a property with a written name. Table slots, indices, dictionary keys and the
 *   runtime's own variables are looked through, so a Map entry is held by the Map's variable.
 * - The ways an object is held are its strong retainers that do not hang below the object
 *   itself, each with its readable path; ways whose folded paths agree (the two directions of a
 *   doubly linked list) are one. One way means one cut frees it; several mean every holder
 *   must let go.
 */

import { RUNTIME, TOP_LEVEL_SCRIPTS, USER } from '../graph/code-origin.js';
import type { RetainingEdge } from '../graph/retainers.js';
import type { HeapSnapshot } from '../snapshot/heap-snapshot.js';
import { edgeToken, foldedSignature, findFolds } from './fold.js';
import { nodeInfo, type NodeInfo } from './inspect.js';
import { elementName } from './linked-lists.js';
import type { PathFinder } from './retaining-path.js';
import { formatLocation, shortScriptName, type ScriptLocation } from '../graph/scripts.js';

export interface HeldBy {
  /** One phrase: "`sessions` (Map @77211) in module session-store.cjs". */
  description: string;
  /** The variable or property. */
  edgeName: string;
  /** What the variable or property holds: the container, or the object itself. */
  container: NodeInfo;
  /** The closure whose variable it is, or the module, or the object whose property it is. */
  owner: { kind: 'module' | 'closure' | 'object' | 'class'; name: string; id: number; location?: ScriptLocation; bound?: true };
  /** For a closure: what keeps the closure alive (a Timeout, an emitter, a pending Promise), below module state. */
  keptBy?: { description: string; node: NodeInfo; hint?: string };
}

/** One way an object is held: the edges of its path (from the root side). */
export interface HolderRoute {
  edges: number[];
  signature: string;
}

/** What a holder is called when only V8's internals hold the object. */
export const INTERNAL_HOLDER = 'V8 internals';

/** Retainers looked at per object: enough for any program-made holder set. */
export const MAX_RETAINERS = 256;

/** The nearest step of a path (edges from the root side) that a person's code wrote, or null. */
export function heldByOf(finder: PathFinder, edges: readonly number[], leaked?: (node: number) => boolean): HeldBy | null {
  // A step out of an element of a folded run (a list node's `.value`) is the run's doing: the
  // holder is whoever holds the run.
  const heap = finder.graph.snapshot;
  const folds = findFolds(finder.stepTokens(edges));
  // Above an ES module's record is Node's loader: the module's export is the last holder to name.
  const module = finder.moduleStart(edges);
  const record = module.readableStart > 0 && module.exportName ? module.readableStart : -1;
  let chain = '';
  for (let i = edges.length - 1; i >= 0; i--) {
    if (i <= record + 3 && record >= 0) return exportHeldBy(finder, edges, record, module.exportName!, module.module, chain);
    const inside = folds.find((fold) => i - 1 >= fold.start && i - 1 < fold.start + fold.period * fold.times);
    if (inside) {
      const links = heap.edgeTargets[edges[inside.start + inside.period - 1]];
      const written = edges.slice(inside.start, inside.start + inside.period).filter((edge) => heap.edgeTypes[edge] === heap.edgeType.context || heap.edgeTypes[edge] === heap.edgeType.property);
      const linkedBy = written.length > 0 ? ` linked by \`${String(heap.edgeName(written[written.length - 1]))}\`` : '';
      chain = `, through a chain of ${inside.times.toLocaleString('en-US')} ${elementName(finder.graph, links)}${linkedBy}`;
      i = inside.start;
      continue;
    }
    const owner = writtenStep(finder, edges, i);
    if (owner === null) continue;
    // An object made per leaked object (a `{session}` wrapper) is part of the leak, not its holder.
    if (leaked && owner.kind === 'object' && i > 0 && leaked(heap.edgeTargets[edges[i - 1]])) continue;
    const name = String(heap.edgeName(edges[i]));
    const container = nodeInfo(finder.graph, heap.edgeTargets[edges[i]]);
    const keptBy = owner.kind === 'closure' ? keeperAbove(finder, edges, i) : undefined;
    const isTarget = i === edges.length - 1;
    return { description: describeHeldBy(name, container, owner, keptBy, isTarget) + chain, edgeName: name, container, owner, ...(keptBy ? { keptBy } : {}) };
  }
  return null;
}

/** The holder named by an ES module's export: the record at `record`, then exports table › Cell › value. */
function exportHeldBy(finder: PathFinder, edges: readonly number[], record: number, exportName: string, script: string | undefined, chain: string): HeldBy {
  const heap = finder.graph.snapshot;
  const container = nodeInfo(finder.graph, heap.edgeTargets[edges[Math.min(record + 3, edges.length - 1)]]);
  const owner: HeldBy['owner'] = { kind: 'module', name: script ? shortScriptName(script) : '(unknown)', id: heap.nodeIds[heap.edgeTargets[edges[record]]] };
  const isTarget = record + 3 >= edges.length - 1;
  return { description: describeHeldBy(exportName, container, owner, undefined, isTarget) + chain, edgeName: exportName, container, owner };
}

/**
 * The owner of step `i` when a person's code wrote it: a variable of the program's scopes, or
 * a written property (a static when the owner is a function) of an object not made by the
 * runtime. Null for indices, table slots, dictionary keys and the runtime's own steps.
 */
function writtenStep(finder: PathFinder, edges: readonly number[], i: number): HeldBy['owner'] | null {
  const graph = finder.graph;
  const heap = graph.snapshot;
  const edge = edges[i];
  const source = i === 0 ? heap.rootOrdinal : heap.edgeTargets[edges[i - 1]];
  if (finder.origins.origin[source] === RUNTIME) return null;
  const type = heap.edgeTypes[edge];
  if (type === heap.edgeType.internal && heap.nodeTypes[source] === heap.nodeType.closure) return boundOwner(finder, source, edge);
  if (type === heap.edgeType.context) return scopeOwner(finder, edges, i, source);
  if (type !== heap.edgeType.property) return null;
  const name = String(heap.edgeName(edge));
  if (name === '__proto__' || name === 'constructor' || edgeToken(heap, edge, source) === 'property:*') return null;
  const info = nodeInfo(graph, source);
  return heap.nodeTypes[source] === heap.nodeType.closure ? { kind: 'class', name: info.name || '(anonymous)', id: info.id } : { kind: 'object', name: info.className, id: info.id };
}

/**
 * What keeps a closure alive, above step `i`: the nearest runtime object (a Timeout, an
 * EventEmitter) or written step (`inventory.ready`), stopping at module state, which is
 * expected to live.
 */
function keeperAbove(finder: PathFinder, edges: readonly number[], i: number): HeldBy['keptBy'] {
  const graph = finder.graph;
  const heap = graph.snapshot;
  for (let j = i - 2; j >= 0; j--) {
    const node = heap.edgeTargets[edges[j]];
    if (finder.origins.moduleScopeScript(node) !== null || heap.nodeName(node).startsWith('system / SourceTextModule')) return undefined;
    const runtimeObject = finder.origins.origin[node] === RUNTIME && heap.nodeTypes[node] === heap.nodeType.object;
    // A written step counts when the program's own object or scope wrote it, not a builtin
    // object that the runtime fills (an emitter's `_events`).
    const source = j === 0 ? heap.rootOrdinal : heap.edgeTargets[edges[j - 1]];
    const written = finder.origins.origin[source] === USER ? writtenStep(finder, edges, j) : null;
    if (!runtimeObject && (written === null || written.kind === 'closure')) continue;
    const info = nodeInfo(graph, node);
    const name = written !== null ? `\`${String(heap.edgeName(edges[j]))}\` (${info.className} @${info.id})` : `${info.className} @${info.id}`;
    const hint = keeperHint(finder, edges, j, i);
    return { description: written !== null && written.kind !== 'module' ? `${name} of ${written.name}` : name, node: info, ...(hint ? { hint } : {}) };
  }
  return undefined;
}

/**
 * What Node's way of keeping a callback means, from the steps between the keeper (step `from`)
 * and the closure (step `to`): a timer, a listener, or a promise reaction.
 */
function keeperHint(finder: PathFinder, edges: readonly number[], from: number, to: number): string | undefined {
  const heap = finder.graph.snapshot;
  const { classOf, names } = finder.graph.classes;
  for (let k = from; k < to; k++) {
    const node = heap.edgeTargets[edges[k]];
    const className = names[classOf[node]];
    if (className === 'Timeout' || className === 'Immediate') return 'a timer never cleared';
    // EventTarget (AbortSignal, MessagePort…) keeps its listeners in Node's Listener records.
    if (className === 'Listener' && finder.origins.origin[node] === RUNTIME) return 'a listener never removed';
    const name = heap.edgeHasIndexName(edges[k]) ? '' : heap.strings.get(heap.edgeNames[edges[k]]);
    if (name === '_events') return 'a listener never removed';
    if (name === 'reactions_or_result') return 'a promise that never settles';
  }
  return undefined;
}

/** A bound function (`refresh.bind(this)`) holds its `this` and arguments for the function it binds. */
function boundOwner(finder: PathFinder, bound: number, edge: number): HeldBy['owner'] | null {
  const heap = finder.graph.snapshot;
  const name = heap.strings.get(heap.edgeNames[edge]);
  const target = heap.internalEdgeTarget(bound, 'bound_function');
  if ((name !== 'bound_this' && !name.startsWith('bound_argument')) || target < 0) return null;
  const location = finder.scripts.locate(target);
  return { kind: 'closure', name: `${heap.nodeName(target) || '(anonymous)'}`, id: heap.nodeIds[bound], bound: true, ...(location ? { location } : {}) };
}

/** The module or closure that a context variable at step `i` belongs to. */
function scopeOwner(finder: PathFinder, edges: readonly number[], i: number, scope: number): HeldBy['owner'] {
  const heap = finder.graph.snapshot;
  const module = finder.origins.moduleScopeScript(scope);
  if (module !== null) return { kind: 'module', name: shortScriptName(module) || '(inline script)', id: heap.nodeIds[scope] };
  // The closure is the step before the context hop(s): closure › {context} (› {previous}…) › ->name.
  for (let j = i - 1; j >= 1; j--) {
    const hop = edges[j];
    if (heap.edgeTypes[hop] !== heap.edgeType.internal) break;
    const from = heap.edgeTargets[edges[j - 1]];
    if (heap.nodeTypes[from] === heap.nodeType.closure) {
      const location = finder.scripts.locate(from);
      return { kind: 'closure', name: heap.nodeName(from) || '(anonymous)', id: heap.nodeIds[from], ...(location ? { location } : {}) };
    }
  }
  return { kind: 'closure', name: '(unknown)', id: heap.nodeIds[scope] };
}

function describeHeldBy(name: string, container: NodeInfo, owner: HeldBy['owner'], keptBy: HeldBy['keptBy'], isTarget: boolean): string {
  const what = isTarget ? `\`${name}\`` : `\`${name}\` (${container.className} @${container.id})`;
  switch (owner.kind) {
    case 'module':
      return `${what} in ${owner.name === TOP_LEVEL_SCRIPTS ? 'the top-level scripts' : `module ${owner.name}`}`;
    case 'closure': {
      const through = owner.bound ? `as its \`${name.replace('bound_', '')}\`` : `through the variable \`${name}\` of its scope`;
      return `the ${owner.bound ? 'bound function' : 'closure'} ${closureName(owner)}, ${through}${keptBy ? `, kept by ${keptBy.description}${keptBy.hint ? ` — ${keptBy.hint}` : ''}` : ''}`;
    }
    case 'class':
      return `${what}, a static of ${owner.name}`;
    default:
      return `${what} of ${owner.name} @${owner.id}`;
  }
}

/** `handler() at app.js:12:5`. */
function closureName(owner: HeldBy['owner']): string {
  const where = owner.location ? ` at ${formatLocation(owner.location)}` : ` @${owner.id}`;
  return `${owner.name}()${where}`;
}

/** A holder in a few words: `sessions` (Map @1), or the closure at app.js:12:5. */
export function holderName(heldBy: HeldBy | null): string {
  if (heldBy === null) return INTERNAL_HOLDER;
  if (heldBy.owner.kind === 'closure') return `the ${heldBy.owner.bound ? 'bound function' : 'closure'} ${closureName(heldBy.owner)}${heldBy.keptBy?.hint ? ` (${heldBy.keptBy.hint})` : ''}`;
  return `\`${heldBy.edgeName}\` (${heldBy.container.className} @${heldBy.container.id})`;
}

/**
 * Which holder a route stands for, the same for every object of a cluster held the same way:
 * the variable or property and whose it is (a closure by where it is defined, an object by its
 * class), else the route's folded signature.
 */
export function holderKey(heldBy: HeldBy | null, route: HolderRoute): string {
  if (heldBy === null) return route.signature;
  const owner = heldBy.owner;
  const where = owner.kind === 'closure' ? (owner.location ? `${owner.location.script}:${owner.location.line}:${owner.location.column}` : owner.name) : owner.kind === 'module' ? String(owner.id) : owner.name;
  return `${owner.kind}\u0000${where}\u0000${heldBy.edgeName}`;
}

/** The folded signature of a whole path, as holder routes are told apart. */
function routeSignature(finder: PathFinder, edges: readonly number[]): string {
  const heap = finder.graph.snapshot;
  const { classOf, names } = finder.graph.classes;
  const tokens = finder.stepTokens(edges);
  const classes = edges.map((edge) => names[classOf[heap.edgeTargets[edge]]]);
  return foldedSignature(tokens, classes, findFolds(tokens));
}

/**
 * The distinct ways `node` is held, its own readable path first: each strong retainer (from
 * `retainers`, see graph/retainers' retainingEdges) that is reached from a root without going
 * through `node`, with that retainer's path and its edge. Ways of one folded shape are one,
 * unless `perHolder`, when each holding object counts.
 */
export function holderRoutes(finder: PathFinder, node: number, retainers: readonly RetainingEdge[], perHolder = false): HolderRoute[] {
  const heap = finder.graph.snapshot;
  const own = finder.edgesOf(node);
  if (own === null || own.length === 0) return [];
  const routes: HolderRoute[] = [{ edges: own, signature: routeSignature(finder, own) }];
  const seen = new Set([routes[0].signature]);
  const ownEdge = own[own.length - 1];
  // V8 lists an array's element both on the array and in its backing store: one holder.
  const direct = retainers.some(({ source }) => !isBackingStore(heap, source));
  for (const { edge, source } of retainers) {
    // V8's own roots (the stack, handles) hold an object for the moment, not for the program.
    if (edge === ownEdge || heap.nodeTypes[source] === heap.nodeType.synthetic || (direct && isBackingStore(heap, source))) continue;
    const above = finder.edgesOf(source);
    if (above === null || above.some((step) => heap.edgeTargets[step] === node)) continue;
    const edges = [...above, edge];
    const signature = routeSignature(finder, edges);
    // For one object, two holders with the same shape (`a.items[0]`, `b.items[1]`) are two.
    const key = perHolder ? `${signature}\u0000${source}` : signature;
    if (seen.has(key)) continue;
    seen.add(key);
    routes.push({ edges, signature });
  }
  return routes;
}

/** An object's out-of-line elements or properties, which V8 also shows as the object's own edges. */
function isBackingStore(heap: HeapSnapshot, node: number): boolean {
  return heap.nodeTypes[node] === heap.nodeType.array && (heap.nodeNameIs(node, '(object elements)') || heap.nodeNameIs(node, '(object properties)'));
}
