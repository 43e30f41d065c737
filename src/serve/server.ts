/**
 * leakgraph/serve/server — the explorer's HTTP server (node:http): the page, its two assets
 * and the JSON API, over heaps loaded once. Loopback only unless a token guards it; the page
 * may fetch nothing but its own origin (Content-Security-Policy).
 */

import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HeapGraph } from '../graph/heap-graph.js';
import { sameSecret } from '../http/memory-handler.js';
import { isLoopbackHost } from '../live/discovery.js';
import { LeakgraphError, NotFoundError, UsageError } from '../errors.js';
import { answerApi, prepareFirstScreen, type ApiAnswer, type ApiContext } from './api.js';
import { AnswerCache, prepareHeap } from './heaps.js';
import { pageCss, pageHtml } from './page.js';
import { BusyError, QueryQueue } from './queue.js';

export interface ServeOptions {
  /** 0 picks a free port. */
  port: number;
  /** The address to listen on (default 127.0.0.1). */
  host?: string;
  /** Required off loopback: the bearer token, or the cookie a `?token=` link sets. */
  token?: string;
  /** Answer growth and leaks even when the snapshots may not be one process's. */
  force?: boolean;
  /** Longest an expensive question may wait and run, in milliseconds (default 30 s). */
  queryTimeoutMs?: number;
  /** Each step of the preparation before listening (the heaps' indexes, the first screen's answers). */
  onPrepare?: (step: string) => void;
}

export interface RunningServer {
  /** `http://HOST:PORT/`. */
  url: string;
  port: number;
  close(): Promise<void>;
}

export const DEFAULT_HOST = '127.0.0.1';
const TOKEN_COOKIE = 'leakgraph_token';
const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Refuses, before any loading, to serve a heap (every string in it: tokens, personal data)
 * beyond this machine without a token.
 * @throws UsageError for a non-loopback host without a token
 */
export function checkServeHost(host: string, token: string | undefined): void {
  if (!isLoopbackHost(host) && (token === undefined || token === '')) {
    throw new UsageError(`serve: --host ${host} lets other machines read the heap: give --token TOKEN too (or serve on 127.0.0.1)`);
  }
}

/**
 * Checks, before a long load, that `port` can be listened on at `host` (it is listened on for
 * good only once the heaps are ready).
 * @throws UsageError for a port in use or an address not of this machine
 */
export async function checkListenable(host: string, port: number): Promise<void> {
  checkPort(port);
  if (port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, host, port)));
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/** A TCP port, or 0 for a free one. @throws UsageError */
export function checkPort(port: number): void {
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new UsageError(`serve: ${port} is not a port (0 to 65535; 0 picks a free one)`);
}

