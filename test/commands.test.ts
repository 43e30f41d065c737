// The command layer: each command imported from the package returns exactly what the CLI's
// --json prints, and every command answers a bad option with one `leakgraph:` line, exit 2.

import { spawnSync } from 'node:child_process';
import { lstatSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { tmpPath } from './helpers/snapshot-builder.js';
import { nearestNames, selectObjects } from '../src/commands/select.js';
import * as leakgraph from '../src/index.js';

const CLI = 'dist/cli/index.js';
const SERVICE = ['samples/service-1.heapsnapshot.gz', 'samples/service-2.heapsnapshot.gz', 'samples/service-3.heapsnapshot.gz'];
const FINAL = SERVICE[2];

function cliJson(...args: string[]): unknown {
  const result = spawnSync(process.execPath, [CLI, ...args, '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout);
}

describe('a command from the package equals the CLI\'s --json', () => {
  test('summary, with its options', async () => {
    expect(await leakgraph.summary(FINAL, { top: 7, sort: 'count' })).toEqual(cliJson('summary', FINAL, '--top', '7', '--sort', 'count'));
  });

  test('growth and leaks of the three service snapshots', async () => {
    expect(await leakgraph.growth(SERVICE, { top: 5 })).toEqual(cliJson('growth', ...SERVICE, '--top', '5'));
    const leaks = await leakgraph.leaks(SERVICE, {});
    expect(leaks.clusters.length).toBeGreaterThan(0);
    expect(leaks).toEqual(cliJson('leaks', ...SERVICE));
  });

  test('inspect, path, why, backrefs and refs, by class and by id', async () => {
    const graph = await leakgraph.loadSnapshot(FINAL);
    const [largest] = selectObjects(graph, 'test', { type: 'User' }, 1);
    const id = graph.snapshot.nodeIds[largest];
    // A loaded heap answers as the file does.
    expect(await leakgraph.inspect(graph, { id })).toEqual(cliJson('inspect', FINAL, `@${id}`));
    expect(await leakgraph.inspect(FINAL, { type: 'User', limit: 2, refs: 3 })).toEqual(cliJson('inspect', FINAL, '--type', 'User', '--limit', '2', '--refs', '3'));
    expect(await leakgraph.paths(graph, { type: 'User', limit: 2 })).toEqual(cliJson('path', FINAL, '--type', 'User', '--limit', '2'));
    expect(await leakgraph.why(graph, { id })).toEqual(cliJson('why', FINAL, `@${id}`));
    expect(await leakgraph.backrefs(graph, { type: 'User' })).toEqual(cliJson('backrefs', FINAL, '--type', 'User'));
    expect(await leakgraph.refs(graph, { id, maxDepth: 2 })).toEqual(cliJson('refs', FINAL, `@${id}`, '--max-depth', '2'));
  });

  test('an unknown class suggests the nearest names', async () => {
    await expect(leakgraph.paths(FINAL, { type: 'user' })).rejects.toThrow(/no objects of class "user"; did you mean "User"\?/);
    expect(nearestNames(['Session', 'SessionStore', 'Map'], 'sesion', 3)).toEqual(['Session']);
  });

  test('the library refuses a limit with one id, as the CLI does (before loading anything)', async () => {
    await expect(leakgraph.paths('no-such-file.heapsnapshot', { id: 1, limit: 3 })).rejects.toThrow(/^path: --limit goes with --type/);
    await expect(leakgraph.backrefsDiagram('no-such-file.heapsnapshot', { id: 1, limit: 3 })).rejects.toThrow(/^backrefs: --limit goes with --type/);
  });
});

describe('bad options: one leakgraph: line, exit code 2, --help named', () => {
  const commands = ['summary', 'inspect', 'growth', 'leaks', 'path', 'why', 'backrefs', 'refs', 'report', 'capture', 'record', 'plot', 'allocs'];
  test.each(commands)('%s --no-such-option', (command) => {
    const result = spawnSync(process.execPath, [CLI, command, '--no-such-option'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    // Commander checks required options first: either way, one line naming the help.
    expect(lines[0]).toMatch(new RegExp(`^leakgraph: (unknown option '--no-such-option'|required option .+ not specified) \\(see leakgraph ${command} --help\\)$`));
  });

  test('an unknown command, a missing argument, a bad value', () => {
    for (const [args, message] of [
      [['nosuch'], /^leakgraph: unknown command 'nosuch' \(see leakgraph --help\)$/],
      [['summary'], /^leakgraph: missing required argument 'file' \(see leakgraph summary --help\)$/],
      [['summary', FINAL, '--top', 'x'], /^leakgraph: option '--top <n>' argument 'x' is invalid\. expected a non-negative integer \(see leakgraph summary --help\)$/],
      [['path', FINAL], /^leakgraph: path: give either an object id \(@123 or --id 123\) or --type CLASS \(see leakgraph path --help\)$/],
      [['nosuchthing'], /^leakgraph: unknown command 'nosuchthing' \(see leakgraph --help\)$/],
      [['inspect', FINAL, '@1', '--limit', '3'], /^leakgraph: inspect: --limit goes with --type \(one id is one object\) \(see leakgraph inspect --help\)$/],
      [['sumary'], /^leakgraph: unknown command 'sumary' \(Did you mean summary\?\) \(see leakgraph --help\)$/],
    ] as const) {
      const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
      expect(result.status).toBe(2);
      expect(result.stderr.trimEnd()).toMatch(message);
    }
  });

  test('-o into a missing folder fails before any loading', () => {
    const result = spawnSync(process.execPath, [CLI, 'summary', 'no-such-file.heapsnapshot', '-o', '/no/such/dir/out.txt'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr.trimEnd()).toBe('leakgraph: cannot write /no/such/dir/out.txt: no such directory');
  });

  test('-o: - is stdout; a link is followed; a device is written to, not replaced; path --json -o writes the JSON', () => {
    const dash = spawnSync(process.execPath, [CLI, 'summary', FINAL, '--top', '2', '--json', '-o', '-'], { encoding: 'utf8' });
    expect(JSON.parse(dash.stdout).classes).toHaveLength(2);
    const target = tmpPath('target.json');
    writeFileSync(target, 'old');
    const link = tmpPath('link.json');
    symlinkSync(target, link);
    expect(spawnSync(process.execPath, [CLI, 'summary', FINAL, '--top', '2', '--json', '-o', link, '-q'], { encoding: 'utf8' }).status).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(target, 'utf8')).classes).toHaveLength(2);
    // A link to a device: renaming over it would leave a file where the device was meant.
    const toNull = tmpPath('null-link');
    symlinkSync('/dev/null', toNull);
    expect(spawnSync(process.execPath, [CLI, 'summary', FINAL, '--top', '2', '-o', toNull], { encoding: 'utf8' }).status).toBe(0);
    expect(lstatSync(toNull).isSymbolicLink()).toBe(true);
    const pathsFile = tmpPath('paths.json');
    const written = spawnSync(process.execPath, [CLI, 'path', FINAL, '--type', 'User', '--limit', '1', '--json', '-o', pathsFile], { encoding: 'utf8' });
    expect(written.stderr).toBe(`leakgraph: written to ${pathsFile}\n`);
    expect(Object.keys(JSON.parse(readFileSync(pathsFile, 'utf8')))).toEqual(['file', 'paths']);
  });

  test('a heap profile given to summary says to use allocs', () => {
    const profile = tmpPath('tiny.heapprofile');
    writeFileSync(profile, JSON.stringify({ head: { callFrame: { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 }, selfSize: 0, id: 1, children: [] }, samples: [] }));
    const result = spawnSync(process.execPath, [CLI, 'summary', profile], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/a heap profile, not a heap snapshot: read it with leakgraph allocs/);
  });
});
