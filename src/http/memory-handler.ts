/**
 * leakgraph/http — a debug endpoint for a live Node process.
 *
 * `memoryHandler(options)` returns a request handler for `node:http` servers and anything
 * Express-compatible. It takes a heap snapshot of the process it runs in
 * (`v8.getHeapSnapshot()`) and answers with
 * - the heap grouped by class, as `leakgraph summary` prints it (text by default; JSON with
 *   `Accept: application/json` or `?format=json`), the snapshot streamed through leakgraph's
 *   loader without being written anywhere; or
 * - the raw snapshot with `?download=1`, streamed as it is produced, for DevTools or leakgraph.
 *
 * Mind what this costs the process: taking a snapshot pauses it (no request is served until
 * the snapshot is done — seconds for a heap of hundreds of MB), and needs memory — V8 builds
 * the snapshot next to the heap, and the summary loads it in the same process (several times
 * the snapshot's size while it is analysed). Only one snapshot is taken at a time: a request
 * that comes while one is running gets 429. Every request must carry the credentials the
 * caller configured (a bearer token, or a user name and password for basic auth); others get
 * 401. The endpoint sees the process's memory, strings included: serve it on a private
 * interface, over TLS when it leaves the machine.
 */

import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { pipeline } from 'node:stream/promises';
import v8 from 'node:v8';
import { loadSnapshotStream, type LoadSnapshotOptions } from '../graph/load.js';
import type { SummarySort } from '../analysis/summary.js';
import { SUMMARY_TOP, summaryReport } from '../commands/summary.js';
import { jsonText } from '../render/json.js';
import { summaryJson, renderSummaryText } from '../render/summary.js';

export interface MemoryHandlerOptions {
  /** Accept `Authorization: Bearer <token>`. */
  token?: string;
  /** Accept basic auth with this user name and `password` (both or neither). */
  username?: string;
  password?: string;
  /** Classes in the summary (default 20; 0 = all); `?top=N` overrides it per request. */
  top?: number;
  /** Passed to the loader (e.g. `onProgress`). */
  loadOptions?: LoadSnapshotOptions;
}

/** `(req, res, next?)`: `next(error)` is called for a failure when given (Express), else 500. */
export type MemoryHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

const SORTS: readonly SummarySort[] = ['retained', 'shallow', 'count'];
const REALM = 'leakgraph';

/** One snapshot at a time in this process, whichever handler takes it. */
let snapshotRunning = false;

/**
 * Creates the handler.
 * @throws TypeError when no credentials are configured, or only half of a user and password
 */
export function memoryHandler(options: MemoryHandlerOptions): MemoryHandler {
  const { token, username, password } = options;
  if (token !== undefined && (typeof token !== 'string' || token === '')) throw new TypeError('leakgraph/http: memoryHandler: "token" must be a non-empty string');
  if ((username === undefined) !== (password === undefined)) throw new TypeError('leakgraph/http: memoryHandler: give both "username" and "password", or neither');
  if (username !== undefined && (typeof username !== 'string' || username === '' || username.includes(':') || typeof password !== 'string' || password === '')) {
    throw new TypeError('leakgraph/http: memoryHandler: "username" (without ":") and "password" must be non-empty strings');
  }
  if (token === undefined && username === undefined) throw new TypeError('leakgraph/http: memoryHandler needs credentials: a "token", or a "username" and "password"');
  const defaultTop = options.top ?? SUMMARY_TOP;
  if (!Number.isInteger(defaultTop) || defaultTop < 0) throw new TypeError('leakgraph/http: memoryHandler: "top" must be a non-negative integer');
  const challenges = [...(username !== undefined ? [`Basic realm="${REALM}", charset="UTF-8"`] : []), ...(token !== undefined ? [`Bearer realm="${REALM}"`] : [])];

  const authorized = (header: string | undefined): boolean => {
    if (!header) return false;
    const space = header.indexOf(' ');
    const scheme = header.slice(0, space).toLowerCase();
    const value = header.slice(space + 1).trim();
    if (space > 0 && scheme === 'bearer' && token !== undefined) return sameSecret(value, token);
    if (space > 0 && scheme === 'basic' && username !== undefined) {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return false;
      // Both compared, always, so that the time taken says nothing about which one is wrong.
      const userOk = sameSecret(decoded.slice(0, colon), username);
      const passwordOk = sameSecret(decoded.slice(colon + 1), password!);
      return userOk && passwordOk;
    }
    return false;
  };

  return (req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    if (!authorized(req.headers.authorization)) {
      res.setHeader('WWW-Authenticate', challenges);
      sendText(res, 401, 'Unauthorized: this endpoint needs credentials.\n');
      return;
    }
    if (req.method !== 'GET') {
      res.setHeader('Allow', 'GET');
      sendText(res, 405, 'Method not allowed: use GET.\n');
      return;
    }
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    const format = query.get('format') ?? (/\bapplication\/json\b/i.test(req.headers.accept ?? '') ? 'json' : 'text');
    const topText = query.get('top');
    const sort = (query.get('sort') ?? 'retained') as SummarySort;
    const download = ['1', 'true', 'yes'].includes(query.get('download') ?? '');
    if (format !== 'json' && format !== 'text') return sendText(res, 400, 'Bad request: format must be json or text.\n');
    if (topText !== null && !/^\d+$/.test(topText)) return sendText(res, 400, 'Bad request: top must be a non-negative integer.\n');
    if (!SORTS.includes(sort)) return sendText(res, 400, `Bad request: sort must be one of ${SORTS.join(', ')}.\n`);
    if (snapshotRunning) {
      res.setHeader('Retry-After', '10');
      sendText(res, 429, 'Too many requests: a heap snapshot is already being taken; try again later.\n');
      return;
    }
    snapshotRunning = true;
    const work = download ? sendSnapshot(res) : sendSummary(res, format, topText === null ? defaultTop : Number(topText), sort, options.loadOptions);
    work
      .catch((error: unknown) => {
        if (res.headersSent) res.destroy(error instanceof Error ? error : undefined);
        else if (next) next(error);
        else sendText(res, 500, `Internal error: ${error instanceof Error ? error.message : String(error)}\n`);
      })
      .finally(() => {
        snapshotRunning = false;
      });
  };
}

async function sendSummary(res: ServerResponse, format: 'json' | 'text', top: number, sort: SummarySort, loadOptions: LoadSnapshotOptions | undefined): Promise<void> {
  const name = `pid ${process.pid}`;
  const start = performance.now();
  const graph = await loadSnapshotStream(name, v8.getHeapSnapshot(), loadOptions);
  const report = { ...(await summaryReport(graph, { top, sort })), loadSeconds: (performance.now() - start) / 1000 };
  const body = format === 'json' ? jsonText(summaryJson(report)) : renderSummaryText(report);
  res.statusCode = 200;
  res.setHeader('Content-Type', format === 'json' ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

async function sendSnapshot(res: ServerResponse): Promise<void> {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  const host = hostname().replace(/[^\w.-]/g, '_');
  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Disposition', `attachment; filename="${host}-${process.pid}-${stamp}.heapsnapshot"`);
  await pipeline(v8.getHeapSnapshot(), res);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/** Compares two secrets in constant time (both hashed first, so lengths do not leak either). */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}
