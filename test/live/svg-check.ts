// A strict-enough check that a string is a well-formed SVG document: one root <svg> in the SVG
// namespace, every tag closed in order, attributes quoted, only the five XML entities, and no
// stray '<' or '&' in text.

import { expect } from 'vitest';

export function checkSvg(svg: string): void {
  const body = svg.replace(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n/, '');
  expect(body.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  const stack: string[] = [];
  let roots = 0;
  const token = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let match: RegExpExecArray | null;
  let position = 0;
  while (position < body.length) {
    token.lastIndex = position;
    match = token.exec(body);
    if (!match) throw new Error(`not well-formed SVG at ${position}: ${JSON.stringify(body.slice(position, position + 60))}`);
    position = token.lastIndex;
    const [, closing, name, attributes, selfClosing, text] = match;
    if (text !== undefined) {
      if (stack.length === 0 && text.trim() !== '') throw new Error(`text outside the root: ${JSON.stringify(text)}`);
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(text)) throw new Error(`bad entity in ${JSON.stringify(text)}`);
      continue;
    }
    if (attributes && /&(?!(amp|lt|gt|quot|apos);)/.test(attributes)) throw new Error(`bad entity in attributes of <${name}>`);
    if (closing) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}>`);
    } else if (!selfClosing) {
      if (stack.length === 0) roots++;
      stack.push(name);
    } else if (stack.length === 0) {
      throw new Error(`<${name}/> outside the root`);
    }
  }
  expect(stack).toEqual([]);
  expect(roots).toBe(1);
}
