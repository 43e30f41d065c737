// deno: a session service running on Deno, whose session store never forgets.
//
// Every request to the Deno.serve handler opens a Session (id, user, start
// time, the request's path and user agent, a small cart) and stores it in the
// module-level `sessions` Map under a fresh random id. Nothing ever closes a
// session, so the Session objects retained by `sessions` grow with the
// traffic. The program sends requests to itself over 127.0.0.1.
//
// Deno writes V8 heap snapshots through its `node:v8` compatibility module.
//
// Usage: deno run --v8-flags=--expose-gc --allow-net=127.0.0.1 --allow-write=DIR samples/deno.mjs DIR/<prefix>
// Writes <prefix>-1.heapsnapshot, -2 and -3.

import v8 from 'node:v8';

const prefix = Deno.args[0] ?? 'deno';

class Session {
  constructor(id, user, path, userAgent) {
    this.id = id;
    this.user = user;
    this.startedAt = new Date();
    this.path = path;
    this.userAgent = userAgent;
    this.cart = [{ sku: `sku-${user.length}`, quantity: 1 }];
  }
}

// The leak: a module-level store with no expiry.
const sessions = new Map();

function openSession(request) {
  const url = new URL(request.url);
  const user = url.searchParams.get('user') ?? 'anonymous';
  const session = new Session(crypto.randomUUID(), user, url.pathname, request.headers.get('user-agent') ?? '');
  sessions.set(session.id, session);
  return session;
}

const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen() {} }, (request) => {
  const session = openSession(request);
  return Response.json({ session: session.id, user: session.user });
});

async function sendRequests(count, start) {
  for (let i = start; i < start + count; i++) {
    const response = await fetch(`http://127.0.0.1:${server.addr.port}/login?user=user${i}`);
    await response.json();
  }
}

function snapshot(n) {
  globalThis.gc();
  const file = v8.writeHeapSnapshot(`${prefix}-${n}.heapsnapshot`);
  console.log(`deno: wrote ${file} (${sessions.size} sessions)`);
}

await sendRequests(200, 0);
snapshot(1);
await sendRequests(800, 200);
snapshot(2);
await sendRequests(800, 1000);
snapshot(3);

await server.shutdown();
