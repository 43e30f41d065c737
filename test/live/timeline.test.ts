// Timelines: durations, the least-squares trend, reading timeline.json back.

import { describe, expect, test } from 'vitest';
import { formatDuration, parseDuration, parseDurationList } from '../../src/live/duration.js';
import { LiveError } from '../../src/live/errors.js';
import { fitTrend, parseTimeline, serializeTimeline, type MemorySample } from '../../src/live/timeline.js';
import { makeTimeline } from './timeline-fixture.js';

const sample = (t: number, heapUsed: number, rss = heapUsed * 4): MemorySample => ({ t, heapUsed, heapTotal: heapUsed * 2, rss });

describe('durations', () => {
  test('units are required', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('5s')).toBe(5000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('2min')).toBe(120_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration(' 10 S ')).toBe(10_000);
    for (const bad of ['100', '5 seconds', '-1s', 's', '', '1e3ms']) expect(parseDuration(bad)).toBeNull();
    expect(parseDurationList('5s,10s, 15s')).toEqual([5000, 10_000, 15_000]);
    expect(parseDurationList('5s,x')).toBeNull();
    expect(parseDurationList(',')).toBeNull();
    expect([formatDuration(250), formatDuration(5000), formatDuration(125_000), formatDuration(180_000)]).toEqual(['250 ms', '5.0 s', '2 min 5 s', '3 min']);
  });
});

describe('fitTrend', () => {
  test('an exact line gives its slope in bytes per second and its value at t = 0', () => {
    // 1,000,000 B at t = 0, +2,500 B per 100 ms = 25,000 B/s.
    const samples = Array.from({ length: 50 }, (_, i) => sample(i * 100, 1_000_000 + i * 2500));
    const trend = fitTrend(samples, 'heapUsed')!;
    expect(trend.slope).toBeCloseTo(25_000, 6);
    expect(trend.intercept).toBeCloseTo(1_000_000, 3);
    expect(fitTrend(samples, 'rss')!.slope).toBeCloseTo(100_000, 6);
  });

  test('least squares through noise; none for fewer than two times', () => {
    // Points (0,1), (1,3), (2,2), (3,5) in seconds: slope 5.5 / 5 = 1.1, intercept 2.75 - 1.1 × 1.5 = 1.1.
    const samples = [sample(0, 1), sample(1000, 3), sample(2000, 2), sample(3000, 5)];
    const trend = fitTrend(samples, 'heapUsed')!;
    expect(trend.slope).toBeCloseTo(1.1, 12);
    expect(trend.intercept).toBeCloseTo(1.1, 12);
    expect(fitTrend([], 'heapUsed')).toBeNull();
    expect(fitTrend([sample(0, 1)], 'heapUsed')).toBeNull();
    expect(fitTrend([sample(5, 1), sample(5, 2)], 'heapUsed')).toBeNull();
  });

  test('precise with gigabyte values over hours', () => {
    const samples = Array.from({ length: 36_000 }, (_, i) => sample(i * 100, 4e9 + i * 10));
    expect(fitTrend(samples, 'heapUsed')!.slope).toBeCloseTo(100, 6);
  });
});

describe('timeline.json', () => {
  test('one sample per line; reads back to the same timeline', () => {
    const timeline = makeTimeline([sample(100, 5e6), sample(200, 6e6), sample(300, 7e6)], {
      snapshots: [{ t: 150, file: 'snapshot-001.heapsnapshot', trigger: 'at', size: 1234, duration: 40 }],
    });
    const text = serializeTimeline(timeline);
    expect(text.split('\n').filter((line) => line.startsWith('    {"t":'))).toHaveLength(4);
    expect(JSON.parse(text)).toEqual(timeline);
    expect(parseTimeline(text, 'timeline.json')).toEqual(timeline);
    expect(Object.keys(JSON.parse(text))).toEqual(['version', 'command', 'pid', 'startedAt', 'interval', 'includeChildren', 'duration', 'end', 'samples', 'snapshots', 'trends']);
  });

  test('bad files name the file and the problem', () => {
    const bad = (text: string) => {
      try {
        parseTimeline(text, 't.json');
      } catch (error) {
        expect(error).toBeInstanceOf(LiveError);
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    expect(bad('{')).toMatch(/^t\.json: not JSON \(/);
    expect(bad('[]')).toBe('t.json: not a leakgraph timeline (expected an object)');
    expect(bad('{"samples": [], "snapshots": [], "version": 2}')).toBe('t.json: not a leakgraph timeline (version 2; this leakgraph reads version 1)');
    expect(bad('{"version": 1, "samples": [{"t": 1, "heapUsed": "x"}], "snapshots": []}')).toBe('t.json: not a leakgraph timeline (samples[0].heapUsed is not a number)');
    expect(bad('{"version": 1, "samples": [], "snapshots": [{"t": 1}]}')).toBe('t.json: not a leakgraph timeline (snapshots[0] needs "t" and "file")');
  });
});
