// Source maps with real toolchains: the checkout program of test/fixtures/source-maps compiled by
// `tsc --sourceMap` and bundled by esbuild (external and inline maps), snapshotted, and its leak's
// listener shown at its orders.ts line by leaks, path, why, inspect and the drawn chain.

import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSync } from 'esbuild';
import { describe, expect, test } from 'vitest';
import { findLeaks, loadSnapshot, type HeapGraph, type LoadSnapshotOptions } from '../src/index.js';
import { profileFunctions, profileTree } from '../src/analysis/allocs.js';
import { inspectObject } from '../src/analysis/inspect.js';
import { reportData } from '../src/commands/report.js';
import { diagramDot } from '../src/render/diagram.js';
import { renderReportHtml } from '../src/render/report-html.js';
import { SourceLines } from '../src/analysis/source-lines.js';
import { SourceMaps } from '../src/graph/source-maps.js';
import { readHeapProfile } from '../src/profile/heap-profile.js';
import { renderProfileFunctionsText } from '../src/render/allocs.js';
import { renderFlameSvg } from '../src/render/flame-svg.js';
import { PathFinder } from '../src/analysis/retaining-path.js';
import { chainGraph } from '../src/analysis/diagram-graph.js';
import { explainRetention } from '../src/analysis/why.js';
import { toDot } from '../src/render/dot.js';
import { renderInspectText } from '../src/render/inspect.js';
import { renderLeaksText } from '../src/render/leaks.js';
import { renderPathText } from '../src/render/path.js';
import { renderWhyText } from '../src/render/why.js';
import { bundleWithEsbuild, compileWithTsc, LISTENER, lineOf, snapshotsOfScript, SOURCE_MAP_FIXTURES } from './helpers/source-mapped-programs.js';
import { tmpPath } from './helpers/snapshot-builder.js';

const TS_LINE = lineOf(join(SOURCE_MAP_FIXTURES, 'orders.ts'), LISTENER);

/** Builds once per test file, on first use. */
function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

const tscBuild = once(() => {
  const main = compileWithTsc();
  return { orders: join(dirname(main), 'orders.js'), snapshots: snapshotsOfScript(main) };
});

async function leaksOf(snapshots: string[], options: LoadSnapshotOptions = {}) {
  let final: HeapGraph | undefined;
  const report = await findLeaks(snapshots, async (file) => (final = await loadSnapshot(file, options)), { minRetained: 0, top: 3 });
  const cluster = report.clusters.find((candidate) => candidate.className === 'OrderTracker');
  if (!cluster) throw new Error('no OrderTracker cluster');
  return { report, cluster, text: renderLeaksText(report, 0, false), graph: final! };
}

describe('tsc --sourceMap: ES modules with linked maps', () => {
  test("the listener's TypeScript line is not its JavaScript line", () => {
    expect(lineOf(tscBuild().orders, LISTENER)).not.toBe(TS_LINE);
  });

  test('leaks names the listener at its orders.ts line; JSON keeps the generated position beside it', async () => {
    const { cluster, text } = await leaksOf(tscBuild().snapshots);
    expect(text).toMatch(new RegExp(`OrderTracker, held by the closure \\(anonymous\\)\\(\\) at orders\\.ts:${TS_LINE}:\\d+`));
    expect(text).not.toMatch(/orders\.js:\d+/);
    const location = cluster.heldBy?.owner.location;
    expect(location?.script).toMatch(/^file:\/\/.*\/orders\.js$/);
    expect(location?.line).toBe(lineOf(tscBuild().orders, LISTENER));
    expect(location?.original).toEqual({ file: join(SOURCE_MAP_FIXTURES, 'orders.ts'), line: TS_LINE, column: expect.any(Number) });
  });

  test('path, why, inspect and the drawn chain show orders.ts', async () => {
    const { cluster, graph } = await leaksOf(tscBuild().snapshots);
    const leaked = graph.snapshot.findNodeById(cluster.exampleIds[0]);
    const at = new RegExp(`orders\\.ts:${TS_LINE}:\\d+`);
    const finder = PathFinder.of(graph);
    expect(renderPathText(finder.pathOf(leaked), false)).toMatch(at);
    expect(renderWhyText(explainRetention(graph, leaked), false)).toMatch(at);
    const listener = inspectObject(graph, cluster.heldBy!.owner.id);
    expect(renderInspectText(listener!)).toMatch(new RegExp(`^  at orders\\.ts:${TS_LINE}:\\d+ \\(orders\\.js:\\d+:\\d+\\)$`, 'm'));
    expect(toDot(chainGraph(graph, [leaked], finder), { maxDepth: 5 })).toMatch(at);
  });

  test('the HTML report (its evidence and its picture) shows orders.ts', async () => {
    const data = await reportData(tscBuild().snapshots, { minRetained: 0 });
    const page = renderReportHtml(data, data.diagrams.map(() => '<svg></svg>'), 'test');
    expect(page).toContain(`orders.ts:${TS_LINE}:`);
    expect(page).not.toMatch(/orders\.js:\d+/);
    expect(diagramDot(data.diagrams[0].graph, { layout: 'auto', maxDepth: 5 }).dot).toContain(`orders.ts:${TS_LINE}:`);
  });

  test('sourceMaps: false prints the JavaScript line', async () => {
    const { text } = await leaksOf(tscBuild().snapshots, { sourceMaps: false });
    expect(text).toMatch(new RegExp(`at orders\\.js:${lineOf(tscBuild().orders, LISTENER)}:\\d+`));
    expect(text).not.toMatch(/orders\.ts/);
  });
});

