// The TypeScript checkout program of test/fixtures/source-maps, built by real toolchains (tsc,
// esbuild) with source maps, run, and snapshotted three times, for the source-map tests.

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { tmpPath } from './snapshot-builder.js';

export const SOURCE_MAP_FIXTURES = fileURLToPath(new URL('../fixtures/source-maps/', import.meta.url));
const TSC = fileURLToPath(new URL('../../node_modules/typescript/bin/tsc', import.meta.url));

/** The text of the leaking listener: `orderEvents.on('placed', …)` in orders.ts. */
export const LISTENER = /orderEvents\.on\(['"]placed['"]/;

/** 1-based line of the first line of `file` that matches `pattern`. */
export function lineOf(file: string, pattern: RegExp): number {
  const index = readFileSync(file, 'utf8').split('\n').findIndex((line) => pattern.test(line));
  if (index < 0) throw new Error(`${file}: nothing matches ${pattern}`);
  return index + 1;
}

/** `tsc --sourceMap` of main.ts and orders.ts into a new directory (ES modules, linked maps); the entry script. */
export function compileWithTsc(): string {
  const outDir = dirname(tmpPath('tsc/package.json'));
  const sources = ['main.ts', 'orders.ts'].map((name) => join(SOURCE_MAP_FIXTURES, name));
  const flags = ['--sourceMap', '--strict', '--outDir', outDir, '--rootDir', SOURCE_MAP_FIXTURES, '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node'];
  const result = spawnSync(process.execPath, [TSC, ...flags, ...sources], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`tsc failed: ${result.stdout}${result.stderr}`);
  writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n');
  return join(outDir, 'main.js');
}

/**
 * esbuild's bundle of main.ts into one CommonJS script: `external` writes `bundle.js.map`
 * beside it with no comment in the script, `inline` a `data:` URL comment. The bundle's path.
 */
export function bundleWithEsbuild(sourcemap: 'external' | 'inline'): string {
  const outfile = tmpPath(`esbuild-${sourcemap}/bundle.js`);
  buildSync({ entryPoints: [join(SOURCE_MAP_FIXTURES, 'main.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap, outfile, logLevel: 'silent' });
  return outfile;
}

/** Runs a built entry script under `node --expose-gc`; the paths of its three snapshots, in order. */
export function snapshotsOfScript(script: string): string[] {
  const outPrefix = join(dirname(script), 'checkout');
  const result = spawnSync(process.execPath, ['--expose-gc', script, outPrefix], { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`${script} failed: ${result.stderr}`);
  return [1, 2, 3].map((n) => `${outPrefix}-${n}.heapsnapshot`);
}
