// The same-process check: snapshots given to growth (and leaks) must be one process's,
// oldest first. Measured on the bundled samples (each one process) and on small real Node
// programs: one process, two runs of one program, two programs, two inspector sessions.

import { beforeAll, describe, expect, test } from 'vitest';
import {
  checkSameProcess,
  compareFingerprints,
  compareSnapshots,
  MixedSnapshotsError,
  processFingerprint,
  readSnapshotFile,
  SameProcessCheck,
  type ProcessFingerprint,
} from '../../src/index.js';
import { FINGERPRINT_SAMPLE, MAX_DIFFERING_SHARE, MIN_COMPARED } from '../../src/analysis/same-process.js';
import { catalogSnapshot, ordersRun, sessionSnapshots } from '../helpers/process-programs.js';
import { Heap, MINIMAL } from '../graph/support.js';

const sample = (name: string) => `samples/${name}.heapsnapshot.gz`;
const PROGRAMS = ['service', 'orm', 'bigstrings', 'control', 'browser'];

const cache = new Map<string, Promise<ProcessFingerprint>>();
/** One fingerprint per file (each file read once). */
function fingerprint(file: string): Promise<ProcessFingerprint> {
  let result = cache.get(file);
  if (!result) cache.set(file, (result = readSnapshotFile(file).then(processFingerprint)));
  return result;
}

async function share(a: string, b: string): Promise<{ compared: number; differing: number; share: number }> {
  const { compared, differing } = compareFingerprints(await fingerprint(a), await fingerprint(b));
  return { compared, differing, share: differing / compared };
}

describe('fingerprints', () => {
  test('the largest odd id, and a deterministic sample of odd ids, ascending, about FINGERPRINT_SAMPLE long', async () => {
    const snapshot = await readSnapshotFile(sample('service-3'));
    const fp = processFingerprint(snapshot);
    let maxOdd = 0;
    let odd = 0;
    for (const id of snapshot.nodeIds) {
      if (id % 2 === 1) {
        odd++;
        maxOdd = Math.max(maxOdd, id);
      }
    }
    expect(fp.maxId).toBe(maxOdd);
    // Node's native nodes have larger, even ids, derived from addresses.
    expect(Math.max(...snapshot.nodeIds)).toBeGreaterThan(maxOdd);
    expect(fp.ids.length).toBeGreaterThanOrEqual(FINGERPRINT_SAMPLE);
    expect(fp.ids.length).toBeLessThan(FINGERPRINT_SAMPLE + 2 * Math.ceil(odd / 65_536) + 10);
    for (let i = 1; i < fp.ids.length; i++) expect(fp.ids[i]).toBeGreaterThan(fp.ids[i - 1]);
    expect(fp.ids.every((id) => id % 2 === 1)).toBe(true);
    expect(processFingerprint(await readSnapshotFile(sample('service-3')))).toEqual(fp);
    expect(compareFingerprints(fp, fp)).toEqual({ compared: fp.ids.length, differing: 0 });
  });

  test('a small heap is sampled whole; even (embedder) ids are left out; type and name count', async () => {
    const build = (name: string, renamed: boolean) => {
      const h = new Heap();
      const { global } = MINIMAL;
      h.edge(global, 'property', 'a', h.add('object', 'Foo', 16, { id: 101 }));
      h.edge(global, 'property', 'b', h.add('string', renamed ? 'other text' : 'some text', 16, { id: 103 }));
      h.edge(global, 'property', 'c', h.add('object', 'Bar', 16, { id: 105 }));
      h.edge(global, 'property', 'd', h.add('native', 'Node / Thing', 16, { id: 2_000_000_000 }));
      return h.write(name);
    };
    const snapshot = await readSnapshotFile(build('fp-small', false));
    const fp = processFingerprint(snapshot);
    const odd = [...snapshot.nodeIds].filter((id) => id % 2 === 1).sort((a, b) => a - b);
    expect(fp.cut).toBe(65_536);
    expect([...fp.ids]).toEqual(odd);
    expect(fp.maxId).toBe(105);
    const renamed = processFingerprint(await readSnapshotFile(build('fp-small-renamed', true)));
    expect(compareFingerprints(fp, renamed)).toEqual({ compared: odd.length, differing: 1 });
  });
});

describe('one process: every sample, in order, passes', () => {
  test.each(PROGRAMS)('%s-1, -2, -3: under 0.1%% of shared ids differ, ids grow', async (name) => {
    const files = [1, 2, 3].map((n) => sample(`${name}-${n}`));
    const fps = await Promise.all(files.map(fingerprint));
    expect(checkSameProcess(files, fps)).toBeNull();
    for (const [a, b] of [[0, 1], [1, 2], [0, 2]]) {
      const measured = await share(files[a], files[b]);
      expect(measured.compared).toBeGreaterThan(5_000);
      expect(measured.share).toBeLessThan(MAX_DIFFERING_SHARE / 10);
      expect(fps[b].maxId).toBeGreaterThan(fps[a].maxId);
    }
  });

  test('the same file twice passes (equal ids are in order)', async () => {
    const file = sample('service-3');
    expect(checkSameProcess([file, file], [await fingerprint(file), await fingerprint(file)])).toBeNull();
  });
});

