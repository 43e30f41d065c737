// What a person sees in a page driven by Chromium.

import type { Page } from 'playwright-core';

/** The text drawn in the viewport, text nodes joined by `separator`, whitespace runs as one space. */
export function viewportText(page: Page, separator = ' '): Promise<string> {
  return page.evaluate((joiner) => {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const shown: string[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(node);
      if ([...range.getClientRects()].some((rect) => rect.width > 0 && rect.top < innerHeight && rect.bottom > 0)) shown.push(node.textContent ?? '');
    }
    return shown.join(joiner).replace(/\s+/g, ' ');
  }, separator);
}
