/**
 * leakgraph/render/numbers — sizes, counts and edge names for people. No imports: the
 * explorer's page loads this module as it is, so that it and the CLI print them alike.
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

/**
 * "12,345". Integers are grouped here: the first `toLocaleString` of a process loads ICU's
 * locale data, which costs more than a small snapshot's whole graph pass.
 */
export function formatCount(count: number): string {
  if (!Number.isSafeInteger(count) || Object.is(count, -0)) return count.toLocaleString('en-US');
  return String(count).replace(/\B(?=(\d{3})+$)/g, ',');
}

/** `1 object`, `1,200 objects`. */
export function plural(count: number, noun: string): string {
  return `${formatCount(count)} ${noun}${count === 1 ? '' : 's'}`;
}

/** Cuts `text` to `width` characters with an ellipsis, on one line. */
export function truncate(text: string, width: number): string {
  const oneLine = text.replace(/[\r\n\t]+/g, ' ');
  return oneLine.length <= width ? oneLine : `${oneLine.slice(0, Math.max(0, width - 1))}…`;
}

/** An edge name as a person reads it in a path: `.name`, `[3]`, `->context`, `{internal}`. */
export function formatEdge(edgeType: string, edgeName: string | number): string {
  switch (edgeType) {
    case 'context': return `->${edgeName}`;
    case 'element': return `[${edgeName}]`;
    case 'weak': return `[[${edgeName}]]`;
    case 'property':
    case 'shortcut': return typeof edgeName === 'string' && /\s/.test(edgeName) ? `["${edgeName}"]` : `.${edgeName}`;
    default: return `{${edgeName}}`;
  }
}
