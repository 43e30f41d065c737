/**
 * `leakgraph why FILE @ID` — what keeps this object alive: every holder, its dominators, and
 * what would free it.
 */

import { Command } from 'commander';
import { whyReport } from '../src/commands/why.js';
import { jsonText } from '../src/render/json.js';
import { renderWhyText, whyJson } from '../src/render/why.js';
import { emit, loadProgress, selection, withJsonOption, withOutputOption, withSelectionOptions, type OutputOption, type QuietOption, type SelectionCliOptions } from './common.js';
import { withSourceMapOptions } from './source-map-options.js';

interface WhyCliOptions extends SelectionCliOptions, OutputOption, QuietOption {
  full?: boolean;
  json?: boolean;
}

export function whyCommand(): Command {
  const command = new Command('why')
    .description('what keeps one object alive: every holder with its path, its dominators, and what single cut would free it')
    .argument('<file>', 'a .heapsnapshot file, plain or gzipped');
  return withSourceMapOptions(withOutputOption(withJsonOption(withSelectionOptions(command, 'with --type: how many objects, largest first (default 1; 0 = all)'))))
    .option('--full', 'show whole paths, from a root (not from the module)')
    .action(async (file: string, idArgument: number | undefined, options: WhyCliOptions) => {
      const chosen = selection('why', idArgument, options);
      const report = await loadProgress(options, (progress) => whyReport(file, { ...progress, ...chosen }));
      const json = report.results.map((result) => whyJson(report.file, result));
      await emit(options, options.json ? jsonText(chosen.id !== undefined ? json[0] : json) : report.results.map((result) => renderWhyText(result, options.full === true)).join('\n'));
    });
}
