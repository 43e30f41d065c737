/**
 * `leakgraph serve FILE…` — an explorer in the browser over snapshots loaded once: the leak
 * verdict, the class table with growth, instances, and each object's references, retainers,
 * dominators, path and holders.
 */

import { spawn } from 'node:child_process';
import { Command } from 'commander';
import { loadServedHeaps } from '../src/serve/heaps.js';
import { checkListenable, checkServeHost, DEFAULT_HOST, startServer } from '../src/serve/server.js';
import { loadProgress, parseCount, withForceOption, type QuietOption } from './common.js';
import { ProgressLine } from './progress.js';
import { withSourceMapOptions, type SourceMapCliOptions } from './source-map-options.js';

interface ServeCliOptions extends QuietOption, SourceMapCliOptions {
  port: number;
  host: string;
  token?: string;
  open?: boolean;
  force?: boolean;
}

export function serveCommand(): Command {
  const command = new Command('serve')
    .description('explore snapshots in the browser, loaded once: the leak verdict, classes with their growth, instances, and each object\'s references, retainers, dominators, path and holders')
    .argument('<snapshots...>', 'one or more .heapsnapshot files of one process, oldest first (three for the leak verdict)')
    .option('--port <n>', 'the port to listen on (0 picks a free one)', parseCount, 7070)
    .option('--host <address>', 'the address to listen on; anything but loopback needs --token', DEFAULT_HOST)
    .option('--token <token>', 'require this token: Authorization: Bearer TOKEN, or once a ?token=TOKEN link')
    .option('--open', 'open the page in the default browser')
    .option('-q, --quiet', 'no progress line on stderr');
  return withSourceMapOptions(withForceOption(command))
    .addHelpText('after', '\nStops on Ctrl-C (SIGINT) or SIGTERM. The API is described in docs/json.md.')
    .action(async (files: string[], options: ServeCliOptions) => {
      checkServeHost(options.host, options.token);
      await checkListenable(options.host, options.port);
      const heaps = await loadProgress(options, (progress) => loadServedHeaps(files, progress));
      const line = new ProgressLine(options.quiet !== true && process.stderr.isTTY === true);
      const server = await startServer(heaps, {
        port: options.port,
        host: options.host,
        token: options.token,
        force: options.force,
        onPrepare: (step) => line.update(`leakgraph: preparing ${step}`, true),
      }).finally(() => line.clear());
      process.stderr.write(`leakgraph: serving on ${server.url}\n`);
      const link = options.token !== undefined ? `${server.url}?token=${encodeURIComponent(options.token)}` : server.url;
      if (options.token !== undefined) process.stderr.write(`leakgraph: open ${link} once to sign in\n`);
      if (options.open) openInBrowser(link);
      await stopOnSignal(server.close);
    });
}

/** Resolves once SIGINT or SIGTERM came and the server closed. */
function stopOnSignal(close: () => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      close().then(resolve, resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** The system's opener, detached; a machine without one just has the URL printed. */
function openInBrowser(url: string): void {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
  child.on('error', () => process.stderr.write(`leakgraph: could not open a browser; open ${url}\n`));
  child.unref();
}
