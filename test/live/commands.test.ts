// The live and profile commands from the package (allocs, capture, record, plot) answer as the
// CLI's --json does; and the features around them, run end to end on real programs:
// snapshots with allocation stacks from capture and record, Ctrl-C forwarded by allocs --,
// capture's -o checked before connecting, plot to stdout.

import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import * as leakgraph from '../../src/index.js';
import { InspectorOutput } from '../../src/live/inspector-output.js';
import { runtimeCommandWith } from '../../src/live/run-program.js';
import { serializeTimeline } from '../../src/live/timeline.js';
import { tmpPath } from '../helpers/snapshot-builder.js';
import { trackedSnapshotOfProgram } from '../helpers/traced-snapshot.js';
import { CLI, killAll, LEAKY, runCli, startInspected, tempDir } from './support.js';
import { makeTimeline } from './timeline-fixture.js';

afterEach(killAll);

/** `leakgraph ARGS… --json` (before a `--`, whose words are the program's). */
async function cliJson(...args: string[]): Promise<unknown> {
  const dash = args.indexOf('--');
  const result = await runCli(dash < 0 ? [...args, '--json'] : [...args.slice(0, dash), '--json', ...args.slice(dash)]);
  expect(result.stderr).not.toMatch(/internal error/);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout);
}

/** A program that makes Widgets in `makeWidgets`, 100 every 50 ms, and keeps them. */
const WIDGETS = `class Widget { constructor(i) { this.id = i; this.label = 'w' + i; } }
const kept = [];
function makeWidgets(n) { for (let i = 0; i < n; i++) kept.push(new Widget(kept.length)); }
setInterval(() => makeWidgets(100), 50);
`;

function writeProgram(name: string, source: string): string {
  const file = tmpPath(name);
  writeFileSync(file, source);
  return file;
}

type LiveJson = { functions: Array<{ name: string; count: number; classes: Array<{ className: string }> }> };

