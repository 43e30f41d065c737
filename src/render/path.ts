/**
 * leakgraph/render/path — retaining paths as text (one step a line) and as JSON.
 */

import type { NodeInfo } from '../analysis/inspect.js';
import type { Fold } from '../analysis/fold.js';
import type { PathStep, RetainingPath } from '../analysis/retaining-path.js';
import { TOP_LEVEL_SCRIPTS } from '../graph/code-origin.js';
import { formatLocation, shortScriptName } from '../graph/scripts.js';
import { formatBytes, formatEdge, truncate } from './format.js';

const NAME_WIDTH = 50;
const WEAKMAP_PAIR = / \/ part of key \((.*?) @(\d+)\) -> value \(.*? @\d+\) pair in WeakMap \(table @(\d+)\)$/;

/** A node as a step shows it: `Map @456`, `User "alice" @789`, `getUser() service.js:14:3 @12`. */
export function describeNode(node: NodeInfo, location?: PathStep['location']): string {
  if (node.type === 'closure') {
    const where = location ? ` ${formatLocation(location)}` : '';
    return `${node.name || '(anonymous)'}()${where} @${node.id}`;
  }
  const name = node.name && node.name !== node.className ? ` ${JSON.stringify(truncate(node.name, NAME_WIDTH))}` : '';
  return `${truncate(node.className, NAME_WIDTH)}${name} @${node.id}`;
}

/**
 * An edge as a path shows it. A WeakMap entry reads `[WeakMap key Key @21]` from the map's
 * table, and `[value in WeakMap table @19]` from its key (the value needs both).
 * @param holderId id of the node the edge leaves
 */
export function describeEdge(step: Pick<PathStep, 'edgeType' | 'edgeName'>, holderId?: number): string {
  if (typeof step.edgeName === 'string') {
    const pair = WEAKMAP_PAIR.exec(step.edgeName);
    if (pair) return holderId === Number(pair[3]) || holderId === undefined ? `[WeakMap key ${truncate(pair[1], 30)} @${pair[2]}]` : `[value in WeakMap table @${pair[3]}]`;
  }
  return truncate(formatEdge(step.edgeType, step.edgeName), 60);
}

/**
 * One path: the target, then one step a line from the root side. Paths to module state start
 * at the module unless `full`. The header counts the arrows shown.
 */
export function renderPathText(path: RetainingPath, full: boolean): string {
  const target = path.target;
  const header = `${describeNode(target)}, shallow ${formatBytes(target.selfSize)}, retained ${formatBytes(target.retainedSize)}`;
  const lines = pathLines(path, full, '  ');
  if (path.unreachable) return `${header}\n${lines.join('\n')}\n`;
  const arrows = lines.length - 1;
  return `${header}, ${arrows} ${arrows === 1 ? 'step' : 'steps'}:\n${lines.join('\n')}\n`;
}

/** The steps of a path, one a line, each starting with `indent`; folded runs take one line. */
export function pathLines(path: RetainingPath, full: boolean, indent: string): string[] {
  if (path.unreachable) return [`${indent}no root reaches it (held only by weak references or cycles; freed by the next GC)`];
  if (path.steps.length === 0) return [`${indent}(the root itself)`];
  const lines: string[] = [];
  const start = full ? 0 : path.readableStart;
  const steps = path.steps;
  if (start > 0) {
    lines.push(`${indent}${moduleName(path.module)} @${steps[start].node.id}   (${start} steps from a root before it; --full shows them)`);
  } else {
    lines.push(`${indent}${describeNode(steps[0].node, steps[0].location)}`);
  }
  let i = start + 1;
  if (start > 0 && path.exportName && i + 2 < steps.length) {
    // exports table › Cell › value: one binding, named as the module names it.
    lines.push(`${indent}› ${path.exportName} ${describeNode(steps[i + 2].node, steps[i + 2].location)}`);
    i += 3;
  }
  const foldAt = new Map(path.folds.map((fold) => [fold.start, fold]));
  while (i < steps.length) {
    const fold = foldAt.get(i);
    if (fold) {
      lines.push(`${indent}› ${foldedText(steps, fold)}`);
      i += fold.period * fold.times;
      continue;
    }
    // A closure's `{context}` hop reads better folded into the variable that follows it.
    if (!(isContextHop(steps[i]) && i + 1 < steps.length && steps[i + 1].edgeType === 'context')) {
      lines.push(`${indent}› ${stepText(steps, i)}`);
    }
    i++;
  }
  return lines;
}

/** `module app.js`, or the top-level scripts of a page. */
export function moduleName(script: string | undefined): string {
  if (script === TOP_LEVEL_SCRIPTS) return script;
  return `module ${script ? shortScriptName(script) : '(unknown)'}`;
}

function stepText(steps: readonly PathStep[], i: number): string {
  return `${describeEdge(steps[i], steps[i - 1]?.node.id)} ${describeNode(steps[i].node, steps[i].location)}`;
}

/** `._idlePrev Timeout ×57 (last @999)`, or a group: `(->a (anonymous)() › {context} system / Context) ×12 (last @999)`. */
function foldedText(steps: readonly PathStep[], fold: Fold): string {
  const last = steps[fold.start + fold.period * fold.times - 1].node;
  if (fold.period === 1) {
    const step = steps[fold.start];
    return `${describeEdge(step, steps[fold.start - 1]?.node.id)} ${truncate(step.node.className, NAME_WIDTH)} ×${fold.times} (last @${last.id})`;
  }
  const group = [];
  for (let k = fold.start; k < fold.start + fold.period; k++) group.push(`${describeEdge(steps[k], steps[k - 1]?.node.id)} ${truncate(steps[k].node.className, NAME_WIDTH)}`);
  return `(${group.join(' › ')}) ×${fold.times} (last @${last.id})`;
}

function isContextHop(step: PathStep): boolean {
  return step.edgeType === 'internal' && step.edgeName === 'context' && step.node.className.startsWith('system / Context');
}

export function jsonNode(node: NodeInfo) {
  return { id: node.id, type: node.type, name: node.name, className: node.className, selfSize: node.selfSize, retainedSize: node.retainedSize };
}

/**
 * A PATH of the JSON contract: every step, from the root side; the first step of a folded
 * stretch says how it repeats (`folded: { period, times }`).
 */
export function jsonPath(path: RetainingPath) {
  const foldAt = new Map(path.folds.map((fold) => [fold.start, fold]));
  return path.steps.map((step, i) => {
    const fold = foldAt.get(i);
    return { edgeType: step.edgeType, edgeName: step.edgeName, node: jsonNode(step.node), ...(step.location ? { location: step.location } : {}), ...(fold ? { folded: { period: fold.period, times: fold.times } } : {}) };
  });
}

export function pathsJson(file: string, paths: RetainingPath[]) {
  return {
    file,
    paths: paths.map((path) => ({ target: jsonNode(path.target), path: jsonPath(path), ...(path.unreachable ? { unreachable: true } : {}) })),
  };
}

/** What `leakgraph path --json` prints. */
export type PathsJson = ReturnType<typeof pathsJson>;
