// The timeline chart: valid SVG, byte-identical for the same timeline, heap used in its own
// panel on an axis fitted to it, RSS in a second panel, trends, snapshot bands in both,
// --series, escaping.

import { describe, expect, test } from 'vitest';
import { fitTrend, parseTimeline, serializeTimeline, type MemorySample } from '../../src/live/timeline.js';
import { formatRate, renderTimelineSvg } from '../../src/render/timeline-svg.js';
import { checkSvg } from '../live/svg-check.js';
import { makeTimeline } from '../live/timeline-fixture.js';

const samples: MemorySample[] = Array.from({ length: 120 }, (_, i) => ({ t: 100 + i * 100, heapUsed: 5e6 + i * 50_000 + (i % 7) * 100_000, heapTotal: 9e6 + i * 60_000, rss: 40e6 + i * 80_000 }));
const snapshots = [
  { t: 3000, file: 'snapshot-001.heapsnapshot', trigger: 'at' as const, size: 8e6, duration: 400 },
  { t: 6000, file: 'snapshot-002.heapsnapshot', trigger: 'at' as const, size: 9e6, duration: 450 },
  { t: 9000, file: 'snapshot-003.heapsnapshot', trigger: 'signal' as const, size: 1e7, duration: 500 },
];
const timeline = makeTimeline(samples, { duration: 12_050, snapshots });

// The picture of issue 13: heap used climbing from 4.6 to 9 MB in a sawtooth, while RSS steps
// from 45 to 150 MB at each snapshot. On one axis from zero, heap used was drawn flat.
const leaking: MemorySample[] = Array.from({ length: 80 }, (_, i) => ({
  t: 100 + i * 100,
  heapUsed: 4.6e6 + i * 55_000 + (i % 5) * 60_000,
  heapTotal: 6e6 + i * 80_000,
  rss: 45e6 + i * 100_000 + (i >= 20 ? 30e6 : 0) + (i >= 40 ? 30e6 : 0) + (i >= 60 ? 30e6 : 0) - (i % 3) * 200_000,
}));
const leakingTimeline = makeTimeline(leaking, { duration: 8000, snapshots: [2000, 4000, 6000].map((t, i) => ({ t, file: `snapshot-00${i + 1}.heapsnapshot`, trigger: 'at' as const, size: 12e6, duration: 60 })) });

/** Each panel's part of the SVG, by id. */
function panels(svg: string): Record<string, string> {
  const parts = svg.split('<g class="panel" id="panel-').slice(1);
  return Object.fromEntries(parts.map((part) => [part.slice(0, part.indexOf('"')), part.split('>time (')[0]]));
}

/** A panel's frame: its top and bottom. */
function frame(panel: string): { top: number; bottom: number } {
  const [, top, height] = /<rect x="64" y="([\d.]+)" width="[\d.]+" height="([\d.]+)" fill="none" stroke="#333333"\/>/.exec(panel)!.map(Number);
  return { top, bottom: top + height };
}

const ticks = (panel: string) => [...panel.matchAll(/class="memory-tick"[^>]*>([\d.]+)<\/text>/g)].map((match) => match[1]);
const ys = (panel: string, series: string) => [...panel.matchAll(new RegExp(`<polyline class="${series}" [^>]*points="([^"]+)"`, 'g'))].flatMap((match) => match[1].split(' ').map((point) => Number(point.split(',')[1])));

