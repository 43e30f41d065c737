// `leakgraph capture` against a real Node process started with --inspect=127.0.0.1:0, and
// against a fake inspector that fails half-way (the file must then not exist at all).

import { existsSync, readdirSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { afterEach, describe, expect, test } from 'vitest';
import { compareSnapshots, loadSnapshot, summarizeClasses } from '../../src/index.js';
import { killAll, LEAKY, runCli, startChromium, startInspected, tempDir } from './support.js';

afterEach(killAll);

const sessions = async (file: string) => summarizeClasses(await loadSnapshot(file)).find((row) => row.name === 'Session')?.count ?? 0;

describe('capture from a Node process', () => {
  test('--inspect HOST:PORT writes a snapshot that loads, with progress on stderr', async () => {
    const target = await startInspected(LEAKY, ['--rate', '10']);
    const file = join(tempDir(), 'app.heapsnapshot');
    const result = await runCli(['capture', '--inspect', target.address, '-o', file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^leakgraph: connected to node file:\/\/\/.*leaky\.mjs\n/);
    expect(result.stderr).toMatch(/: taking the snapshot\n.*: writing\n/s);
    expect(result.stderr).toMatch(/leakgraph: wrote .*app\.heapsnapshot \([\d.]+ MB\) in \d/);
    expect(await sessions(file)).toBeGreaterThan(0);
    expect(readdirSync(join(file, '..'))).toEqual(['app.heapsnapshot']);
    // The process goes on running.
    expect(target.child.exitCode).toBeNull();
  });

  test('--ws URL with --gc; --count and --every take a comparable series in one session', async () => {
    const target = await startInspected(LEAKY, ['--rate', '10']);
    const dir = tempDir();
    const one = await runCli(['capture', '--ws', target.url, '--gc', '-o', join(dir, 'one.heapsnapshot'), '--quiet']);
    expect(one.code).toBe(0);
    expect(one.stderr).toBe('');
    expect(await sessions(join(dir, 'one.heapsnapshot'))).toBeGreaterThan(0);

    const series = await runCli(['capture', '--inspect', target.address, '-o', join(dir, 'series.heapsnapshot'), '--count', '2', '--every', '1s']);
    expect(series.code).toBe(0);
    expect(series.stderr).toMatch(/snapshot 2 of 2 in \d/);
    const files = [join(dir, 'series-1.heapsnapshot'), join(dir, 'series-2.heapsnapshot')];
    // Object ids are shared within the session: Sessions are new in the second, none deleted.
    const growth = await compareSnapshots(files);
    const row = growth.classes.find((entry) => entry.name === 'Session')!;
    expect(row.new).toBeGreaterThan(0);
    expect(row.deleted).toBe(0);
    expect(row.counts[1]).toBeGreaterThan(row.counts[0]);
  });

  test('refuses remote hosts unless --allow-remote; unreachable or wrong ports fail in one line', async () => {
    const file = join(tempDir(), 'x.heapsnapshot');
    for (const args of [['--inspect', '192.0.2.1:9229'], ['--ws', 'ws://10.1.2.3:9229/abc'], ['--inspect', 'example.com:9229']]) {
      const remote = await runCli(['capture', ...args, '-o', file]);
      expect(remote.code).toBe(2);
      expect(remote.stderr).toMatch(/^leakgraph: \S+ is not a loopback address; .* \(pass --allow-remote to connect anyway/);
      expect(remote.stderr.trim().split('\n')).toHaveLength(1);
    }
    // A port nothing listens on (a server closed at once frees its port).
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const refused = await runCli(['capture', '--inspect', `127.0.0.1:${port}`, '-o', file]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^leakgraph: cannot reach the inspector at 127\.0\.0\.1:\d+ \(ECONNREFUSED\) — is the process running with --inspect\?/);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    const usage = await runCli(['capture', '-o', file]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe('leakgraph: capture: give one of --inspect HOST:PORT or --ws URL (see leakgraph capture --help)\n');
    const count = await runCli(['capture', '--inspect', '9229', '--count', '3', '-o', file]);
    expect(count.code).toBe(2);
    expect(count.stderr).toMatch(/--count needs --every/);
    expect(existsSync(file)).toBe(false);
  });
});

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe.runIf(existsSync(CHROMIUM))('capture from a Chromium page', () => {
  test('--inspect picks the page (--target) and the snapshot has its detached DOM', async () => {
    const page = "data:text/html,<title>leaking page</title><script>window.kept = []; for (let i = 0; i < 300; i++) kept.push(document.createElement('section'));</script>";
    const browser = await startChromium(CHROMIUM, page);
    const file = join(tempDir(), 'page.heapsnapshot');
    // The page is listed before its <title> is parsed: wait until it has one.
    for (let i = 0; i < 40 && !(await pageTitles(browser.address)).includes('leaking page'); i++) await delay(125);
    let result = await runCli(['capture', '--inspect', browser.address, '--target', 'leaking page', '--gc', '-o', file]);
    // The page may still be loading when the browser starts listening.
    for (let i = 0; i < 20 && result.code !== 0 && /no target matches/.test(result.stderr); i++) {
      await delay(250);
      result = await runCli(['capture', '--inspect', browser.address, '--target', 'leaking page', '--gc', '-o', file]);
    }
    expect(result.stderr).toMatch(/^leakgraph: connected to page "leaking page" data:text\/html,/);
    expect(result.code).toBe(0);
    const detached = summarizeClasses(await loadSnapshot(file)).find((row) => row.name === 'Detached <section>');
    expect(detached?.count).toBe(300);
  });
});

/** A fake inspector: `/json/list` and a WebSocket whose takeHeapSnapshot does `behaviour`. */
/** The titles of the pages a browser's inspector lists. */
async function pageTitles(address: string): Promise<string[]> {
  try {
    const targets = (await (await fetch(`http://${address}/json/list`)).json()) as Array<{ type: string; title: string }>;
    return targets.filter((target) => target.type === 'page').map((target) => target.title);
  } catch {
    return [];
  }
}

async function fakeInspector(behaviour: (socket: WebSocket, id: number) => void): Promise<{ address: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const { port } = server.address() as AddressInfo;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify([{ id: 'fake', type: 'node', title: 'fake', url: 'file:///fake.js', webSocketDebuggerUrl: `ws://127.0.0.1:${port}/fake` }]));
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (socket) => {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { id: number; method: string };
      if (message.method === 'HeapProfiler.takeHeapSnapshot') behaviour(socket, message.id);
      else socket.send(JSON.stringify({ id: message.id, result: {} }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise((resolve) => wss.close(resolve));
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('capture failures leave no file', () => {
  test('the target goes away half-way through the snapshot', async () => {
    const dir = tempDir();
    let during: string[] = [];
    const fake = await fakeInspector((socket) => {
      const chunk = (text: string) => socket.send(JSON.stringify({ method: 'HeapProfiler.addHeapSnapshotChunk', params: { chunk: text } }));
      chunk('{"snapshot":{"meta":{},"node_count":3,');
      chunk('"edge_count":0},"nodes":[');
      setTimeout(() => {
        during = readdirSync(dir);
        socket.terminate();
      }, 200);
    });
    try {
      const file = join(dir, 'half.heapsnapshot');
      const result = await runCli(['capture', '--inspect', fake.address, '-o', file]);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n').pop()).toMatch(/^leakgraph: the inspector connection to ws:\/\/127\.0\.0\.1:\d+\/fake closed \(did the process exit\?\)$/);
      // While it was being written it had a temporary name; now it is gone.
      expect(during).toEqual([expect.stringMatching(/^half\.heapsnapshot\.partial-\d+$/)]);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      await fake.close();
    }
  });

  test('the target answers with an error', async () => {
    const fake = await fakeInspector((socket, id) => {
      socket.send(JSON.stringify({ method: 'HeapProfiler.addHeapSnapshotChunk', params: { chunk: '{"snapshot":' } }));
      socket.send(JSON.stringify({ id, error: { code: -32000, message: 'Heap snapshot failed' } }));
    });
    try {
      const dir = tempDir();
      const result = await runCli(['capture', '--inspect', fake.address, '-o', join(dir, 'err.heapsnapshot'), '-q']);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe('leakgraph: HeapProfiler.takeHeapSnapshot: Heap snapshot failed (-32000)\n');
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      await fake.close();
    }
  });
});
