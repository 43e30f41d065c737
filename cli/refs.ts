/**
 * `leakgraph refs FILE --id ID` — objgraph's show_refs: what an object holds, drawn.
 */

import { Command } from 'commander';
import { PathFinder } from '../src/analysis/path.js';
import { refGraph } from '../src/analysis/refgraph.js';
import { IdIndex } from '../src/index.js';
import { loadForCli, parseObjectId, UsageError } from './common.js';
import { walkOptions, withDiagramOptions, withWalkOptions, writeDiagram, type DiagramCliOptions, type WalkCliOptions } from './diagram-output.js';

interface RefsOptions extends DiagramCliOptions, WalkCliOptions {
  id?: number;
  quiet?: boolean;
}

export function refsCommand(): Command {
  const command = new Command('refs')
    .description('draw what an object references (objgraph\'s show_refs); the objects referenced the same way fold into one counted node')
    .argument('<file>', 'a .heapsnapshot file, plain or gzipped')
    .argument('[id]', 'the object id, as @123 or 123', parseObjectId)
    .option('--id <id>', 'the object id', parseObjectId)
    .option('-q, --quiet', 'no progress line on stderr');
  return withDiagramOptions(withWalkOptions(command, 3)).action(async (file: string, idArgument: number | undefined, options: RefsOptions) => {
    const id = idArgument ?? options.id;
    if (id === undefined) throw new UsageError('refs: give an object id, as @123 or --id 123');
    const { graph } = await loadForCli(file, options.quiet === true);
    const node = new IdIndex(graph.snapshot).find(id);
    if (node < 0) throw new UsageError(`${file}: no object with id @${id}`);
    const drawn = refGraph(graph, node, PathFinder.of(graph), walkOptions(options));
    await writeDiagram(drawn, options, options.maxDepth, `What @${id} references (${file.split('/').pop()})`);
  });
}
