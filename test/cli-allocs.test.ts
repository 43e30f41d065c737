// `leakgraph allocs` as a user runs it, on real profiles and snapshots written by Node:
// `node --heap-prof` profiles, programs run with `allocs -- node app.js`, snapshots taken with
// allocation tracking; flame graphs; the JSON contract; broken input.

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { profiledCommand } from '../src/profile/profiled-run.js';
import { tmpPath, writeSnapshot, minimalHeap } from './helpers/snapshot-builder.js';
import { trackedSnapshotOfProgram } from './helpers/traced-snapshot.js';

const CLI = 'dist/cli/index.js';
const run = (...args: string[]) => {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
};
const FUNCTION_KEYS = ['name', 'url', 'line', 'column', 'selfBytes', 'totalBytes', 'share', 'samples'];

/**
 * A program in which `allocateLots` allocates far more than anything else, and keeps it
 * (the sampling heap profiler reports what is still alive when the profile is taken).
 */
const HOG = `const kept = [];
globalThis.kept = kept;

function allocateLots() {
  for (let i = 0; i < 150000; i++) kept.push({ index: i, label: 'item ' + i });
}

function allocateLittle() {
  for (let i = 0; i < 1500; i++) kept.push([i, i + 1]);
}

allocateLots();
allocateLittle();
console.log('hog done');
`;
const LOTS_LINE = 4;
const LOTS_COLUMN = 22; // the '(' after the name, where V8 puts a function's position

function writeProgram(name: string, source = HOG): string {
  const file = tmpPath(name);
  writeFileSync(file, source);
  return file;
}

