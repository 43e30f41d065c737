// The HTML report in a real browser: Debian's Chromium, headless, driven by playwright-core
// (no browser download). Opens the reports of the service sample and of a real program whose
// leaked objects have two holders, and checks that the first screen states each leak (class,
// holder, what to cut), that the diagrams keep labels readable, that tables and id links work,
// and that nothing is fetched. Screenshots for a person to look at go to test/.out/ (report*.png).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { viewportText } from './helpers/browser.js';
import { snapshotLeakProgram } from './helpers/leak-programs.js';
import { tmpPath } from './helpers/snapshot-builder.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const samples = [1, 2, 3].map((step) => `samples/service-${step}.heapsnapshot.gz`);
const VIEWPORT = { width: 1280, height: 900 };
const OUT = 'test/.out';
/** Smallest diagram label a person can read, in CSS pixels on screen. */
const MIN_LABEL_PX = 10;

function writeReport(files: string[], report: string): void {
  const made = spawnSync(process.execPath, ['dist/cli/index.js', 'report', ...files, '-o', report, '--quiet'], { encoding: 'utf8' });
  expect(made.status, made.stderr).toBe(0);
}

/** Every diagram label's font size on screen: its font size in SVG units times the scale to the screen. */
function diagramLabelSizes(page: Page): Promise<Array<{ text: string; fontPx: number; boxPx: number }>> {
  return page.locator('.diagram svg text').evaluateAll((texts) =>
    texts.map((text) => {
      const ctm = (text as SVGTextElement).getScreenCTM()!;
      const fontPx = parseFloat(getComputedStyle(text).fontSize) * Math.hypot(ctm.a, ctm.b);
      return { text: text.textContent ?? '', fontPx, boxPx: text.getBoundingClientRect().height };
    }),
  );
}

/** Sections' tops, in page order. */
function sectionTops(page: Page, ids: string[]): Promise<number[]> {
  return page.evaluate((ids) => ids.map((id) => document.getElementById(id)!.getBoundingClientRect().top + scrollY), ids);
}

/** `@123`s in an element's text that are not links. */
function unlinkedIds(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).evaluateAll((elements) => {
    const unlinked: string[] = [];
    for (const element of elements) {
      const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.parentElement?.closest('a')) continue;
        unlinked.push(...(node.textContent?.match(/@\d+/g) ?? []));
      }
    }
    return unlinked;
  });
}

