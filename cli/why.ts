/**
 * `leakgraph why FILE @ID` — what keeps this object alive: every holder, its dominators, and
 * what would free it.
 */

import { Command } from 'commander';
import { explainRetention } from '../src/analysis/why.js';
import { IdIndex } from '../src/index.js';
import { renderWhyJson, renderWhyText } from '../src/render/why.js';
import { loadForCli, parseObjectId, UsageError, writeOut } from './common.js';

interface WhyOptions {
  id?: number;
  full?: boolean;
  json?: boolean;
  quiet?: boolean;
}

export function whyCommand(): Command {
  return new Command('why')
    .description('what keeps one object alive: every holder with its path, its dominators, and what single cut would free it')
    .argument('<file>', 'a .heapsnapshot file, plain or gzipped')
    .argument('[id]', 'the object id, as @123 or 123', parseObjectId)
    .option('--id <id>', 'the object id (instead of the argument)', parseObjectId)
    .option('--full', 'show whole paths, from a root (not from the module)')
    .option('--json', 'print JSON (see docs/json.md)')
    .option('-q, --quiet', 'no progress line on stderr')
    .action(async (file: string, idArgument: number | undefined, options: WhyOptions) => {
      const id = idArgument ?? options.id;
      if (id === undefined) throw new UsageError('why: give an object id, as @123 or --id 123');
      const { graph } = await loadForCli(file, options.quiet === true);
      const node = new IdIndex(graph.snapshot).find(id);
      if (node < 0) throw new UsageError(`${file}: no object with id @${id}`);
      const result = explainRetention(graph, node);
      writeOut(options.json ? renderWhyJson(file, result) : renderWhyText(result, options.full === true));
    });
}
