/**
 * `leakgraph backrefs FILE (@ID | --type CLASS)` — objgraph's show_backrefs for V8: who holds
 * these objects, drawn.
 */

import { Command, Option } from 'commander';
import { BACKREFS_DEPTH, backrefsDiagram } from '../src/commands/diagrams.js';
import { loadProgress, selection, withSelectionOptions, type QuietOption, type SelectionCliOptions } from './common.js';
import { parsePositive, walkOptions, withDiagramOptions, withWalkOptions, writeDiagram, type DiagramCliOptions, type WalkCliOptions } from './diagram-output.js';
import { withSourceMapOptions } from './source-map-options.js';

interface BackrefsCliOptions extends DiagramCliOptions, WalkCliOptions, SelectionCliOptions, QuietOption {
  maxObjects?: number;
}

export function backrefsCommand(): Command {
  const command = new Command('backrefs')
    .description('draw what holds objects (objgraph\'s show_backrefs): their holders up to --max-depth, and the path from their module or a root; the objects held the same way fold into one counted node')
    .argument('<file>', 'a .heapsnapshot file, plain or gzipped');
  withSelectionOptions(command, 'with --type: how many start objects, largest first (default: all; with --instances 3)')
    // The name --limit had before every command shared it.
    .addOption(new Option('--max-objects <n>').argParser(parsePositive).hideHelp());
  return withSourceMapOptions(withDiagramOptions(withWalkOptions(command, BACKREFS_DEPTH))).action(async (file: string, idArgument: number | undefined, options: BackrefsCliOptions) => {
    const chosen = selection('backrefs', idArgument, { ...options, limit: options.limit ?? options.maxObjects });
    const diagram = await loadProgress(options, (progress) => backrefsDiagram(file, { ...progress, ...chosen, ...walkOptions(options) }));
    await writeDiagram(diagram, options);
  });
}
