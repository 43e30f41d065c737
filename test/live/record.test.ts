// `leakgraph record` and `leakgraph plot` on real programs: a leaking sample recorded until
// --duration, one that ends by itself, snapshots on SIGUSR2, and the timeline they leave.

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { loadSnapshot, summarizeClasses } from '../../src/index.js';
import { parseTimeline, serializeTimeline, type Timeline } from '../../src/live/timeline.js';
import { checkSvg } from './svg-check.js';
import { killAll, LEAKY, runCli, tempDir } from './support.js';
import { makeTimeline } from './timeline-fixture.js';

afterEach(killAll);

const readTimeline = (dir: string): Timeline => parseTimeline(readFileSync(join(dir, 'timeline.json'), 'utf8'), 'timeline.json');
const sessionCount = async (file: string) => summarizeClasses(await loadSnapshot(file)).find((row) => row.name === 'Session')?.count ?? 0;

describe('record', () => {
  test('a leaking program: the timeline rises, the snapshots load, --leaks names the leak', async () => {
    const dir = join(tempDir(), 'run');
    // Snapshots 1.5 s apart: on a busy machine one takes a second or more, and the program is
    // paused meanwhile, so it needs the rest of the time to leak something between them.
    const result = await runCli(['record', '-o', dir, '--interval', '50ms', '--snapshot-at', '1s,2500ms,4s', '--duration', '5500ms', '--leaks', '--min-retained', '20kB', '--', 'node', LEAKY], { timeout: 28_000 });
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code).toBe(0);

    const timeline = readTimeline(dir);
    expect(timeline.end.reason).toBe('duration');
    expect(timeline.command).toEqual(['node', LEAKY]);
    expect(timeline.samples.length).toBeGreaterThanOrEqual(5);
    const first = timeline.samples[0];
    const last = timeline.samples[timeline.samples.length - 1];
    expect(last.t).toBeGreaterThan(first.t);
    // It rises: the last sample above the first, the trend up (by about 1 MB/s on an idle machine).
    expect(last.heapUsed).toBeGreaterThan(first.heapUsed);
    expect(timeline.trends.heapUsed!.slope).toBeGreaterThan(0);
    for (const sample of timeline.samples) expect(sample.rss).toBeGreaterThan(sample.heapUsed);
    // The JSON's own trends are what plot recomputes.
    expect(JSON.parse(readFileSync(join(dir, 'timeline.json'), 'utf8')).trends).toEqual(timeline.trends);

    // Snapshots at the times asked (later only when the one before took long), each loadable, Sessions piling up.
    expect(timeline.snapshots.length).toBeGreaterThanOrEqual(2);
    expect(timeline.snapshots[0].t).toBeGreaterThanOrEqual(1000);
    expect(timeline.snapshots.map((snapshot) => snapshot.trigger)).toEqual(timeline.snapshots.map(() => 'at'));
    const counts: number[] = [];
    for (const snapshot of timeline.snapshots) counts.push(await sessionCount(join(dir, snapshot.file)));
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThan(counts[i - 1]);
    expect(readdirSync(dir).filter((name) => name.includes('.partial-'))).toEqual([]);

    // The summary, then leaks on the first, middle and last snapshot.
    expect(result.stdout).toMatch(/^Recorded node test\/fixtures\/leaky\.mjs \(pid \d+\) for \d+\.\d s, until --duration/);
    expect(result.stdout).toMatch(/heap used .* \+[\d.]+ [kMG]?B\/s\n/);
    expect(result.stdout).toContain(`$ leakgraph leaks ${join(dir, 'snapshot-001.heapsnapshot')}`);
    expect(result.stdout).toMatch(/Leaked objects, by what holds them \(retaining 20\.0 kB or more\):/);
    expect(result.stdout).toMatch(/\d[\d,]* × Session/);
    expect(result.stdout).toMatch(/->sessions Map @\d+/);
    expect(result.stdout).toMatch(/Containers that grew at every step:\n\n1\. Map @\d+/);

    // timeline.svg: valid, with a marker per snapshot and the trend in the legend.
    const svg = readFileSync(join(dir, 'timeline.svg'), 'utf8');
    checkSvg(svg);
    expect(svg.match(/<line [^>]*><title>snapshot-\d+\.heapsnapshot at /g)).toHaveLength(timeline.snapshots.length);
    expect(svg).toMatch(/heap used trend \+[\d.]+ [kMG]?B\/s/);
    expect(svg).toContain('<g class="panel" id="panel-heap-used">');
    expect(svg).toContain('<g class="panel" id="panel-rss">');
    // plot redraws it byte for byte.
    const plotted = await runCli(['plot', join(dir, 'timeline.json'), '-o', '-']);
    expect(plotted.code).toBe(0);
    expect(plotted.stdout).toBe(svg);
  }, 30_000);

  test('a program that ends by itself; --snapshot-every; --include-children; --fail', async () => {
    const dir = join(tempDir(), 'run');
    const result = await runCli(['record', '-o', dir, '--interval', '100ms', '--snapshot-every', '1s', '--include-children', '--leaks', '--min-retained', '20kB', '--fail', '--', LEAKY, '--exit-after', '3500', '--child'], { timeout: 28_000 });
    expect(result.stderr).not.toMatch(/internal error/);
    const timeline = readTimeline(dir);
    // The program's own stderr passes through; the inspector's lines do not.
    expect(result.stderr).toMatch(/leaky: done after \d+ sessions/);
    expect(result.stderr).not.toMatch(/Debugger (listening|attached)|Waiting for the debugger/);
    expect(timeline.end).toEqual({ reason: 'exit', exitCode: 0, signal: null });
    expect(timeline.duration).toBeGreaterThanOrEqual(3500);
    expect(timeline.duration).toBeLessThan(15_000);
    expect(timeline.includeChildren).toBe(true);
    expect(timeline.snapshots.length).toBeGreaterThanOrEqual(2);
    expect(new Set(timeline.snapshots.map((snapshot) => snapshot.trigger))).toEqual(new Set(['every']));
    // The child holds a 20 MB buffer.
    expect(Math.max(...timeline.samples.map((sample) => sample.childrenRss!))).toBeGreaterThan(20_000_000);
    // --fail: the leak found makes the exit code 1.
    expect(result.stdout).toMatch(/× Session|Containers that grew at every step:\n\n1\. Map/);
    expect(result.code).toBe(1);
  }, 30_000);

  test('SIGUSR2 takes a snapshot; SIGINT stops the program and still writes everything', async () => {
    const dir = join(tempDir(), 'run');
    let leakgraph: import('node:child_process').ChildProcess | undefined;
    const done = runCli(['record', '-o', dir, '--', 'node', LEAKY, '--rate', '5'], { onSpawn: (child) => (leakgraph = child) });
    const waitFor = async (pattern: RegExp, text: () => string) => {
      for (let i = 0; i < 200 && !pattern.test(text()); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    };
    let stderr = '';
    leakgraph!.stderr!.on('data', (text: string) => (stderr += text));
    await waitFor(/recording node/, () => stderr);
    await new Promise((resolve) => setTimeout(resolve, 300));
    leakgraph!.kill('SIGUSR2');
    await waitFor(/snapshot-001\.heapsnapshot at/, () => stderr);
    leakgraph!.kill('SIGINT');
    const result = await done;
    expect(result.code).toBe(130);
    const timeline = readTimeline(dir);
    expect(timeline.end.reason).toBe('stopped');
    expect(timeline.snapshots).toHaveLength(1);
    expect(timeline.snapshots[0].trigger).toBe('signal');
    expect((await loadSnapshot(join(dir, timeline.snapshots[0].file))).snapshot.nodeCount).toBeGreaterThan(10_000);
    expect(existsSync(join(dir, 'timeline.svg'))).toBe(true);
    expect(result.stdout).toMatch(/until interrupted/);
  }, 30_000);

  test('bad input: exit 2 with one line', async () => {
    const dir = tempDir();
    const wrapper = await runCli(['record', '-o', join(dir, 'a'), '--', 'npm', 'start']);
    expect(wrapper.code).toBe(2);
    expect(wrapper.stderr).toMatch(/^leakgraph: record runs Node programs: COMMAND must be node or a \.js, \.mjs or \.cjs file, not "npm"/);
    expect(wrapper.stderr.trim().split('\n')).toHaveLength(1);
    const interval = await runCli(['record', '-o', join(dir, 'b'), '--interval', '100', '--', 'node', LEAKY]);
    expect(interval.code).toBe(2);
    expect(interval.stderr).toMatch(/expected a duration with a unit/);
    const leaksAlone = await runCli(['record', '-o', join(dir, 'c'), '--fail', '--', 'node', LEAKY]);
    expect(leaksAlone.code).toBe(2);
    const late = await runCli(['record', '-o', join(dir, 'c'), '--snapshot-at', '1s,30s', '--duration', '20s', '--', 'node', LEAKY]);
    expect(late.stderr).toBe('leakgraph: record: --snapshot-at 30.0 s is not before --duration 20.0 s (see leakgraph record --help)\n');
    const missing = await runCli(['record', '-o', join(dir, 'd'), '--', '/no/such/node', 'x.js']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^leakgraph: cannot start \/no\/such\/node: .*ENOENT/);
    // A directory that holds a recording is not overwritten.
    const first = await runCli(['record', '-o', join(dir, 'e'), '--duration', '300ms', '--', 'node', LEAKY]);
    expect(first.code).toBe(0);
    const again = await runCli(['record', '-o', join(dir, 'e'), '--duration', '300ms', '--', 'node', LEAKY]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds a recording/);
  }, 30_000);
});