describe('order', () => {
  test('reversed: the newer file has smaller ids', async () => {
    const files = [sample('service-3'), sample('service-1')];
    const problem = checkSameProcess(files, await Promise.all(files.map(fingerprint)));
    expect(problem).toMatchObject({ kind: 'order', files, maxIds: [(await fingerprint(files[0])).maxId, (await fingerprint(files[1])).maxId] });
    expect(problem!.message).toBe(
      'samples/service-1.heapsnapshot.gz has smaller object ids than samples/service-3.heapsnapshot.gz (largest @118,065 vs @159,263): give the snapshots oldest first',
    );
  });

  test('a middle file out of place is named with its neighbour', async () => {
    const files = [sample('orm-1'), sample('orm-3'), sample('orm-2')];
    const problem = checkSameProcess(files, await Promise.all(files.map(fingerprint)));
    expect(problem).toMatchObject({ kind: 'order', files: [files[1], files[2]] });
  });
});

describe('other processes', () => {
  const pairs = [
    ['service-3', 'control-3'],
    ['control-1', 'service-3'],
    ['orm-1', 'service-3'],
    ['bigstrings-1', 'orm-3'],
    ['browser-1', 'service-3'],
    ['control-1', 'orm-2'],
  ];
  test.each(pairs)('two programs, %s and %s: most shared ids name other objects', async (a, b) => {
    const files = [sample(a), sample(b)];
    const measured = await share(files[0], files[1]);
    expect(measured.compared).toBeGreaterThan(5_000);
    expect(measured.share).toBeGreaterThan(0.5);
    const problem = checkSameProcess(files, await Promise.all(files.map(fingerprint)));
    expect(problem).toMatchObject({ kind: 'process', files, compared: measured.compared, differing: measured.differing });
    expect(problem!.message).toMatch(
      new RegExp(`^${files[0]} and ${files[1]} come from different processes \\(or separate inspector sessions\\): [\\d,]+ of [\\d,]+ objects sampled with the same id differ in type or name$`.replace(/\./g, '\\.')),
    );
  });

  test('identity is checked before order: a different process is not reported as the wrong order', async () => {
    const files = [sample('service-3'), sample('control-1')];
    expect(checkSameProcess(files, await Promise.all(files.map(fingerprint)))).toMatchObject({ kind: 'process' });
  });

  test('a middle file of another process is named with its neighbour', async () => {
    const files = [sample('service-1'), sample('control-2'), sample('service-3')];
    expect(checkSameProcess(files, await Promise.all(files.map(fingerprint)))).toMatchObject({ kind: 'process', files: [files[0], files[1]] });
  });
});

describe('real programs', () => {
  let runA: [string, string];
  let runB: [string, string];
  let catalog: string;
  let sessions: [string, string, string];
  beforeAll(() => {
    runA = ordersRun();
    runB = ordersRun();
    catalog = catalogSnapshot();
    sessions = sessionSnapshots();
  });

  test('one process, two snapshots with work in between: nothing differs', async () => {
    const measured = await share(runA[0], runA[1]);
    expect(measured.compared).toBeGreaterThan(5_000);
    expect(measured.share).toBeLessThan(MAX_DIFFERING_SHARE / 10);
    expect(checkSameProcess(runA, await Promise.all(runA.map(fingerprint)))).toBeNull();
    expect(checkSameProcess(runB, await Promise.all(runB.map(fingerprint)))).toBeNull();
  });

  test('two runs of one program: shared start-up ids, but enough of them differ', async () => {
    for (const files of [[runA[0], runB[1]], [runA[0], runB[0]], [runA[1], runB[1]]]) {
      const measured = await share(files[0], files[1]);
      expect(measured.compared).toBeGreaterThan(5_000);
      expect(measured.share).toBeGreaterThan(MAX_DIFFERING_SHARE * 4);
      expect(checkSameProcess(files, await Promise.all(files.map(fingerprint)))).toMatchObject({ kind: 'process', files });
    }
  });

  test('two programs', async () => {
    for (const files of [[runA[0], catalog], [catalog, runA[1]]]) {
      expect((await share(files[0], files[1])).share).toBeGreaterThan(MAX_DIFFERING_SHARE * 4);
      expect(checkSameProcess(files, await Promise.all(files.map(fingerprint)))).toMatchObject({ kind: 'process', files });
    }
  });

  test('one process, two inspector sessions: V8 renumbered the objects', async () => {
    expect(checkSameProcess(sessions.slice(0, 2), await Promise.all(sessions.slice(0, 2).map(fingerprint)))).toBeNull();
    const problem = checkSameProcess(sessions, await Promise.all(sessions.map(fingerprint)));
    expect(problem).toMatchObject({ kind: 'process', files: [sessions[1], sessions[2]] });
    expect(problem!.differing / problem!.compared).toBeGreaterThan(MAX_DIFFERING_SHARE * 4);
  });
});

