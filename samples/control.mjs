// control: the same kind of user-lookup work as `service`, without a leak.
//
// Users are cached in a bounded, LRU-ish Map: when the cache is full, the
// oldest entry (the first key in insertion order) is deleted before a new one
// is added, and a hit moves the entry to the back. After warm-up the number
// of live CachedUser objects stays at MAX_ENTRIES, so snapshots 2 and 3 hold
// about the same objects.
//
// Usage: node --expose-gc samples/control.mjs <output-prefix>
// Writes <output-prefix>-1.heapsnapshot, -2 and -3.

import http from 'node:http';
import { randomUUID } from 'node:crypto';
import v8 from 'node:v8';

const prefix = process.argv[2] ?? 'control';
const MAX_ENTRIES = 100;

class CachedUser {
  constructor(id, name, email) {
    this.id = id;
    this.name = name;
    this.email = email;
    this.createdAt = new Date();
    this.preferences = { theme: 'dark', language: 'en', pageSize: 25 };
    this.recentSearches = [`${name} search 1`, `${name} search 2`];
  }
}

// Bounded cache: Map keeps insertion order, so the first key is the oldest.
const cache = new Map();

function remember(key, user) {
  if (cache.has(key)) cache.delete(key);
  cache.set(key, user);
  while (cache.size > MAX_ENTRIES) {
    cache.delete(cache.keys().next().value);
  }
}

function lookupUser(name) {
  const hit = cache.get(name);
  if (hit) {
    remember(name, hit); // refresh its position
    return hit;
  }
  const user = new CachedUser(randomUUID(), name, `${name.toLowerCase()}@example.com`);
  remember(name, user);
  return user;
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://localhost');
  const user = lookupUser(url.searchParams.get('name') ?? 'anonymous');
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ id: user.id, name: user.name, email: user.email }));
});

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function get(port, path) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

async function sendRequests(port, count, start) {
  for (let i = start; i < start + count; i++) {
    // Mostly new names, with some repeats so the cache also gets hits.
    const n = i % 5 === 0 ? i - 3 : i;
    await get(port, `/users?name=User${n}`);
  }
}

function snapshot(n) {
  global.gc();
  const file = v8.writeHeapSnapshot(`${prefix}-${n}.heapsnapshot`);
  console.log(`control: wrote ${file} (cache size ${cache.size})`);
}

await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();

await sendRequests(port, 200, 0);
snapshot(1);
await sendRequests(port, 800, 200);
snapshot(2);
await sendRequests(port, 800, 1000);
snapshot(3);

agent.destroy();
server.close();
