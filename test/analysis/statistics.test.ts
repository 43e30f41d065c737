// DevTools' Statistics chart numbers, against DevTools' own code, on Node and Chromium heaps.

import { expect, test } from 'vitest';
import { loadSnapshot } from '../../src/index.js';
import { heapStatistics } from '../../src/analysis/statistics.js';
import { devtoolsSnapshot } from '../helpers/oracle.js';

test.each(['samples/service-3.heapsnapshot.gz', 'samples/bigstrings-3.heapsnapshot.gz', 'samples/browser-3.heapsnapshot.gz'])('%s', async (file) => {
  const [ours, devtools] = await Promise.all([loadSnapshot(file).then(heapStatistics), devtoolsSnapshot(file).then((snapshot) => snapshot.getStatistics())]);
  expect(ours).toMatchObject({
    total: devtools.total,
    native: devtools.native.total,
    typedArrays: devtools.native.typedArrays,
    v8Heap: devtools.v8heap.total,
    code: devtools.v8heap.code,
    strings: devtools.v8heap.strings,
    jsArrays: devtools.v8heap.jsArrays,
    system: devtools.v8heap.system,
  });
  expect(ours.otherJs + ours.code + ours.strings + ours.jsArrays + ours.system + ours.native).toBe(ours.total);
});
