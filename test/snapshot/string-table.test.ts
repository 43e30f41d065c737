// StringTable packs strings into blocks of about a million characters; every string must come
// back whole, across block ends, longer than a block, empty, or outside Latin-1.

import { describe, expect, it } from 'vitest';
import { StringTableBuilder, cachedStrings } from '../../src/snapshot/string-table.js';

describe('StringTable', () => {
  const strings: string[] = [];
  for (let i = 0; i < 40_000; i++) strings.push(`user-${i}@example.com`.repeat(1 + (i % 3)));
  strings.push('');
  strings.push('x'.repeat(3_000_000)); // longer than a block: a block of its own
  strings.push('Dtor 🐞 ünïcödé \u0000 "quoted"');
  for (let i = 0; i < 60_000; i++) strings.push(String(i));
  const builder = new StringTableBuilder();
  for (const value of strings) builder.add(value);
  const table = builder.finish();

  it('gives every string back, in order', () => {
    expect(table.length).toBe(strings.length);
    let wrong = 0;
    for (let i = 0; i < strings.length; i++) if (table.get(i) !== strings[i]) wrong++;
    expect(wrong).toBe(0);
    expect([...table]).toEqual(strings);
  });

  it('compares without slicing, length first', () => {
    const long = strings.indexOf('x'.repeat(3_000_000));
    expect(table.equals(long, 'x'.repeat(3_000_000))).toBe(true);
    expect(table.equals(long, 'x'.repeat(2_999_999))).toBe(false);
    expect(table.equals(0, 'user-0@example.com')).toBe(true);
    expect(table.equals(0, 'user-0@example.co')).toBe(false); // a prefix is not equal
    expect(table.equals(1, 'user-1@example.com')).toBe(false); // repeated twice
    expect(table.equals(strings.indexOf(''), '')).toBe(true);
    expect(table.equals(strings.length - 1, '59999')).toBe(true);
  });

  it('a matcher answers as equals does, asked twice (its verdicts are kept)', () => {
    for (const text of ['user-7@example.com', '12345', '', 'no such string']) {
      const matches = table.matcher(text);
      for (const round of [1, 2]) {
        const found: number[] = [];
        for (let i = 0; i < strings.length; i++) if (matches(i)) found.push(i);
        expect(found, `${text}, round ${round}`).toEqual(strings.flatMap((value, i) => (value === text ? [i] : [])));
      }
    }
  });

  it('finds the strings containing a text, once each, and not a match that runs across two strings', () => {
    const containing = (text: string) => strings.flatMap((value, i) => (value.includes(text) ? [i] : []));
    for (const text of ['user-7@', 'example.comuser', '🐞 ü', '"quoted"', 'xx', 'no such text']) {
      expect(table.indexesContaining(text), text).toEqual(containing(text));
    }
    // "…1234" then "1235" lie side by side in a packed block: "41235" is in neither.
    expect(table.indexesContaining('41235')).toEqual(containing('41235'));
    expect(containing('41235')).toEqual([strings.indexOf('41235')]);
  });

  it('cachedStrings returns the same strings', () => {
    const at = cachedStrings(table);
    expect(at(5)).toBe(strings[5]);
    expect(at(5)).toBe(strings[5]);
    expect(at(strings.length - 3)).toBe(strings[strings.length - 3]);
  });
});

describe('StringTable with raw blocks (the file\'s own text)', () => {
  // A run of plain literals as the file has them: the first one's text starts at 0, each ends
  // at its closing quote, separators (any whitespace) between them.
  const text = 'alpha", "",\n"beta"  ,"gamma';
  const ends = Uint32Array.from([5, 9, 17, 27]);
  const builder = new StringTableBuilder();
  builder.add('decoded "first"');
  builder.addRaw(text, ends, 4);
  builder.add('ünïcödé');
  builder.add('');
  builder.addRaw('z', Uint32Array.from([1]), 1);
  const table = builder.finish();
  const expected = ['decoded "first"', 'alpha', '', 'beta', 'gamma', 'ünïcödé', '', 'z'];

  it('gives back raw and decoded strings alike, in order', () => {
    expect([...table]).toEqual(expected);
  });

  it('compares raw strings without slicing', () => {
    expected.forEach((value, index) => expect(table.equals(index, value), `${index}`).toBe(true));
    expect(table.equals(1, 'alph')).toBe(false);
    expect(table.equals(3, 'beta"')).toBe(false);
    expect(table.equals(2, '')).toBe(true);
  });

  it('finds the strings containing a text, not in the separators between raw literals', () => {
    expect(table.indexesContaining('a')).toEqual([1, 3, 4]);
    expect(table.indexesContaining('"')).toEqual([0]);
    expect(table.indexesContaining('a", "')).toEqual([]);
    expect(table.indexesContaining('ö')).toEqual([5]);
  });
});
