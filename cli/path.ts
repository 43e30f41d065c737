/**
 * `leakgraph path FILE (@ID | --type CLASS)` — why is it alive: the retaining path from a
 * root (or the module holding it) to each object; drawn with --format or -o.
 */

import { Command } from 'commander';
import { chainsDiagram } from '../src/commands/diagrams.js';
import { PATHS_LIMIT, pathsReport } from '../src/commands/paths.js';
import { jsonText } from '../src/render/json.js';
import { pathsJson, renderPathText } from '../src/render/path.js';
import { emit, loadProgress, selection, withSelectionOptions, type QuietOption, type SelectionCliOptions } from './common.js';
import { diagramFilter, withDiagramOptions, withFilterOptions, writeDiagram, type DiagramCliOptions, type WalkCliOptions } from './diagram-output.js';
import { withSourceMapOptions } from './source-map-options.js';

interface PathCliOptions extends DiagramCliOptions, SelectionCliOptions, QuietOption, Pick<WalkCliOptions, 'internals' | 'ignoreEdge' | 'ignoreClass'> {
  full?: boolean;
}

/** Draws with --format, or with -o naming a picture (.svg, .dot, .gv, .png) and no --json. */
function drawing(options: PathCliOptions): boolean {
  return options.format !== undefined || (options.json !== true && options.output !== undefined && /\.(svg|dot|gv|png)$/i.test(options.output));
}

export function pathCommand(): Command {
  const command = new Command('path')
    .description('the retaining path a person would write, from a root (or the module holding it) to an object, or to the largest objects of a class')
    .argument('<file>', 'a .heapsnapshot file, plain or gzipped');
  withSelectionOptions(command, `with --type: how many objects, largest first (default ${PATHS_LIMIT}; 0 = all)`).option('--full', 'show every step from a root (paths to module state start at the module)');
  return withSourceMapOptions(withFilterOptions(withDiagramOptions(command, 'every step of each path; with --format: the drawn graph')))
    .addHelpText('after', '\nWith --format, or -o FILE.svg|.dot|.png, draws the chains (objgraph\'s show_chain) instead of printing them; the filters apply to the drawing.')
    .action(async (file: string, idArgument: number | undefined, options: PathCliOptions) => {
      const chosen = selection('path', idArgument, options);
      if (drawing(options)) {
        const diagram = await loadProgress(options, (progress) => chainsDiagram(file, { ...progress, ...chosen, filter: diagramFilter(options) }));
        await writeDiagram(diagram, options);
        return;
      }
      const report = await loadProgress(options, (progress) => pathsReport(file, { ...progress, ...chosen }));
      await emit(options, options.json ? jsonText(pathsJson(report.file, report.paths)) : report.paths.map((path) => renderPathText(path, options.full === true)).join('\n'));
    });
}
