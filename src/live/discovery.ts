/**
 * leakgraph/live/discovery — finding the inspector target to talk to: `HOST:PORT` parsing,
 * the loopback check, and the target list that Node and Chromium serve at
 * `http://HOST:PORT/json/list`.
 */

import http from 'node:http';
import { isIP } from 'node:net';
import { LiveError } from './errors.js';

export interface HostPort {
  host: string;
  port: number;
}

/** One entry of `/json/list`. */
export interface InspectorTarget {
  id: string;
  /** `node` for a Node process; `page`, `iframe`, `worker`, `service_worker`… in Chromium. */
  type: string;
  title: string;
  url: string;
  /** Missing when another debugger already holds a Chromium target. */
  webSocketDebuggerUrl?: string;
}

/**
 * Parses `HOST:PORT`, `[::1]:PORT` or a bare `PORT` (host 127.0.0.1), as `--inspect` takes them.
 * @throws LiveError for anything else
 */
export function parseHostPort(text: string): HostPort {
  const bare = /^(\d+)$/.exec(text);
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(text);
  const plain = /^([^:[\]]+):(\d+)$/.exec(text);
  const host = bare ? '127.0.0.1' : (bracketed?.[1] ?? plain?.[1]);
  const portText = bare?.[1] ?? bracketed?.[2] ?? plain?.[2];
  const port = Number(portText);
  if (host === undefined || portText === undefined || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new LiveError(`"${text}" is not HOST:PORT (e.g. 127.0.0.1:9229)`);
  }
  return { host, port };
}

/** Whether `host` names this machine: `localhost`, 127.0.0.0/8, `::1` (or 127.x mapped into IPv6). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || bare === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(bare);
  return false;
}

/**
 * Refuses a host that is not this machine unless `allowRemote`: whoever holds an inspector
 * session can run any code in the process, and the protocol has no authentication.
 * @throws LiveError for a remote host without `allowRemote`
 */
export function checkLoopback(host: string, allowRemote: boolean): void {
  if (!allowRemote && !isLoopbackHost(host)) {
    throw new LiveError(`${host} is not a loopback address; the inspector protocol gives full control of the process and has no authentication (pass --allow-remote to connect anyway, e.g. through an SSH tunnel you trust)`);
  }
}

/**
 * Fetches the target list from `http://HOST:PORT/json/list`.
 * @throws LiveError when nothing answers there or the answer is not a target list
 */
export function listTargets(endpoint: HostPort, timeout = 5000): Promise<InspectorTarget[]> {
  const where = `${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host}:${endpoint.port}`;
  return new Promise((resolve, reject) => {
    const request = http.get({ host: endpoint.host.replace(/^\[|\]$/g, ''), port: endpoint.port, path: '/json/list', timeout, headers: { accept: 'application/json' } }, (response) => {
      const chunks: Buffer[] = [];
      let length = 0;
      response.on('data', (chunk: Buffer) => {
        length += chunk.length;
        if (length > 16 * 1024 * 1024) request.destroy(new Error('the answer is too large'));
        else chunks.push(chunk);
      });
      response.on('end', () => {
        if (response.statusCode !== 200) {
          reject(new LiveError(`http://${where}/json/list answered ${response.statusCode}: is this an inspector port?`));
          return;
        }
        try {
          const list = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
          if (!Array.isArray(list)) throw new Error('not a list');
          resolve(list.filter((entry): entry is InspectorTarget => typeof entry === 'object' && entry !== null && typeof entry.id === 'string' && typeof entry.type === 'string'));
        } catch {
          reject(new LiveError(`http://${where}/json/list did not answer with a target list: is this an inspector port?`));
        }
      });
      response.on('error', (error) => reject(new LiveError(`http://${where}/json/list: ${error.message}`)));
    });
    request.on('timeout', () => request.destroy(new Error(`no answer in ${timeout / 1000} s`)));
    request.on('error', (error: NodeJS.ErrnoException) => {
      const hint = error.code === 'ECONNREFUSED' ? ' — is the process running with --inspect? (a running Node process opens its inspector on 127.0.0.1:9229 when sent SIGUSR1: kill -USR1 PID)' : '';
      reject(new LiveError(`cannot reach the inspector at ${where} (${error.code ?? error.message})${hint}`));
    });
  });
}

/**
 * Picks the target to snapshot: the one whose id is `selector` or whose URL or title contains
 * it; otherwise the Node process, or the first page.
 * @throws LiveError when none fits or the one found is already held by another debugger
 */
export function chooseTarget(targets: InspectorTarget[], selector?: string): InspectorTarget {
  const candidates = selector
    ? targets.filter((target) => target.id === selector || target.url.includes(selector) || target.title.includes(selector))
    : targets.filter((target) => target.type === 'node' || target.type === 'page');
  const target = candidates.find((candidate) => candidate.type === 'node') ?? candidates.find((candidate) => candidate.type === 'page') ?? candidates[0];
  if (!target) {
    const listed = targets.map((entry) => `${entry.type} ${entry.url || entry.title}`).join(', ');
    throw new LiveError(selector ? `no target matches "${selector}" (targets: ${listed || 'none'})` : `no Node process or page to snapshot there (targets: ${listed || 'none'})`);
  }
  if (!target.webSocketDebuggerUrl) throw new LiveError(`${target.type} ${target.url || target.title} is already attached to another debugger (close DevTools on it)`);
  return target;
}
