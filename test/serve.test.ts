// `leakgraph serve`: the API answers what the CLI's --json prints, from the three service
// snapshots loaded once; bounds, errors, the token, the loopback rule and a clean stop.

import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BusyError, QueryQueue } from '../src/serve/queue.js';
import { SERVICE_SAMPLES, startServe, type ServeProcess } from './helpers/serve.js';

const CLI = 'dist/cli/index.js';
const LAST = SERVICE_SAMPLES[2];

const execFileAsync = promisify(execFile);

/** The CLI's --json, run without blocking this process (its HTTP client keeps timers). */
async function cliJson(...args: string[]): Promise<unknown> {
  const { stdout } = await execFileAsync(process.execPath, [CLI, ...args, '--json', '--quiet'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout);
}

describe('serve', () => {
  let served: ServeProcess;
  const get = (path: string, init?: RequestInit) => fetch(new URL(path, served.url), init);
  const getJson = async (path: string) => {
    const response = await get(path);
    expect(response.status, path).toBe(200);
    return response.json() as Promise<unknown>;
  };

  beforeAll(async () => {
    served = await startServe([...SERVICE_SAMPLES, '--quiet']);
  });
  afterAll(async () => {
    // SIGINT, as Ctrl-C: the server closes and the process ends with 0.
    expect(await served.stop('SIGINT')).toBe(0);
  });

  test('prints where it serves, on loopback', () => {
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(served.stderr()).toMatch(/^leakgraph: serving on http:\/\/127\.0\.0\.1:\d+\/\n$/);
  });

  test('summary, growth and leaks equal the CLI\'s --json', async () => {
    expect(await getJson('/api/summary?top=0')).toEqual(await cliJson('summary', LAST, '--top', '0'));
    expect(await getJson('/api/summary?sort=count&top=5')).toEqual(await cliJson('summary', LAST, '--sort', 'count', '--top', '5'));
    expect(await getJson('/api/growth')).toEqual(await cliJson('growth', ...SERVICE_SAMPLES));
    expect(await getJson('/api/growth?top=0&sort=size')).toEqual(await cliJson('growth', ...SERVICE_SAMPLES, '--top', '0', '--sort', 'size'));
    expect(await getJson('/api/leaks')).toEqual(await cliJson('leaks', ...SERVICE_SAMPLES));
    expect(await getJson('/api/leaks?minRetained=0&top=3')).toEqual(await cliJson('leaks', ...SERVICE_SAMPLES, '--min-retained', '0', '--top', '3'));
  });

  test('an older snapshot: its own numbers', async () => {
    const first = (await getJson('/api/summary?file=0')) as { file: string; nodeCount: number; totalSize: number };
    const cli = (await cliJson('summary', SERVICE_SAMPLES[0])) as typeof first;
    expect([first.file, first.nodeCount, first.totalSize]).toEqual([cli.file, cli.nodeCount, cli.totalSize]);
    expect(await getJson('/api/objects/105785?file=service-1.heapsnapshot.gz')).toEqual(await cliJson('inspect', SERVICE_SAMPLES[0], '@105785'));
  });

  test('objects, paths, why and backrefs equal the CLI\'s --json', async () => {
    expect(await getJson('/api/objects/125425')).toEqual(await cliJson('inspect', LAST, '@125425'));
    expect(await getJson('/api/objects/@102945?refs=3')).toEqual(await cliJson('inspect', LAST, '@102945', '--refs', '3'));
    expect(await getJson('/api/paths?type=User&limit=2')).toEqual(await cliJson('path', LAST, '--type', 'User', '--limit', '2'));
    expect(await getJson('/api/paths?id=125425')).toEqual(await cliJson('path', LAST, '--id', '125425'));
    expect(await getJson('/api/why/125425')).toEqual(await cliJson('why', LAST, '@125425'));
    expect(await getJson('/api/backrefs?type=User')).toEqual(await cliJson('backrefs', LAST, '--type', 'User'));
    expect(await getJson('/api/refs?id=102945')).toEqual(await cliJson('refs', LAST, '@102945'));
    const svg = await get('/api/backrefs?id=125425&format=svg');
    expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(await svg.text()).toContain('@125425');
  });

  test('instances of a class: pages by retained size, all of them once', async () => {
    type Page = { total: number; instances: Array<{ id: number; retainedSize: number }> };
    const pages: Page[] = [];
    for (let offset = 0; offset < 1800; offset += 500) pages.push((await getJson(`/api/instances?type=User&offset=${offset}&limit=500`)) as Page);
    const all = pages.flatMap((page) => page.instances);
    expect(pages[0].total).toBe(1800);
    expect(new Set(all.map((node) => node.id)).size).toBe(1800);
    expect(all.every((node, i) => i === 0 || all[i - 1].retainedSize >= node.retainedSize)).toBe(true);
    const largest = (await cliJson('inspect', LAST, '--type', 'User', '--limit', '3')) as Array<{ id: number }>;
    expect(all.slice(0, 3).map((node) => node.id)).toEqual(largest.map((node) => node.id));
  });

  test('bad questions get one error line and a 4xx', async () => {
    const cases: Array<[string, number, RegExp]> = [
      ['/api/objects/999999999', 404, /no object with id @999999999/],
      ['/api/instances?type=user', 400, /did you mean "User"/],
      ['/api/instances?type=User&limit=501', 400, /limit: expected an integer from 1 to 500/],
      ['/api/paths?type=User&limit=0', 400, /limit/],
      ['/api/summary?file=7', 400, /no snapshot "7"/],
      ['/api/nothing', 404, /no such API/],
    ];
    for (const [path, status, message] of cases) {
      const response = await get(path);
      expect(response.status, path).toBe(status);
      expect(((await response.json()) as { error: string }).error).toMatch(message);
    }
  });

  test('the page and its assets; nothing from another name of this address', async () => {
    const page = await get('/');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(await page.text()).toContain('/assets/app.js');
    expect((await get('/assets/app.js')).status).toBe(200);
    const rebound = await new Promise<number>((resolve, reject) => {
      // fetch() may not set Host; node:http does.
      import('node:http').then(({ get: httpGet }) => httpGet(new URL('/api/files', served.url), { headers: { host: 'attacker.example:80' } }, (res) => resolve(res.statusCode ?? 0)).on('error', reject), reject);
    });
    expect(rebound).toBe(403);
  });
});

test('any loopback address serves without a token, by that address', async () => {
  const served = await startServe([LAST, '--host', '127.0.0.2', '--quiet']);
  try {
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.2:\d+\/$/);
    expect((await fetch(new URL('/api/files', served.url))).status).toBe(200);
  } finally {
    await served.stop('SIGTERM');
  }
});

