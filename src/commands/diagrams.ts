/**
 * leakgraph/commands/diagrams — the pictures: `backrefs` (objgraph's show_backrefs: what holds
 * objects), `refs` (show_refs: what an object holds) and `path --format` (show_chain: the
 * retaining paths alone). Each gives the graph to draw; `--json` prints it as data.
 */

import { basename } from 'node:path';
import { PathFinder } from '../analysis/retaining-path.js';
import { backrefGraph, chainGraph, refGraph, type RefGraph, type WalkOptions } from '../analysis/diagram-graph.js';
import { BASE_SYSTEM_DISTANCE } from '../graph/distances.js';
import type { HeapGraph } from '../graph/heap-graph.js';
import { diagramJson, type DiagramJson } from '../render/diagram.js';
import { formatCount } from '../render/numbers.js';
import { loadGraph, type LoadOptions, type SnapshotSource } from './load.js';
import { PATHS_LIMIT } from './paths.js';
import { checkSelection, selectObjects, type ObjectSelection } from './select.js';

export interface DiagramCommandOptions extends LoadOptions, ObjectSelection, Partial<WalkOptions> {}

/** A graph to draw, its title, and how deep it was walked (for the layout). */
export interface Diagram {
  graph: RefGraph;
  title: string;
  maxDepth: number;
}

export const BACKREFS_DEPTH = 5;
export const REFS_DEPTH = 3;
/** Start objects of `backrefs --type` with one node per object (`fold: false`), by default. */
const BACKREFS_INSTANCES = 3;

/** What holds the selected objects; with `type` and folding, every object of the class. */
export async function backrefsDiagram(source: SnapshotSource, options: DiagramCommandOptions): Promise<Diagram> {
  checkSelection('backrefs', options);
  const { graph, file } = await loadGraph(source, options);
  const fold = options.fold !== false;
  const limit = options.limit ?? (fold ? 0 : BACKREFS_INSTANCES);
  const starts = selectObjects(graph, 'backrefs', options, limit);
  const maxDepth = options.maxDepth ?? BACKREFS_DEPTH;
  const drawn = backrefGraph(graph, starts, PathFinder.of(graph), { ...options, maxDepth });
  const what = options.type ? (fold && limit === 0 ? `${formatCount(starts.length)} ${options.type}` : `the ${starts.length} largest ${options.type}`) : `@${options.id}`;
  return { graph: drawn, title: `What retains ${what} (${basename(file)})`, maxDepth };
}

/** What the selected object (or the largest of a class) references. */
export async function refsDiagram(source: SnapshotSource, options: DiagramCommandOptions): Promise<Diagram> {
  checkSelection('refs', options);
  const { graph, file } = await loadGraph(source, options);
  const starts = selectObjects(graph, 'refs', options, 1);
  const maxDepth = options.maxDepth ?? REFS_DEPTH;
  const drawn = refGraph(graph, starts, PathFinder.of(graph), { ...options, maxDepth });
  const what = options.id !== undefined ? `@${options.id}` : starts.length === 1 ? `@${graph.snapshot.nodeIds[starts[0]]}` : `the ${starts.length} largest ${options.type}`;
  return { graph: drawn, title: `What ${what} references (${basename(file)})`, maxDepth };
}

/** The retaining paths of the selected objects alone, drawn. */
export async function chainsDiagram(source: SnapshotSource, options: DiagramCommandOptions): Promise<Diagram> {
  checkSelection('path', options);
  const { graph, file } = await loadGraph(source, options);
  const targets = selectObjects(graph, 'path', options, PATHS_LIMIT);
  const drawn = chainGraph(graph, targets, PathFinder.of(graph), { filter: options.filter });
  return { graph: drawn, title: `Retaining paths (${basename(file)})`, maxDepth: pathDepth(graph, targets) };
}

/** The longest path to draw, for the layout. */
function pathDepth(graph: HeapGraph, targets: number[]): number {
  return Math.max(1, ...targets.map((node) => graph.distances[node]).filter((distance) => distance > 0 && distance < BASE_SYSTEM_DISTANCE));
}

/** What `leakgraph backrefs --json` prints. */
export async function backrefs(source: SnapshotSource, options: DiagramCommandOptions): Promise<DiagramJson> {
  const diagram = await backrefsDiagram(source, options);
  return diagramJson(diagram.graph, diagram.title);
}

/** What `leakgraph refs --json` prints. */
export async function refs(source: SnapshotSource, options: DiagramCommandOptions): Promise<DiagramJson> {
  const diagram = await refsDiagram(source, options);
  return diagramJson(diagram.graph, diagram.title);
}