/** Runs `script` under `node --heap-prof` and returns the profile it wrote. */
function heapProf(script: string): string {
  const dir = tmpPath('heap-prof');
  mkdirSync(dir, { recursive: true });
  const result = spawnSync(process.execPath, ['--heap-prof', `--heap-prof-dir=${dir}`, '--heap-prof-interval=16384', script], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  const [profile] = readdirSync(dir).filter((name) => name.endsWith('.heapprofile'));
  return join(dir, profile);
}

/** A minimal check that `text` is well-formed XML with an <svg> root. */
function expectWellFormedSvg(text: string): void {
  const body = text.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  let root = '';
  let pos = 0;
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/y;
  while (pos < body.length) {
    const next = body.indexOf('<', pos);
    const content = body.slice(pos, next < 0 ? body.length : next);
    expect(content.replace(/&(amp|lt|gt|quot|apos|#\d+);/g, ''), `text at ${pos}`).not.toMatch(/[&>]/);
    if (next < 0) break;
    tag.lastIndex = next;
    const match = tag.exec(body);
    expect(match, `a tag at ${next}: ${body.slice(next, next + 80)}`).not.toBeNull();
    const [, closing, name, , selfClosing] = match!;
    if (closing) expect(stack.pop(), `</${name}> at ${next}`).toBe(name);
    else if (!selfClosing) {
      if (stack.length === 0) {
        expect(root, 'a single root element').toBe('');
        root = name;
      }
      stack.push(name);
    } else if (stack.length === 0) throw new Error('a self-closing root');
    pos = tag.lastIndex;
  }
  expect(stack).toEqual([]);
  expect(root).toBe('svg');
}

describe('allocs on a node --heap-prof profile', () => {
  let esm: { script: string; profile: string };
  let cjs: { script: string; profile: string };
  beforeAll(() => {
    const script = writeProgram('hog.mjs');
    esm = { script, profile: heapProf(script) };
    const cjsScript = writeProgram('hog.cjs');
    cjs = { script: cjsScript, profile: heapProf(cjsScript) };
  });

  test('--json: the top row is the function that allocates the most, with its file and line, holding most of the total', () => {
    const { code, stdout, stderr } = run('allocs', esm.profile, '--json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(Object.keys(report)).toEqual(['file', 'totalBytes', 'functions']);
    expect(report.file).toBe(esm.profile);
    const [top] = report.functions;
    expect(Object.keys(top)).toEqual(FUNCTION_KEYS);
    expect(top.name).toBe('allocateLots');
    expect(top.url).toBe(pathToFileURL(esm.script).href);
    expect([top.line, top.column]).toEqual([LOTS_LINE, LOTS_COLUMN]);
    expect(top.share).toBeGreaterThan(0.5);
    expect(top.selfBytes / report.totalBytes).toBeCloseTo(top.share, 10);
    expect(top.totalBytes).toBeGreaterThanOrEqual(top.selfBytes);
    expect(top.samples).toBeGreaterThan(10);
    const sum = report.functions.reduce((total: number, row: { selfBytes: number }) => total + row.selfBytes, 0);
    expect(sum).toBeLessThanOrEqual(report.totalBytes);
  });

  test('text: grouped by script, with the source line', () => {
    const { code, stdout } = run('allocs', esm.profile, '--top', '3');
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toMatch(/^.*\.heapprofile: [\d.]+ [kM]B sampled in [\d,]+ samples$/);
    const lines = stdout.split('\n');
    const heading = lines.findIndex((line) => line.startsWith(pathToFileURL(esm.script).href));
    expect(heading).toBeGreaterThan(0);
    expect(lines[heading + 1]).toMatch(/^\s+Self\s+Share\s+Total\s+Samples\s+Function\s+Line:Col\s+Source$/);
    expect(lines[heading + 2]).toMatch(new RegExp(`allocateLots\\s+${LOTS_LINE}:${LOTS_COLUMN}\\s+function allocateLots\\(\\) \\{$`));
    expect(stdout).toMatch(/\(3 of \d+ functions; --top 0 shows all\)/);
  });

  test('--file keeps one script\'s functions; --top cuts', () => {
    const report = JSON.parse(run('allocs', esm.profile, '--json', '--file', 'hog.mjs', '--top', '0').stdout);
    expect(report.functions.length).toBeGreaterThanOrEqual(1);
    expect(report.functions.every((row: { url: string }) => row.url.endsWith('hog.mjs'))).toBe(true);
    expect(JSON.parse(run('allocs', esm.profile, '--json', '--top', '1').stdout).functions).toHaveLength(1);
    expect(run('allocs', esm.profile, '--file', 'no-such-script').stdout).toMatch(/No function in a script matching "no-such-script"/);
  });

  test('--tree: the call tree down to --min-share, as text and JSON', () => {
    const text = run('allocs', esm.profile, '--tree', '--min-share', '5');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/call tree down to 5\.0% of the total/);
    expect(text.stdout).toMatch(/^\s*[\d.]+ [kM]B\s+100\.0%\s+0 B\s+0\s+\(root\)$/m);
    expect(text.stdout).toMatch(new RegExp(`\\n\\s*[\\d.]+ [kM]B\\s+[\\d.]+%\\s+[\\d.]+ [kM]B\\s+[\\d,]+\\s+ +allocateLots  hog\\.mjs:${LOTS_LINE}:${LOTS_COLUMN}\\n`));
    const report = JSON.parse(run('allocs', esm.profile, '--tree', '--json', '--min-share', '5').stdout);
    expect(Object.keys(report)).toEqual(['file', 'totalBytes', 'minShare', 'tree']);
    expect(report.minShare).toBe(0.05);
    const found: Array<{ name: string; share: number; children: unknown[] }> = [];
    const walk = (node: { name: string; share: number; children: never[] }) => {
      found.push(node);
      node.children.forEach(walk);
    };
    walk(report.tree);
    expect(found.every((node) => node.share >= 0.05)).toBe(true);
    expect(found.some((node) => node.name === 'allocateLots')).toBe(true);
  });

  test('CommonJS under --heap-prof: frames without a location are said to be so', () => {
    const report = JSON.parse(run('allocs', cjs.profile, '--json').stdout);
    const [top] = report.functions;
    expect(top.name).toBe('allocateLots');
    // What Node 20 writes: the module's script was collected before the profile was taken.
    if (top.url === '') {
      expect([top.line, top.column]).toEqual([0, 0]);
      const text = run('allocs', cjs.profile).stdout;
      expect(text).toMatch(/\(script \d+: V8 recorded no URL or line ‡\)/);
      expect(text).toMatch(/allocateLots\s+\?/);
      expect(text).toMatch(/^‡ V8 recorded no location for these frames/m);
    } else {
      expect(top.line).toBe(LOTS_LINE);
    }
  });

  test('--format svg: a valid flame graph, identical on a second run', () => {
    const first = tmpPath('flame-1.svg');
    const second = tmpPath('flame-2.svg');
    expect(run('allocs', esm.profile, '--format', 'svg', '-o', first).code).toBe(0);
    expect(run('allocs', esm.profile, '--format', 'svg', '-o', second).code).toBe(0);
    const svg = readFileSync(first, 'utf8');
    expect(readFileSync(second, 'utf8')).toBe(svg);
    expectWellFormedSvg(svg);
    expect(svg).toMatch(new RegExp(`<title>allocateLots \\(${pathToFileURL(esm.script).href.replace(/[.]/g, '\\.')}:${LOTS_LINE}:${LOTS_COLUMN}\\): [\\d.]+ [kM]B \\(\\d+ bytes, [\\d.]+%\\) including callees, [\\d.]+ [kM]B in itself</title>`));
    // to stdout without -o
    expect(run('allocs', esm.profile, '--format', 'svg').stdout).toBe(svg);
  });
});

describe('allocs -- node app.js', () => {
  test('CommonJS frames get their file and line; the program\'s stdout goes to stderr', () => {
    const script = writeProgram('run-hog.cjs');
    const saved = tmpPath('saved.heapprofile');
    const { code, stdout, stderr } = run('allocs', '--json', '--interval', '16KiB', '--save', saved, '--', 'node', script);
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/hog done/);
    const report = JSON.parse(stdout);
    expect(Object.keys(report)).toEqual(['file', 'command', 'totalBytes', 'functions']);
    expect(report.command).toEqual(['node', script]);
    expect(report.file).toBe(saved);
    const [top] = report.functions;
    expect([top.name, top.url, top.line, top.column]).toEqual(['allocateLots', script, LOTS_LINE, LOTS_COLUMN]);
    expect(top.share).toBeGreaterThan(0.5);
    // every frame has its location; leakgraph's own frames are not in the profile
    for (const row of report.functions) expect(row.url === '' ? row.line : 1, `${row.name} ${row.url}`).toBeGreaterThan(-1);
    expect(report.functions.some((row: { url: string }) => row.url.includes('sampling-preload'))).toBe(false);
    expect(report.functions.filter((row: { url: string; line: number }) => row.url.endsWith('run-hog.cjs') && row.line === 0)).toEqual([]);
    // the saved profile is a profile like any other
    const again = JSON.parse(run('allocs', saved, '--json').stdout);
    expect(again.functions[0].name).toBe('allocateLots');
    expect(again.totalBytes).toBe(report.totalBytes);
  });

  test('text: the header says how the program ended and how it was sampled', () => {
    const script = writeProgram('text-hog.mjs');
    const { code, stdout } = run('allocs', '--top', '2', '--', process.execPath, script);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toMatch(/ \(exit code 0; sampled every 512 KiB, objects still alive at exit\): [\d.]+ MB sampled in \d+ samples$/);
    expect(stdout).toMatch(/allocateLots\s+4:22\s+function allocateLots\(\) \{/);
  });

  test('a script alone runs with this Node; --include-collected counts freed objects too', () => {
    const script = writeProgram('churn.mjs', `
function churn() { let last; for (let i = 0; i < 200000; i++) last = { i, s: 'x' + i }; return last; }
churn();
`);
    const alive = JSON.parse(run('allocs', '--json', '--interval', '8KiB', '--', script).stdout);
    const all = JSON.parse(run('allocs', '--json', '--interval', '8KiB', '--include-collected', '--', script).stdout);
    expect(all.totalBytes).toBeGreaterThan(alive.totalBytes * 5);
    expect(all.functions[0].name).toBe('churn');
  });

  test('a program that fails still gets its report, with a note', () => {
    const script = writeProgram('fails.mjs', `${HOG}\nprocess.exit(3);\n`);
    const { code, stdout, stderr } = run('allocs', '--json', '--', 'node', script);
    expect(code).toBe(0);
    expect(stderr).toMatch(/exited with code 3/);
    expect(JSON.parse(stdout).functions[0].name).toBe('allocateLots');
  });

  test('SIGTERM to leakgraph: the program writes its profile as it ends, and the report follows', async () => {
    const script = writeProgram('server.mjs', `${HOG}\nsetInterval(() => {}, 1000);\nconsole.log('ready');\n`);
    const child = spawn(process.execPath, [CLI, 'allocs', '--json', '--', 'node', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const ready = new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
        if (stderr.includes('ready')) resolve();
      });
    });
    await ready;
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/was ended by SIGTERM/);
    expect(JSON.parse(stdout).functions[0].name).toBe('allocateLots');
  });

  test('not a Node command, a missing program, nothing to run: exit 2 with one line', () => {
    const notNode = run('allocs', '--', 'ls', '-l');
    expect(notNode.code).toBe(2);
    expect(notNode.stderr.trimEnd().split('\n')).toEqual(['leakgraph: allocs: "ls" is not node: run a Node program, as in leakgraph allocs -- node app.js']);
    const nothing = run('allocs', '--');
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/nothing to run after --/);
    const missing = run('allocs', '--', '/no/such/node', 'app.js');
    expect(missing.code).toBe(2);
    expect(missing.stderr.trimEnd().split('\n')).toEqual(['leakgraph: allocs: cannot run /no/such/node: no such program']);
  });
});

