// The HTML report in a real browser: Debian's Chromium, headless, driven by playwright-core
// (no browser download). Opens the report of the service sample, checks its tables, that
// every diagram renders with a non-empty box, that id links lead to object details, and saves
// a screenshot (test/.out/report.png).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { tmpPath } from './helpers/snapshot-builder.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const samples = [1, 2, 3].map((step) => `samples/service-${step}.heapsnapshot.gz`);

// CI installs Debian's Chromium (.ci/run); without it this suite cannot run and says so.
describe.runIf(existsSync(CHROMIUM))('report in Chromium', () => {
  let browser: Browser;
  const report = tmpPath('report.html');

  beforeAll(async () => {
    const made = spawnSync(process.execPath, ['dist/cli/index.js', 'report', ...samples, '-o', report, '--quiet'], { encoding: 'utf8' });
    expect(made.status, made.stderr).toBe(0);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('tables, diagrams and links render; nothing is fetched from the network', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) requests.push(request.url());
    });
    await page.goto(pathToFileURL(resolve(report)).href);

    const overviewRows = await page.locator('#overview-table tbody tr').allTextContents();
    expect(overviewRows).toHaveLength(3);
    expect(overviewRows[0]).toContain('service-1.heapsnapshot.gz');

    const userRow = await page.locator('#growth-table tbody tr', { hasText: /^User/ }).first().textContent();
    expect(userRow).toContain('200 → 1,000 → 1,800');
    expect(await page.locator('#growth-table svg.spark').count()).toBeGreaterThan(0);

    const cluster = await page.locator('.cluster h3').first().textContent();
    expect(cluster).toMatch(/800 × User/);
    expect(await page.locator('.cluster .path').first().textContent()).toContain('->cache');
    expect(await page.locator('#containers-table tbody tr').first().textContent()).toContain('200 → 1,000 → 1,800');

    const diagrams = page.locator('.diagram svg');
    expect(await diagrams.count()).toBeGreaterThan(0);
    const boxes = await diagrams.evaluateAll((svgs) =>
      svgs.map((svg) => {
        const drawn = (svg as SVGSVGElement).getBBox();
        const shown = svg.getBoundingClientRect();
        return { drawnWidth: drawn.width, drawnHeight: drawn.height, shownWidth: shown.width, shownHeight: shown.height };
      }),
    );
    for (const box of boxes) {
      expect(box.drawnWidth).toBeGreaterThan(100);
      expect(box.drawnHeight).toBeGreaterThan(100);
      expect(box.shownWidth).toBeGreaterThan(100);
      expect(box.shownHeight).toBeGreaterThan(100);
    }
    const diagramText = await page.locator('.diagram').first().textContent();
    expect(diagramText).toContain('User');
    expect(diagramText).toContain('->cache');
    expect(diagramText).toContain('global');

    mkdirSync('test/.out', { recursive: true });
    await page.screenshot({ path: 'test/.out/report.png', fullPage: true });

    // An example id links to its details.
    const link = page.locator('.cluster a[href^="#obj-"]').first();
    const target = await link.getAttribute('href');
    await link.click();
    expect(await page.locator(`${target} h3`).textContent()).toMatch(/^User @\d+$/);

    expect(requests).toEqual([]);
    await page.close();
  });
});
