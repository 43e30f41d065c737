/**
 * leakgraph/render/diagram — a drawn subgraph as DOT, SVG (Graphviz compiled to WebAssembly:
 * no system Graphviz needed) or PNG (the SVG rasterized).
 */

import { instance, type Viz } from '@viz-js/viz';
import type { RefGraph } from '../analysis/diagram-graph.js';
import { toDot } from './dot.js';
import { FORCE_LAYOUT_THRESHOLD, forceLayout } from './layout.js';

export type DiagramFormat = 'svg' | 'dot' | 'png';
export type LayoutChoice = 'dot' | 'fa2' | 'auto';

export interface DiagramOptions {
  format: DiagramFormat;
  layout: LayoutChoice;
  maxDepth: number;
  title?: string;
}

let vizInstance: Promise<Viz> | null = null;

/** The layout `auto` picks for a graph of this size. */
export function chooseLayout(graph: RefGraph, layout: LayoutChoice): 'dot' | 'fa2' {
  return layout === 'auto' ? (graph.order > FORCE_LAYOUT_THRESHOLD ? 'fa2' : 'dot') : layout;
}

/** DOT text for the graph, with pinned ForceAtlas2 positions when that layout is chosen. */
export function diagramDot(graph: RefGraph, options: Omit<DiagramOptions, 'format'>): { dot: string; engine: 'dot' | 'nop' } {
  const layout = chooseLayout(graph, options.layout);
  const positions = layout === 'fa2' ? forceLayout(graph) : undefined;
  return { dot: toDot(graph, { positions, maxDepth: options.maxDepth, title: options.title }), engine: layout === 'fa2' ? 'nop' : 'dot' };
}

/** The SVG of a DOT graph. */
export async function dotToSvg(dot: string, engine: 'dot' | 'nop'): Promise<string> {
  vizInstance ??= instance();
  const viz = await vizInstance;
  const result = viz.render(dot, { format: 'svg', engine });
  if (result.status !== 'success') throw new Error(`Graphviz failed: ${result.errors.map((error) => error.message).join('; ')}`);
  return result.output;
}

/** Renders a drawn subgraph in the requested format. */
export async function renderDiagram(graph: RefGraph, options: DiagramOptions): Promise<string | Buffer> {
  const { dot, engine } = diagramDot(graph, options);
  if (options.format === 'dot') return dot;
  const svg = await dotToSvg(dot, engine);
  if (options.format === 'svg') return svg;
  const { Resvg } = await import('@resvg/resvg-js');
  return Buffer.from(new Resvg(svg, { background: 'white', fitTo: { mode: 'zoom', value: 2 } }).render().asPng());
}

/** The drawn graph as JSON: nodes (one object, or a folded group with its count) and links. */
export function diagramJson(graph: RefGraph, title: string) {
  const nodes: object[] = [];
  graph.forEachNode((key, node) => {
    nodes.push({
      key,
      kind: node.kind,
      ...(node.id !== undefined ? { id: node.id } : {}),
      ...(node.ids ? { ids: node.ids } : {}),
      ...(node.className !== undefined ? { className: node.className, name: node.name, type: node.type } : {}),
      count: node.kind === 'more' ? node.more : (node.count ?? 1),
      ...(node.selfSize !== undefined ? { selfSize: node.selfSize, retainedSize: node.retainedSize } : {}),
      ...(node.location ? { location: node.location } : {}),
    });
  });
  const edges: object[] = [];
  graph.forEachEdge((_key, edge, from, to) => {
    edges.push({ from, to, edgeType: edge.edgeType, edgeName: edge.edgeName, count: edge.count ?? 1, ...(edge.elided ? { elided: true } : {}) });
  });
  return { title, nodes, edges };
}

/** What the drawing commands print with `--json`. */
export type DiagramJson = ReturnType<typeof diagramJson>;
