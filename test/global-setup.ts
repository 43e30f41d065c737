// CLI tests run dist/: rebuild it first when any source is newer, so that a test never runs
// stale code (`npm test` builds anyway; `npx vitest run test/cli.test.ts` alone may not have).

import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestSource(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

export default function setup(): void {
  const built = existsSync('dist/cli/index.js') ? statSync('dist/cli/index.js').mtimeMs : 0;
  if (Math.max(newestSource('src'), newestSource('cli')) <= built) return;
  try {
    execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
  } catch {
    // tsc emits despite type errors, which it has printed; `npm test` fails on them itself.
  }
}