describe('profiledCommand', () => {
  test('node gets the sampling module first; a script runs with this Node; anything else is refused', () => {
    const preload = ['--import', expect.stringMatching(/^file:\/\/.*\/sampling-preload\.js$/)];
    expect(profiledCommand(['node', '--max-old-space-size=512', 'app.js', '--port', '3'])).toEqual(['node', ...preload, '--max-old-space-size=512', 'app.js', '--port', '3']);
    expect(profiledCommand(['/usr/local/bin/nodejs', 'app.js'])).toEqual(['/usr/local/bin/nodejs', ...preload, 'app.js']);
    expect(profiledCommand([process.execPath, 'a.js'])).toEqual([process.execPath, ...preload, 'a.js']);
    expect(profiledCommand(['server.mjs', 'x'])).toEqual([process.execPath, ...preload, 'server.mjs', 'x']);
    const shebang = tmpPath('tool');
    writeFileSync(shebang, '#!/usr/bin/env node\nconsole.log(1);\n');
    expect(profiledCommand([shebang])).toEqual([process.execPath, ...preload, shebang]);
    const shell = tmpPath('tool.sh');
    writeFileSync(shell, '#!/bin/sh\necho node\n');
    expect(profiledCommand([shell])).toBeNull();
    expect(profiledCommand(['npm', 'start'])).toBeNull();
    expect(profiledCommand([])).toBeNull();
  });
});

