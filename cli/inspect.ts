/**
 * `leakgraph inspect FILE @ID` — one object, its references, retainers and dominators.
 */

import { Command } from 'commander';
import { inspectObject } from '../src/index.js';
import { renderInspectJson, renderInspectText } from '../src/render/inspect.js';
import { loadForCli, parseCount, parseObjectId, UsageError, writeOut } from './common.js';

interface InspectOptions {
  id?: number;
  limit: number;
  json?: boolean;
  quiet?: boolean;
}

export function inspectCommand(): Command {
  return new Command('inspect')
    .description('one object: class, sizes, distance, references, retainers and dominator chain')
    .argument('<file>', 'a .heapsnapshot file, plain or gzipped')
    .argument('[id]', 'the object id, as @123 or 123', parseObjectId)
    .option('--id <id>', 'the object id (instead of the argument)', parseObjectId)
    .option('--limit <n>', 'list at most N references and retainers (0 = all)', parseCount, 25)
    .option('--json', 'print JSON (see docs/json.md)')
    .option('-q, --quiet', 'no progress line on stderr')
    .action(async (file: string, idArgument: number | undefined, options: InspectOptions) => {
      const id = idArgument ?? options.id;
      if (id === undefined) throw new UsageError('inspect: give an object id, as @123 or --id 123');
      if (idArgument !== undefined && options.id !== undefined && idArgument !== options.id) {
        throw new UsageError('inspect: two different ids given');
      }
      const { graph } = await loadForCli(file, options.quiet === true);
      const result = inspectObject(graph, id, options.limit);
      if (!result) throw new UsageError(`${file}: no object with id @${id}`);
      writeOut(options.json ? renderInspectJson(result) : renderInspectText(result));
    });
}
