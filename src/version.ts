/**
 * leakgraph's version, from its package.json (read when asked: the CLI's start-up stays small).
 */

import { readFileSync } from 'node:fs';

export function packageVersion(): string {
  // From dist/src/ when built, from src/ when run as TypeScript (tests).
  for (const path of ['../../package.json', '../package.json']) {
    try {
      const found = JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as { name?: string; version: string };
      if (found.name === 'leakgraph') return found.version;
    } catch {
      // not there: the other layout
    }
  }
  throw new Error('leakgraph: its package.json is missing');
}
