// The timeline chart as a browser draws it: Debian's Chromium, headless, driven by
// playwright-core (no browser download). Every label is at least 10 px high on screen (the
// chart shown 800 px wide, as a README on GitHub shows it, or at its own size when smaller),
// no two labels overlap, none runs into a panel or off the picture. Screenshots are saved in
// test/.out/timeline-*.png to look at.

import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { MemorySample } from '../../src/live/timeline.js';
import { renderTimelineSvg, type TimelineSvgOptions } from '../../src/render/timeline-svg.js';
import { makeTimeline } from '../live/timeline-fixture.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const leaking: MemorySample[] = Array.from({ length: 80 }, (_, i) => ({
  t: 100 + i * 100,
  heapUsed: 4.6e6 + i * 55_000 + (i % 5) * 60_000,
  heapTotal: 6e6 + i * 80_000,
  rss: 45e6 + i * 100_000 + Math.min(3, Math.floor(i / 20)) * 30e6,
}));
const snapshots = [2000, 4000, 6000].map((t, i) => ({ t, file: `snapshot-00${i + 1}.heapsnapshot`, trigger: 'at' as const, size: 12e6, duration: 300 }));
const leakingTimeline = makeTimeline(leaking, { duration: 8000, snapshots });
const long = makeTimeline(
  Array.from({ length: 100 }, (_, i) => ({ t: i * 20_000, heapUsed: 1.5e9 + (i % 5) * 1e7, heapTotal: 2e9, rss: 3e9, childrenRss: 1e9 })),
  { interval: 20_000, command: ['node', '--max-old-space-size=4096', 'a/very/long/path/to/the/server/that/leaks/slowly/over/hours.js', '--port', '3000', '--workers', '16'], snapshots: Array.from({ length: 120 }, (_, i) => ({ t: i * 16_000, file: `snapshot-${i}.heapsnapshot`, trigger: 'every' as const, size: 1e9, duration: 3000 })) },
);

const cases: Array<{ name: string; svg: string; width: number }> = [
  { name: 'leaking', svg: renderTimelineSvg(leakingTimeline), width: 960 },
  { name: 'narrow', svg: renderTimelineSvg(leakingTimeline, { width: 400, height: 400 }), width: 400 },
  ...(
    [
      ['heap-only', { series: ['heapUsed'] }],
      ['rss-only', { series: ['rss', 'heapTotal', 'childrenRss'] }],
    ] as Array<[string, TimelineSvgOptions]>
  ).map(([name, options]) => ({ name, svg: renderTimelineSvg(leakingTimeline, options), width: 960 })),
  { name: 'long', svg: renderTimelineSvg(long), width: 960 },
  { name: 'long-narrow', svg: renderTimelineSvg(long, { width: 400, height: 400 }), width: 400 },
  { name: 'empty', svg: renderTimelineSvg(makeTimeline([])), width: 960 },
];

interface Box {
  text: string;
  left: number;
  top: number;
  right: number;
  bottom: number;
  fontSize: number;
}

// CI installs Debian's Chromium (.ci/run); without it this suite cannot run and says so.
describe.runIf(existsSync(CHROMIUM))('timeline chart in Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync('test/.out', { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  test.each(cases)('$name: labels 10 px or more, apart, clear of the panels', async ({ name, svg, width }) => {
    const shown = Math.min(width, 800);
    const page = await browser.newPage({ viewport: { width: Math.max(shown, 400), height: 1000 } });
    await page.setContent(`<!DOCTYPE html><html><body style="margin:0">${svg.replace(/^<\?xml[^>]*>\n/, '')}</body></html>`);
    await page.evaluate((px) => document.querySelector('svg')!.setAttribute('style', `width:${px}px;height:auto;display:block`), shown);
    const { boxes, frames, picture } = await page.evaluate(() => {
      const root = document.querySelector('svg')!;
      const scale = root.getBoundingClientRect().width / root.width.baseVal.value;
      const box = (element: Element) => {
        const rect = element.getBoundingClientRect();
        return { left: rect.left, top: rect.top, right: rect.right, bottom: rect.bottom };
      };
      return {
        picture: box(root),
        boxes: [...root.querySelectorAll('text')].map((text) => ({ text: text.textContent ?? '', fontSize: Math.min(...[text, ...text.querySelectorAll('tspan')].map((part) => parseFloat(getComputedStyle(part).fontSize) * scale)), ...box(text) })),
        frames: [...root.querySelectorAll('g.panel > rect[fill="none"]')].map(box),
      };
    });
    await page.screenshot({ path: `test/.out/timeline-${name}.png` });
    await page.close();

    expect(boxes.length).toBeGreaterThan(10);
    const overlap = (a: Omit<Box, 'text' | 'fontSize'>, b: Omit<Box, 'text' | 'fontSize'>) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    for (const label of boxes) {
      expect(label.fontSize, label.text).toBeGreaterThanOrEqual(10);
      expect(label.left, label.text).toBeGreaterThanOrEqual(picture.left);
      expect(label.right, label.text).toBeLessThanOrEqual(picture.right);
      expect(label.top, label.text).toBeGreaterThanOrEqual(picture.top);
      expect(label.bottom, label.text).toBeLessThanOrEqual(picture.bottom);
      if (label.text !== 'no samples') for (const frame of frames) expect(overlap(label, { ...frame, left: frame.left + 1, right: frame.right - 1, top: frame.top + 1, bottom: frame.bottom - 1 }), label.text).toBe(false);
    }
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) expect(overlap(boxes[i], boxes[j]), `"${boxes[i].text}" and "${boxes[j].text}"`).toBe(false);
    }
  });
});
