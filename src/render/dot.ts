/**
 * leakgraph/render/dot — a drawn subgraph as Graphviz DOT, in objgraph's visual language:
 * boxes, holders above what they hold, start objects in red, roots and globals in green, fill
 * darkening with the distance from the start objects, "N more" boxes in dotted red.
 */

import type { DrawnEdge, DrawnNode, RefGraph } from '../analysis/diagram-graph.js';
import { formatLocation } from '../graph/scripts.js';
import { formatBytes, formatCount, truncate } from './format.js';
import { describeEdge, moduleName } from './path.js';

export interface DotOptions {
  /** Pinned positions in points (from a force layout); none lets dot lay the graph out. */
  positions?: Map<string, { x: number; y: number }>;
  /** Depth that gets the darkest fill. */
  maxDepth: number;
  title?: string;
}

/** A DOT double-quoted string. */
export function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

function nodeLabel(node: DrawnNode): string {
  if (node.kind === 'more') return `${formatCount(node.more ?? 0)} ${node.moreLabel}`;
  if (node.kind === 'module') return moduleName(node.name || undefined);
  const lines: string[] = [];
  const times = node.count !== undefined ? `${formatCount(node.count)} × ` : '';
  if (node.type === 'closure') {
    lines.push(`${times}${truncate(node.name || '(anonymous)', 40)}()`);
    if (node.location) lines.push(formatLocation(node.location));
    lines.push(sizesLine(node));
    return lines.join('\n');
  }
  if (node.count !== undefined) {
    lines.push(`${times}${truncate(node.className ?? '', 40)}`);
    lines.push(sizesLine(node));
    return lines.join('\n');
  }
  lines.push(truncate(node.className ?? '', 40));
  if (node.name && node.name !== node.className) lines.push(truncate(JSON.stringify(node.name), 40));
  lines.push(sizesLine(node));
  return lines.join('\n');
}

/** `@12  72 B / 456 B` for one object; `1.09 MB retained (e.g. @12)` for a folded node. */
function sizesLine(node: DrawnNode): string {
  if (node.count !== undefined) return `${formatBytes(node.retainedSize ?? 0)} retained (e.g. @${node.id})`;
  return `@${node.id}  ${formatBytes(node.selfSize ?? 0)} / ${formatBytes(node.retainedSize ?? 0)}`;
}

/** An edge's label: its name as paths print it, `…` for hidden steps, `×N` for a folded link. */
function edgeLabel(edge: DrawnEdge): string {
  const folded = edge.count !== undefined && edge.count > 1;
  // A folded link stands for many indices: `[…]`, not the first one's.
  const name = edge.edgeType === 'entry' ? 'entry' : describeEdge(folded && /^\d+$/.test(String(edge.edgeName)) ? { ...edge, edgeName: '…' } : edge, edge.fromId);
  return `${name}${edge.elided ? ' …' : ''}${edge.count !== undefined && edge.count > 1 ? ` ×${formatCount(edge.count)}` : ''}`;
}

/** Grey that darkens with depth, from white to a mid grey that black text still reads on. */
function depthFill(depth: number, maxDepth: number): string {
  const level = Math.round(255 - (Math.min(depth, maxDepth) / Math.max(1, maxDepth)) * 90);
  const hex = level.toString(16).padStart(2, '0');
  return `#${hex}${hex}${hex}`;
}

function nodeAttributes(node: DrawnNode, maxDepth: number): string[] {
  switch (node.kind) {
    case 'start':
      return ['color="#cc0000"', 'fontcolor="#cc0000"', 'penwidth=2', 'fillcolor="#fff2f2"'];
    case 'root':
      return ['fillcolor="#b8e6b8"', 'color="#2e7d32"'];
    case 'global':
      return ['fillcolor="#8fd48f"', 'color="#2e7d32"', 'penwidth=1.5'];
    case 'module':
      return ['fillcolor="#cfe8ff"', 'color="#1f5f99"', 'penwidth=1.5'];
    case 'more':
      return ['color="#cc0000"', 'style="filled,dotted"', 'fillcolor="#fff0f0"', 'fontsize=9'];
    default:
      return [`fillcolor="${depthFill(node.depth, maxDepth)}"`];
  }
}

/** The DOT text of a drawn subgraph; node and edge order follow the graph's (deterministic). */
export function toDot(graph: RefGraph, options: DotOptions): string {
  const lines: string[] = [];
  lines.push('digraph leakgraph {');
  if (options.title) lines.push(`  label=${dotString(options.title)}; labelloc=t; fontname="Helvetica"; fontsize=12;`);
  lines.push('  graph [bgcolor=white, nodesep=0.3, ranksep=0.45];');
  lines.push('  node [shape=box, style=filled, fillcolor=white, fontname="Helvetica", fontsize=10, margin="0.1,0.04"];');
  lines.push('  edge [fontname="Helvetica", fontsize=9, fontcolor="#444444", color="#555555", arrowsize=0.7];');
  graph.forEachNode((key, node) => {
    const attributes = [`label=${dotString(nodeLabel(node))}`, ...nodeAttributes(node, options.maxDepth)];
    if (node.id !== undefined) attributes.push(`tooltip=${dotString(`${node.count !== undefined ? `${node.count} × ` : ''}${node.className} @${node.id}`)}`, `id=${dotString(node.count !== undefined ? `node-${key}` : `node-${node.id}`)}`);
    const position = options.positions?.get(key);
    if (position) attributes.push(`pos="${position.x.toFixed(1)},${position.y.toFixed(1)}!"`);
    lines.push(`  ${dotString(key)} [${attributes.join(', ')}];`);
  });
  graph.forEachEdge((_key, edge, source, target) => {
    const attributes = edge.edgeType === 'more' ? ['style=dotted', 'color="#cc0000"', 'arrowhead=none'] : [`label=${dotString(edgeLabel(edge))}`];
    if (edge.count !== undefined && edge.count > 1) attributes.push('penwidth=1.6');
    lines.push(`  ${dotString(source)} -> ${dotString(target)} [${attributes.join(', ')}];`);
  });
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
