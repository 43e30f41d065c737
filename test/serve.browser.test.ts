// `leakgraph serve`'s page in a real browser: Debian's Chromium, headless, driven by
// playwright-core. On the three service snapshots: the verdict comes first with its picture,
// a leaked object's id opens it with its retainers (the `cache` Map that holds it on screen),
// the back button returns, the class table sorts and filters, a class opens to its objects,
// and no request leaves the origin. Screenshots for a person go to docs/images/serve-*.png.

import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { viewportText } from './helpers/browser.js';
import { SERVICE_SAMPLES, startServe, type ServeProcess } from './helpers/serve.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const VIEWPORT = { width: 1280, height: 900 };
const IMAGES = 'docs/images';

describe.runIf(existsSync(CHROMIUM))('serve in Chromium', () => {
  let served: ServeProcess;
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];

  beforeAll(async () => {
    served = await startServe([...SERVICE_SAMPLES, '--quiet']);
    mkdirSync(IMAGES, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: VIEWPORT });
    page.on('request', (request) => requests.push(request.url()));
  });
  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  test('the first screen: the verdict and the leak\'s picture, within a second', async () => {
    await page.goto(served.url);
    await page.locator('.cluster h3').first().waitFor();
    await page.locator('.picture-frame svg').waitFor();
    // From the navigation's start, in the page: the first screen is drawn within a second.
    expect(await page.evaluate(() => performance.now())).toBeLessThan(1000);
    const shown = await viewportText(page, '');
    expect(shown).toContain('800 × User, held by `cache` (Map @102945) in module service.mjs');
    expect(shown).toContain('One holder: removing them from `cache` (Map @102945) frees them.');
    expect(shown).toContain('User objects in each snapshot: 200 → 1,000 → 1,800');
    expect(shown).toContain('What holds them');
    expect(await page.locator('.picture-frame svg a[href="#/object/102945"]').count()).toBe(1);
    await page.screenshot({ path: `${IMAGES}/serve-verdict.png` });
  });

  test('a leaked object\'s id opens it: its retainers up to the Map that holds it; back returns', async () => {
    const example = page.locator('.cluster .examples a').first();
    const id = (await example.textContent())!.slice(1);
    await example.click();
    await page.waitForURL(`**/#/object/${id}`);
    await page.locator('.tree .tree .row').first().waitFor();
    // The first retainer opens by itself, level by level: (array) › Map @102945 › its module's context.
    await page.getByText('->cache', { exact: true }).first().waitFor();
    const shown = await viewportText(page, '');
    expect(shown).toContain(`User @${id}`);
    expect(shown).toMatch(/\{table\} in Map @102945/);
    expect(shown).toContain('by `cache` (Map @102945) in module service.mjs');
    expect(shown).toContain('Removing it from `cache` (Map @102945) in module service.mjs frees 456 B.');
    await page.screenshot({ path: `${IMAGES}/serve-object.png` });

    // A closed retainer opens to its own retainers on a click.
    const closed = page.locator('.tree button.toggle', { hasText: '▸' }).first();
    const rows = await page.locator('.tree .row').count();
    await closed.click();
    await expect.poll(() => page.locator('.tree .row').count()).toBeGreaterThan(rows);

    await page.goBack();
    await page.locator('.cluster h3').first().waitFor();
    expect(['', '#/']).toContain(new URL(page.url()).hash);
  });

  test('the class table sorts and filters, with growth; a class opens to its objects', async () => {
    await page.locator('.filter input').fill('User');
    await expect.poll(() => page.locator('table.classes tbody tr').count()).toBeLessThan(10);
    const user = page.locator('table.classes tbody tr', { has: page.getByRole('link', { name: 'User', exact: true }) });
    expect((await user.textContent())!.replace(/\s+/g, ' ')).toContain('200 → 1,000 → 1,800 ↑');
    await page.locator('.filter input').fill('');
    await page.getByRole('button', { name: /^Count$/ }).click();
    const counts = await page.locator('table.classes tbody tr td:nth-child(2)').allTextContents();
    const numbers = counts.slice(0, 20).map((text) => Number(text.replace(/,/g, '')));
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
    expect(page.url()).toContain('sort=count');
    await page.locator('.filter input').fill('User');
    await user.getByRole('link', { name: 'User', exact: true }).click();
    await page.locator('.pager').waitFor();
    const shown = await viewportText(page, '');
    expect(shown).toContain('1,800 objects, largest retained size first.');
    expect(shown).toContain('200 → 1,000 → 1,800');
    await page.screenshot({ path: `${IMAGES}/serve-class.png` });
    await page.getByRole('button', { name: 'Next →' }).click();
    await expect.poll(() => page.locator('.pager span').textContent()).toBe('51–100 of 1,800');
  });

  test('no request leaves the origin', () => {
    const origin = new URL(served.url).origin;
    expect(requests.length).toBeGreaterThan(5);
    expect(requests.filter((url) => !url.startsWith(`${origin}/`))).toEqual([]);
  });
});
