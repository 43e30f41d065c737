// `npm start`: the bundled user-lookup service sample, end to end — what the heap holds, what
// grew, what leaks and who holds it — then the picture and the report to attach to a bug
// report, written into leakgraph-demo/. Runs the built CLI (dist/) as a user would.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = 'leakgraph-demo';
mkdirSync(new URL(`../${out}`, import.meta.url), { recursive: true });
const snapshots = [1, 2, 3].map((step) => `samples/service-${step}.heapsnapshot.gz`);
const steps = [
  ['summary', snapshots[2], '--top', '8'],
  ['growth', ...snapshots, '--top', '8'],
  ['leaks', ...snapshots],
  ['path', snapshots[2], '--type', 'User', '--limit', '1'],
  ['backrefs', snapshots[2], '--type', 'User', '-o', `${out}/service-backrefs.svg`],
  ['report', ...snapshots, '-o', `${out}/service-report.html`],
];
for (const args of steps) {
  console.log(`\n$ leakgraph ${args.join(' ')}`);
  const result = spawnSync(process.execPath, ['dist/cli/index.js', ...args], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
console.log(`\nOpen ${out}/service-report.html in a browser, and ${out}/service-backrefs.svg for the picture.`);
