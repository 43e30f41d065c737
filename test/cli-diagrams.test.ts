// backrefs, refs, path --format and report as a user runs them.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, test } from 'vitest';
import { tmpPath } from './helpers/snapshot-builder.js';

const CLI = 'dist/cli/index.js';
const SERVICE = 'samples/service-3.heapsnapshot.gz';
const run = (...args: string[]) => {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'buffer', maxBuffer: 1 << 28 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr.toString() };
};

describe('backrefs', () => {
  test('the format follows -o\'s extension; each file is whole and says where it went', () => {
    for (const [extension, check] of [
      ['svg', (bytes: Buffer) => expect(bytes.toString()).toMatch(/<svg[\s\S]*->cache|<svg[\s\S]*&#45;&gt;cache/)],
      ['dot', (bytes: Buffer) => expect(bytes.toString()).toMatch(/^digraph leakgraph \{[\s\S]*label="->cache"/)],
      ['png', (bytes: Buffer) => expect([...bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47])],
    ] as const) {
      const out = tmpPath(`users.${extension}`);
      const { code, stderr } = run('backrefs', SERVICE, '--type', 'User', '-o', out);
      expect(code).toBe(0);
      expect(stderr).toMatch(new RegExp(`${extension.toUpperCase()} written to .*users\\.${extension} \\(\\d+ nodes\\)`));
      check(readFileSync(out));
      expect(readdirSync(dirname(out)).filter((name) => name.includes('.partial-'))).toEqual([]);
    }
  });

  test('SVG on stdout without -o, identical on a second run', () => {
    const first = run('backrefs', SERVICE, '--type', 'User', '--max-objects', '2');
    expect(first.code).toBe(0);
    expect(first.stdout.toString()).toContain('<svg');
    expect(run('backrefs', SERVICE, '--type', 'User', '--max-objects', '2').stdout.equals(first.stdout)).toBe(true);
  });

  test('bad input: exit 2, one line, no partial file', () => {
    const out = tmpPath('nothing.svg');
    const unknown = run('backrefs', SERVICE, '--type', 'NoSuchClass', '-o', out);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no objects of class "NoSuchClass"/);
    expect(existsSync(out)).toBe(false);
    expect(run('backrefs', SERVICE).code).toBe(2);
    expect(run('backrefs', SERVICE, '--type', 'User', '--max-depth', '0').code).toBe(2);
    const noDirectory = run('backrefs', SERVICE, '--type', 'User', '-o', '/no/such/dir/out.svg');
    expect(noDirectory.code).toBe(2);
    expect(noDirectory.stderr.trimEnd().split('\n')).toEqual(['leakgraph: cannot write /no/such/dir/out.svg: no such directory']);
  });
});

test('refs and path --format draw too', () => {
  const refs = run('refs', SERVICE, '@102945', '--format', 'dot');
  expect(refs.code).toBe(0);
  // The Map's 1,800 Users are one node; its table is looked through unless --internals.
  expect(refs.stdout.toString()).toContain('label="1,800 × User');
  expect(refs.stdout.toString()).toContain('label="entry ×1,800"');
  expect(run('refs', SERVICE, '@102945', '--format', 'dot', '--internals').stdout.toString()).toContain('label="{table}"');
  const chain = run('path', SERVICE, '--type', 'User', '--limit', '1', '--format', 'dot');
  expect(chain.code).toBe(0);
  const dot = chain.stdout.toString();
  expect(dot).toContain('label="->cache"');
  expect(dot).toContain('label="module service.mjs"');
  expect(dot.match(/ -> /g)?.length).toBe(2);
});

test('backrefs and refs --json: the drawn graph, folded nodes with their counts', () => {
  const { code, stdout } = run('backrefs', SERVICE, '--type', 'User', '--json');
  expect(code).toBe(0);
  const drawn = JSON.parse(stdout.toString());
  expect(Object.keys(drawn)).toEqual(['title', 'nodes', 'edges']);
  const start = drawn.nodes.find((node: { kind: string }) => node.kind === 'start');
  expect(start).toMatchObject({ className: 'User', count: 1800 });
  expect(start.ids.length).toBeGreaterThan(0);
  expect(drawn.edges).toContainEqual(expect.objectContaining({ to: start.key, edgeType: 'entry', count: 1800 }));
  expect(drawn.edges).toContainEqual(expect.objectContaining({ edgeType: 'context', edgeName: 'cache', count: 1 }));
  const refs = JSON.parse(run('refs', SERVICE, '@102945', '--json', '--max-depth', '1').stdout.toString());
  expect(refs.nodes.find((node: { className?: string }) => node.className === 'User')).toMatchObject({ count: 1800 });
});

test('report: one HTML file with no external references', () => {
  const out = tmpPath('report.html');
  const { code, stderr } = run('report', ...[1, 2, 3].map((step) => `samples/service-${step}.heapsnapshot.gz`), '-o', out);
  expect(code).toBe(0);
  expect(stderr).toContain(`report written to ${out}`);
  const html = readFileSync(out, 'utf8');
  expect(html).toMatch(/^<!DOCTYPE html>/);
  expect(html).not.toMatch(/<script|<link|src="http|href="http/);
  expect(html).toContain('800 × User');
  expect(html).toMatch(/<div class="diagram" id="diagram-1"><svg/);
  // Every id link points at an object section that exists.
  const targets = [...html.matchAll(/href="#(obj-\d+)"/g)].map((match) => match[1]);
  expect(targets.length).toBeGreaterThan(10);
  for (const target of new Set(targets)) expect(html).toContain(`id="${target}"`);
  const single = tmpPath('single.html');
  expect(run('report', SERVICE, '-o', single).code).toBe(0);
  expect(readFileSync(single, 'utf8')).toContain('Largest classes in service-3.heapsnapshot.gz');
  expect(run('report', SERVICE).code).toBe(2);
  // The same file twice: each position is its own snapshot (nothing is new, so nothing leaks).
  const twice = tmpPath('twice.html');
  expect(run('report', SERVICE, SERVICE, '-o', twice).code).toBe(0);
  expect(readFileSync(twice, 'utf8')).toContain('No leak passes the thresholds');
});
