/**
 * Shared by the drawing commands: the diagram options, and writing the picture.
 */

import { extname } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { WalkOptions } from '../src/analysis/diagram-graph.js';
import type { DiagramFilter } from '../src/analysis/visible-edges.js';
import type { Diagram } from '../src/commands/diagrams.js';
import { diagramJson, renderDiagram, type DiagramFormat, type LayoutChoice } from '../src/render/diagram.js';
import { jsonText } from '../src/render/json.js';
import { emit, UsageError, withJsonOption, withOutputOption } from './common.js';

export interface DiagramCliOptions {
  format?: DiagramFormat;
  output?: string;
  layout: LayoutChoice;
  json?: boolean;
}

/** The walk and filter options of backrefs and refs. */
export interface WalkCliOptions {
  maxDepth: number;
  tooMany: number;
  maxNodes: number;
  internals?: boolean;
  instances?: boolean;
  ignoreEdge: string[];
  ignoreClass: string[];
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** Adds what every picture can leave out or show: ignored edges and classes, V8's internals. */
export function withFilterOptions(command: Command): Command {
  return command
    .option('--ignore-edge <name>', 'never follow edges of this name (repeatable)', collect, [])
    .option('--ignore-class <name>', 'never draw nor walk through objects of this class (repeatable)', collect, [])
    .option('--internals', 'show V8\'s internals (maps, shapes, code, scopes, internal arrays, __proto__ links) instead of looking through them');
}

/** Adds objgraph's walk limits, the filters and the folding switch to backrefs and refs. */
export function withWalkOptions(command: Command, maxDepth: number): Command {
  return withFilterOptions(
    command
      .option('--max-depth <n>', 'how many steps deep to walk', parsePositive, maxDepth)
      .option('--too-many <n>', 'more holders (or references) than this at one node collapse into one box', parsePositive, 10)
      .option('--max-nodes <n>', 'stop adding nodes past this many', parsePositive, 40),
  )
    .option('--instances', 'one node per object (objgraph\'s picture) instead of folding the objects reached the same way');
}

/** The filters from the command line. */
export function diagramFilter(options: Pick<WalkCliOptions, 'internals' | 'ignoreEdge' | 'ignoreClass'>): DiagramFilter {
  return { internals: options.internals === true, ignoreEdges: new Set(options.ignoreEdge), ignoreClasses: new Set(options.ignoreClass) };
}

/** WalkOptions from the command line. */
export function walkOptions(options: WalkCliOptions): WalkOptions {
  return { maxDepth: options.maxDepth, tooMany: options.tooMany, maxNodes: options.maxNodes, fold: options.instances !== true, filter: diagramFilter(options) };
}

/** Adds --format, -o, --layout, --json and -q to a command that draws. */
export function withDiagramOptions(command: Command, json = 'the drawn graph'): Command {
  return withOutputOption(withJsonOption(command, json), 'the picture')
    .addOption(new Option('--format <format>', 'svg, dot or png (default: from -o\'s extension, else svg)').choices(['svg', 'dot', 'png']))
    .addOption(new Option('--layout <layout>', 'dot (clearest), fa2 (ForceAtlas2, for big graphs) or auto (fa2 above 300 nodes)').choices(['dot', 'fa2', 'auto']).default('auto'));
}

function formatOf(options: DiagramCliOptions): DiagramFormat {
  if (options.format) return options.format;
  const extension = options.output ? extname(options.output).slice(1).toLowerCase() : '';
  if (extension === 'dot' || extension === 'gv') return 'dot';
  if (extension === 'png') return 'png';
  return 'svg';
}

/** Renders and writes the picture (or its graph as JSON); says where on stderr, as objgraph does. */
export async function writeDiagram(diagram: Diagram, options: DiagramCliOptions): Promise<void> {
  if (options.json) {
    await emit(options, jsonText(diagramJson(diagram.graph, diagram.title)));
    return;
  }
  const format = formatOf(options);
  if (format === 'png' && !options.output && process.stdout.isTTY) throw new UsageError('a PNG picture needs -o FILE (or a pipe)');
  const picture = await renderDiagram(diagram.graph, { format, layout: options.layout, maxDepth: diagram.maxDepth, title: diagram.title });
  await emit(options, picture, format.toUpperCase(), ` (${diagram.graph.order} nodes)`);
}

export function parsePositive(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('expected a positive integer');
  return Number(value);
}
