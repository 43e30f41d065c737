/**
 * leakgraph/analysis/visible-edges — the heap as a diagram shows it: V8's internals hidden, and
 * objgraph's filters applied.
 *
 * Hidden by default (`internals: false`): hidden classes and maps (`{map}`, `(object shape)`,
 * `system / Map`, descriptor arrays), compiled code, feedback cells and vectors, scopes
 * (`system / Context`) other than a module's top level (shown as the module), internal arrays,
 * V8's other `(system)` bookkeeping, Node's C++ objects (`Node / …`), and the `__proto__`,
 * `constructor` and `map` back-links. A chain of hidden steps between two shown
 * objects becomes one link, named by the written edges it stands for (`->session` for a
 * closure's scope variable, `entry` for a Map or Set's table slot).
 */

import type { HeapGraph } from '../graph/heap-graph.js';
import { edgeSource } from '../graph/retainers.js';
import { edgeToken } from './fold.js';

export interface DiagramFilter {
  /** Show V8's internals instead of looking through them. */
  internals: boolean;
  /** Edge names never followed (objgraph's extra_ignore for edges). */
  ignoreEdges: ReadonlySet<string>;
  /** Classes never drawn nor walked through. */
  ignoreClasses: ReadonlySet<string>;
}

export const DEFAULT_FILTER: DiagramFilter = { internals: false, ignoreEdges: new Set(), ignoreClasses: new Set() };

/** A shown neighbour and the heap edges that lead from the holder to the held, in order. */
export interface VisibleLink {
  node: number;
  edges: number[];
}

const BACK_LINKS = new Set(['__proto__', 'constructor', 'map']);
/** Hidden steps looked through between two shown objects. */
const MAX_HIDDEN_STEPS = 4;

export class Visibility {
  /** @param isModule whether a node is a module's top-level scope: shown as the module, never looked through */
  constructor(
    readonly graph: HeapGraph,
    readonly filter: DiagramFilter = DEFAULT_FILTER,
    readonly isModule: (node: number) => boolean = () => false,
  ) {}

  /** V8 bookkeeping a person does not read (see the module comment), and Node's C++ objects. */
  isInternal(node: number): boolean {
    const heap = this.graph.snapshot;
    const type = heap.nodeTypes[node];
    const types = heap.nodeType;
    if (type === types.hidden || type === types.code || type === types.objectShape || type === types.array) return !this.isModule(node);
    if (type === types.synthetic) return node !== heap.rootOrdinal;
    const name = heap.nodeName(node);
    if (type === types.native) return name.startsWith('Node / ') || name.startsWith('Detached Node / ');
    return name.startsWith('system / ') && !this.isModule(node);
  }

  /** Not drawn: ignored by class, or internal unless internals are shown. */
  isHidden(node: number): boolean {
    return (!this.filter.internals && this.isInternal(node)) || this.isIgnored(node);
  }

  isIgnored(node: number): boolean {
    return this.filter.ignoreClasses.size > 0 && this.filter.ignoreClasses.has(this.graph.classes.names[this.graph.classes.classOf[node]]);
  }

  /** Edges never followed: weak ones, ignored names, back-links unless internals are shown. */
  isDropped(edge: number): boolean {
    const heap = this.graph.snapshot;
    if (heap.edgeTypes[edge] === heap.edgeType.weak) return true;
    if (this.filter.ignoreEdges.size === 0 && this.filter.internals) return false;
    const name = String(heap.edgeName(edge));
    return this.filter.ignoreEdges.has(name) || (!this.filter.internals && BACK_LINKS.has(name));
  }

  /** The shown holders of `node`, through hidden ones; at most `limit`, and as many looked at per hidden node. */
  retainers(node: number, limit: number): VisibleLink[] {
    const heap = this.graph.snapshot;
    const { firstRetainer, retainerEdges } = this.graph.retainers;
    const found: VisibleLink[] = [];
    const seen = new Set<number>([node]);
    const walk = (at: number, below: number[], steps: number) => {
      let looked = 0;
      for (let slot = firstRetainer[at]; slot < firstRetainer[at + 1] && found.length < limit; slot++) {
        const edge = retainerEdges[slot];
        const source = edgeSource(heap, edge);
        if (source === heap.rootOrdinal || this.isDropped(edge) || seen.has(source) || this.isIgnored(source)) continue;
        if (steps > 0 && ++looked > limit) break;
        seen.add(source);
        const edges = [edge, ...below];
        if (!this.isHidden(source)) found.push({ node: source, edges });
        else if (steps < MAX_HIDDEN_STEPS) walk(source, edges, steps + 1);
      }
    };
    walk(node, [], 0);
    return found;
  }

  /** The shown objects `node` holds, through hidden ones; at most `limit`, and as many looked at per hidden node. */
  references(node: number, limit: number): VisibleLink[] {
    const heap = this.graph.snapshot;
    const found: VisibleLink[] = [];
    const seen = new Set<number>([node]);
    const walk = (at: number, above: number[], steps: number) => {
      let looked = 0;
      for (let edge = heap.firstEdges[at]; edge < heap.firstEdges[at + 1] && found.length < limit; edge++) {
        const target = heap.edgeTargets[edge];
        if (this.isDropped(edge) || seen.has(target) || this.isIgnored(target)) continue;
        if (steps > 0 && ++looked > limit) break;
        seen.add(target);
        const edges = [...above, edge];
        if (!this.isHidden(target)) found.push({ node: target, edges });
        else if (steps < MAX_HIDDEN_STEPS) walk(target, edges, steps + 1);
      }
    };
    walk(node, [], 0);
    return found;
  }

  /**
   * What a link is called: its one edge, or for a chain through hidden nodes the last written
   * edge in it (`->session`), `entry` for a Map or Set table, else its first edge, marked elided.
   */
  label(edges: readonly number[]): LinkLabel {
    const heap = this.graph.snapshot;
    const first = edges[0];
    // A key made by data (`cache['GET /a?q=1']`, a symbol) reads as one key: `[…]`.
    const dataKey = (edge: number) => heap.edgeTypes[edge] === heap.edgeType.property && edgeToken(heap, edge, edgeSource(heap, edge)) === 'property:*';
    const named = (edge: number, elided: boolean): LinkLabel => (dataKey(edge) ? { edgeType: 'element', edgeName: '…', elided } : { edgeType: heap.edgeTypeName(edge), edgeName: heap.edgeName(edge), elided });
    if (edges.length === 1) return named(first, false);
    const { context, property, element } = heap.edgeType;
    for (let i = edges.length - 1; i >= 0; i--) {
      const type = heap.edgeTypes[edges[i]];
      if (type === context || type === property || type === element) return named(edges[i], false);
    }
    if (heap.edgeTypes[first] === heap.edgeType.internal && heap.strings.equals(heap.edgeNames[first], 'table')) return { edgeType: 'entry', edgeName: 'entry', elided: false };
    return named(first, true);
  }

  /** The label with indices and table slots made one, so that siblings' links agree. */
  labelKey(edges: readonly number[]): string {
    const label = this.label(edges);
    return `${label.edgeType}:${typeof label.edgeName === 'number' || /^\d+$/.test(label.edgeName) ? '#' : label.edgeName}`;
  }
}

/** A drawn link's name: an edge as paths print it; `elided` when hidden steps with no written name follow. */
export interface LinkLabel {
  edgeType: string;
  edgeName: string | number;
  elided: boolean;
}