describe('esbuild bundles', () => {
  for (const sourcemap of ['external', 'inline'] as const) {
    test(`one CommonJS bundle with an ${sourcemap} map: the listener at its orders.ts line`, async () => {
      const bundle = bundleWithEsbuild(sourcemap);
      const bundleLine = lineOf(bundle, LISTENER);
      expect(bundleLine).not.toBe(TS_LINE);
      const { text, cluster } = await leaksOf(snapshotsOfScript(bundle));
      expect(text).toMatch(new RegExp(`held by the closure \\(anonymous\\)\\(\\) at orders\\.ts:${TS_LINE}:\\d+`));
      expect(cluster.heldBy?.owner.location).toMatchObject({ script: bundle, line: bundleLine, original: { line: TS_LINE } });
    });
  }

  test('a map kept in another directory is found through directories, and only then', async () => {
    const bundle = bundleWithEsbuild('external');
    const snapshots = snapshotsOfScript(bundle);
    const mapsDirectory = join(dirname(bundle), 'maps');
    mkdirSync(mapsDirectory);
    renameSync(`${bundle}.map`, join(mapsDirectory, 'bundle.js.map'));
    expect((await leaksOf(snapshots)).text).toMatch(new RegExp(`at bundle\\.js:${lineOf(bundle, LISTENER)}:\\d+`));
    expect((await leaksOf(snapshots, { sourceMaps: { directories: [mapsDirectory] } })).text).toMatch(new RegExp(`at orders\\.ts:${TS_LINE}:\\d+`));
  });

  test('a broken map, or another script\'s map, leaves the JavaScript position and no error', async () => {
    const bundle = bundleWithEsbuild('external');
    const snapshots = snapshotsOfScript(bundle);
    const javaScriptPosition = new RegExp(`at bundle\\.js:${lineOf(bundle, LISTENER)}:\\d+`);
    writeFileSync(`${bundle}.map`, '{"version":3,"mappings":"AAAA;;;;garbage');
    expect((await leaksOf(snapshots)).text).toMatch(javaScriptPosition);
    const otherScriptsMap = JSON.parse(readFileSync(`${tscBuild().orders}.map`, 'utf8'));
    writeFileSync(`${bundle}.map`, JSON.stringify(otherScriptsMap));
    expect((await leaksOf(snapshots)).text).toMatch(javaScriptPosition);
  });
});