describe('allocs on heap snapshots', () => {
  test('with allocation stacks: a class\'s live instances, attributed to the function that made them', () => {
    const file = trackedSnapshotOfProgram('cli-widgets.mjs', `
class Widget { constructor(i) { this.id = i; } }
function makeWidgets(n) { const out = []; for (let i = 0; i < n; i++) out.push(new Widget(i)); return out; }
globalThis.widgets = makeWidgets(4000);
`);
    const { code, stdout } = run('allocs', file, '--json', '--class', 'Widget', '--stack');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(Object.keys(report)).toEqual(['file', 'className', 'liveObjects', 'liveBytes', 'untrackedObjects', 'untrackedBytes', 'unknownStackObjects', 'functions']);
    const [top] = report.functions;
    expect(Object.keys(top)).toEqual(['name', 'url', 'line', 'column', 'count', 'size', 'share', 'allocatedCount', 'allocatedBytes', 'classes', 'stacks']);
    expect([top.name, top.count, top.share]).toEqual(['makeWidgets', 4000, 1]);
    expect(top.url).toMatch(/cli-widgets\.mjs$/);
    expect(top.stacks[0].frames[0]).toEqual({ name: 'makeWidgets', url: top.url, line: top.line, column: top.column });
    const text = run('allocs', file, '--stack', '--top', '3');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^.*: [\d,]+ live objects \([\d.]+ [kM]B\) have an allocation stack; /);
    expect(text.stdout).toMatch(/makeWidgets\s+\d+:\d+\s+4,000 Widget/);
    expect(text.stdout).toMatch(/stack 1 of 1: [\d,]+ objects/);
  });

  test('without allocation stacks: one line saying so and how to take one, exit 2', () => {
    const { code, stdout, stderr } = run('allocs', 'samples/service-1.heapsnapshot.gz');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^leakgraph: samples\/service-1\.heapsnapshot\.gz: no allocation stacks in this snapshot: take one with allocation tracking on .*startTrackingHeapObjects.*trackAllocations: true/);
  });
});

