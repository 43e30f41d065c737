/**
 * leakgraph/commands/checks — the checks of a command's options that need no heap, kept apart
 * so that the CLI can run them before loading anything (and without importing the analysis).
 */

import { UsageError } from '../errors.js';

export interface ObjectSelection {
  /** One object, by its id. */
  id?: number;
  /** Objects of this class, as `summary` names it, largest retained first. */
  type?: string;
  /** With `type`: how many (0 = all). */
  limit?: number;
}

/** Checks, before any loading, that exactly one of an id and a class is given, and the limit (with a class only). */
export function checkSelection(command: string, selection: ObjectSelection): void {
  if ((selection.id === undefined) === (selection.type === undefined)) {
    throw new UsageError(`${command}: give either an object id (@123 or --id 123) or --type CLASS`);
  }
  checkCount(command, 'limit', selection.limit);
  if (selection.limit !== undefined && selection.type === undefined) throw new UsageError(`${command}: --limit goes with --type (one id is one object)`);
}

/** An object id written `123` or `@123` (ids are 32-bit), or null when `text` is not one. */
export function objectIdOf(text: string): number | null {
  const match = /^@?(\d+)$/.exec(text);
  return match && Number(match[1]) <= 0xffffffff ? Number(match[1]) : null;
}

/** A count option (`top`, `limit`…) is a non-negative integer when given. @throws UsageError */
export function checkCount(command: string, name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isInteger(value) && value >= 0)) throw new UsageError(`${command}: ${name} must be a non-negative integer, not ${value}`);
}
