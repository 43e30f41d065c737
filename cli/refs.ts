/**
 * `leakgraph refs FILE (@ID | --type CLASS)` — objgraph's show_refs: what an object holds, drawn.
 */

import { Command } from 'commander';
import { REFS_DEPTH, refsDiagram } from '../src/commands/diagrams.js';
import { loadProgress, selection, withSelectionOptions, type QuietOption, type SelectionCliOptions } from './common.js';
import { walkOptions, withDiagramOptions, withWalkOptions, writeDiagram, type DiagramCliOptions, type WalkCliOptions } from './diagram-output.js';
import { withSourceMapOptions } from './source-map-options.js';

interface RefsCliOptions extends DiagramCliOptions, WalkCliOptions, SelectionCliOptions, QuietOption {}

export function refsCommand(): Command {
  const command = new Command('refs')
    .description('draw what an object references (objgraph\'s show_refs); the objects referenced the same way fold into one counted node')
    .argument('<file>', 'a .heapsnapshot file, plain or gzipped');
  withSelectionOptions(command, 'with --type: how many start objects, largest first (default 1)');
  return withSourceMapOptions(withDiagramOptions(withWalkOptions(command, REFS_DEPTH))).action(async (file: string, idArgument: number | undefined, options: RefsCliOptions) => {
    const chosen = selection('refs', idArgument, options);
    const diagram = await loadProgress(options, (progress) => refsDiagram(file, { ...progress, ...chosen, ...walkOptions(options) }));
    await writeDiagram(diagram, options);
  });
}
