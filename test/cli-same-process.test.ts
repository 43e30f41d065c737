// `leakgraph growth` on snapshots that cannot be one process's, oldest first: one line on
// stderr and exit code 2, or with --force the comparison and the same sentence as a warning.

import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, test } from 'vitest';
import { ordersRun } from './helpers/process-programs.js';

const CLI = 'dist/cli/index.js';
const sample = (name: string) => `samples/${name}.heapsnapshot.gz`;
const SERVICE = [sample('service-1'), sample('service-2'), sample('service-3')];

function run(...args: string[]) {
  const result = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const quoted = (file: string) => file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Exit code 2, nothing on stdout, one `leakgraph:` line on stderr naming both files. */
function expectRefused(args: string[], first: string, second: string, kind: 'order' | 'process'): string {
  const { code, stdout, stderr } = run('growth', ...args);
  expect(code).toBe(2);
  expect(stdout).toBe('');
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  const line = lines[0];
  expect(line).toMatch(/^leakgraph: /);
  expect(line).not.toMatch(/warning|internal error/);
  if (kind === 'order') {
    expect(line).toMatch(new RegExp(`^leakgraph: ${quoted(second)} has smaller object ids than ${quoted(first)} \\(largest @[\\d,]+ vs @[\\d,]+\\): give the snapshots oldest first$`));
  } else {
    expect(line).toMatch(new RegExp(`^leakgraph: ${quoted(first)} and ${quoted(second)} come from different processes \\(or separate inspector sessions\\): [\\d,]+ of [\\d,]+ objects sampled with the same id differ in type or name$`));
  }
  return line;
}

describe('growth checks that the snapshots are one process\'s, oldest first', () => {
  let runA: [string, string];
  let runB: [string, string];
  beforeAll(() => {
    runA = ordersRun();
    runB = ordersRun();
  });

  test('snapshots of one process, in order: no message', () => {
    for (const args of [SERVICE, [sample('browser-1'), sample('browser-3')], runA]) {
      const { code, stdout, stderr } = run('growth', ...args, '--top', '1');
      expect(code).toBe(0);
      expect(stderr).toBe('');
      expect(stdout).toContain('Class');
    }
  });

  test('reversed: exit code 2, one line naming both files', () => {
    expectRefused([SERVICE[2], SERVICE[0]], SERVICE[2], SERVICE[0], 'order');
    expectRefused([SERVICE[0], SERVICE[2], SERVICE[1]], SERVICE[2], SERVICE[1], 'order');
    expectRefused([runA[1], runA[0]], runA[1], runA[0], 'order');
  });

  test('two programs: exit code 2', () => {
    expectRefused([sample('control-1'), sample('service-3')], sample('control-1'), sample('service-3'), 'process');
    expectRefused([sample('service-3'), sample('control-3')], sample('service-3'), sample('control-3'), 'process');
  });

  test('two runs of one program: exit code 2', () => {
    expectRefused([runA[0], runB[1]], runA[0], runB[1], 'process');
  });

  test('a middle snapshot of another process is named with its neighbour', () => {
    const files = [SERVICE[0], sample('control-2'), SERVICE[2]];
    expectRefused(files, files[0], files[1], 'process');
  });

  test('--force: the comparison, exit code 0, and the same sentence as a warning', () => {
    for (const [files, kind] of [[[SERVICE[2], SERVICE[0]], 'order'], [[runA[0], runB[1]], 'process']] as const) {
      const refused = expectRefused([...files], files[0], files[1], kind);
      const { code, stdout, stderr } = run('growth', ...files, '--force', '--top', '3');
      expect(code).toBe(0);
      expect(stderr).toBe(`${refused.replace(/^leakgraph: /, 'leakgraph: warning: ')}\n`);
      expect(stdout.split('\n')[0]).toMatch(new RegExp(`^${quoted(files[0])}: [\\d,]+ nodes`));
      expect(stdout).toContain('Class');
    }
    const json = run('growth', SERVICE[2], SERVICE[0], '--force', '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).files).toEqual([SERVICE[2], SERVICE[0]]);
    expect(json.stderr).toMatch(/^leakgraph: warning: .* give the snapshots oldest first\n$/);
  });

  test('--help lists --force', () => {
    const { code, stdout } = run('growth', '--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/--force\s+go on when the files do not look like snapshots of one/);
  });
});
