/**
 * leakgraph/render/why — `leakgraph why` as text and as JSON.
 */

import { holderName, INTERNAL_HOLDER } from '../analysis/holders.js';
import type { NodeInfo } from '../analysis/inspect.js';
import type { WhyResult } from '../analysis/why.js';
import { formatBytes, listText } from './format.js';
import { describeNode, jsonNode, jsonPath, pathLines } from './path.js';

export function renderWhyText(result: WhyResult, full: boolean): string {
  const target = result.target;
  const lines = [`${describeNode(target)}, shallow ${formatBytes(target.selfSize)}, retained ${formatBytes(target.retainedSize)}`];
  if (result.holders.length === 0) {
    lines.push(result.dominators.length === 0 ? '  the root of the heap: nothing holds it' : '  no root reaches it (held only by weak references or cycles; freed by the next GC)');
    return `${lines.join('\n')}\n`;
  }
  lines.push('', result.holders.length === 1 ? 'Held one way:' : `Held ${result.holders.length} ways:`);
  result.holders.forEach((holder, i) => {
    lines.push(`  ${i + 1}. by ${holder.heldBy?.description ?? INTERNAL_HOLDER}`);
    lines.push(...pathLines(holder.path, full, '       '));
  });
  lines.push('', verdict(result));
  lines.push('', 'Dominators, immediate first:', ...dominatorLines(result.dominators));
  return `${lines.join('\n')}\n`;
}

/** The dominator chain, one a line; a run of one class (a linked list's nodes) folded into one. */
function dominatorLines(dominators: readonly NodeInfo[]): string[] {
  const lines: string[] = [];
  for (let i = 0; i < dominators.length; ) {
    let end = i + 1;
    while (end < dominators.length && dominators[end].className === dominators[i].className) end++;
    const first = dominators[i];
    if (end - i > 2) {
      const last = dominators[end - 1];
      lines.push(`  ${first.className} ×${end - i} (@${first.id} … @${last.id})  retained ${formatBytes(first.retainedSize)} … ${formatBytes(last.retainedSize)}`);
      i = end;
      continue;
    }
    lines.push(`  ${describeNode(first)}  retained ${formatBytes(first.retainedSize)}`);
    i++;
  }
  return lines;
}

/** What would free it, in one or two sentences. */
function verdict(result: WhyResult): string {
  const cut = result.cut!;
  if (cut.kind === 'holder') {
    const how = cut.heldBy?.owner.kind === 'closure' ? `Letting go of ${holderName(cut.heldBy)}` : `Removing it from ${holderName(cut.heldBy)}`;
    return `${how} frees ${formatBytes(cut.frees)}.`;
  }
  const [first, ...others] = result.holders.map((holder) => holderName(holder.heldBy));
  const notEnough = `Deleting it from ${first} is not enough: ${listText(others)} ${others.length === 1 ? 'holds' : 'hold'} it too. Every holder must let go.`;
  if (cut.kind === 'every-holder') return notEnough;
  return `${notEnough} Or drop ${describeNode(cut.dominator)}, which dominates it and frees ${formatBytes(cut.frees)}.`;
}

export function whyJson(file: string, result: WhyResult) {
  return {
    file,
    target: jsonNode(result.target),
    holders: result.holders.map((holder) => jsonPath(holder.path)),
    heldBy: result.holders.map((holder) => holder.heldBy),
    dominators: result.dominators.map(jsonNode),
    cut: result.cut === null ? null : result.cut.kind === 'dominator' ? { ...result.cut, dominator: jsonNode(result.cut.dominator) } : result.cut,
  };
}

/** What `leakgraph why --json` prints. */
export type WhyJson = ReturnType<typeof whyJson>;
