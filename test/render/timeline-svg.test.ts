// The timeline chart: valid SVG, deterministic, axes, markers, trend lines, escaping.

import { describe, expect, test } from 'vitest';
import { fitTrend, type MemorySample } from '../../src/live/timeline.js';
import { formatRate, renderTimelineSvg } from '../../src/render/timeline-svg.js';
import { checkSvg } from '../live/svg-check.js';
import { makeTimeline } from '../live/timeline-fixture.js';

const samples: MemorySample[] = Array.from({ length: 120 }, (_, i) => ({ t: 100 + i * 100, heapUsed: 5e6 + i * 50_000 + (i % 7) * 100_000, heapTotal: 9e6 + i * 60_000, rss: 40e6 + i * 80_000 }));
const timeline = makeTimeline(samples, {
  duration: 12_050,
  snapshots: [
    { t: 3000, file: 'snapshot-001.heapsnapshot', trigger: 'at', size: 8e6, duration: 400 },
    { t: 6000, file: 'snapshot-002.heapsnapshot', trigger: 'at', size: 9e6, duration: 450 },
    { t: 9000, file: 'snapshot-003.heapsnapshot', trigger: 'signal', size: 1e7, duration: 500 },
  ],
});

describe('renderTimelineSvg', () => {
  test('valid and deterministic', () => {
    const svg = renderTimelineSvg(timeline);
    checkSvg(svg);
    expect(renderTimelineSvg(structuredClone(timeline))).toBe(svg);
    expect(svg).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" version="1\.1" width="960" height="540" viewBox="0 0 960 540"/);
  });

  test('axes with units, a line per series, markers per snapshot, trends with slopes', () => {
    const svg = renderTimelineSvg(timeline);
    expect(svg).toContain('>time (s)</text>');
    expect(svg).toContain('>memory (MB)</text>');
    // Time ticks every 2 s up to 12 s; memory ticks every 10 MB up to 50 MB.
    for (const tick of ['0', '2', '4', '6', '8', '10', '12']) expect(svg).toContain(`text-anchor="middle" stroke="none">${tick}</text>`);
    for (const tick of ['0', '10', '20', '30', '40', '50']) expect(svg).toContain(`text-anchor="end" stroke="none">${tick}</text>`);
    for (const series of ['heapUsed', 'heapTotal', 'rss']) expect(svg).toContain(`<polyline class="${series}"`);
    expect(svg).not.toContain('childrenRss');
    expect(svg.match(/<title>snapshot-00\d\.heapsnapshot at \d+ s<\/title>/g)).toHaveLength(3);
    const bands = /<g class="snapshot-durations"[^>]*>([^]*?)<\/g>/.exec(svg)![1];
    expect(bands.match(/<rect x="[\d.]+" y="64" width="[\d.]+" height="368"\/>/g)).toHaveLength(3);
    const heapSlope = fitTrend(samples, 'heapUsed')!.slope;
    expect(svg).toContain(`heap used trend ${formatRate(heapSlope)}`);
    expect(svg).toContain('RSS trend +800 kB/s');
    expect(svg.match(/stroke-dasharray="8 5"/g)).toHaveLength(4);
  });

  test('lines break where a snapshot paused the program', () => {
    expect(renderTimelineSvg(timeline).match(/<polyline class="heapUsed"/g)).toHaveLength(4);
    expect(renderTimelineSvg(makeTimeline(samples)).match(/<polyline class="heapUsed"/g)).toHaveLength(1);
  });

  test('children, minutes, gigabytes, few or no samples, chosen series', () => {
    const long = makeTimeline(Array.from({ length: 100 }, (_, i) => ({ t: i * 20_000, heapUsed: 1.5e9, heapTotal: 2e9, rss: 3e9, childrenRss: 1e9 })), { interval: 20_000 });
    const svg = renderTimelineSvg(long);
    checkSvg(svg);
    expect(svg).toContain('>time (min)</text>');
    expect(svg).toContain('>memory (GB)</text>');
    expect(svg).toContain('<polyline class="childrenRss"');
    expect(svg).toContain('heap used trend +0 B/s');
    const empty = renderTimelineSvg(makeTimeline([]));
    checkSvg(empty);
    expect(empty).toContain('>no samples</text>');
    expect(empty).not.toContain('trend');
    const only = renderTimelineSvg(timeline, { series: ['heapUsed'] });
    expect(only).toContain('<polyline class="heapUsed"');
    expect(only).not.toContain('<polyline class="rss"');
    expect(only).not.toContain('RSS trend');
  });

  test('a very long recording is thinned to the pixels, peaks kept', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => ({ t: i * 100, heapUsed: i === 54_321 ? 9e8 : 1e8, heapTotal: 1e9, rss: 1.1e9 }));
    const svg = renderTimelineSvg(makeTimeline(many));
    const points = /<polyline class="heapUsed" [^>]*points="([^"]+)"/.exec(svg)![1].split(' ');
    expect(points.length).toBeLessThan(4 * 850);
    expect(svg.match(/<polyline class="heapUsed"/g)).toHaveLength(1);
    // The one peak still reaches its height (0.9 GB of a 1.2 GB axis).
    const ys = points.map((point) => Number(point.split(',')[1]));
    expect(Math.min(...ys)).toBeLessThan(64 + 368 * 0.3);
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