/** Starts serving `heaps` (oldest first); resolves once it listens. */
export async function startServer(heaps: HeapGraph[], options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? DEFAULT_HOST;
  checkServeHost(host, options.token);
  checkPort(options.port);
  const context: ApiContext = {
    heaps,
    force: options.force === true,
    queue: new QueryQueue({ timeoutMs: options.queryTimeoutMs ?? 30_000, maxWaiting: 32 }),
    cache: new AnswerCache(256),
  };
  const script = await readFile(new URL('./client/app.js', import.meta.url), 'utf8');
  const numbers = await readFile(new URL('../render/numbers.js', import.meta.url), 'utf8');
  options.onPrepare?.('indexing retainers and paths');
  prepareHeap(heaps[heaps.length - 1]);
  await prepareFirstScreen(context, (step) => options.onPrepare?.(step));
  const server = createServer((req, res) => {
    handle(req, res, context, { host, port: (server.address() as AddressInfo).port, token: options.token, script, numbers }).catch((error: unknown) => {
      sendError(res, 500, error instanceof Error ? error.message : String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, host, options.port)));
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/`,
    port,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

/** A port in use or an address not of this machine, as one line a person can act on. */
function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  if (error.code === 'EADDRINUSE') return new LeakgraphError(`serve: port ${port} on ${host} is in use: give another --port (0 picks a free one)`);
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') return new LeakgraphError(`serve: cannot listen on ${host}: no such address on this machine`);
  if (error.code === 'EACCES') return new LeakgraphError(`serve: not allowed to listen on port ${port}: give a port above 1023`);
  return error;
}

interface Site {
  host: string;
  port: number;
  token: string | undefined;
  script: string;
  /** render/numbers.js, which the script imports (as ../../render/numbers.js from /assets/). */
  numbers: string;
}

async function handle(req: IncomingMessage, res: ServerResponse, context: ApiContext, site: Site): Promise<void> {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendError(res, 405, 'only GET is answered');
  // On loopback, a page of another site may resolve its own name to 127.0.0.1: only our names answer.
  if (site.token === undefined && !isOwnHost(req.headers.host, site.port)) return sendError(res, 403, 'this server answers only to its loopback address and localhost');
  if (site.token !== undefined) {
    const fromLink = url.searchParams.get('token');
    if (fromLink !== null && sameSecret(fromLink, site.token) && !url.pathname.startsWith('/api/')) {
      // The link's token becomes a cookie, and the address bar forgets it.
      url.searchParams.delete('token');
      res.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${encodeURIComponent(site.token)}; HttpOnly; SameSite=Strict; Path=/`);
      res.writeHead(303, { Location: `${url.pathname}${url.search}` }).end();
      return;
    }
    if (!authorized(req, site.token, fromLink)) return sendError(res, 401, 'this server needs its token: a ?token= link, or Authorization: Bearer TOKEN');
  }
  if (url.pathname === '/' || url.pathname === '/index.html') return send(res, { status: 200, contentType: 'text/html; charset=utf-8', body: pageHtml() });
  if (url.pathname === '/assets/app.js') return send(res, { status: 200, contentType: 'text/javascript; charset=utf-8', body: site.script });
  if (url.pathname === '/render/numbers.js') return send(res, { status: 200, contentType: 'text/javascript; charset=utf-8', body: site.numbers });
  if (url.pathname === '/assets/app.css') return send(res, { status: 200, contentType: 'text/css; charset=utf-8', body: pageCss() });
  if (url.pathname.startsWith('/api/')) return answer(res, context, url);
  if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
  return sendError(res, 404, `no such page: ${url.pathname}`);
}

async function answer(res: ServerResponse, context: ApiContext, url: URL): Promise<void> {
  try {
    const answered = await answerApi(context, url.pathname, url.searchParams);
    if (answered === null) return sendError(res, 404, `no such API: ${url.pathname}`);
    send(res, answered);
  } catch (error) {
    if (error instanceof BusyError) {
      res.setHeader('Retry-After', '5');
      return sendError(res, 503, error.message);
    }
    if (error instanceof LeakgraphError) return sendError(res, error instanceof NotFoundError ? 404 : 400, error.message);
    throw error;
  }
}

/**
 * Whether a request names this server by a loopback name and its port: without a token, a page
 * of another site that resolves its own name to 127.0.0.1 (DNS rebinding) gets nothing.
 */
function isOwnHost(header: string | undefined, port: number): boolean {
  const match = header === undefined ? null : /^(.+):(\d+)$/.exec(header);
  return match !== null && Number(match[2]) === port && isLoopbackHost(match[1]);
}

/** A cookie's value; a malformed one counts as given and wrong (401, not 500). */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The bearer header, the cookie, or `?token=` on an API request, compared in constant time. */
function authorized(req: IncomingMessage, token: string, fromLink: string | null): boolean {
  const header = req.headers.authorization ?? '';
  const bearer = /^Bearer\s+(.+)$/i.exec(header)?.[1];
  const cookie = (req.headers.cookie ?? '').split(';').map((part) => part.trim()).find((part) => part.startsWith(`${TOKEN_COOKIE}=`));
  const candidates = [bearer, cookie && safeDecode(cookie.slice(TOKEN_COOKIE.length + 1)), fromLink ?? undefined];
  // Every candidate compared, so the time taken does not say which one was given.
  return candidates.map((given) => given !== undefined && sameSecret(given, token)).some(Boolean);
}

function send(res: ServerResponse, answered: ApiAnswer): void {
  res.statusCode = answered.status;
  res.setHeader('Content-Type', answered.contentType);
  res.setHeader('Content-Length', Buffer.byteLength(answered.body));
  if (answered.contentType.startsWith('text/html')) res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.end(res.req.method === 'HEAD' ? undefined : answered.body);
}

function sendError(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) return void res.destroy();
  send(res, { status, contentType: 'application/json; charset=utf-8', body: `${JSON.stringify({ error: message })}\n` });
}
