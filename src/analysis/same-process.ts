/**
 * leakgraph/analysis/same-process — can these snapshots be one process's, in this order?
 *
 * Comparisons match objects by id, which only means something within one process and one
 * numbering. V8 numbers the objects of its heap with odd ids from one counter that only goes
 * up: every object alive at a snapshot gets an id, larger than all earlier ones if it is new,
 * and keeps it while it lives. (Nodes the embedder adds — Node's `native` nodes, some roots —
 * have even ids; Node derives them from addresses, so they are left out here.) Hence:
 *
 * - order: a newer snapshot's largest odd id is never smaller than an older one's;
 * - identity: an id in two snapshots names the same object, which keeps its node type and
 *   name (a constructor name, a string's content…). Shape changes, flattened strings, code
 *   and prototypes replaced leave both alone: on the bundled samples and on test programs at
 *   most 1 in 40,000 shared ids differ. Two processes share many ids, since every process
 *   numbers its heap in iteration order at its first snapshot, but what those ids name
 *   differs: 8.5–11% of shared ids for two runs of a trivial program (Node 20), 10–80% for
 *   two runs of the samples, 74–99% for two different programs. V8 also renumbers every
 *   object when an inspector session ends: 63–67% then.
 *
 * A pair of snapshots fails the identity rule when more than 1% of the ids they share
 * (at least 200 compared) differ in type or name, and the order rule when the newer one's
 * largest id is smaller. A third rule catches a numbering that is not one process's: in one
 * process most objects of an older snapshot (the runtime's own, at least) are still there in
 * a newer one, so a pair where fewer than 10% of the older's sampled ids are present at all
 * cannot be matched by id (Bun numbers each snapshot afresh). Each snapshot keeps a fingerprint of about 16,000 ids (128 kB):
 * those whose hash falls below a cut chosen per snapshot; two fingerprints compared below
 * the lower of their cuts hold exactly the shared ids that hash that low, a deterministic,
 * unbiased sample.
 */

import type { HeapSnapshot } from '../snapshot/heap-snapshot.js';
import { LeakgraphError } from '../errors.js';

/** Ids a fingerprint keeps at least (when the snapshot has that many). */
export const FINGERPRINT_SAMPLE = 16_384;
/** Fewest shared ids compared for a verdict on identity. */
export const MIN_COMPARED = 200;
/** Largest share of shared ids whose type or name may differ within one process. */
export const MAX_DIFFERING_SHARE = 0.01;
/**
 * Smallest share of an older snapshot's sampled ids still present in a newer one of the same
 * process: 80–99.8% on the samples (runtime objects live on), 0.1% for Bun, which numbers the
 * objects of each snapshot afresh.
 */
export const MIN_SURVIVING_SHARE = 0.1;

const BUCKETS = 65_536;

/** What the check keeps of one snapshot (kilobytes, whatever the heap's size). */
export interface ProcessFingerprint {
  file: string;
  /** Largest odd (V8 heap object) id; 0 when there is none. */
  maxId: number;
  /** The sample holds every odd id whose hash's top 16 bits are below this. */
  cut: number;
  /** Sampled ids, ascending. */
  ids: Uint32Array;
  /** Hash of each sampled node's type and name, parallel to `ids`. */
  names: Uint32Array;
}

/** Why the snapshots given cannot be one process's in that order. */
export interface SameProcessProblem {
  /**
   * 'order': a newer snapshot has smaller ids; 'process': the same ids name other objects;
   * 'numbering': they share almost no ids (each snapshot numbered afresh, as Bun does).
   */
  kind: 'order' | 'process' | 'numbering';
  /** The two files, in the order given. */
  files: [string, string];
  /** Largest object id of each. */
  maxIds: [number, number];
  /** Shared ids compared, and those whose type or name differ. */
  compared: number;
  differing: number;
  /** One sentence naming both files (no "leakgraph:" prefix). */
  message: string;
}

/** Thrown when snapshots to compare do not fit one process (unless forced). */
export class MixedSnapshotsError extends LeakgraphError {
  constructor(readonly problem: SameProcessProblem) {
    super(problem.message);
    this.name = 'MixedSnapshotsError';
  }
}

