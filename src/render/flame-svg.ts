/**
 * leakgraph/render/flame-svg — an allocation flame graph of a call tree, as plain SVG.
 *
 * The classic layout: the root at the bottom, each function a box on top of its caller, as
 * wide as the bytes allocated in it and its callees; siblings in alphabetical order (so the
 * same input always gives the same picture, byte for byte); each box titled with the
 * function, its file:line:column and its bytes. No script, no external resources.
 */

import { compareFrames, frameLocation, type AllocationFrame, type AllocationTreeNode } from '../analysis/allocs.js';
import { formatBytes } from './format.js';
import { formatShare } from './allocs.js';

export interface FlameGraphOptions {
  /** First line of the heading. */
  title: string;
  /** Second line of the heading (file, total…). */
  subtitle: string;
  /** Width of the picture in pixels (default 1200). */
  width?: number;
}

const PAD = 10;
const HEADING = 56;
const FRAME_HEIGHT = 16;
const ROW = FRAME_HEIGHT + 1;
const FONT_SIZE = 11;
/** Width of one character of the monospace font at FONT_SIZE. */
const CHAR_WIDTH = FONT_SIZE * 0.6;
/** Boxes narrower than this (in pixels) are left out, with everything above them. */
const MIN_WIDTH = 0.1;

/** Escapes text for XML content and attribute values; drops characters XML 1.0 forbids. */
export function escapeXml(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex -- control characters are what XML forbids
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '?')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** FNV-1a of the text, as a fraction in [0, 1): stable colours for the same function. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 2 ** 32;
}

function colour(frame: AllocationFrame, isRoot: boolean): string {
  if (isRoot) return 'hsl(0, 0%, 78%)';
  const v = hash(`${frame.name}\u0000${frame.url}`);
  const w = hash(`${frame.url}\u0000${frame.name}`);
  const location = frameLocation(frame);
  if (location !== 'script') return `hsl(0, 0%, ${Math.round(70 + 12 * v)}%)`;
  if (frame.url.startsWith('node:')) return `hsl(${Math.round(200 + 25 * v)}, 45%, ${Math.round(64 + 10 * w)}%)`;
  return `hsl(${Math.round(90 + 50 * v)}, 55%, ${Math.round(48 + 14 * w)}%)`;
}

function location(frame: AllocationFrame): string {
  switch (frameLocation(frame)) {
    case 'native':
      return 'no script';
    case 'unknown':
      return `script ${frame.scriptId}, location not recorded`;
    default:
      if (frame.original) return `${frame.original.file}:${frame.original.line}:${frame.original.column}`;
      return frame.line > 0 ? `${frame.url}:${frame.line}:${frame.column}` : frame.url;
  }
}

function number(value: number): string {
  return value.toFixed(2);
}

interface Box {
  node: AllocationTreeNode;
  depth: number;
  x: number;
  width: number;
}

/** Lays the tree out: one box per node wide enough to see, parents before children. */
function layout(root: AllocationTreeNode, width: number): { boxes: Box[]; depth: number } {
  const scale = root.totalBytes > 0 ? (width - 2 * PAD) / root.totalBytes : 0;
  const boxes: Box[] = [];
  let depth = 0;
  const pending: Box[] = [{ node: root, depth: 0, x: PAD, width: width - 2 * PAD }];
  while (pending.length > 0) {
    const box = pending.pop()!;
    boxes.push(box);
    depth = Math.max(depth, box.depth);
    const children = [...box.node.children].sort((a, b) => compareFrames(a, b) || a.id - b.id);
    let x = box.x;
    const next: Box[] = [];
    for (const child of children) {
      const childWidth = child.totalBytes * scale;
      if (childWidth >= MIN_WIDTH) next.push({ node: child, depth: box.depth + 1, x, width: childWidth });
      x += childWidth;
    }
    for (let i = next.length - 1; i >= 0; i--) pending.push(next[i]);
  }
  return { boxes, depth };
}

/** A label that fits the box, or "" when not even a few characters do. */
function label(text: string, width: number): string {
  const fit = Math.floor((width - 6) / CHAR_WIDTH);
  if (fit < 3) return '';
  return text.length <= fit ? text : `${text.slice(0, fit - 2)}..`;
}

/** The flame graph of `root` (e.g. `profileTree(profile)`, uncut) as an SVG document. */
export function renderFlameSvg(root: AllocationTreeNode, options: FlameGraphOptions): string {
  const width = options.width ?? 1200;
  const { boxes, depth } = layout(root, width);
  const height = HEADING + (depth + 1) * ROW + PAD;
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8" standalone="no"?>');
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
      `font-family="ui-monospace, Menlo, Consolas, 'DejaVu Sans Mono', monospace" font-size="${FONT_SIZE}">`,
  );
  out.push(`<title>${escapeXml(`${options.title}: ${options.subtitle}`)}</title>`);
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#fbfbf8"/>`);
  out.push(`<text x="${width / 2}" y="22" text-anchor="middle" font-size="16" font-family="sans-serif">${escapeXml(options.title)}</text>`);
  out.push(`<text x="${width / 2}" y="42" text-anchor="middle" font-size="12" font-family="sans-serif" fill="#555">${escapeXml(options.subtitle)}</text>`);
  for (const box of boxes) {
    const node = box.node;
    const isRoot = node === root;
    const y = height - PAD - (box.depth + 1) * ROW;
    const name = isRoot ? 'all' : node.name;
    const title = isRoot
      ? `all: ${formatBytes(node.totalBytes)} (${node.totalBytes} bytes)`
      : `${node.name} (${location(node)}): ${formatBytes(node.totalBytes)} (${node.totalBytes} bytes, ${formatShare(node.share)}) including callees, ${formatBytes(node.selfBytes)} in itself`;
    const text = label(isRoot ? `all ${formatBytes(node.totalBytes)}` : name, box.width);
    out.push(
      `<g><title>${escapeXml(title)}</title>` +
        `<rect x="${number(box.x)}" y="${y}" width="${number(box.width)}" height="${FRAME_HEIGHT}" rx="2" ry="2" fill="${colour(node, isRoot)}"/>` +
        (text ? `<text x="${number(box.x + 3)}" y="${y + FRAME_HEIGHT - 4}" fill="#111">${escapeXml(text)}</text>` : '') +
        '</g>',
    );
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
