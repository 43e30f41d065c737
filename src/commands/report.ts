/**
 * leakgraph/commands/report — one self-contained HTML file for a bug report: the verdict
 * first, the leaks' pictures, then the evidence.
 */

import { DEFAULT_MIN_RETAINED } from '../analysis/leaks.js';
import { buildReport, type ReportData } from '../analysis/report.js';
import { diagramDot, dotToSvg } from '../render/diagram.js';
import { renderReportHtml } from '../render/report-html.js';
import { packageVersion } from '../version.js';
import { loadGraph, type LoadOptions } from './load.js';

export interface ReportOptions extends LoadOptions {
  /** Rows of the growth and class tables; clusters and containers shown (default 20). */
  top?: number;
  /** Leaks retaining less are left out, in bytes (default 100 kB). */
  minRetained?: number;
  /** Go on when the files do not look like one process's, oldest first (a warning in the data). */
  force?: boolean;
}

export const REPORT_TOP = 20;

/** Everything the report shows, each snapshot loaded once. */
export async function reportData(files: readonly string[], options: ReportOptions = {}): Promise<ReportData> {
  return buildReport([...files], async (file, interfaces) => (await loadGraph(file, options, interfaces)).graph, {
    minRetained: options.minRetained ?? DEFAULT_MIN_RETAINED,
    top: options.top ?? REPORT_TOP,
    diagramObjects: 0,
    detailLimit: 10,
    force: options.force === true,
  });
}

/** The report's page, for data already gathered. */
export async function reportPage(data: ReportData): Promise<string> {
  const svgs: string[] = [];
  for (const diagram of data.diagrams) {
    const { dot, engine } = diagramDot(diagram.graph, { layout: 'auto', maxDepth: 5 });
    svgs.push(await dotToSvg(dot, engine));
  }
  return renderReportHtml(data, svgs, packageVersion());
}

/** The HTML report of one to three (or more) snapshots of one process, oldest first. */
export async function report(files: readonly string[], options: ReportOptions = {}): Promise<string> {
  return reportPage(await reportData(files, options));
}
