/**
 * leakgraph/serve/params — the API's query parameters, read and bounded. A wrong value is a
 * UsageError naming the parameter, as a wrong option is on the command line.
 */

import { UsageError } from '../errors.js';
import { objectIdOf } from '../commands/checks.js';
import type { ObjectSelection } from '../commands/select.js';

export type Query = URLSearchParams;

/** An integer parameter from `min` to `max`, or `fallback` when absent. */
export function count(query: Query, name: string, fallback: number, min: number, max: number): number {
  const text = query.get(name);
  if (text === null || text === '') return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) throw new UsageError(`${name}: expected an integer from ${min} to ${max}, got "${text}"`);
  return Number(text);
}

/** One of `choices`, or `fallback` when absent. */
export function choice<T extends string>(query: Query, name: string, choices: readonly T[], fallback: T): T {
  const text = query.get(name);
  if (text === null || text === '') return fallback;
  if (!(choices as readonly string[]).includes(text)) throw new UsageError(`${name}: expected ${choices.join(', ')}, got "${text}"`);
  return text as T;
}

/** An object id written `123` or `@123`. */
export function objectId(text: string): number {
  const id = objectIdOf(text);
  if (id === null) throw new UsageError(`"${text}" is not an object id`);
  return id;
}

/**
 * `?id=` or `?type=` with `?limit=` (at most `maxLimit`; 0, every object, only when `allowAll`).
 * @throws UsageError when neither or both are given
 */
export function selectionOf(query: Query, defaultLimit: number, maxLimit: number, allowAll: boolean): ObjectSelection {
  const id = query.get('id');
  const type = query.get('type');
  if ((id === null) === (type === null)) throw new UsageError('give either id=ID or type=CLASS');
  if (id !== null) return { id: objectId(id) };
  return { type: type!, limit: count(query, 'limit', defaultLimit, allowAll ? 0 : 1, maxLimit) };
}
