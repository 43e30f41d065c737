// The HTML report's pictures keep their natural size, and grow when their smallest label would
// be unreadable (under 10 px on screen).

import { expect, test } from 'vitest';
import { MIN_LABEL_PX, readableSvg } from '../src/render/report-html.js';

const svg = (width: string, height: string, viewBox: string, fontSize: number, scale = 1) =>
  `<?xml version="1.0"?>\n<svg width="${width}" height="${height}" viewBox="${viewBox}" xmlns="http://www.w3.org/2000/svg"><g id="graph0" class="graph" transform="scale(${scale} ${scale}) rotate(0) translate(4 100)"><text font-size="${fontSize}.00">label</text><text font-size="14.00">title</text></g></svg>`;

test('natural size when the smallest label is readable: points become pixels', () => {
  // 9pt labels drawn at 1pt per unit are 12 px.
  expect(readableSvg(svg('300pt', '150pt', '0.00 0.00 300.00 150.00', 9))).toMatch(/^<svg width="400px" height="200px" viewBox="0.00 0.00 300.00 150.00"/);
});

test('a picture whose labels would be under 10 px grows until they are not', () => {
  // 6-unit labels in a 1000-unit drawing shown 500 px wide: 3 px; grown 10/3 times.
  const grown = readableSvg(svg('500px', '250px', '0 0 1000 500', 6));
  const [, width, height] = /^<svg width="(\d+)px" height="(\d+)px"/.exec(grown)!;
  expect(Number(width)).toBe(1667);
  expect(Number(height)).toBe(833);
  expect((6 * Number(width)) / 1000).toBeGreaterThanOrEqual(MIN_LABEL_PX - 0.01);
  // The graph's own scale counts too.
  expect(readableSvg(svg('1000px', '500px', '0 0 1000 500', 8, 0.5))).toMatch(/^<svg width="2500px" height="1250px"/);
});

test('an SVG without sizes or labels is only inlined', () => {
  expect(readableSvg('<?xml version="1.0"?>\n<svg viewBox="0 0 10 10"><rect/></svg>')).toBe('<svg viewBox="0 0 10 10"><rect/></svg>');
});