describe('bad input', () => {
  test('a broken .heapprofile gets the same one-line error and exit code as a broken snapshot', () => {
    const profile = JSON.stringify({ head: { callFrame: { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 }, selfSize: 0, id: 1, children: [] }, samples: [] });
    const brokenProfile = tmpPath('broken.heapprofile');
    writeFileSync(brokenProfile, profile.slice(0, 60));
    const snapshotFile = tmpPath('whole.heapsnapshot');
    writeSnapshot(snapshotFile, minimalHeap());
    const brokenSnapshot = tmpPath('broken.heapsnapshot');
    writeFileSync(brokenSnapshot, readFileSync(snapshotFile).subarray(0, 200));
    const results = [run('allocs', brokenProfile), run('allocs', brokenSnapshot), run('summary', brokenSnapshot)];
    for (const [result, file] of [[results[0], brokenProfile], [results[1], brokenSnapshot], [results[2], brokenSnapshot]] as const) {
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0].startsWith(`leakgraph: ${file}: truncated`), lines[0]).toBe(true);
    }
    const notJson = tmpPath('garbage.heapprofile');
    writeFileSync(notJson, '{"head": nope}');
    const garbage = run('allocs', notJson);
    expect(garbage.code).toBe(2);
    expect(garbage.stderr).toMatch(new RegExp(`^leakgraph: ${notJson}: not a heap profile: not valid JSON \\(.*\\)\\n$`));
    const missing = run('allocs', '/no/such.heapprofile');
    expect(missing.stderr).toBe('leakgraph: /no/such.heapprofile: no such file\n');
    expect(missing.code).toBe(2);
  });

  test('options that do not go together: exit 2', () => {
    const profile = tmpPath('tiny.heapprofile');
    writeFileSync(profile, JSON.stringify({ head: { callFrame: { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 }, selfSize: 0, id: 1, children: [] }, samples: [] }));
    const cases: Array<[string[], RegExp]> = [
      [['allocs'], /give one \.heapprofile or \.heapsnapshot file/],
      [['allocs', profile, profile], /give one \.heapprofile or \.heapsnapshot file/],
      [['allocs', profile, '--stack'], /--stack and --class are for heap snapshots/],
      [['allocs', 'samples/service-1.heapsnapshot.gz', '--tree'], /--tree and --format svg are for heap profiles/],
      [['allocs', profile, '--json', '--format', 'svg'], /--json and --format svg do not go together/],
      [['allocs', profile, '--interval', '1KiB'], /--interval applies only to a command/],
      [['allocs', profile, '--min-share', '120'], /percentage from 0 to 100/],
      [['allocs', profile, '--format', 'png'], /Allowed choices are text, json, svg/],
      [['allocs', profile, '--', 'node', 'x.js'], /either a FILE or a command after --/],
    ];
    for (const [args, problem] of cases) {
      const result = run(...args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(problem);
    }
  });

  test('an empty profile says that nothing was sampled', () => {
    const profile = tmpPath('empty-samples.heapprofile');
    writeFileSync(profile, JSON.stringify({ head: { callFrame: { functionName: '(root)', scriptId: '0', url: '', lineNumber: -1, columnNumber: -1 }, selfSize: 0, id: 1, children: [] }, samples: [] }));
    const { code, stdout } = run('allocs', profile);
    expect(code).toBe(0);
    expect(stdout).toMatch(/0 B sampled in 0 samples\n\nNo allocation in this profile/);
    expect(JSON.parse(run('allocs', profile, '--json').stdout)).toEqual({ file: profile, totalBytes: 0, functions: [] });
  });
});
