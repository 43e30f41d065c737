/**
 * leakgraph's version, from its package.json (read when asked: the CLI's start-up stays small).
 */

import { readFileSync } from 'node:fs';

export function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}
