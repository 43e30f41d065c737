// Comparisons classify every snapshot with the last one's shapes (leaks tells a linked list's
// elements by class). Heaps loaded with other shapes, or files given beside loaded heaps, must
// give the same report as the files alone.
import { describe, expect, test } from 'vitest';
import { growth, leaks, loadSnapshot } from '../../src/index.js';
import { snapshotLeakProgram } from '../helpers/leak-programs.js';

describe('leaks of heaps loaded with other shapes', () => {
  test('a hand-written list of plain {notification, next} nodes is followed back all the same', async () => {
    const files = snapshotLeakProgram('hand-list.mjs');
    const fromFiles = await leaks(files, { sourceMaps: false });
    const lists = fromFiles.growingContainers.filter((container) => container.list !== undefined);
    expect(lists.length).toBeGreaterThan(0);
    // The older heaps know no shapes at all: their list nodes are plain "Object"s.
    const older = await Promise.all(files.slice(0, -1).map((file) => loadSnapshot(file, { interfaces: [], sourceMaps: false })));
    expect(older.every((heap) => heap.classes.names.every((name) => !name.startsWith('{')))).toBe(true);
    const final = await loadSnapshot(files[files.length - 1], { sourceMaps: false });
    expect(await leaks([...older, final])).toEqual(fromFiles);
  }, 60_000);

  test('growth of files beside a loaded last heap classifies the files with its shapes', async () => {
    for (const sample of ['service', 'control']) {
      const files = [1, 2, 3].map((n) => `samples/${sample}-${n}.heapsnapshot.gz`);
      const last = await loadSnapshot(files[2], { sourceMaps: false });
      expect(await growth([files[0], files[1], last], { top: 0 })).toEqual(await growth(files, { top: 0 }));
    }
  }, 60_000);
});
