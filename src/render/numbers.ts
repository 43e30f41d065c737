/**
 * leakgraph/render/numbers — sizes and counts for people. No imports: the explorer's page
 * loads this module as it is, so that it and the CLI print numbers alike.
 */

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB'];

/** "512 B", "12.3 kB", "1.30 MB": decimal units, as DevTools shows sizes. */
export function formatBytes(bytes: number): string {
  const sign = bytes < 0 ? '-' : '';
  let value = Math.abs(bytes);
  if (value < 1000) return `${sign}${value} B`;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = value < 10 ? 2 : value < 100 ? 1 : 0;
  return `${sign}${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** "12,345". */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

/** `1 object`, `1,200 objects`. */
export function plural(count: number, noun: string): string {
  return `${formatCount(count)} ${noun}${count === 1 ? '' : 's'}`;
}
