/**
 * `leakgraph path FILE (--id ID | --type CLASS)` — why is it alive: the retaining path from a
 * root to each object.
 */

import { Command } from 'commander';
import { PathFinder, objectsOfClass } from '../src/analysis/path.js';
import { chainGraph } from '../src/analysis/refgraph.js';
import { IdIndex } from '../src/index.js';
import { renderPathText, renderPathsJson } from '../src/render/path.js';
import { loadForCli, parseCount, parseObjectId, UsageError, writeOut } from './common.js';
import { diagramFilter, withDiagramOptions, withFilterOptions, writeDiagram, type DiagramCliOptions, type WalkCliOptions } from './diagram-output.js';

interface PathOptions extends DiagramCliOptions, Pick<WalkCliOptions, 'internals' | 'ignoreEdge' | 'ignoreClass'> {
  id?: number;
  type?: string;
  limit: number;
  full?: boolean;
  json?: boolean;
  quiet?: boolean;
}

export function pathCommand(): Command {
  const command = new Command('path')
    .description('the retaining path a person would write, from a root (or the module holding it) to an object, or to the largest objects of a class')
    .argument('<file>', 'a .heapsnapshot file, plain or gzipped')
    .argument('[id]', 'the object id, as @123 or 123', parseObjectId)
    .option('--id <id>', 'the object id', parseObjectId)
    .option('--type <class>', 'objects of this class (its name as summary shows it), largest retained first')
    .option('--limit <k>', 'with --type: how many objects (0 = all)', parseCount, 3)
    .option('--full', 'show every step from a root (paths to module state start at the module)')
    .option('--json', 'print JSON, with every step (see docs/json.md)')
    .option('-q, --quiet', 'no progress line on stderr');
  return withFilterOptions(withDiagramOptions(command))
    .addHelpText('after', '\nWith --format or -o, draws the chains (objgraph\'s show_chain) instead of printing them; the filters apply to the drawing.')
    .action(async (file: string, idArgument: number | undefined, options: PathOptions) => {
      const id = idArgument ?? options.id;
      if ((id === undefined) === (options.type === undefined)) throw new UsageError('path: give either an object id (@123 or --id) or --type CLASS');
      const { graph } = await loadForCli(file, options.quiet === true);
      let targets: number[];
      if (id !== undefined) {
        const node = new IdIndex(graph.snapshot).find(id);
        if (node < 0) throw new UsageError(`${file}: no object with id @${id}`);
        targets = [node];
      } else {
        targets = objectsOfClass(graph, options.type!, options.limit);
        if (targets.length === 0) throw new UsageError(`${file}: no objects of class "${options.type}" (see leakgraph summary for class names)`);
      }
      const finder = PathFinder.of(graph);
      if (options.format || options.output) {
        const depth = Math.max(1, ...targets.map((node) => graph.distances[node]).filter((distance) => distance > 0 && distance < 1e8));
        await writeDiagram(chainGraph(graph, targets, finder, { filter: diagramFilter(options) }), { ...options, json: false }, depth, `Retaining paths (${file.split('/').pop()})`);
        return;
      }
      const paths = targets.map((node) => finder.pathOf(node));
      writeOut(options.json ? renderPathsJson(file, paths) : paths.map((path) => renderPathText(path, options.full === true)).join('\n'));
    });
}