describe('a live or profile command from the package equals the CLI\'s --json', () => {
  test('allocs: a tracked snapshot, and a profile saved by allocs -- node', async () => {
    const snapshot = trackedSnapshotOfProgram('library-widgets.mjs', 'class Widget {}\nfunction makeWidgets(n) { const out = []; for (let i = 0; i < n; i++) out.push(new Widget()); return out; }\nglobalThis.kept = makeWidgets(3000);\n');
    expect(await leakgraph.allocs(snapshot, { className: 'Widget', stack: true, top: 3 })).toEqual(await cliJson('allocs', snapshot, '--class', 'Widget', '--stack', '--top', '3'));
    const saved = tmpPath('run.heapprofile');
    const program = writeProgram('hog.mjs', 'globalThis.kept = []; function hog() { for (let i = 0; i < 50000; i++) kept.push({ i }); }\nhog();\n');
    // The program gets the built preload module (dist/), as a user of the package would.
    const built = (await import(pathToFileURL(resolve('dist/src/index.js')).href)) as typeof leakgraph;
    const run = (await built.allocs({ command: ['node', program] }, { save: saved, interval: 16384 })) as leakgraph.AllocsJson & { command: string[] };
    expect(run.command).toEqual(['node', program]);
    expect(run.file).toBe(saved);
    expect(await leakgraph.allocs(saved, { tree: true, minShare: 0.05 })).toEqual(await cliJson('allocs', saved, '--tree', '--min-share', '5'));
    expect(await leakgraph.allocs(saved, { file: 'hog.mjs' })).toEqual(await cliJson('allocs', saved, '--file', 'hog.mjs'));
  });

  test('plot: the same SVG, on stdout when no -o is given', async () => {
    const file = join(tempDir(), 'timeline.json');
    const samples = Array.from({ length: 30 }, (_, i) => ({ t: 100 * (i + 1), heapUsed: 5e6 + i * 50_000, heapTotal: 7e6, rss: 40e6 + i * 1e6 }));
    writeFileSync(file, serializeTimeline(makeTimeline(samples)));
    const cli = await runCli(['plot', file, '--width', '800']);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/^(<\?xml[^>]*>\s*)?<svg /);
    expect(await leakgraph.plot(file, { width: 800 })).toBe(cli.stdout);
    const written = join(tempDir(), 'plot.svg');
    expect((await runCli(['plot', file, '--width', '800', '-o', written])).stdout).toBe('');
    expect(readFileSync(written, 'utf8')).toBe(cli.stdout);
  });

  test('capture and record: the same shape of answer, and the snapshots they name', async () => {
    const target = await startInspected(LEAKY, ['--rate', '5']);
    const dir = tempDir();
    const fromLibrary = await leakgraph.capture({ ws: target.url }, join(dir, 'lib.heapsnapshot'), { gc: true });
    const fromCli = (await cliJson('capture', '--ws', target.url, '--gc', '-q', '-o', join(dir, 'cli.heapsnapshot'))) as leakgraph.CaptureJson;
    expect(fromLibrary).toEqual({ target: fromCli.target, trackAllocations: false, snapshots: [{ file: join(dir, 'lib.heapsnapshot'), size: expect.any(Number), milliseconds: expect.any(Number) }] });
    expect(fromCli.snapshots.map((snapshot) => snapshot.file)).toEqual([join(dir, 'cli.heapsnapshot')]);
    for (const { file, size } of [...fromLibrary.snapshots, ...fromCli.snapshots]) expect(readFileSync(file).length).toBe(size);

    const options = { interval: 50, snapshotAt: [300], duration: 900 };
    const recorded = await leakgraph.record(['node', LEAKY], join(dir, 'lib-run'), { ...options, onStderr: () => {} });
    const cliRecorded = (await cliJson('record', '-q', '-o', join(dir, 'cli-run'), '--interval', '50ms', '--snapshot-at', '300ms', '--duration', '900ms', '--', 'node', LEAKY)) as leakgraph.RecordJson;
    for (const [answer, run] of [[recorded, 'lib-run'], [cliRecorded, 'cli-run']] as const) {
      expect(Object.keys(answer)).toEqual(['directory', 'timelineFile', 'svgFile', 'timeline']);
      expect(answer.directory).toBe(join(dir, run));
      expect(answer.timeline).toEqual(JSON.parse(readFileSync(join(dir, run, 'timeline.json'), 'utf8')));
      expect(answer.svgFile).toBe(join(dir, run, 'timeline.svg'));
      expect(answer.timeline.snapshots.map((snapshot) => snapshot.file)).toEqual(['snapshot-001.heapsnapshot']);
      expect(answer.timeline.end.reason).toBe('duration');
    }
  }, 40_000);
});

describe('snapshots with allocation stacks, for allocs FILE.heapsnapshot', () => {
  test('capture --track-allocations --after: allocs names the function that made the Widgets kept meanwhile', async () => {
    const target = await startInspected(writeProgram('widgets.mjs', WIDGETS));
    const file = join(tempDir(), 'tracked.heapsnapshot');
    const result = await runCli(['capture', '--inspect', target.address, '--track-allocations', '--after', '1s', '-o', file]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^leakgraph: connected to node .*widgets\.mjs; tracking allocations\nleakgraph: snapshot 1 of 1 in 1000 ms\n/);
    const allocs = (await cliJson('allocs', file, '--class', 'Widget')) as LiveJson;
    const [top] = allocs.functions;
    expect(top.name).toBe('makeWidgets');
    // 100 every 50 ms for a second: some 2,000 (fewer on a busy machine), and none from before.
    expect(top.count).toBeGreaterThanOrEqual(500);
    expect(top.count % 100).toBe(0);
    // Without --after a single snapshot would have nothing to show.
    const refused = await runCli(['capture', '--inspect', target.address, '--track-allocations', '-o', file]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^leakgraph: capture: --track-allocations needs --after DURATION/);
  });

  test('record --track-allocations: every snapshot of the recording has the stacks', async () => {
    const dir = join(tempDir(), 'run');
    const result = await runCli(['record', '-q', '-o', dir, '--snapshot-at', '800ms', '--duration', '1200ms', '--track-allocations', '--', writeProgram('widgets.mjs', WIDGETS)]);
    expect(result.code, result.stderr).toBe(0);
    const allocs = (await cliJson('allocs', join(dir, 'snapshot-001.heapsnapshot'), '--class', 'Widget')) as LiveJson;
    expect(allocs.functions[0].name).toBe('makeWidgets');
    expect(allocs.functions[0].count).toBeGreaterThanOrEqual(100);
  });
});

