/**
 * `leakgraph inspect FILE (@ID | --type CLASS)` — objects one at a time: references, retainers
 * and dominators.
 */

import { Command } from 'commander';
import { INSPECT_REFS, inspectReport } from '../src/commands/inspect.js';
import { inspectJson, renderInspectText } from '../src/render/inspect.js';
import { jsonText } from '../src/render/json.js';
import { emit, loadProgress, parseCount, selection, withJsonOption, withOutputOption, withSelectionOptions, type OutputOption, type QuietOption, type SelectionCliOptions } from './common.js';
import { withSourceMapOptions } from './source-map-options.js';

interface InspectCliOptions extends SelectionCliOptions, OutputOption, QuietOption {
  refs: number;
  json?: boolean;
}

export function inspectCommand(): Command {
  const command = new Command('inspect')
    .description('objects one at a time: class, sizes, distance, references, retainers and dominator chain')
    .argument('<file>', 'a .heapsnapshot file, plain or gzipped');
  return withSourceMapOptions(withOutputOption(withJsonOption(withSelectionOptions(command, 'with --type: how many objects, largest first (default 1; 0 = all)'))))
    .option('--refs <n>', 'list at most N references and retainers per object (0 = all)', parseCount, INSPECT_REFS)
    .action(async (file: string, idArgument: number | undefined, options: InspectCliOptions) => {
      const chosen = selection('inspect', idArgument, options);
      const results = await loadProgress(options, (progress) => inspectReport(file, { ...progress, ...chosen, refs: options.refs }));
      const json = results.map(inspectJson);
      await emit(options, options.json ? jsonText(chosen.id !== undefined ? json[0] : json) : results.map(renderInspectText).join('\n'));
    });
}