describe('serve refuses', () => {
  test('off loopback without --token: refused in one line, exit 2', () => {
    const result = spawnSync(process.execPath, [CLI, 'serve', LAST, '--host', '0.0.0.0', '--port', '0'], { encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^leakgraph: serve: --host 0\.0\.0\.0 .*--token.*\n$/);
  });

  test('a port in use: one line before any loading, exit 2', async () => {
    const { createServer } = await import('node:http');
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const { stderr } = await execFileAsync(process.execPath, [CLI, 'serve', LAST, '--port', String(port)]).then(
        () => ({ stderr: 'exited with 0' }),
        (error: { code: number; stderr: string }) => ({ stderr: `${error.code} ${error.stderr}` }),
      );
      expect(stderr).toBe(`2 leakgraph: serve: port ${port} on 127.0.0.1 is in use: give another --port (0 picks a free one)\n`);
    } finally {
      taken.close();
    }
  });

  test('the bearer header or a cookie from a ?token= link', async () => {
    const served = await startServe([SERVICE_SAMPLES[0], '--token', 's3cret', '--quiet']);
    try {
      const at = (path: string, init?: RequestInit) => fetch(new URL(path, served.url), { redirect: 'manual', ...init });
      expect((await at('/api/files')).status).toBe(401);
      expect((await at('/api/files', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      expect((await at('/api/files', { headers: { authorization: 'Bearer s3cret' } })).status).toBe(200);
      const link = await at('/?token=s3cret');
      expect(link.status).toBe(303);
      expect(link.headers.get('location')).toBe('/');
      const cookie = link.headers.get('set-cookie')!.split(';')[0];
      expect(link.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
      expect((await at('/api/summary?top=1', { headers: { cookie } })).status).toBe(200);
      expect((await at('/?token=nope')).status).toBe(401);
    } finally {
      expect(await served.stop()).toBe(0);
    }
  });
});

describe('the queue of expensive questions', () => {
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  test('one at a time, in order; answers that are ready go out between them', async () => {
    const queue = new QueryQueue({ timeoutMs: 5_000, maxWaiting: 8 });
    const order: string[] = [];
    const slow = (name: string) => queue.run(async () => {
      order.push(`${name} starts`);
      await pause(50);
      order.push(`${name} ends`);
      return name;
    });
    const answers = Promise.all([slow('a'), slow('b')]);
    await pause(10);
    order.push('cheap answer');
    expect(await answers).toEqual(['a', 'b']);
    expect(order).toEqual(['a starts', 'cheap answer', 'a ends', 'b starts', 'b ends']);
  });

  test('past its deadline a question is refused; a full queue refuses at once', async () => {
    const queue = new QueryQueue({ timeoutMs: 100, maxWaiting: 2 });
    const long = queue.run(() => pause(300).then(() => 'long'));
    const waiting = queue.run(async () => 'never asked in time');
    await expect(queue.run(async () => 'third')).rejects.toThrow(BusyError);
    await expect(long).rejects.toThrow(/no answer within/);
    await expect(waiting).rejects.toThrow(BusyError);
  });
});
