/**
 * leakgraph/render/format — numbers and names for people.
 */

import { BASE_SYSTEM_DISTANCE } from '../graph/distances.js';

export { formatBytes, formatCount, formatEdge, plural, truncate } from './numbers.js';

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

/** Where a location-keyed class is defined, to tell apart classes that share a name. */
export function keyLocation(key: string): string {
  const parts = key.split(',', 3);
  return key.startsWith(',') ? '' : ` (script ${parts[0]}, line ${Number(parts[1]) + 1})`;
}

