/**
 * `leakgraph refs FILE --id ID` — objgraph's show_refs: what an object holds, drawn.
 */

import { Command } from 'commander';
import { PathFinder } from '../src/analysis/path.js';
import { refGraph } from '../src/analysis/refgraph.js';
import { IdIndex } from '../src/index.js';
import { loadForCli, parseObjectId, UsageError } from './common.js';
import { parsePositive, withDiagramOptions, writeDiagram, type DiagramCliOptions } from './diagram-output.js';

interface RefsOptions extends DiagramCliOptions {
  id?: number;
  maxDepth: number;
  tooMany: number;
  quiet?: boolean;
}

export function refsCommand(): Command {
  const command = new Command('refs')
    .description('draw what an object references (objgraph\'s show_refs), largest retained first')
    .argument('<file>', 'a .heapsnapshot file, plain or gzipped')
    .argument('[id]', 'the object id, as @123 or 123', parseObjectId)
    .option('--id <id>', 'the object id', parseObjectId)
    .option('--max-depth <n>', 'how many references deep to walk', parsePositive, 3)
    .option('--too-many <n>', 'more references than this at one object collapse into one box', parsePositive, 10)
    .option('-q, --quiet', 'no progress line on stderr');
  return withDiagramOptions(command).action(async (file: string, idArgument: number | undefined, options: RefsOptions) => {
    const id = idArgument ?? options.id;
    if (id === undefined) throw new UsageError('refs: give an object id, as @123 or --id 123');
    const { graph } = await loadForCli(file, options.quiet === true);
    const node = new IdIndex(graph.snapshot).find(id);
    if (node < 0) throw new UsageError(`${file}: no object with id @${id}`);
    const drawn = refGraph(graph, node, PathFinder.of(graph), { maxDepth: options.maxDepth, tooMany: options.tooMany });
    await writeDiagram(drawn, options, options.maxDepth, `What @${id} references (${file.split('/').pop()})`);
  });
}
