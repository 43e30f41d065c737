// `leakgraph serve`'s speed: how long until it serves, how long the first screen's requests take,
// and the median time of each kind of API question after that, each asked of several objects
// (different ids, so no answer comes from the server's cache).
//   node bench/serve.mjs FILE… [--asks N]
// Prints one markdown row per question, and a summary line for bench/run.mjs.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const asksAt = args.indexOf('--asks');
const asks = asksAt >= 0 ? Number(args.splice(asksAt, 2)[1]) : 9;
const files = args;
if (files.length === 0) {
  console.error('usage: node bench/serve.mjs FILE… [--asks N]');
  process.exit(2);
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Starts the server; resolves with its URL, the process and the seconds until it served. */
function startServe() {
  const start = performance.now();
  const child = spawn(process.execPath, ['dist/cli/index.js', 'serve', ...files, '--port', '0', '--quiet'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const url = /serving on (\S+)/.exec(stderr)?.[1];
      if (url) resolve({ url, child, seconds: (performance.now() - start) / 1000 });
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
}

async function timed(url) {
  const start = performance.now();
  const response = await fetch(url);
  const body = await response.text();
  if (!response.ok) throw new Error(`${url}: ${response.status} ${body.slice(0, 200)}`);
  return { ms: performance.now() - start, body };
}

const { url, child, seconds } = await startServe();
try {
  const api = (path) => new URL(path, url).href;
  // The first screen: the page, its assets and the questions it asks first, in parallel as a browser does.
  const firstStart = performance.now();
  await timed(url);
  const first = ['/assets/app.js', '/assets/app.css', '/api/files', '/api/summary?top=0'];
  if (files.length >= 2) first.push('/api/growth?top=0', '/api/leaks', '/api/leaks/diagram?cluster=1');
  await Promise.all(first.map((path) => timed(api(path)).catch(() => null)));
  const firstScreen = performance.now() - firstStart;

  const summary = JSON.parse((await timed(api('/api/summary?top=0'))).body);
  const biggest = summary.classes.find((row) => row.count >= 1000 && !row.name.startsWith('(')) ?? summary.classes[0];
  const type = encodeURIComponent(biggest.name);
  // Objects to ask about: spread over the class's pages.
  const pages = [];
  for (let i = 0; i < asks; i++) pages.push(Math.floor((i * biggest.count) / asks / 50));
  const ids = [];
  for (const page of pages) ids.push(JSON.parse((await timed(api(`/api/instances?type=${type}&offset=${page * 50}&limit=50`))).body).instances[0].id);

  const questions = [
    ['summary (all classes)', () => '/api/summary?top=0'],
    [`instances of ${biggest.name} (a page of 50)`, (i) => `/api/instances?type=${type}&offset=${pages[i] * 50}&limit=50`],
    ['objects/ID (inspect)', (i) => `/api/objects/${ids[i]}`],
    ['paths?id=ID', (i) => `/api/paths?id=${ids[i]}`],
    ['why/ID', (i) => `/api/why/${ids[i]}`],
    ['backrefs?id=ID (JSON)', (i) => `/api/backrefs?id=${ids[i]}`],
    ['refs?id=ID (JSON)', (i) => `/api/refs?id=${ids[i]}`],
  ];
  if (files.length >= 2) questions.push(['growth', () => '/api/growth?top=0'], ['leaks', () => '/api/leaks']);
  const rows = [];
  for (const [label, path] of questions) {
    const times = [];
    for (let i = 0; i < asks; i++) times.push((await timed(api(path(i)))).ms);
    rows.push([label, median(times), Math.max(...times)]);
  }
  const names = files.map((file) => file.split('/').pop()).join(', ');
  console.log(`serve ${names}: serving after ${seconds.toFixed(1)} s; first screen's requests ${firstScreen.toFixed(0)} ms`);
  console.log('| question | median | slowest |');
  console.log('| --- | ---: | ---: |');
  for (const [label, med, max] of rows) console.log(`| ${label} | ${med.toFixed(0)} ms | ${max.toFixed(0)} ms |`);
  const worst = rows.reduce((a, b) => (b[1] > a[1] ? b : a));
  console.log(`SERVE ${names} | serving after ${seconds.toFixed(1)} s | first screen ${firstScreen.toFixed(0)} ms | slowest median: ${worst[0]} ${worst[1].toFixed(0)} ms`);
} finally {
  child.kill('SIGTERM');
}
