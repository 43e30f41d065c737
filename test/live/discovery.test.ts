// Finding the inspector: addresses, the loopback rule, choosing among /json/list targets.

import { describe, expect, test } from 'vitest';
import { checkLoopback, chooseTarget, isLoopbackHost, parseHostPort, type InspectorTarget } from '../../src/live/discovery.js';
import { inspectedCommand } from '../../src/live/recorder.js';

describe('discovery', () => {
  test('HOST:PORT as --inspect takes it', () => {
    expect(parseHostPort('127.0.0.1:9229')).toEqual({ host: '127.0.0.1', port: 9229 });
    expect(parseHostPort('9229')).toEqual({ host: '127.0.0.1', port: 9229 });
    expect(parseHostPort('localhost:9222')).toEqual({ host: 'localhost', port: 9222 });
    expect(parseHostPort('[::1]:9229')).toEqual({ host: '::1', port: 9229 });
    for (const bad of ['', 'host', '127.0.0.1:', '127.0.0.1:0', '127.0.0.1:70000', '::1:9229', 'a:b:9229']) expect(() => parseHostPort(bad)).toThrow(/is not HOST:PORT/);
  });

  test('loopback hosts only, unless allowed', () => {
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]', '::ffff:127.0.0.1', 'app.localhost']) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '10.0.0.1', '192.168.1.2', '::', 'example.com', 'localhost.example.com', '128.0.0.1']) expect(isLoopbackHost(host)).toBe(false);
    expect(() => checkLoopback('10.0.0.1', false)).toThrow(/not a loopback address.*--allow-remote/);
    expect(() => checkLoopback('10.0.0.1', true)).not.toThrow();
  });

  test('the Node process, the first page, or the one asked for', () => {
    const target = (id: string, type: string, url: string, ws = true): InspectorTarget => ({ id, type, title: id, url, webSocketDebuggerUrl: ws ? `ws://127.0.0.1:9222/devtools/page/${id}` : undefined });
    const node = target('n1', 'node', 'file:///srv/app.js');
    expect(chooseTarget([node])).toBe(node);
    const pages = [target('w', 'service_worker', 'https://a.example/sw.js'), target('p1', 'page', 'https://a.example/'), target('p2', 'page', 'https://b.example/')];
    expect(chooseTarget(pages).id).toBe('p1');
    expect(chooseTarget(pages, 'b.example').id).toBe('p2');
    expect(chooseTarget(pages, 'p2').id).toBe('p2');
    expect(chooseTarget(pages, 'sw.js').id).toBe('w');
    expect(() => chooseTarget(pages, 'c.example')).toThrow('no target matches "c.example" (targets: service_worker https://a.example/sw.js, page https://a.example/, page https://b.example/)');
    expect(() => chooseTarget([])).toThrow('no Node process or page to snapshot there (targets: none)');
    expect(() => chooseTarget([target('p', 'page', 'https://a.example/', false)])).toThrow(/already attached to another debugger/);
  });

  test('record starts Node programs with the inspector on 127.0.0.1 and a free port', () => {
    expect(inspectedCommand('node', ['app.js', '--port', '3000'])).toEqual({ file: 'node', args: ['--inspect=127.0.0.1:0', 'app.js', '--port', '3000'] });
    expect(inspectedCommand('/usr/local/bin/node', ['--max-old-space-size=512', 'app.js'])).toEqual({ file: '/usr/local/bin/node', args: ['--inspect=127.0.0.1:0', '--max-old-space-size=512', 'app.js'] });
    expect(inspectedCommand('server.mjs', ['-v'])).toEqual({ file: process.execPath, args: ['--inspect=127.0.0.1:0', 'server.mjs', '-v'] });
    expect(() => inspectedCommand('npm', ['start'])).toThrow(/COMMAND must be node or a \.js, \.mjs or \.cjs file, not "npm"/);
    expect(() => inspectedCommand('python3', ['app.py'])).toThrow(/not "python3"/);
  });
});
