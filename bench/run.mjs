// `npm run bench`: benchmarks, never part of `npm test`. Whole processes, interleaved runs,
// wall time and peak RSS (GNU time when present), medians, and the ratio leakgraph / peer.
//   node bench/run.mjs [--runs N]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 5;
const snapshots = `${root}bench/snapshots`;
const gnuTime = existsSync('/usr/bin/time');

function measure(command, args) {
  const argv = gnuTime ? ['/usr/bin/time', '-f', '%e %M', command, ...args] : [command, ...args];
  const start = process.hrtime.bigint();
  const result = spawnSync(argv[0], argv.slice(1), { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
  const timed = gnuTime ? result.stderr.trim().split('\n').pop().split(' ') : null;
  return { wall: timed ? Number(timed[0]) : wall, rssMB: timed ? Number(timed[1]) / 1024 : NaN };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function compare(label, ours, peer) {
  const results = { ours: [], peer: [] };
  for (let run = 0; run < runs; run++) {
    results.ours.push(measure(...ours));
    results.peer.push(measure(...peer));
  }
  const row = (side) => ({ wall: median(results[side].map((r) => r.wall)), rss: median(results[side].map((r) => r.rssMB)) });
  const a = row('ours');
  const b = row('peer');
  console.log(`| ${label} | ${a.wall.toFixed(2)} s / ${a.rss.toFixed(0)} MB | ${b.wall.toFixed(2)} s / ${b.rss.toFixed(0)} MB | ${(a.wall / b.wall).toFixed(2)}× | ${(a.rss / b.rss).toFixed(2)}× |`);
}

if (!existsSync(`${root}dist/cli/index.js`)) throw new Error('build first: npm run build');
mkdirSync(snapshots, { recursive: true });
const pair = [`${snapshots}/service-1.heapsnapshot`, `${snapshots}/service-2.heapsnapshot`];
if (!pair.every((file) => existsSync(file))) {
  console.log('writing the benchmark snapshots (bench/snapshots, not committed)…');
  const made = spawnSync(process.execPath, ['--expose-gc', 'bench/service-pair.mjs', `${snapshots}/service`], { cwd: root, stdio: 'inherit' });
  if (made.status !== 0) process.exit(1);
}
const sizes = pair.map((file) => (statSync(file).size / 1e6).toFixed(1)).join(' + ');
console.log(`\nMachine: ${process.arch}, Node ${process.version}; ${runs} interleaved runs each, medians.`);
console.log('\n| operation | leakgraph (wall / peak RSS) | peer | time ratio | RSS ratio |');
console.log('|---|---:|---:|---:|---:|');
compare(`summary of ${(statSync(pair[1]).size / 1e6).toFixed(1)} MB vs toolkit parse + Summary aggregates`, [process.execPath, ['dist/cli/index.js', 'summary', pair[1], '--json', '--quiet']], [process.execPath, ['bench/toolkit-summary.mjs', pair[1]]]);
compare(`growth of ${sizes} MB vs toolkit diffFromStreams`, [process.execPath, ['dist/cli/index.js', 'growth', ...pair, '--json', '--quiet']], [process.execPath, ['bench/toolkit-diff.mjs', ...pair]]);
