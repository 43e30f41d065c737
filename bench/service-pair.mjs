// Writes two (or three) heap snapshots of one process, a user-lookup service whose cache grows
// between them (like the bundled `service` sample, ~60 MB each):
//   node --expose-gc bench/service-pair.mjs PREFIX [usersFirst=27000] [usersSecond=33000] [usersThird]
// gives PREFIX-1.heapsnapshot and PREFIX-2.heapsnapshot, and PREFIX-3.heapsnapshot with a third count.
import { randomUUID } from 'node:crypto';
import v8 from 'node:v8';

const [prefix, usersFirst = '27000', usersSecond = '33000', usersThird] = process.argv.slice(2);
if (!prefix || typeof globalThis.gc !== 'function') {
  console.error('usage: node --expose-gc bench/service-pair.mjs PREFIX [usersFirst] [usersSecond]');
  process.exit(2);
}

class User {
  constructor(id, name) {
    this.id = id;
    this.name = name;
    this.email = `${name.toLowerCase()}@example.com`;
    this.createdAt = new Date();
    this.preferences = { theme: 'dark', language: 'en', pageSize: 25 };
    this.recentSearches = [`${name} search 1`, `${name} search 2`];
  }
}
class Session {
  constructor(user) {
    this.user = user;
    this.token = randomUUID();
    this.started = Date.now();
  }
}

const cache = new Map();
let sessions = [];
let made = 0;
function serve(upTo) {
  for (; made < upTo; made++) {
    const user = new User(randomUUID(), `User${made}`);
    cache.set(user.id, user);
    if (made % 5 === 0) sessions.push(new Session(user));
  }
}
function snapshot(step) {
  globalThis.gc();
  v8.writeHeapSnapshot(`${prefix}-${step}.heapsnapshot`);
}

serve(Number(usersFirst));
snapshot(1);
sessions = sessions.slice(sessions.length / 2); // half the sessions end
serve(Number(usersSecond));
snapshot(2);
if (usersThird !== undefined) {
  sessions = sessions.slice(sessions.length / 2);
  serve(Number(usersThird));
  snapshot(3);
}