describe('renderTimelineSvg', () => {
  test('valid, and byte-identical for the same timeline however it comes', () => {
    const svg = renderTimelineSvg(timeline);
    checkSvg(svg);
    expect(svg).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" version="1\.1" width="960" height="600" viewBox="0 0 960 600"/);
    expect(renderTimelineSvg(timeline)).toBe(svg);
    expect(renderTimelineSvg(structuredClone(timeline))).toBe(svg);
    // As plot reads it back from timeline.json (trends recomputed).
    expect(renderTimelineSvg(parseTimeline(serializeTimeline(timeline), 'timeline.json'))).toBe(svg);
    for (const options of [{ width: 400, height: 400 }, { series: ['heapUsed' as const] }]) expect(renderTimelineSvg(structuredClone(timeline), options)).toBe(renderTimelineSvg(timeline, options));
    expect(renderTimelineSvg(parseTimeline(serializeTimeline(leakingTimeline), 'timeline.json'))).toBe(renderTimelineSvg(leakingTimeline));
  });

  test('two panels over one time axis: heap used above, RSS and heap total below', () => {
    const svg = renderTimelineSvg(timeline);
    const { 'heap-used': heap, rss } = panels(svg);
    expect(Object.keys(panels(svg))).toEqual(['heap-used', 'rss']);
    // Heap used alone in the upper panel; RSS and heap total in the lower one, which starts below it.
    expect(heap).toContain('>Heap used (MB)</text>');
    expect(heap.match(/<polyline class="(\w+)"/g)!.every((line) => line.includes('heapUsed'))).toBe(true);
    expect(rss).toContain('>RSS and heap total (MB)</text>');
    for (const series of ['rss', 'heapTotal']) expect(rss).toContain(`<polyline class="${series}"`);
    expect(rss).not.toContain('<polyline class="heapUsed"');
    expect(svg).not.toContain('childrenRss');
    expect(frame(rss).top).toBeGreaterThan(frame(heap).bottom + 20);
    // Each its own axis: heap used 0-15 MB (it fills more than half of it), RSS 0-60 MB.
    expect(ticks(heap)).toEqual(['0', '5', '10', '15']);
    expect(ticks(rss)).toEqual(['0', '20', '40', '60']);
    // Time ticks every 2 s, labelled once, under the lower panel.
    expect(svg.match(/class="time-tick"[^>]*>(\d+)<\/text>/g)!.map((tick) => /(\d+)<\/text>/.exec(tick)![1])).toEqual(['0', '2', '4', '6', '8', '10', '12', '14']);
    expect(heap).not.toContain('time-tick');
    expect(svg).toContain('>time (s)</text>');
  });

  test('heap used on an axis fitted to it when one from zero would flatten it, and the chart says so', () => {
    const svg = renderTimelineSvg(leakingTimeline);
    checkSvg(svg);
    const { 'heap-used': heap, rss } = panels(svg);
    // 4.6-9 MB on an axis from 4 to 10 MB, not 0-150 MB: the line fills most of its panel.
    expect(ticks(heap)).toEqual(['4', '5', '6', '7', '8', '9', '10']);
    expect(heap).toContain('<tspan class="axis-note" font-size="12" font-weight="normal" fill="#555555"> — axis from 4 MB, not 0</tspan>');
    expect(heap).toContain('<g class="axis-break">');
    const { top, bottom } = frame(heap);
    const heapYs = ys(heap, 'heapUsed');
    expect(Math.max(...heapYs) - Math.min(...heapYs)).toBeGreaterThan(0.6 * (bottom - top));
    // Its trend rises across most of the panel too.
    const [, y1, y2] = /<line class="heapUsed-trend" x1="[\d.]+" y1="([\d.]+)" x2="[\d.]+" y2="([\d.]+)"/.exec(heap)!.map(Number);
    expect(y1 - y2).toBeGreaterThan(0.5 * (bottom - top));
    for (const y of [y1, y2]) {
      expect(y).toBeGreaterThan(top);
      expect(y).toBeLessThan(bottom);
    }
    // RSS keeps an axis from zero, of its own.
    expect(ticks(rss).slice(0, 4)).toEqual(['0', '50', '100', '150']);
    expect(rss).not.toContain('axis-note');
    expect(rss).not.toContain('axis-break');
    // A heap that fills the axis from zero keeps zero.
    expect(panels(renderTimelineSvg(timeline))['heap-used']).not.toContain('axis-note');
  });

  test('a flat, noisy heap is not blown up to the whole height', () => {
    const flat = makeTimeline(Array.from({ length: 50 }, (_, i) => ({ t: i * 100, heapUsed: 5e6 + (i % 2) * 100_000, heapTotal: 8e6, rss: 50e6 })));
    const heap = panels(renderTimelineSvg(flat))['heap-used'];
    expect(heap).toContain('axis-note');
    const { top, bottom } = frame(heap);
    const heapYs = ys(heap, 'heapUsed');
    expect(Math.max(...heapYs) - Math.min(...heapYs)).toBeLessThan(0.2 * (bottom - top));
  });

  test('trend lines, each in its panel, with their slopes in its legend', () => {
    const { 'heap-used': heap, rss } = panels(renderTimelineSvg(timeline));
    expect(heap).toContain('<line class="heapUsed-trend"');
    expect(heap).toContain(`>heap used trend ${formatRate(fitTrend(samples, 'heapUsed')!.slope)}</text>`);
    expect(heap).not.toContain('rss-trend');
    expect(rss).toContain('<line class="rss-trend"');
    expect(rss).toContain('>RSS trend +800 kB/s</text>');
    // Dashed: the trend lines and their legend swatches.
    for (const panel of [heap, rss]) expect(panel.match(/stroke-dasharray="8 5"/g)).toHaveLength(2);
  });

  test('snapshot bands and marks in both panels, numbered and named once', () => {
    const svg = renderTimelineSvg(timeline);
    for (const panel of Object.values(panels(svg))) {
      const { top, bottom } = frame(panel);
      const bands = /<g class="snapshot-durations"[^>]*>([^]*?)<\/g>/.exec(panel)![1];
      expect(bands.match(new RegExp(`<rect x="[\\d.]+" y="${top}" width="[\\d.]+" height="${bottom - top}"/>`, 'g'))).toHaveLength(3);
      expect(/<g class="snapshots"[^>]*>([^]*?)<\/g>/.exec(panel)![1].match(/<line /g)).toHaveLength(3);
    }
    expect(svg.match(/<title>snapshot-00\d\.heapsnapshot at \d+ s<\/title>/g)).toHaveLength(3);
    expect(svg.match(/class="snapshot-number"[^>]*>(\d)<\/text>/g)).toHaveLength(3);
    expect(svg).toContain('>snapshot (shaded while taken: the program is paused, not sampled)</text>');
    // Many snapshots: numbers only where they fit side by side.
    const many = renderTimelineSvg(makeTimeline(samples, { snapshots: Array.from({ length: 100 }, (_, i) => ({ t: i * 120, file: `s${i}`, trigger: 'every' as const, size: 1, duration: 10 })) }));
    const numbers = [...many.matchAll(/class="snapshot-number" x="([\d.]+)"[^>]*>(\d+)<\/text>/g)].map((match) => ({ x: Number(match[1]), width: match[2].length * 8 }));
    expect(numbers.length).toBeLessThan(100);
    for (let i = 1; i < numbers.length; i++) expect(numbers[i].x - numbers[i].width / 2).toBeGreaterThan(numbers[i - 1].x + numbers[i - 1].width / 2);
  });

  test('lines break where a snapshot paused the program', () => {
    expect(renderTimelineSvg(timeline).match(/<polyline class="heapUsed"/g)).toHaveLength(4);
    expect(renderTimelineSvg(makeTimeline(samples)).match(/<polyline class="heapUsed"/g)).toHaveLength(1);
  });

  test('--series: heap used alone takes the whole height, RSS alone too, trends follow their series', () => {
    const both = panels(renderTimelineSvg(timeline));
    const only = renderTimelineSvg(timeline, { series: ['heapUsed'] });
    checkSvg(only);
    expect(Object.keys(panels(only))).toEqual(['heap-used']);
    expect(only).toContain('<polyline class="heapUsed"');
    expect(only).not.toContain('<polyline class="rss"');
    expect(only).not.toContain('RSS trend');
    expect(frame(panels(only)['heap-used']).bottom).toBe(frame(both.rss).bottom);
    const rss = renderTimelineSvg(timeline, { series: ['rss'] });
    expect(Object.keys(panels(rss))).toEqual(['rss']);
    expect(rss).toContain('>RSS (MB)<');
    expect(rss).toContain('RSS trend +800 kB/s');
    expect(rss).not.toContain('heap used');
    const noTrend = renderTimelineSvg(timeline, { series: ['heapTotal'] });
    expect(Object.keys(panels(noTrend))).toEqual(['rss']);
    expect(noTrend).not.toContain('trend');
  });

  test('children, minutes, gigabytes, few or no samples, a narrow picture', () => {
    const long = makeTimeline(Array.from({ length: 100 }, (_, i) => ({ t: i * 20_000, heapUsed: 1.5e9, heapTotal: 2e9, rss: 3e9, childrenRss: 1e9 })), { interval: 20_000 });
    const svg = renderTimelineSvg(long);
    checkSvg(svg);
    expect(svg).toContain('>time (min)</text>');
    expect(svg).toContain('>Heap used (GB)<tspan');
    expect(svg).toContain('>RSS, children RSS and heap total (GB)</text>');
    expect(svg).toContain('<polyline class="childrenRss"');
    expect(svg).toContain('heap used trend +0 B/s');
    const empty = renderTimelineSvg(makeTimeline([]));
    checkSvg(empty);
    expect(empty.match(/>no samples<\/text>/g)).toHaveLength(2);
    expect(empty).not.toContain('trend');
    // A sample alone between two snapshots is a dot.
    const lonely = renderTimelineSvg(makeTimeline(samples.slice(0, 3), { snapshots: [{ ...snapshots[0], t: 150 }, { ...snapshots[1], t: 250 }] }));
    expect(lonely).toMatch(/<circle class="heapUsed" cx="[\d.]+" cy="[\d.]+" r="2"/);
    // 400 pixels wide: the legends wrap onto more rows instead of running into each other.
    const narrow = renderTimelineSvg(leakingTimeline, { width: 400, height: 400 });
    checkSvg(narrow);
    const baselines = (panel: string) => new Set([.../<g class="heading">([^]*?)<\/g>/.exec(panel)![1].matchAll(/<text x="\d+" y="(\d+)"/g)].map((match) => match[1]));
    expect(baselines(panels(narrow)['heap-used']).size).toBe(2);
    expect(baselines(panels(narrow).rss).size).toBe(2);
    expect(baselines(panels(renderTimelineSvg(leakingTimeline)).rss).size).toBe(1);
  });

  test('a very long recording is thinned to the pixels, peaks kept', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => ({ t: i * 100, heapUsed: i === 54_321 ? 9e8 : 1e8, heapTotal: 1e9, rss: 1.1e9 }));
    const svg = renderTimelineSvg(makeTimeline(many));
    const heap = panels(svg)['heap-used'];
    const points = /<polyline class="heapUsed" [^>]*points="([^"]+)"/.exec(heap)![1].split(' ');
    expect(points.length).toBeLessThan(4 * 900);
    expect(svg.match(/<polyline class="heapUsed"/g)).toHaveLength(1);
    // The one peak still reaches its height (0.9 GB of a 1 GB axis).
    const { top, bottom } = frame(heap);
    expect(Math.min(...ys(heap, 'heapUsed'))).toBeLessThan(top + (bottom - top) * 0.15);
  });

  test('titles and commands are escaped', () => {
    const svg = renderTimelineSvg(makeTimeline(samples, { command: ['node', '-e', 'a<b && "c"\u0001'] }));
    checkSvg(svg);
    expect(svg).toContain('<title>leakgraph record: node -e a&lt;b &amp;&amp; &quot;c&quot;</title>');
    expect(renderTimelineSvg(timeline, { title: 'R&D <run 1>' })).toContain('>R&amp;D &lt;run 1&gt;</text>');
  });

  test('formatRate', () => {
    expect([formatRate(0), formatRate(12.4), formatRate(-512.6), formatRate(12_345), formatRate(2.5e6)]).toEqual(['+0 B/s', '+12 B/s', '-513 B/s', '+12.3 kB/s', '+2.50 MB/s']);
  });
});
