import { describe, expect, it } from 'vitest';
import { formatCount } from '../../src/render/numbers.js';

describe('formatCount', () => {
  it('groups digits as en-US toLocaleString does, without loading ICU for integers', () => {
    const values = [0, -0, 1, 9, 12, 999, 1000, -1000, 12345, -123456, 1234567, 999999999, 1e15, -(2 ** 53 - 1), 2 ** 53, 1.5, -2.25, 1234.5678, NaN, Infinity];
    for (let digits = 1; digits <= 16; digits++) values.push(Number('7'.repeat(digits)), -Number('1'.padEnd(digits, '0')));
    for (const value of values) expect(formatCount(value), String(value)).toBe(value.toLocaleString('en-US'));
  });
});
