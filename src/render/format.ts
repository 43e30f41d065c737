/**
 * leakgraph/render/format — numbers and names for people.
 */

import { BASE_SYSTEM_DISTANCE } from '../graph/distances.js';

export { formatBytes, formatCount, plural } from './numbers.js';

/** `a`, `a and b`, `a, b and c`. */
export function listText(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** A distance as DevTools shows it: "-" for unreachable or system-only objects. */
export function formatDistance(distance: number): string {
  return distance < 0 || distance >= BASE_SYSTEM_DISTANCE ? '-' : String(distance);
}

/** DevTools' "no distance" (-5) is -1 in our JSON; system distances keep their offset. */
export function jsonDistance(distance: number): number {
  return distance < 0 ? -1 : distance;
}

/** Cuts `text` to `width` characters with an ellipsis, on one line. */
export function truncate(text: string, width: number): string {
  const oneLine = text.replace(/[\r\n\t]+/g, ' ');
  return oneLine.length <= width ? oneLine : `${oneLine.slice(0, Math.max(0, width - 1))}…`;
}

/** Where a location-keyed class is defined, to tell apart classes that share a name. */
export function keyLocation(key: string): string {
  const parts = key.split(',', 3);
  return key.startsWith(',') ? '' : ` (script ${parts[0]}, line ${Number(parts[1]) + 1})`;
}

/** An edge name as a person reads it in a path: `.name`, `[3]`, `->context`, `{internal}`. */
export function formatEdge(edgeType: string, edgeName: string | number): string {
  switch (edgeType) {
    case 'context': return `->${edgeName}`;
    case 'element': return `[${edgeName}]`;
    case 'weak': return `[[${edgeName}]]`;
    case 'property':
    case 'shortcut': return typeof edgeName === 'string' && /\s/.test(edgeName) ? `["${edgeName}"]` : `.${edgeName}`;
    default: return `{${edgeName}}`;
  }
}
