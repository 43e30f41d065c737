// The in-process endpoint (`leakgraph/http`) in a real server process: credentials, text and
// JSON summaries, the raw snapshot, one snapshot at a time.

import http, { type IncomingHttpHeaders } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { memoryHandler } from '../../src/http/memory-handler.js';
import { loadSnapshot, summarizeClasses } from '../../src/index.js';
import { killAll, startServer, tempDir } from './support.js';

afterEach(killAll);

const SERVER = 'test/fixtures/endpoint-server.mjs';
const BEARER = { authorization: 'Bearer s3cret-token' };
const basic = (user: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` });

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, path, headers, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    request.on('error', reject);
    request.end();
  });
}

async function server(args: string[] = []): Promise<number> {
  const { ready } = await startServer(SERVER, args);
  return ready.port as number;
}

describe('memoryHandler', () => {
  test('401 without credentials or with wrong ones', async () => {
    const port = await server();
    const wrong = [{}, { authorization: 'Bearer nope' }, { authorization: 'Bearer s3cret-token-and-more' }, basic('admin', 'wrong'), basic('root', 'hunter2'), { authorization: 'Basic !!!' }, { authorization: 's3cret-token' }];
    for (const headers of wrong) {
      const answer = await get(port, '/debug/memory', headers);
      expect(answer.status).toBe(401);
      expect(answer.headers['www-authenticate']).toBe('Basic realm="leakgraph", charset="UTF-8", Bearer realm="leakgraph"');
      expect(answer.body.toString()).toBe('Unauthorized: this endpoint needs credentials.\n');
    }
    // Credentials come before anything else: no hint about methods or parameters without them.
    expect((await get(port, '/debug/memory?download=1', {}, 'POST')).status).toBe(401);
  });

  test('the summary as text with a bearer token, as JSON with basic auth', async () => {
    const port = await server();
    const text = await get(port, '/debug/memory', BEARER);
    expect(text.status).toBe(200);
    expect(text.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(text.headers['cache-control']).toBe('no-store');
    const body = text.body.toString();
    expect(body).toMatch(/^pid \d+: [\d,]+ nodes, [\d,]+ edges, [\d.]+ MB total, loaded in [\d.]+ s\n\nClass +Count +Shallow +Retained +Distance\n/);
    expect(body).toMatch(/\(10 of \d+ classes; --top 0 shows all\)\n$/);

    const json = await get(port, '/debug/memory?top=0', { ...basic('admin', 'hunter2'), accept: 'application/json' });
    expect(json.status).toBe(200);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    const report = JSON.parse(json.body.toString());
    expect(Object.keys(report)).toEqual(['file', 'nodeCount', 'edgeCount', 'totalSize', 'classes']);
    const widget = report.classes.find((row: { name: string }) => row.name === 'Widget');
    expect(widget.count).toBe(20000);

    const byQuery = JSON.parse((await get(port, '/debug/memory?format=json&top=3&sort=count', BEARER)).body.toString());
    expect(byQuery.classes).toHaveLength(3);
    expect(byQuery.classes[0].count).toBeGreaterThanOrEqual(byQuery.classes[1].count);

    expect((await get(port, '/debug/memory?format=xml', BEARER)).status).toBe(400);
    expect((await get(port, '/debug/memory?top=-1', BEARER)).status).toBe(400);
    const post = await get(port, '/debug/memory', BEARER, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET');
  });

  test('?download=1 streams the raw snapshot; a second request meanwhile gets 429', async () => {
    const port = await server();
    // Start a download and stop reading it: the snapshot stays in progress.
    let first!: http.IncomingMessage;
    const request = http.get({ host: '127.0.0.1', port, path: '/debug/memory?download=1', headers: BEARER });
    await new Promise<void>((resolve) => request.on('response', (res) => {
      first = res;
      res.pause();
      resolve();
    }));
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-disposition']).toMatch(/^attachment; filename="[\w.-]+-\d+-\d{8}T\d{6}Z\.heapsnapshot"$/);
    const busy = await get(port, '/debug/memory', BEARER);
    expect(busy.status).toBe(429);
    expect(busy.headers['retry-after']).toBe('10');

    // Read the rest: it is a snapshot leakgraph loads, with the server's Widgets in it.
    const chunks: Buffer[] = [];
    first.on('data', (chunk: Buffer) => chunks.push(chunk));
    const ended = new Promise((resolve) => first.on('end', resolve));
    first.resume();
    await ended;
    const file = join(tempDir(), 'download.heapsnapshot');
    writeFileSync(file, Buffer.concat(chunks));
    const widget = summarizeClasses(await loadSnapshot(file)).find((row) => row.name === 'Widget');
    expect(widget?.count).toBe(20000);

    // The lock is released once the download is done.
    expect((await get(port, '/debug/memory?top=1', BEARER)).status).toBe(200);
  }, 30_000);

  test('called as Express middleware, with next', async () => {
    const port = await server(['--express']);
    const answer = await get(port, '/debug/memory?top=1', basic('admin', 'hunter2'));
    expect(answer.status).toBe(200);
    expect(answer.body.toString()).toMatch(/\(1 of \d+ classes/);
  });

  test('refuses to be created without credentials', () => {
    expect(() => memoryHandler({})).toThrow('leakgraph/http: memoryHandler needs credentials: a "token", or a "username" and "password"');
    expect(() => memoryHandler({ username: 'admin' })).toThrow(/give both "username" and "password"/);
    expect(() => memoryHandler({ token: '' })).toThrow(/"token" must be a non-empty string/);
    expect(() => memoryHandler({ username: 'a:b', password: 'x' })).toThrow(/without ":"/);
    expect(() => memoryHandler({ token: 't', top: -1 })).toThrow(/"top" must be a non-negative integer/);
    expect(typeof memoryHandler({ token: 't' })).toBe('function');
  });
});
