/**
 * `leakgraph report A [B [C]] -o report.html` — one self-contained HTML file for a bug report.
 */

import { Command } from 'commander';
import { DEFAULT_MIN_RETAINED } from '../src/analysis/leaks.js';
import { buildReport } from '../src/analysis/report.js';
import { diagramDot, dotToSvg } from '../src/render/diagram.js';
import { renderReportHtml } from '../src/render/report-html.js';
import { loadForCli, packageVersion, parseByteSize, parseCount, writeFileAtomically } from './common.js';

interface ReportOptions {
  output: string;
  top: number;
  minRetained: number;
  force?: boolean;
  quiet?: boolean;
}

export function reportCommand(): Command {
  return new Command('report')
    .description('write one self-contained HTML report: the verdict first (each leak in a sentence: what, held by what, what to cut), the leaks\' pictures, then the evidence: growth, paths, containers, statistics, object details')
    .argument('<snapshots...>', 'one to three (or more) snapshots of one process, oldest first')
    .requiredOption('-o, --output <file>', 'the HTML file to write')
    .option('--top <n>', 'rows of the growth and class tables, clusters and containers shown', parseCount, 20)
    .option('--min-retained <bytes>', 'leaks retaining less are left out (e.g. 50000, 64kB, 1MB)', parseByteSize, DEFAULT_MIN_RETAINED)
    .option('--force', 'go on when the files do not look like snapshots of one process, oldest first (a warning instead of exit code 2)')
    .option('-q, --quiet', 'no progress line on stderr')
    .action(async (files: string[], options: ReportOptions) => {
      const data = await buildReport(files, async (file, interfaces) => (await loadForCli(file, options.quiet === true, interfaces)).graph, {
        minRetained: options.minRetained,
        top: options.top,
        diagramObjects: 0,
        detailLimit: 10,
        force: options.force === true,
      });
      if (data.leaks?.sameProcessProblem) process.stderr.write(`leakgraph: warning: ${data.leaks.sameProcessProblem.message}\n`);
      const svgs: string[] = [];
      for (const diagram of data.diagrams) {
        const { dot, engine } = diagramDot(diagram.graph, { layout: 'auto', maxDepth: 5 });
        svgs.push(await dotToSvg(dot, engine));
      }
      await writeFileAtomically(options.output, renderReportHtml(data, svgs, packageVersion()));
      process.stderr.write(`leakgraph: report written to ${options.output}\n`);
    });
}
