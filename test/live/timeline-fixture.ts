// A timeline for tests, with the trends computed from its samples.

import { fitTrend, type MemorySample, type Timeline } from '../../src/live/timeline.js';

export function makeTimeline(samples: MemorySample[], overrides: Partial<Timeline> = {}): Timeline {
  return {
    version: 1,
    command: ['node', 'app.js'],
    pid: 42,
    startedAt: '2026-01-01T00:00:00.000Z',
    interval: 100,
    includeChildren: false,
    duration: samples.length > 0 ? samples[samples.length - 1].t : 0,
    end: { reason: 'duration', exitCode: null, signal: 'SIGTERM' },
    samples,
    snapshots: [],
    trends: { heapUsed: fitTrend(samples, 'heapUsed'), rss: fitTrend(samples, 'rss') },
    ...overrides,
  };
}
