// service: a user-lookup HTTP service with an unbounded cache.
//
// Every request creates a User, stores it in the module-level `cache` under a
// fresh random id, and never removes it. The cache only ever grows, so the
// User objects (and their per-user data) retained by `cache` dominate the
// growth between snapshots.
//
// Usage: node --expose-gc samples/service.mjs <output-prefix>
// Writes <output-prefix>-1.heapsnapshot, -2 and -3.

import http from 'node:http';
import { randomUUID } from 'node:crypto';
import v8 from 'node:v8';

const prefix = process.argv[2] ?? 'service';

class User {
  constructor(id, name, email) {
    this.id = id;
    this.name = name;
    this.email = email;
    this.createdAt = new Date();
    // Some per-user data, as a real service would keep.
    this.preferences = { theme: 'dark', language: 'en', pageSize: 25 };
    this.recentSearches = [`${name} search 1`, `${name} search 2`];
  }
}

// The leak: a module-level cache with no size limit and no eviction.
const cache = new Map();

function lookupUser(name) {
  const id = randomUUID();
  const user = new User(id, name, `${name.toLowerCase()}@example.com`);
  cache.set(id, user);
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
    await get(port, `/users?name=User${i}`);
  }
}

function snapshot(n) {
  global.gc();
  const file = v8.writeHeapSnapshot(`${prefix}-${n}.heapsnapshot`);
  console.log(`service: wrote ${file} (cache size ${cache.size})`);
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
