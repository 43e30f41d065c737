/**
 * leakgraph/render/inspect — `leakgraph inspect` as text and as JSON.
 */

import type { InspectResult, NodeInfo } from '../analysis/inspect.js';
import { formatLocation, shortScriptName, type ScriptLocation } from '../graph/scripts.js';
import { formatBytes, formatDistance, formatEdge, jsonDistance, truncate } from './format.js';
import { renderTable } from './table.js';

const NAME_WIDTH = 50;

function describe(node: NodeInfo): string {
  const name = node.name && node.name !== node.className ? ` ${JSON.stringify(truncate(node.name, NAME_WIDTH))}` : '';
  return `${truncate(node.className, NAME_WIDTH)}${name} @${node.id}`;
}

export function renderInspectText(result: InspectResult): string {
  const lines: string[] = [];
  lines.push(`${describe(result)}`);
  lines.push(`  type ${result.type}, shallow ${formatBytes(result.selfSize)}, retained ${formatBytes(result.retainedSize)}, distance ${formatDistance(result.distance)}`);
  if (result.location) lines.push(`  at ${describeLocation(result.location)}`);
  const more = (shown: number, total: number) => (shown < total ? `\n  … ${total - shown} more (--refs 0 shows all)` : '');

  lines.push('', `References (${result.referenceCount}), largest retained first:`);
  if (result.references.length > 0) {
    lines.push(
      indent(
        renderTable(
          [
            { title: 'Edge', align: 'left', value: (row) => truncate(formatEdge(row.edgeType, row.edgeName), 40) },
            { title: 'Type', align: 'left', value: (row) => row.edgeType },
            { title: 'Retained', align: 'right', value: (row) => formatBytes(row.to.retainedSize) },
            { title: 'Object', align: 'left', value: (row) => describe(row.to) },
          ],
          result.references,
        ),
      ) + more(result.references.length, result.referenceCount),
    );
  }
  lines.push('', `Retainers (${result.retainerCount}), nearest to a root first:`);
  if (result.retainers.length > 0) {
    lines.push(
      indent(
        renderTable(
          [
            { title: 'Object', align: 'left', value: (row) => describe(row.from) },
            { title: 'Edge', align: 'left', value: (row) => truncate(formatEdge(row.edgeType, row.edgeName), 40) },
            { title: 'Type', align: 'left', value: (row) => row.edgeType },
            { title: 'Retained', align: 'right', value: (row) => formatBytes(row.from.retainedSize) },
          ],
          result.retainers,
        ),
      ) + more(result.retainers.length, result.retainerCount),
    );
  }
  lines.push('', 'Dominators, immediate first:');
  for (const dominator of result.dominators) lines.push(`  ${describe(dominator)}  retained ${formatBytes(dominator.retainedSize)}`);
  return `${lines.join('\n')}\n`;
}

/** The original position, and the generated one beside it when a source map moved it. */
function describeLocation(location: ScriptLocation): string {
  const generated = `${shortScriptName(location.script)}:${location.line}:${location.column}`;
  return location.original ? `${formatLocation(location)} (${generated})` : generated;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

export function inspectJson(result: InspectResult) {
  const node = (info: NodeInfo) => ({ id: info.id, type: info.type, name: info.name, className: info.className, selfSize: info.selfSize, retainedSize: info.retainedSize });
  return {
    id: result.id,
    type: result.type,
    name: result.name,
    className: result.className,
    selfSize: result.selfSize,
    retainedSize: result.retainedSize,
    distance: jsonDistance(result.distance),
    ...(result.location ? { location: result.location } : {}),
    references: result.references.map((ref) => ({ edgeType: ref.edgeType, edgeName: ref.edgeName, to: node(ref.to) })),
    referenceCount: result.referenceCount,
    retainers: result.retainers.map((ret) => ({ edgeType: ret.edgeType, edgeName: ret.edgeName, from: node(ret.from) })),
    retainerCount: result.retainerCount,
    dominators: result.dominators.map(node),
  };
}

/** What `leakgraph inspect --json` prints for one object. */
export type InspectJson = ReturnType<typeof inspectJson>;
