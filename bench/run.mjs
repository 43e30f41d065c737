// `npm run bench`: benchmarks, never part of `npm test`. Whole processes, interleaved runs, wall
// time and peak RSS (GNU time when present), medians, and the ratio leakgraph / peer.
//   node bench/run.mjs [--runs N] [--sizes 5,50,200,600] [--strings] [--no-chain] [--no-peers] [--no-growth] [--no-leaks] [--no-serve]
// --strings adds the string-heavy snapshot (300,000 users with 1,000-character bios, about 600 MB
// and 300 MB of strings; 5–6 more minutes); --no-chain leaves out the two-way chain (1,000,000 links,
// 228 MB), the dominators' worst case.
// Snapshots are written once into bench/snapshots/ (not committed) by bench/generate.mjs.
// memlab lives in bench/peers/ with its own package.json (it pulls in puppeteer, whose install
// would download a browser); this script installs it there with that download turned off.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const argument = (name, fallback) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : fallback;
};
const runsOverride = argument('--runs', null);
const sizes = argument('--sizes', '5,50,200,600').split(',').map(Number);
const withStrings = process.argv.includes('--strings');
const withChain = !process.argv.includes('--no-chain');
const withPeers = !process.argv.includes('--no-peers');
const withGrowth = !process.argv.includes('--no-growth');
const withLeaks = !process.argv.includes('--no-leaks');
const withServe = !process.argv.includes('--no-serve');
const snapshots = `${root}bench/snapshots`;
const gnuTime = existsSync('/usr/bin/time');

// Users in the cache for each nominal size (MB), calibrated on Node 20: 620,000 users ≈ 594 MB,
// 8 M nodes, 25 M edges (peer-measurements.md's s600 has 7.96 M nodes in 593 MB).
const USERS_PER_MB = 1044;