describe('running programs', () => {
  test('allocs -- node: SIGINT to leakgraph reaches the program, which writes its profile; the report follows, exit 130', async () => {
    const script = writeProgram('server.mjs', 'globalThis.kept = []; function hog() { for (let i = 0; i < 100000; i++) kept.push({ i }); }\nhog();\nsetInterval(() => {}, 1000);\nconsole.log(\'ready\');\n');
    // Only leakgraph gets the signal (not the process group, as a terminal's Ctrl-C would).
    const child = spawn(process.execPath, [CLI, 'allocs', '--json', '--', 'node', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    await new Promise<void>((resolve) => child.stderr.on('data', (chunk) => ((stderr += chunk), stderr.includes('ready') && resolve())));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toMatch(/was ended by SIGINT/);
    expect(code, stderr).toBe(130);
    expect(JSON.parse(stdout).functions[0].name).toBe('hog');
  });

  test('capture -o into a missing folder fails at once, before connecting', async () => {
    let requests = 0;
    const server = http.createServer((_, res) => {
      requests++;
      res.end('[]');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const missing = join(tempDir(), 'no-such-dir', 'x.heapsnapshot');
      const result = await runCli(['capture', '--inspect', `127.0.0.1:${port}`, '-o', missing]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^leakgraph: cannot write .*no-such-dir\/x\.heapsnapshot: no such directory/);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(requests).toBe(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('the inspector\'s lines on a program\'s stderr are read, not passed on (Node\'s and Deno\'s)', () => {
    const seen: string[] = [];
    let passed = '';
    const output = new InspectorOutput({ onListening: (url) => seen.push(url), onProgramDone: () => seen.push('done'), onText: (text) => (passed += text) });
    output.write('Debugger listening on ws://127.0.0.1:4242/abc\nVisit chrome://inspect to connect to the debugger.\nDebugger session started.\napp: ');
    output.write('ready\nFor help, see: https://nodejs.org/en/docs/inspector\nDebugger attached.\nDebug');
    output.write('ger ending on ws://127.0.0.1:4242/abc\nWaiting for the debugger to disconnect...\nDebugger session ended\nbye');
    output.end();
    expect(seen).toEqual(['ws://127.0.0.1:4242/abc', 'done']);
    expect(passed).toBe('app: ready\nbye');
  });

  test('commands are rewritten for Node and Deno in one place; anything else is refused', () => {
    const flags = ['--inspect=127.0.0.1:0'];
    expect(runtimeCommandWith(['node', '--expose-gc', 'app.js', '-v'], flags)).toEqual({ runtime: 'node', file: 'node', args: [...flags, '--expose-gc', 'app.js', '-v'] });
    expect(runtimeCommandWith(['app.cjs'], flags)).toEqual({ runtime: 'node', file: process.execPath, args: [...flags, 'app.cjs'] });
    expect(runtimeCommandWith(['deno', 'run', '--allow-net', 'server.ts', '8000'], flags)).toEqual({ runtime: 'deno', file: 'deno', args: ['run', ...flags, '--allow-net', 'server.ts', '8000'] });
    expect(runtimeCommandWith(['/opt/bin/deno', 'main.ts'], flags)).toEqual({ runtime: 'deno', file: '/opt/bin/deno', args: ['run', ...flags, 'main.ts'] });
    expect(runtimeCommandWith(['deno', 'fmt'], flags)).toBeNull();
    expect(runtimeCommandWith(['npm', 'start'], flags)).toBeNull();
    // The sampling profiler's preload is Node's: allocs -- deno is refused.
    expect(leakgraph.profiledCommand(['deno', 'run', 'x.ts'])).toBeNull();
  });
});

const DENO = join(process.cwd(), 'node_modules', '.bin', 'deno');
const hasDeno = existsSync(DENO);
const DENO_LEAK = `class Session { constructor(n) { this.id = 's' + n; this.data = [n, n + 1]; } }
const sessions = new Map();
let n = 0;
setInterval(() => { for (let i = 0; i < 50; i++) { const s = new Session(n++); sessions.set(s.id, s); } }, 10);
`;

const DENO_TITLE = hasDeno ? 'Deno programs (the deno npm package\'s binary)' : `Deno programs: skipped, ${DENO} is missing (npm ci installs the deno dev dependency)`;

describe.runIf(hasDeno)(DENO_TITLE, () => {
  test('record -- deno run: samples, snapshots, and leaks names the Sessions held by sessions', async () => {
    const dir = join(tempDir(), 'deno-run');
    const script = writeProgram('deno-leak.js', DENO_LEAK);
    const result = await runCli(['record', '-o', dir, '--interval', '50ms', '--snapshot-at', '500ms,1500ms,2500ms', '--duration', '3s', '--leaks', '--min-retained', '10kB', '--', DENO, 'run', script], { timeout: 40_000 });
    expect(result.stderr).not.toMatch(/internal error|Debugger|Visit chrome/);
    expect(result.code, result.stderr).toBe(0);
    const timeline = JSON.parse(readFileSync(join(dir, 'timeline.json'), 'utf8')) as leakgraph.Timeline;
    expect(timeline.command).toEqual([DENO, 'run', script]);
    expect(timeline.samples.length).toBeGreaterThanOrEqual(5);
    expect(timeline.snapshots).toHaveLength(3);
    expect(result.stdout).toMatch(/\d[\d,]* × Session, held by `sessions`/);
    expect(readdirSync(dir).filter((name) => name.includes('.partial-'))).toEqual([]);
  }, 45_000);

  test('a Deno program that ends by itself ends the recording, with its exit code', async () => {
    const dir = join(tempDir(), 'deno-ends');
    const script = writeProgram('deno-ends.js', `${DENO_LEAK}setTimeout(() => { console.error('deno: done'); Deno.exit(0); }, 800);\n`);
    const result = await runCli(['record', '-q', '-o', dir, '--', DENO, script]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('deno: done\n');
    const timeline = JSON.parse(readFileSync(join(dir, 'timeline.json'), 'utf8')) as leakgraph.Timeline;
    expect(timeline.end).toEqual({ reason: 'exit', exitCode: 0, signal: null });
    expect(timeline.duration).toBeLessThan(10_000);
  });

  test('capture --inspect from deno run --inspect=127.0.0.1:0', async () => {
    const child = spawn(DENO, ['run', '--inspect=127.0.0.1:0', writeProgram('deno-leak.js', DENO_LEAK)], { stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      let stderr = '';
      const address = await new Promise<string>((resolve, reject) => {
        child.stderr.setEncoding('utf8').on('data', (text: string) => {
          stderr += text;
          const match = /Debugger listening on ws:\/\/(127\.0\.0\.1:\d+)\//.exec(stderr);
          if (match) resolve(match[1]);
        });
        child.on('exit', (code) => reject(new Error(`deno exited (${code}): ${stderr}`)));
      });
      const file = join(tempDir(), 'deno.heapsnapshot');
      const result = await runCli(['capture', '--inspect', address, '--gc', '-o', file]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/^leakgraph: connected to node file:\/\/\/.*deno-leak\.js\n/);
      const sessions = leakgraph.summarizeClasses(await leakgraph.loadSnapshot(file)).find((row) => row.name === 'Session');
      expect(sessions?.count).toBeGreaterThan(0);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