describe('fingerprints one at a time', () => {
  test('neighbours among those present are compared; nothing to say with fewer than two', async () => {
    const [one, two, three] = [1, 2, 3].map((n) => sample(`service-${n}`));
    const wrong = sample('control-2');
    const files = [one, wrong, three];
    const fps: (ProcessFingerprint | undefined)[] = new Array(3);
    expect(checkSameProcess(files, fps)).toBeNull();
    fps[2] = await fingerprint(three);
    expect(checkSameProcess(files, fps)).toBeNull();
    fps[0] = await fingerprint(one);
    expect(checkSameProcess(files, fps)).toBeNull();
    fps[1] = await fingerprint(wrong);
    expect(checkSameProcess(files, fps)).toMatchObject({ kind: 'process', files: [one, wrong] });
    fps[1] = await fingerprint(two);
    expect(checkSameProcess(files, fps)).toBeNull();
  });

  test('SameProcessCheck throws the first problem, or keeps it with force', async () => {
    const files = [sample('orm-3'), sample('orm-1')];
    const snapshots = await Promise.all(files.map((file) => readSnapshotFile(file)));
    const strict = new SameProcessCheck(files);
    strict.add(1, snapshots[1]);
    expect(() => strict.add(0, snapshots[0])).toThrow(MixedSnapshotsError);
    const forced = new SameProcessCheck(files, { force: true });
    forced.add(1, snapshots[1]);
    forced.add(0, snapshots[0]);
    expect(forced.problem).toMatchObject({ kind: 'order', files });
  });
});

describe('the thresholds', () => {
  /** A hand-made fingerprint: ids 1, 3, 5… with name hashes given. */
  const made = (file: string, names: number[], maxId = 2 * names.length - 1): ProcessFingerprint => ({
    file,
    maxId,
    cut: 65_536,
    ids: Uint32Array.from(names, (_, i) => 2 * i + 1),
    names: Uint32Array.from(names),
  });
  const same = (n: number) => Array.from({ length: n }, (_, i) => i);
  const changed = (n: number, differing: number) => same(n).map((v, i) => (i < differing ? v + 1e6 : v));

  test(`more than ${MAX_DIFFERING_SHARE * 100}% of at least ${MIN_COMPARED} shared ids`, () => {
    const files = ['a', 'b'];
    expect(checkSameProcess(files, [made('a', same(MIN_COMPARED)), made('b', changed(MIN_COMPARED, MIN_COMPARED * MAX_DIFFERING_SHARE))])).toBeNull();
    expect(checkSameProcess(files, [made('a', same(MIN_COMPARED)), made('b', changed(MIN_COMPARED, MIN_COMPARED * MAX_DIFFERING_SHARE + 1))])).toMatchObject({ kind: 'process', compared: MIN_COMPARED, differing: 3 });
    // Too few shared ids for a verdict on identity: only the order is checked.
    expect(checkSameProcess(files, [made('a', same(MIN_COMPARED - 1)), made('b', changed(MIN_COMPARED - 1, MIN_COMPARED - 1))])).toBeNull();
    expect(checkSameProcess(files, [made('a', same(10), 100), made('b', changed(10, 10), 99)])).toMatchObject({ kind: 'order', maxIds: [100, 99] });
  });
});

describe('compareSnapshots', () => {
  test('throws MixedSnapshotsError for snapshots in the wrong order or of two processes', async () => {
    await expect(compareSnapshots([sample('service-3'), sample('service-1')])).rejects.toThrow(MixedSnapshotsError);
    const error = await compareSnapshots([sample('service-1'), sample('control-2'), sample('service-3')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MixedSnapshotsError);
    expect((error as MixedSnapshotsError).problem).toMatchObject({ kind: 'process', files: [sample('service-1'), sample('control-2')] });
    expect((error as MixedSnapshotsError).message).toBe((error as MixedSnapshotsError).problem.message);
  });

  test('force: the comparison, with the problem in the report', async () => {
    const files = [sample('control-3'), sample('control-1')];
    const report = await compareSnapshots(files, { force: true });
    expect(report.sameProcessProblem).toMatchObject({ kind: 'order', files });
    expect(report.files.map((info) => info.file)).toEqual(files);
    expect((await compareSnapshots([sample('control-1'), sample('control-3')])).sameProcessProblem).toBeNull();
  });
});
