/**
 * leakgraph/commands/allocs — where memory is allocated, per function: from a sampling heap
 * profile (`.heapprofile`), from a Node program run with the sampling heap profiler on, or
 * (the objects still alive) from a heap snapshot taken with allocation tracking.
 */

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasAllocationTraces, liveAllocations, matchesScript, profileFunctions, profileTree } from '../analysis/allocs.js';
import { LeakgraphError, UsageError } from '../errors.js';
import { loadSnapshotClasses } from '../graph/load.js';
import type { SourceMapSetting } from '../graph/source-maps.js';
import { checkOutputPath, writeFileAtomically } from '../io/atomic-file.js';
import { forwardSignals, type SignalForwarding } from '../live/run-program.js';
import { detectHeapFileKind, ProfileError, readHeapProfile, type HeapProfile } from '../profile/heap-profile.js';
import { profiledCommand, runHeapProfiled, type HeapProfiledRunResult } from '../profile/profiled-run.js';
import { DEFAULT_SAMPLING_INTERVAL } from '../profile/sampling-env.js';
import {
  liveAllocationsJson,
  profileFunctionsJson,
  profileTreeJson,
  type LiveAllocationsJson,
  type LiveAllocationsReport,
  type ProfileFunctionsJson,
  type ProfileFunctionsReport,
  type ProfileReportInfo,
  type ProfileTreeJson,
  type ProfileTreeReport,
} from '../render/allocs.js';
import { renderFlameSvg } from '../render/flame-svg.js';
import { formatBytes } from '../render/format.js';
import { SnapshotError } from '../snapshot/errors.js';
import type { LoadOptions } from './load.js';

export const ALLOCS_TOP = 20;
export const ALLOCS_MIN_SHARE = 0.01;

/** How to take a snapshot that has allocation stacks, for the one-line message. */
export const NO_TRACES_HINT =
  'no allocation stacks in this snapshot: take one with allocation tracking on (leakgraph capture --track-allocations, ' +
  'record --track-allocations, or through the inspector: HeapProfiler.startTrackingHeapObjects with trackAllocations: true ' +
  'before the work, then HeapProfiler.takeHeapSnapshot), or sample allocations with leakgraph allocs -- node app.js';

export interface AllocsOptions extends LoadOptions {
  /** The N busiest functions (0 = all; default 25). */
  top?: number;
  /** Only functions in scripts whose URL matches (`*` and `?` are wildcards). */
  file?: string;
  /** Profiles: the top-down call tree instead of the table. */
  tree?: boolean;
  /** With `tree`: leave out calls below this share of the total (default 0.01). */
  minShare?: number;
  /** Snapshots: the allocation stacks of each function. */
  stack?: boolean;
  /** Snapshots: only objects of this class. */
  className?: string;
  /** Source maps for the functions' positions; `false` turns them off. */
  sourceMaps?: SourceMapSetting;
}

export interface AllocsRunOptions extends AllocsOptions {
  /** Average bytes between samples (default 512 KiB, as V8). */
  interval?: number;
  /** Count objects the garbage collector freed too. */
  includeCollected?: boolean;
  /** Keep the recorded profile as this file. */
  save?: string;
  /** Pass SIGINT and SIGTERM sent to this process on to the program (the CLI does). */
  forwardSignals?: boolean;
}

/** A program to run under the sampling heap profiler: `node [opts] app.js …` or a script. */
export interface ProgramToProfile {
  command: string[];
}

/** How a profiled program ended. */
export interface ProgramRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Stopped by Ctrl-C (SIGINT to leakgraph or to the program). */
  interrupted: boolean;
}

/** Everything the text, JSON and flame graph of `allocs` are drawn from. */
export type AllocsReport =
  | { kind: 'functions'; report: ProfileFunctionsReport; profile: HeapProfile; jsonFile: string; command?: string[]; run?: ProgramRun }
  | { kind: 'tree'; report: ProfileTreeReport; profile: HeapProfile; jsonFile: string; command?: string[]; run?: ProgramRun }
  | { kind: 'live'; report: LiveAllocationsReport };

/** What `leakgraph allocs --json` prints. */
export type AllocsJson = ProfileFunctionsJson | ProfileTreeJson | LiveAllocationsJson;

const TREE_IS_FOR_PROFILES = 'allocs: --tree and --format svg are for heap profiles; for a snapshot, --stack shows the allocation stacks';

/** The report of a file (profile or snapshot) or of a program run under the profiler. */
export async function allocsReport(input: string | ProgramToProfile, options: AllocsRunOptions = {}): Promise<AllocsReport> {
  if (typeof input !== 'string') return allocsOfProgram(input.command, options);
  if ((await detectHeapFileKind(input)) === 'snapshot') {
    if (options.tree) throw new UsageError(TREE_IS_FOR_PROFILES);
    return allocsOfSnapshot(input, options);
  }
  if (options.stack || options.className !== undefined) throw new UsageError('allocs: --stack and --class are for heap snapshots taken with allocation tracking');
  const profile = await readHeapProfile(input);
  profile.sourceMaps = options.sourceMaps;
  return profileReport(profile, { source: input, totalBytes: profile.totalBytes, sampleCount: profile.sampleCount, hasSamples: profile.hasSamples }, options, input);
}

/** Allocations per function, as `leakgraph allocs --json` prints them. */
export async function allocs(input: string | ProgramToProfile, options: AllocsRunOptions = {}): Promise<AllocsJson> {
  return allocsJson(await allocsReport(input, options));
}

/** The JSON of a report. */
export function allocsJson(report: AllocsReport): AllocsJson {
  if (report.kind === 'live') return liveAllocationsJson(report.report);
  if (report.kind === 'tree') return profileTreeJson(report.report, report.jsonFile, report.command);
  return profileFunctionsJson(report.report, report.jsonFile, report.command);
}

