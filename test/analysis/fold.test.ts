// Folding paths: runs, repeated groups, and keys made by data.

import { describe, expect, test } from 'vitest';
import { findFolds, foldedSignature, looksGenerated } from '../../src/analysis/fold.js';

const tokens = (text: string) => text.split(' ');

describe('findFolds', () => {
  test('a run of one step folds; a single step does not', () => {
    expect(findFolds(tokens('a b b b b c'))).toEqual([{ start: 1, period: 1, times: 4 }]);
    expect(findFolds(tokens('a b c'))).toEqual([]);
  });

  test('a repeated group of two or three steps folds as one', () => {
    expect(findFolds(tokens('root x ctx x ctx x ctx end'))).toEqual([{ start: 1, period: 2, times: 3 }]);
    expect(findFolds(tokens('p q r p q r s'))).toEqual([{ start: 0, period: 3, times: 2 }]);
  });

  test('the fold covering the most steps wins, a shorter period on ties', () => {
    expect(findFolds(tokens('a a a a'))).toEqual([{ start: 0, period: 1, times: 4 }]);
    expect(findFolds(tokens('a b a b a b'))).toEqual([{ start: 0, period: 2, times: 3 }]);
  });

  test('several folds in one path', () => {
    expect(findFolds(tokens('a a b c c c'))).toEqual([
      { start: 0, period: 1, times: 2 },
      { start: 3, period: 1, times: 3 },
    ]);
  });
});

test('a signature counts a fold once, whatever its length or its link', () => {
  const classes = (n: number) => Array.from({ length: n + 2 }, (_, i) => (i === 0 ? 'List' : i === n + 1 ? 'Item' : 'Node'));
  const path = (link: string, n: number) => ['head|List', ...Array.from({ length: n }, () => `${link}|Node`), 'value|Item'];
  const signature = (link: string, n: number) => {
    const steps = path(link, n);
    return foldedSignature(steps, classes(n), findFolds(steps));
  };
  expect(signature('next', 3)).toBe(signature('next', 40));
  expect(signature('next', 3)).toBe(signature('prev', 7));
  expect(signature('next', 3)).not.toBe(signature('next', 1));
});

test('keys made by programs, not written by people', () => {
  for (const key of ['42', '-3.5', '1f0e9c4a-3b7d-4c8e-9a2b-7d6e5f4a3b2c', 'a3f9c2d81e7b4f60', 'user-20391', 'order_8841302']) expect(looksGenerated(key), key).toBe(true);
  for (const key of ['cache', 'sessions', '_idleNext', 'utf8', 'h2', 'x1']) expect(looksGenerated(key), key).toBe(false);
});