function measure(command, args) {
  const argv = gnuTime ? ['/usr/bin/time', '-f', '%e %M', command, ...args] : [command, ...args];
  const start = process.hrtime.bigint();
  const result = spawnSync(argv[0], argv.slice(1), { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) return { failed: (result.stderr.trim().split('\n').find((line) => /Error|error:/.test(line)) ?? `exit ${result.status}`).slice(0, 120), wall };
  const timed = gnuTime ? result.stderr.trim().split('\n').pop().split(' ') : null;
  // GNU time reports KiB; MB here is 10^6 bytes, as for the file sizes, so that RSS / file is bytes over bytes.
  return { wall: timed ? Number(timed[0]) : wall, rssMB: timed ? (Number(timed[1]) * 1024) / 1e6 : NaN };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Runs each contender `runs` times, interleaved, and returns medians (or the failure). */
function compare(contenders, runs) {
  const results = contenders.map(() => []);
  for (let run = 0; run < runs; run++) {
    contenders.forEach((contender, index) => {
      const last = results[index].at(-1);
      if (!last?.failed) results[index].push(measure(...contender));
    });
  }
  return results.map((list) => (list.some((r) => r.failed) ? list.find((r) => r.failed) : { wall: median(list.map((r) => r.wall)), rssMB: median(list.map((r) => r.rssMB)) }));
}

const cell = (r) => (r.failed ? `FAIL (${r.failed})` : `${r.wall.toFixed(2)} s / ${r.rssMB.toFixed(0)} MB`);
const ratio = (a, b) => (a.failed || b.failed ? '–' : `${(a.wall / b.wall).toFixed(2)}× / ${(a.rssMB / b.rssMB).toFixed(2)}×`);

function run(command, args, env = {}) {
  const made = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  return made.status === 0;
}

function ensureSnapshot(nominalMB) {
  const file = `${snapshots}/s${nominalMB}.heapsnapshot`;
  if (!existsSync(file)) {
    console.log(`writing ${file} (not committed)…`);
    if (!run(process.execPath, ['--max-old-space-size=16000', 'bench/generate.mjs', String(Math.round(nominalMB * USERS_PER_MB)), file])) process.exit(1);
  }
  return file;
}

/** A snapshot written once by a generator script; `null` in `args` stands for the file. */
function ensureGenerated(name, args) {
  const file = `${snapshots}/${name}.heapsnapshot`;
  if (!existsSync(file)) {
    console.log(`writing ${file} (not committed)…`);
    const withFile = args.includes(null) ? args.map((arg) => arg ?? file) : [...args, file];
    if (!run(process.execPath, ['--max-old-space-size=16000', ...withFile])) process.exit(1);
  }
  return file;
}

function ensurePeers() {
  if (existsSync(`${root}bench/peers/node_modules/@memlab/heap-analysis`)) return true;
  console.log('installing memlab into bench/peers (puppeteer download off)…');
  const installed = run('npm', ['ci', '--prefix', 'bench/peers', '--no-audit', '--no-fund'], { PUPPETEER_SKIP_DOWNLOAD: '1', PUPPETEER_SKIP_CHROMIUM_DOWNLOAD: '1' });
  if (!installed) console.log('memlab could not be installed; its column is left out');
  return installed;
}

if (!existsSync(`${root}dist/cli/index.js`)) throw new Error('build first: npm run build');
mkdirSync(snapshots, { recursive: true });
const memlab = withPeers && ensurePeers();
const files = sizes.map(ensureSnapshot);
if (withChain) files.push(ensureGenerated('chain', ['bench/two-way-chain.mjs', '1000000']));
if (withStrings) files.push(ensureGenerated('bios300', ['bench/generate.mjs', '300000', null, '1000']));

console.log(`\nMachine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}. Medians of interleaved whole-process runs; cells are wall / peak RSS.`);
// Start-up: the CLI imports only the command asked for; --version against Node itself.
{
  const [version, bare, help] = compare([[process.execPath, ['dist/cli/index.js', '--version']], [process.execPath, ['-e', '0']], [process.execPath, ['dist/cli/index.js', 'summary', '--help']]], Number(runsOverride ?? 11));
  console.log(`\n| start-up | leakgraph --version ${cell(version)} | node -e 0 ${cell(bare)} | ${ratio(version, bare)} | summary --help (one command's imports) ${cell(help)} |`);
}

console.log('\n| snapshot | leakgraph `summary` | s per 100 MB | peak RSS / file | toolkit parse + aggregates | memlab `getFullHeapFromFile` | leakgraph / toolkit (time / RSS) | leakgraph / memlab |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
const phaseLines = [];
for (const file of files) {
  const mb = statSync(file).size / 1e6;
  const runs = Number(runsOverride ?? (mb < 100 ? 5 : 3));
  const contenders = [[process.execPath, ['dist/cli/index.js', 'summary', file, '--json', '--quiet']]];
  if (withPeers) contenders.push([process.execPath, ['bench/toolkit-summary.mjs', file]]);
  if (memlab) contenders.push([process.execPath, ['bench/peers/memlab-summary.cjs', file]]);
  const [ours, toolkit, memlabResult] = compare(contenders, runs);
  const perMB = ours.failed ? '–' : (ours.wall / mb * 100).toFixed(2);
  const rssRatio = ours.failed ? '–' : `${(ours.rssMB / mb).toFixed(2)}×`;
  const none = { failed: 'not run' };
  phaseLines.push(summaryPhases(file, mb));
  console.log(`| ${file.split('/').pop().replace('.heapsnapshot', '')} ${mb.toFixed(1)} MB (${runs} runs) | ${cell(ours)} | ${perMB} | ${rssRatio} | ${toolkit ? cell(toolkit) : '–'} | ${memlabResult ? cell(memlabResult) : '–'} | ${ratio(ours, toolkit ?? none)} | ${ratio(ours, memlabResult ?? none)} |`);
}
console.log(`\nsummary phases (one more run each, LEAKGRAPH_PHASES=1; dominators is the span from the page-owned marks to the dominators' answer, a worker's alongside classes, shallow sizes and distances on heaps of 0.5 to 3 million nodes; peak is RSS so far):\n${phaseLines.join('\n')}`);

if (withGrowth) {
  const pair = [`${snapshots}/service-1.heapsnapshot`, `${snapshots}/service-2.heapsnapshot`];
  if (!pair.every((file) => existsSync(file))) {
    console.log('writing the growth pair (bench/snapshots, not committed)…');
    if (!run(process.execPath, ['--expose-gc', 'bench/service-pair.mjs', `${snapshots}/service`])) process.exit(1);
  }
  const contenders = [[process.execPath, ['dist/cli/index.js', 'growth', ...pair, '--json', '--quiet']]];
  if (withPeers) contenders.push([process.execPath, ['bench/toolkit-diff.mjs', ...pair]]);
  const [ours, toolkit] = compare(contenders, Number(runsOverride ?? 5));
  const sizesText = pair.map((file) => (statSync(file).size / 1e6).toFixed(1)).join(' + ');
  console.log(`\n| growth of ${sizesText} MB | leakgraph ${cell(ours)} | toolkit diffFromStreams ${toolkit ? cell(toolkit) : '–'} | ${toolkit ? ratio(ours, toolkit) : '–'} |`);
}

// leaks of a triple: the whole process against memlab's findLeaksBySnapshotFilePaths, and the
// share of leakgraph's time that goes to folding and holder search (code origins, clustering on
// folded paths, names, holders, linked lists), from LEAKGRAPH_PHASES. The readable paths are one
// search of the heap, as the shortest paths they replace were; they are listed, not added. The
// final snapshot's load phases are listed too; the older snapshots are read in a worker meanwhile,
// and "older snapshots" is how long the main thread then waited for each.
if (withLeaks) {
  const triple = [1, 2, 3].map((step) => `${snapshots}/leaks-${step}.heapsnapshot`);
  if (!triple.every((file) => existsSync(file))) {
    console.log('writing the leaks triple (bench/snapshots, not committed)…');
    if (!run(process.execPath, ['--expose-gc', 'bench/service-pair.mjs', `${snapshots}/leaks`, '24000', '30000', '28000'])) process.exit(1);
  }
  const contenders = [[process.execPath, ['dist/cli/index.js', 'leaks', ...triple, '--json', '--quiet']]];
  if (memlab) contenders.push([process.execPath, ['bench/peers/memlab-leaks.cjs', ...triple]]);
  const [ours, peer] = compare(contenders, Number(runsOverride ?? 5));
  const sizesText = triple.map((file) => (statSync(file).size / 1e6).toFixed(1)).join(' + ');
  console.log(`\n| leaks of ${sizesText} MB | leakgraph ${cell(ours)} | memlab findLeaksBySnapshotFilePaths ${peer ? cell(peer) : '–'} | ${peer ? ratio(ours, peer) : '–'} |`);
  console.log(readableShare(triple));
}

// serve: the explorer on the largest snapshot of --sizes and on the leaks triple (verdict, growth):
// seconds until it serves, the first screen's requests, each API question's median (bench/serve.mjs).
if (withServe) {
  const largest = `${snapshots}/s${Math.max(...sizes)}.heapsnapshot`;
  for (const files of [[largest], [1, 2, 3].map((step) => `${snapshots}/leaks-${step}.heapsnapshot`)]) {
    if (!files.every((file) => existsSync(file))) continue;
    const served = spawnSync(process.execPath, ['bench/serve.mjs', ...files], { cwd: root, encoding: 'utf8' });
    console.log(`\n${served.status === 0 ? served.stdout.trim() : `serve ${files.join(' ')}: FAIL ${served.stderr.trim().split('\n')[0]}`}`);
  }
}

/** Phases of one `summary` run, and the dominators' share of the load. */
function summaryPhases(file, mb) {
  const phased = spawnSync(process.execPath, ['dist/cli/index.js', 'summary', file, '--json', '--quiet'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, LEAKGRAPH_PHASES: '1' } });
  const phases = [];
  let peak = 0;
  for (const line of phased.stderr.split('\n')) {
    const match = /^leakgraph: .+?: ([a-z ]+) ([\d.]+) s, rss \d+ MB \(peak (\d+)/.exec(line);
    if (!match) continue;
    phases.push([match[1], Number(match[2])]);
    peak = Math.max(peak, Number(match[3]));
  }
  const load = phases.reduce((sum, [phase, seconds]) => (phase === 'dominators' ? sum : sum + seconds), 0);
  const dominators = phases.find(([phase]) => phase === 'dominators')?.[1] ?? 0;
  const list = phases.map(([phase, seconds]) => `${phase} ${seconds.toFixed(2)}`).join(', ');
  return `- ${file.split('/').pop()} (${mb.toFixed(1)} MB): ${list} s; dominators span ${dominators.toFixed(2)} s against ${load.toFixed(2)} s for the other phases; peak ${peak} MB`;
}

/** Phases of one `leaks` run: the final snapshot's load, then how much the readable answer costs. */
function readableShare(triple) {
  const phased = spawnSync(process.execPath, ['dist/cli/index.js', 'leaks', ...triple, '--json', '--quiet'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, LEAKGRAPH_PHASES: '1' } });
  const start = process.hrtime.bigint();
  spawnSync(process.execPath, ['dist/cli/index.js', 'leaks', ...triple, '--json', '--quiet'], { cwd: root, maxBuffer: 1 << 28 });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  const readable = new Set(['code origins', 'folded clusters', 'names', 'holders', 'linked lists']);
  const phases = new Map();
  const load = [];
  for (const line of phased.stderr.split('\n')) {
    const match = /^leakgraph: leaks: (.+) ([\d.]+) s$/.exec(line);
    if (match) phases.set(match[1], (phases.get(match[1]) ?? 0) + Number(match[2]));
    const loaded = /^leakgraph: [^:]+: ([a-z ]+) ([\d.]+) s, rss/.exec(line);
    if (loaded) load.push(`${loaded[1]} ${loaded[2]}`);
  }
  const added = [...phases].filter(([phase]) => readable.has(phase)).reduce((sum, [, seconds]) => sum + seconds, 0);
  const list = [...phases].map(([phase, seconds]) => `${phase} ${seconds.toFixed(2)} s`).join(', ');
  return `leaks: the final snapshot's load ${load.join(', ')} s; then ${list}. Folding and holder search (code origins, folded clusters, names, holders, lists): ${added.toFixed(2)} s of ${wall.toFixed(2)} s (${((added / wall) * 100).toFixed(1)}%).`;
}