/** The flame graph of a profile's report (SVG text). */
export function allocsFlameSvg(report: AllocsReport): string {
  if (report.kind === 'live') throw new UsageError(TREE_IS_FOR_PROFILES);
  const { profile, report: info } = report;
  return renderFlameSvg(profileTree(profile), {
    title: 'Allocation flame graph',
    subtitle: `${info.source}: ${formatBytes(profile.totalBytes)} sampled${profile.hasSamples ? ` in ${profile.sampleCount} samples` : ''}`,
  });
}

function profileReport(profile: HeapProfile, info: ProfileReportInfo, options: AllocsOptions, jsonFile: string, command?: string[], run?: ProgramRun): AllocsReport {
  if (options.tree) {
    const minShare = options.minShare ?? ALLOCS_MIN_SHARE;
    return { kind: 'tree', report: { ...info, tree: profileTree(profile, minShare), minShare }, profile, jsonFile, command, run };
  }
  const all = profileFunctions(profile).functions;
  const matching = options.file === undefined ? all : all.filter((row) => matchesScript(row.url, options.file!));
  const top = options.top ?? ALLOCS_TOP;
  const report = { ...info, functions: top === 0 ? matching : matching.slice(0, top), functionCount: matching.length, filePattern: options.file };
  return { kind: 'functions', report, profile, jsonFile, command, run };
}

async function allocsOfSnapshot(file: string, options: AllocsOptions): Promise<AllocsReport> {
  const heap = await loadSnapshotClasses(file, {
    sourceMaps: options.sourceMaps,
    onProgress: options.onProgress && ((phase, fraction) => options.onProgress!(file, phase, fraction)),
    onPhaseDone: options.onPhaseDone && ((phase, milliseconds) => options.onPhaseDone!(file, phase, milliseconds)),
  });
  if (!hasAllocationTraces(heap.snapshot)) throw new SnapshotError(file, NO_TRACES_HINT);
  const allocations = liveAllocations(heap, { className: options.className });
  const matching = options.file === undefined ? allocations.functions : allocations.functions.filter((row) => matchesScript(row.url, options.file!));
  const top = options.top ?? ALLOCS_TOP;
  return {
    kind: 'live',
    report: {
      allocations,
      functions: top === 0 ? matching : matching.slice(0, top),
      functionCount: matching.length,
      className: options.className,
      filePattern: options.file,
      showStacks: options.stack === true,
    },
  };
}

/** The command as one would type it. */
export function commandText(command: readonly string[]): string {
  return command.map((word) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`)).join(' ');
}

async function allocsOfProgram(command: string[], options: AllocsRunOptions): Promise<AllocsReport> {
  if (command.length === 0) throw new UsageError('allocs: nothing to run after -- (leakgraph allocs -- node app.js)');
  if (options.stack || options.className !== undefined) throw new UsageError('allocs: --stack and --class are for heap snapshots');
  const profiled = profiledCommand(command);
  if (!profiled) throw new LeakgraphError(`allocs: "${command[0]}" is not node: run a Node program, as in leakgraph allocs -- node app.js`);
  if (options.save !== undefined) await checkOutputPath(options.save);
  const directory = await mkdtemp(join(tmpdir(), 'leakgraph-allocs-'));
  const profilePath = join(directory, 'allocs.heapprofile');
  const source = commandText(command);
  const interval = options.interval ?? DEFAULT_SAMPLING_INTERVAL;
  const includeCollected = options.includeCollected === true;
  let forwarding: SignalForwarding | undefined;
  try {
    let result: HeapProfiledRunResult;
    try {
      result = await runHeapProfiled(profiled, {
        profilePath,
        interval,
        includeCollected,
        onStart: (program) => (forwarding = options.forwardSignals ? forwardSignals(program) : undefined),
      });
    } catch (error) {
      throw new LeakgraphError(`allocs: cannot run ${command[0]}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such program' : (error as Error).message}`);
    } finally {
      forwarding?.detach();
    }
    if (!result.profileWritten) throw new ProfileError(source, `the program ${describeRunEnd(result) ?? 'exited with code 0'} without writing its heap profile`);
    const profile = await readRecordedProfile(profilePath, source);
    profile.sourceMaps = options.sourceMaps;
    if (options.save !== undefined) await saveProfile(profilePath, options.save);
    const run: ProgramRun = { exitCode: result.exitCode, signal: result.signal, interrupted: (forwarding?.received.get('SIGINT') ?? 0) > 0 || result.signal === 'SIGINT' };
    const info: ProfileReportInfo = {
      source,
      totalBytes: profile.totalBytes,
      sampleCount: profile.sampleCount,
      hasSamples: profile.hasSamples,
      run: { exitCode: result.exitCode, signal: result.signal, interval, includeCollected },
    };
    return profileReport(profile, info, options, options.save ?? source, command, run);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

async function readRecordedProfile(profilePath: string, source: string): Promise<HeapProfile> {
  try {
    return await readHeapProfile(profilePath);
  } catch (error) {
    if (error instanceof ProfileError) throw new ProfileError(source, `the recorded profile is unreadable: ${error.problem}`);
    throw error;
  }
}

/** Keeps the recorded profile, whole or not at all. */
async function saveProfile(profilePath: string, file: string): Promise<void> {
  await writeFileAtomically(file, await readFile(profilePath));
}

/** How a run ended, for a note when it did not end well; null when it exited with 0. */
export function describeRunEnd(run: Pick<ProgramRun, 'signal' | 'exitCode'>): string | null {
  if (run.signal) return `was ended by ${run.signal}`;
  return run.exitCode === 0 ? null : `exited with code ${run.exitCode}`;
}
