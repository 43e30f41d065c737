/**
 * `leakgraph backrefs FILE (--type CLASS | --id ID)` — objgraph's show_backrefs for V8: who
 * holds these objects, drawn.
 */

import { Command } from 'commander';
import { PathFinder, objectsOfClass } from '../src/analysis/path.js';
import { backrefGraph } from '../src/analysis/refgraph.js';
import { IdIndex } from '../src/index.js';
import { loadForCli, parseObjectId, UsageError } from './common.js';
import { parsePositive, walkOptions, withDiagramOptions, withWalkOptions, writeDiagram, type DiagramCliOptions, type WalkCliOptions } from './diagram-output.js';

interface BackrefsOptions extends DiagramCliOptions, WalkCliOptions {
  id?: number;
  type?: string;
  maxObjects: number;
  quiet?: boolean;
}

export function backrefsCommand(): Command {
  const command = new Command('backrefs')
    .description('draw what holds objects (objgraph\'s show_backrefs): their holders up to --max-depth, and the path from their module or a root; the objects held the same way fold into one counted node')
    .argument('<file>', 'a .heapsnapshot file, plain or gzipped')
    .argument('[id]', 'the object id, as @123 or 123', parseObjectId)
    .option('--id <id>', 'start from this object', parseObjectId)
    .option('--type <class>', 'start from every object of this class (with --instances: the largest)')
    .option('--max-objects <n>', 'with --type --instances: how many start objects', parsePositive, 3)
    .option('-q, --quiet', 'no progress line on stderr');
  return withDiagramOptions(withWalkOptions(command, 5)).action(async (file: string, idArgument: number | undefined, options: BackrefsOptions) => {
    const id = idArgument ?? options.id;
    if ((id === undefined) === (options.type === undefined)) throw new UsageError('backrefs: give either an object id (@123 or --id) or --type CLASS');
    const { graph } = await loadForCli(file, options.quiet === true);
    let starts: number[];
    if (id !== undefined) {
      const node = new IdIndex(graph.snapshot).find(id);
      if (node < 0) throw new UsageError(`${file}: no object with id @${id}`);
      starts = [node];
    } else {
      starts = objectsOfClass(graph, options.type!, options.instances ? options.maxObjects : 0);
      if (starts.length === 0) throw new UsageError(`${file}: no objects of class "${options.type}" (see leakgraph summary for class names)`);
    }
    const drawn = backrefGraph(graph, starts, PathFinder.of(graph), walkOptions(options));
    const what = options.type ? (options.instances ? `the ${starts.length} largest ${options.type}` : `${starts.length.toLocaleString('en-US')} ${options.type}`) : `@${id}`;
    await writeDiagram(drawn, options, options.maxDepth, `What retains ${what} (${file.split('/').pop()})`);
  });
}