/** A 32-bit mix of an id (murmur3's finalizer): sampling by it is uniform over ids. */
function idHash(id: number): number {
  let h = id >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** FNV-1a of a node's type and name; a name counts by its length and first 256 characters. */
function nameHash(type: string, name: string): number {
  let h = 0x811c9dc5;
  const mix = (code: number) => {
    h = Math.imul(h ^ code, 0x01000193);
  };
  for (let i = 0; i < type.length; i++) mix(type.charCodeAt(i));
  mix(0);
  mix(name.length & 0xffff);
  mix(name.length >>> 16);
  const end = Math.min(name.length, 256);
  for (let i = 0; i < end; i++) mix(name.charCodeAt(i));
  return h >>> 0;
}

/** Fingerprints taken, per heap: every comparison of loaded heaps (a server's) needs the same ones. */
const fingerprints = new WeakMap<HeapSnapshot, ProcessFingerprint>();

/** The fingerprint of one snapshot: its largest id and a sample of (id, type and name). */
export function processFingerprint(snapshot: HeapSnapshot): ProcessFingerprint {
  let fingerprint = fingerprints.get(snapshot);
  if (!fingerprint) fingerprints.set(snapshot, (fingerprint = takeFingerprint(snapshot)));
  return fingerprint;
}

function takeFingerprint(snapshot: HeapSnapshot): ProcessFingerprint {
  const { nodeIds, nodeTypes, nodeTypeNames, nodeCount } = snapshot;
  const counts = new Uint32Array(BUCKETS);
  let maxId = 0;
  for (let node = 0; node < nodeCount; node++) {
    const id = nodeIds[node];
    if ((id & 1) === 0) continue;
    if (id > maxId) maxId = id;
    counts[idHash(id) >>> 16]++;
  }
  let cut = 0;
  let kept = 0;
  while (cut < BUCKETS && kept < FINGERPRINT_SAMPLE) kept += counts[cut++];
  const ids = new Uint32Array(kept);
  const hashes = new Uint32Array(kept);
  let k = 0;
  for (let node = 0; node < nodeCount && k < kept; node++) {
    const id = nodeIds[node];
    if ((id & 1) === 0 || idHash(id) >>> 16 >= cut) continue;
    ids[k] = id;
    hashes[k++] = nameHash(nodeTypeNames[nodeTypes[node]] ?? '', snapshot.nodeName(node));
  }
  const order = Array.from({ length: kept }, (_, i) => i).sort((a, b) => ids[a] - ids[b]);
  return { file: snapshot.file, maxId, cut, ids: Uint32Array.from(order, (i) => ids[i]), names: Uint32Array.from(order, (i) => hashes[i]) };
}

/** Ids both fingerprints sample, and how many of them differ in type or name. */
export function compareFingerprints(a: ProcessFingerprint, b: ProcessFingerprint): { compared: number; differing: number } {
  const cut = Math.min(a.cut, b.cut);
  let compared = 0;
  let differing = 0;
  let i = 0;
  let j = 0;
  while (i < a.ids.length && j < b.ids.length) {
    const idA = a.ids[i];
    const idB = b.ids[j];
    if (idA < idB) i++;
    else if (idA > idB) j++;
    else {
      if (idHash(idA) >>> 16 < cut) {
        compared++;
        if (a.names[i] !== b.names[j]) differing++;
      }
      i++;
      j++;
    }
  }
  return { compared, differing };
}

/** How many of `a`'s sampled ids `compareFingerprints(a, b)` could have compared (those below the common cut). */
function sampledBelowCut(a: ProcessFingerprint, b: ProcessFingerprint): number {
  const cut = Math.min(a.cut, b.cut);
  let sampled = 0;
  for (const id of a.ids) if (idHash(id) >>> 16 < cut) sampled++;
  return sampled;
}

const count = (n: number) => n.toLocaleString('en-US');

/**
 * The first reason why the snapshots cannot be one process's in the order given, or null.
 * Fingerprints may arrive one at a time: `fingerprints[i]` is `files[i]`'s or undefined while
 * it is not loaded; neighbours among those present are compared (first for identity, then for
 * order), so a problem shows as soon as the two files are in.
 */
export function checkSameProcess(files: readonly string[], fingerprints: readonly (ProcessFingerprint | undefined)[]): SameProcessProblem | null {
  const present: number[] = [];
  for (let i = 0; i < files.length; i++) if (fingerprints[i] !== undefined) present.push(i);
  const pairs = present.slice(1).map((newer, p) => [present[p], newer] as const);
  for (const [older, newer] of pairs) {
    const a = fingerprints[older]!;
    const b = fingerprints[newer]!;
    const { compared, differing } = compareFingerprints(a, b);
    if (compared >= MIN_COMPARED && differing > compared * MAX_DIFFERING_SHARE) {
      return {
        kind: 'process',
        files: [files[older], files[newer]],
        maxIds: [a.maxId, b.maxId],
        compared,
        differing,
        message:
          `${files[older]} and ${files[newer]} come from different processes (or separate inspector sessions): ` +
          `${count(differing)} of ${count(compared)} objects sampled with the same id differ in type or name`,
      };
    }
  }
  for (const [older, newer] of pairs) {
    const { compared, differing } = compareFingerprints(fingerprints[older]!, fingerprints[newer]!);
    const olderSampled = sampledBelowCut(fingerprints[older]!, fingerprints[newer]!);
    if (olderSampled >= MIN_COMPARED && compared < olderSampled * MIN_SURVIVING_SHARE) {
      return {
        kind: 'numbering',
        files: [files[older], files[newer]],
        maxIds: [fingerprints[older]!.maxId, fingerprints[newer]!.maxId],
        compared,
        differing,
        message:
          `${files[older]} and ${files[newer]} share almost no object ids (${count(compared)} of ${count(olderSampled)} sampled): ` +
          'they are not numbered as one process\'s snapshots (a runtime such as Bun numbers each snapshot afresh), so objects cannot be matched',
      };
    }
  }
  for (const [older, newer] of pairs) {
    const a = fingerprints[older]!;
    const b = fingerprints[newer]!;
    if (a.maxId > 0 && b.maxId > 0 && b.maxId < a.maxId) {
      const { compared, differing } = compareFingerprints(a, b);
      return {
        kind: 'order',
        files: [files[older], files[newer]],
        maxIds: [a.maxId, b.maxId],
        compared,
        differing,
        message: `${files[newer]} has smaller object ids than ${files[older]} (largest @${count(b.maxId)} vs @${count(a.maxId)}): give the snapshots oldest first`,
      };
    }
  }
  return null;
}

/**
 * The check as loads go: `add` each snapshot as it is loaded, in any order. The first problem
 * found throws MixedSnapshotsError, or with `force` is kept in `problem` and loading goes on.
 */
export class SameProcessCheck {
  private readonly fingerprints: (ProcessFingerprint | undefined)[];
  /** The first problem found (only ever set with `force`, else it was thrown). */
  problem: SameProcessProblem | null = null;

  constructor(
    private readonly files: readonly string[],
    private readonly options: { force?: boolean } = {},
  ) {
    this.fingerprints = new Array<ProcessFingerprint | undefined>(files.length);
  }

  /** Adds `files[index]`'s snapshot. @throws MixedSnapshotsError unless `force` */
  add(index: number, snapshot: HeapSnapshot): void {
    this.addFingerprint(index, processFingerprint(snapshot));
  }

  /** Adds `files[index]`'s fingerprint, taken elsewhere (a worker thread). @throws MixedSnapshotsError unless `force` */
  addFingerprint(index: number, fingerprint: ProcessFingerprint): void {
    this.fingerprints[index] = fingerprint;
    if (this.problem !== null) return;
    this.problem = checkSameProcess(this.files, this.fingerprints);
    if (this.problem !== null && this.options.force !== true) throw new MixedSnapshotsError(this.problem);
  }
}
