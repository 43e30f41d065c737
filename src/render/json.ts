/**
 * leakgraph/render/json — every `--json` answer is printed the same way.
 */

/** `value` as the CLI prints it: two-space indented, one trailing newline. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