// CI installs Debian's Chromium (.ci/run); without it this suite cannot run and says so.
describe.runIf(existsSync(CHROMIUM))('report in Chromium', () => {
  let browser: Browser;
  const report = tmpPath('report.html');

  beforeAll(async () => {
    writeReport(samples, report);
    mkdirSync(OUT, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(file: string): Promise<{ page: Page; requests: string[] }> {
    const page = await browser.newPage({ viewport: VIEWPORT });
    const requests: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) requests.push(request.url());
    });
    await page.goto(pathToFileURL(resolve(file)).href);
    return { page, requests };
  }

  test('the first screen states the leak: what, how it grew, held by what, what to cut', async () => {
    const { page } = await open(report);
    await page.screenshot({ path: `${OUT}/report-first-screen.png` });
    const shown = await viewportText(page);
    expect(shown).toContain('800 × User');
    expect(shown).toContain('cache');
    const verdict = page.locator('#verdict .verdict');
    expect(await verdict.count()).toBe(1);
    const sentence = (await verdict.first().textContent())!.replace(/\s+/g, ' ');
    expect(sentence).toContain('800 × User, retaining 389 kB');
    expect(sentence).toContain('200 → 1,000 → 1,800');
    expect(sentence).toMatch(/held by cache \(Map @102945\) in module service\.mjs/);
    expect(sentence).toContain('removing them from cache (Map @102945) frees them');
    const box = await verdict.first().boundingBox();
    expect(box!.y + box!.height).toBeLessThanOrEqual(VIEWPORT.height);
    // The verdict, then the picture, then the evidence.
    const tops = await sectionTops(page, ['verdict', 'pictures', 'growth', 'leaks', 'overview', 'classes', 'objects']);
    expect([...tops].sort((a, b) => a - b)).toEqual(tops);
    expect(await unlinkedIds(page, '#verdict')).toEqual([]);
    await page.close();
  });

  test('two holders: the verdict names both, the map and the listener closure with its file:line', async () => {
    const twoHolders = tmpPath('two-holders-report.html');
    writeReport(snapshotLeakProgram('two-holders.cjs'), twoHolders);
    const { page, requests } = await open(twoHolders);
    await page.screenshot({ path: `${OUT}/report-two-holders-first-screen.png` });
    await page.screenshot({ path: `${OUT}/report-two-holders.png`, fullPage: true });
    const verdict = page.locator('#verdict .verdict').first();
    const box = await verdict.boundingBox();
    expect(box!.y + box!.height).toBeLessThanOrEqual(VIEWPORT.height);
    const text = (await verdict.textContent())!.replace(/\s+/g, ' ');
    expect(text).toMatch(/\d+ × Session, retaining/);
    expect(text).toContain('every holder must let go');
    expect(await verdict.locator('.holders li').allTextContents()).toEqual([
      expect.stringMatching(/^sessions \(Map @\d+\) in module session-store\.cjs$/),
      expect.stringMatching(/^the closure \(anonymous\)\(\) at session-store\.cjs:\d+:\d+, .*kept by settings .*a listener never removed$/),
    ]);
    const shown = await viewportText(page);
    expect(shown).toContain('sessions');
    expect(shown).toContain('session-store.cjs:');
    // The listeners' Array grows too, but on a holder's path: no verdict of its own.
    expect(await page.locator('#verdict .verdict').count()).toBe(1);
    expect(await page.locator('#containers-table tbody tr').count()).toBe(1);
    // Node's native objects, renumbered in every snapshot, are not growth.
    expect(await page.locator('#growth-table tbody tr', { hasText: /^(Detached )?Node \// }).count()).toBe(0);
    expect(await page.locator('#growth-table tbody tr', { hasText: /^Session/ }).count()).toBe(1);
    expect(await unlinkedIds(page, '#verdict')).toEqual([]);
    for (const label of await diagramLabelSizes(page)) expect(label.fontPx, label.text).toBeGreaterThanOrEqual(MIN_LABEL_PX);
    expect(requests).toEqual([]);
    await page.close();
  });

  test('diagrams keep their natural size in a scrolling box: no label under 10 px', async () => {
    const { page } = await open(report);
    const diagrams = page.locator('.diagram svg');
    expect(await diagrams.count()).toBeGreaterThan(0);
    const labels = await diagramLabelSizes(page);
    expect(labels.length).toBeGreaterThan(3);
    for (const label of labels) {
      expect(label.fontPx, label.text).toBeGreaterThanOrEqual(MIN_LABEL_PX);
      expect(label.boxPx, label.text).toBeGreaterThanOrEqual(MIN_LABEL_PX);
    }
    const boxes = await page.locator('.diagram').evaluateAll((boxes) =>
      boxes.map((box) => {
        const svg = box.querySelector('svg')!;
        const drawn = svg.getBBox();
        const shown = svg.getBoundingClientRect();
        return { drawnWidth: drawn.width, drawnHeight: drawn.height, shownWidth: shown.width, shownHeight: shown.height, overflow: getComputedStyle(box).overflow };
      }),
    );
    for (const box of boxes) {
      expect(box.drawnWidth).toBeGreaterThan(100);
      expect(box.drawnHeight).toBeGreaterThan(100);
      expect(box.shownWidth).toBeGreaterThan(100);
      expect(box.shownHeight).toBeGreaterThan(100);
      expect(box.overflow).toBe('auto');
    }
    const diagramText = await page.locator('.diagram').first().textContent();
    expect(diagramText).toContain('User');
    expect(diagramText).toContain('->cache');
    await page.locator('.diagram').first().screenshot({ path: `${OUT}/report-diagram.png` });
    await page.close();
  });

  test('tables and links render; nothing is fetched from the network', async () => {
    const { page, requests } = await open(report);

    const overviewRows = await page.locator('#overview-table tbody tr').allTextContents();
    expect(overviewRows).toHaveLength(3);
    expect(overviewRows[0]).toContain('service-1.heapsnapshot.gz');

    const userRow = await page.locator('#growth-table tbody tr', { hasText: /^User/ }).first().textContent();
    expect(userRow).toContain('200 → 1,000 → 1,800');
    expect(await page.locator('#growth-table svg.spark').count()).toBeGreaterThan(0);
    const growthNames = await page.locator('#growth-table tbody tr td:first-child').allTextContents();
    expect(growthNames.filter((name) => /^(Detached |Node \/)/.test(name))).toEqual([]);

    const cluster = await page.locator('.cluster h3').first().textContent();
    expect(cluster).toMatch(/800 × User/);
    expect(await page.locator('.cluster .path').first().textContent()).toContain('->cache');
    expect(await page.locator('#containers-table tbody tr').first().textContent()).toContain('200 → 1,000 → 1,800');

    await page.screenshot({ path: `${OUT}/report.png`, fullPage: true });

    // Every id link leads to an object's details; an example id leads to its User.
    const targets = await page.locator('a[href^="#obj-"]').evaluateAll((links) => [...new Set(links.map((link) => link.getAttribute('href')!))]);
    expect(targets.length).toBeGreaterThan(10);
    for (const target of targets) expect(await page.locator(target).count(), target).toBe(1);
    const link = page.locator('.verdict .more a[href^="#obj-"]').first();
    const target = await link.getAttribute('href');
    await link.click();
    expect(await page.locator(`${target} h3`).textContent()).toMatch(/^User @\d+$/);

    expect(await page.locator('script, link, iframe, img').count()).toBe(0);
    expect(requests).toEqual([]);
    await page.close();
  });
});
