/**
 * leakgraph/live/inspector-client — a minimal client for the inspector protocol (the Chrome
 * DevTools Protocol that Node's `--inspect` and Chromium's remote debugging speak) over a
 * WebSocket: commands with replies matched by id, events by method name, and flow control
 * (pausing the socket stops reading, so a fast sender waits in TCP instead of in our memory).
 */

import WebSocket from 'ws';
import { LiveError } from './errors.js';

type EventListener = (params: Record<string, unknown>) => void;

interface Pending {
  method: string;
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

export interface ConnectOptions {
  /** Give up connecting after this many milliseconds (default 10000). */
  timeout?: number;
}

/** One inspector session: a WebSocket to one target (a Node process or a page). */
export class InspectorSession {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<EventListener>>();
  private closeError: LiveError | null = null;
  /** Resolves when the connection is gone, for whatever reason. */
  readonly closed: Promise<void>;

  private constructor(private readonly socket: WebSocket, readonly url: string) {
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        this.fail(this.closeError ?? new LiveError(`the inspector connection to ${url} closed (did the process exit?)`));
        resolve();
      });
    });
    socket.on('error', (error) => {
      this.closeError ??= new LiveError(`inspector connection to ${url}: ${error.message}`);
    });
    socket.on('message', (data: WebSocket.RawData) => this.receive(data));
  }

  /**
   * Opens a session on a target's WebSocket URL (`ws://127.0.0.1:9229/<uuid>`, or a page's
   * `ws://127.0.0.1:9222/devtools/page/<id>`).
   * @throws LiveError when the socket cannot be opened in time
   */
  static connect(url: string, options: ConnectOptions = {}): Promise<InspectorSession> {
    const timeout = options.timeout ?? 10_000;
    return new Promise((resolve, reject) => {
      let socket: WebSocket;
      try {
        // No Origin header is sent, so Chromium accepts the connection without --remote-allow-origins.
        socket = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: timeout, maxPayload: 512 * 1024 * 1024 });
      } catch (error) {
        reject(new LiveError(`cannot open ${url}: ${(error as Error).message}`));
        return;
      }
      const onError = (error: Error) => {
        socket.off('open', onOpen);
        reject(new LiveError(`cannot connect to the inspector at ${url}: ${error.message}`));
      };
      const onOpen = () => {
        socket.off('error', onError);
        resolve(new InspectorSession(socket, url));
      };
      socket.once('error', onError);
      socket.once('open', onOpen);
    });
  }

  /**
   * Sends a command and resolves with its result.
   * @throws LiveError when the target answers with an error or the connection closes first
   */
  send<T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    if (this.closeError || this.socket.readyState !== WebSocket.OPEN) {
      return Promise.reject(this.closeError ?? new LiveError(`the inspector connection to ${this.url} is closed`));
    }
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { method, resolve: resolve as (result: unknown) => void, reject });
      this.socket.send(JSON.stringify({ id, method, params }), (error) => {
        if (error && this.pending.delete(id)) reject(new LiveError(`${method}: ${error.message}`));
      });
    });
  }

  /** Calls `listener` with the params of every `method` event; returns the unsubscriber. */
  on(method: string, listener: EventListener): () => void {
    let set = this.listeners.get(method);
    if (!set) this.listeners.set(method, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Stops reading from the socket (flow control); a few buffered messages may still arrive. */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  get isOpen(): boolean {
    return this.closeError === null && this.socket.readyState === WebSocket.OPEN;
  }

  /** Closes the session; resolves once the socket is closed (forcibly after `timeout` ms). */
  async close(timeout = 2000): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    this.closeError ??= new LiveError(`the inspector connection to ${this.url} was closed`);
    this.socket.resume();
    this.socket.close();
    const timer = setTimeout(() => this.socket.terminate(), timeout);
    await this.closed;
    clearTimeout(timer);
  }

  private receive(data: WebSocket.RawData): void {
    let message: { id?: number; method?: string; params?: Record<string, unknown>; result?: unknown; error?: { message?: string; code?: number } };
    try {
      message = JSON.parse(data.toString());
    } catch {
      this.closeError = new LiveError(`the inspector at ${this.url} sent something that is not JSON`);
      this.socket.terminate();
      return;
    }
    if (typeof message.id === 'number') {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      if (message.error) pending.reject(new LiveError(`${pending.method}: ${message.error.message ?? 'failed'}${message.error.code !== undefined ? ` (${message.error.code})` : ''}`));
      else pending.resolve(message.result ?? {});
      return;
    }
    if (typeof message.method === 'string') {
      const set = this.listeners.get(message.method);
      if (set) for (const listener of [...set]) listener(message.params ?? {});
    }
  }

  private fail(error: LiveError): void {
    this.closeError ??= error;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