describe('allocs of a heap profile of the tsc build', () => {
  /** `node --heap-prof` of the compiled program, sampling often enough to catch the trackers. */
  const profileFile = once(() => {
    const main = compileWithTsc();
    const directory = join(dirname(main), 'profile');
    const result = spawnSync(process.execPath, ['--heap-prof', '--heap-prof-interval=256', '--heap-prof-dir', directory, main, join(dirname(main), 'unused')], { encoding: 'utf8', timeout: 60_000 });
    if (result.status !== 0) throw new Error(`profiling failed: ${result.stderr}`);
    return join(directory, readdirSync(directory)[0]);
  });
  const constructorLine = lineOf(join(SOURCE_MAP_FIXTURES, 'orders.ts'), /constructor\(options: TrackerOptions\)/);

  test("the table, its Source column and the flame graph show OrderTracker's constructor in orders.ts", async () => {
    const profile = await readHeapProfile(profileFile());
    const functions = profileFunctions(profile).functions;
    const tracker = functions.find((row) => row.name === 'OrderTracker');
    expect(tracker?.url).toMatch(/orders\.js$/);
    expect(tracker?.original).toMatchObject({ file: join(SOURCE_MAP_FIXTURES, 'orders.ts'), line: constructorLine });
    const text = renderProfileFunctionsText({ source: profile.file, totalBytes: profile.totalBytes, sampleCount: profile.sampleCount, hasSamples: profile.hasSamples, functions, functionCount: functions.length }, new SourceLines());
    expect(text).toMatch(new RegExp(`OrderTracker +orders\\.ts:${constructorLine}:\\d+ +constructor\\(options: TrackerOptions\\) \\{`));
    expect(renderFlameSvg(profileTree(profile), { title: 'flame', subtitle: '' })).toContain(`orders.ts:${constructorLine}:`);
  });

  test('the CLI: allocs shows orders.ts; --no-source-maps the JavaScript line', () => {
    const allocs = (...args: string[]) => spawnSync(process.execPath, ['dist/cli/index.js', 'allocs', profileFile(), '--file', 'orders', ...args], { encoding: 'utf8' }).stdout;
    expect(allocs()).toMatch(new RegExp(`OrderTracker +orders\\.ts:${constructorLine}:\\d+`));
    expect(allocs('--no-source-maps')).toMatch(/OrderTracker +\d+:\d+ /);
    expect(allocs('--no-source-maps')).not.toMatch(/orders\.ts/);
  });

  test('sourceMaps: false on the profile keeps the JavaScript positions', async () => {
    const profile = await readHeapProfile(profileFile());
    profile.sourceMaps = false;
    const tracker = profileFunctions(profile).functions.find((row) => row.name === 'OrderTracker');
    expect(tracker?.original).toBeUndefined();
    expect(tracker?.line).not.toBe(constructorLine);
  });
});

describe('the CLI (dist/)', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, ['dist/cli/index.js', ...args], { encoding: 'utf8' });

  test('leaks shows orders.ts, --no-source-maps the JavaScript line; path --json has both positions', () => {
    const snapshots = tscBuild().snapshots;
    const mapped = run('leaks', ...snapshots, '--min-retained', '0');
    expect(mapped.status).toBe(0);
    expect(mapped.stdout).toMatch(new RegExp(`OrderTracker, held by the closure \\(anonymous\\)\\(\\) at orders\\.ts:${TS_LINE}:\\d+`));
    const plain = run('leaks', ...snapshots, '--min-retained', '0', '--no-source-maps');
    expect(plain.stdout).toMatch(new RegExp(`OrderTracker, held by the closure \\(anonymous\\)\\(\\) at orders\\.js:${lineOf(tscBuild().orders, LISTENER)}:\\d+`));
    const json = JSON.parse(run('path', snapshots[2], '--type', 'OrderTracker', '--limit', '1', '--json').stdout);
    const listenerStep = json.paths[0].path.find((step: { location?: { script: string } }) => step.location?.script.endsWith('/orders.js'));
    expect(listenerStep.location).toMatchObject({ line: lineOf(tscBuild().orders, LISTENER), original: { file: join(SOURCE_MAP_FIXTURES, 'orders.ts'), line: TS_LINE } });
  });
});

describe('SourceMaps on large scripts (only the end of a script is read for its comment)', () => {
  /** A bundle of over 100 kB whose function `findMe` is on line 3 of big.ts. */
  const bigBundle = (sourcemap: 'linked' | 'inline') => {
    const source = tmpPath(`big-${sourcemap}/big.ts`);
    writeFileSync(source, `export const padding: string = ${JSON.stringify('x'.repeat(100_000))};\n\nexport function findMe(): number {\n  return padding.length;\n}\n`);
    const outfile = join(dirname(source), 'big.js');
    buildSync({ entryPoints: [source], bundle: true, platform: 'node', format: 'esm', sourcemap, outfile, logLevel: 'silent' });
    return outfile;
  };

  for (const sourcemap of ['linked', 'inline'] as const) {
    test(`a ${sourcemap} map of a bundle larger than the end read`, () => {
      const bundle = bigBundle(sourcemap);
      const line = lineOf(bundle, /function findMe/);
      const original = new SourceMaps().original(pathToFileURL(bundle).href, line, 1);
      expect(original).toMatchObject({ line: 3 });
      expect(original?.file).toMatch(/big\.ts$/);
    });
  }
});