describe('plot', () => {
  test('bad timelines: exit 2 with one line', async () => {
    const missing = await runCli(['plot', '/no/such/timeline.json', '-o', '-']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('leakgraph: /no/such/timeline.json: no such file\n');
    const notTimeline = await runCli(['plot', 'package.json', '-o', '-']);
    expect(notTimeline.code).toBe(2);
    expect(notTimeline.stderr).toMatch(/^leakgraph: package\.json: not a leakgraph timeline \(no "samples" list\)\n$/);
    const small = await runCli(['plot', 'package.json', '-o', '-', '--height', '300']);
    expect(small.code).toBe(2);
    expect(small.stderr).toBe('leakgraph: plot: the image must be at least 400 × 400 pixels (see leakgraph plot --help)\n');
  });

  test('two panels by default, heap used alone with --series heapUsed, the same bytes every run', async () => {
    const file = join(tempDir(), 'timeline.json');
    const samples = Array.from({ length: 60 }, (_, i) => ({ t: 100 + i * 100, heapUsed: 4.6e6 + i * 75_000, heapTotal: 6e6 + i * 90_000, rss: 45e6 + i * 1.7e6 }));
    writeFileSync(file, serializeTimeline(makeTimeline(samples, { snapshots: [{ t: 3000, file: 'snapshot-001.heapsnapshot', trigger: 'at', size: 1e7, duration: 200 }] })));
    const first = await runCli(['plot', file, '-o', '-']);
    const second = await runCli(['plot', file, '-o', '-']);
    expect(first.code).toBe(0);
    checkSvg(first.stdout);
    expect(second.stdout).toBe(first.stdout);
    expect(first.stdout.match(/<g class="panel" id="panel-[\w-]+">/g)).toEqual(['<g class="panel" id="panel-heap-used">', '<g class="panel" id="panel-rss">']);
    expect(first.stdout).toContain('axis from 4 MB, not 0');
    const heapOnly = await runCli(['plot', file, '-o', '-', '--series', 'heapUsed']);
    expect(heapOnly.stdout.match(/<g class="panel" id="panel-[\w-]+">/g)).toEqual(['<g class="panel" id="panel-heap-used">']);
  });
});
