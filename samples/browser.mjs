// browser: a detached-DOM leak in a web page, captured from headless Chromium.
//
// Loads browser-page.html into the system Chromium (/usr/bin/chromium, driven
// by playwright-core; no browser is downloaded) and clicks its Refresh button
// again and again. Each click removes the current <div class="row"> elements
// from the document but keeps them in the page's `detached` array, so the
// detached DOM subtrees pile up. Heap snapshots are taken over the Chrome
// DevTools Protocol and streamed to disk chunk by chunk.
//
// Usage: node samples/browser.mjs <output-prefix>
// Writes <output-prefix>-1.heapsnapshot, -2 and -3.

import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import { chromium } from 'playwright-core';

const prefix = process.argv[2] ?? 'browser';
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const html = await readFile(new URL('./browser-page.html', import.meta.url), 'utf8');

const browser = await chromium.launch({
  executablePath,
  headless: true,
  timeout: 60_000,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

try {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.setContent(html);
  console.log(`browser: ${browser.version()}`);

  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.enable');

  async function snapshot(n) {
    const file = `${prefix}-${n}.heapsnapshot`;
    const out = createWriteStream(file);
    const onChunk = ({ chunk }) => out.write(chunk);
    await cdp.send('HeapProfiler.collectGarbage');
    cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
    try {
      // Resolves after the last chunk event has been delivered.
      await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    } finally {
      cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
      out.end();
      await once(out, 'finish');
    }
    const rows = await page.evaluate(() => detached.length);
    console.log(`browser: wrote ${file} (${rows} detached rows)`);
  }

  async function refresh(times) {
    for (let i = 0; i < times; i++) await page.click('#refresh');
  }

  await refresh(5);
  await snapshot(1);
  await refresh(20);
  await snapshot(2);
  await refresh(20);
  await snapshot(3);
} finally {
  await browser.close();
}
