/**
 * leakgraph/profile/sampling-preload — loaded into a Node program with `--import` by
 * `leakgraph allocs -- node app.js`: starts V8's sampling heap profiler before the program's
 * first line and writes the profile (a `.heapprofile`) when the program exits.
 *
 * It talks to V8 through `node:inspector` on the program's own thread. There, a Session's
 * `post` runs its callback before returning, which is what lets the profile be taken and
 * written inside a synchronous 'exit' listener.
 *
 * V8 resolves a frame's URL and line only when the profile is taken, from the scripts still
 * in the heap. A CommonJS module's code is garbage once its body has run and nothing holds
 * its functions, so under `node --heap-prof` such frames come out with no URL and line -1.
 * Here precise (binary) code coverage is switched on first: V8 then keeps every function's
 * feedback vector, and with it the function's script, so every frame keeps its location.
 * It costs a little memory per function and no measurable time.
 *
 * Does nothing unless LEAKGRAPH_ALLOCS_PROFILE is set (and only on the main thread); removes
 * its environment variables so that the program and its children do not see them.
 */

import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { isMainThread } from 'node:worker_threads';
import { DEFAULT_SAMPLING_INTERVAL, INCLUDE_COLLECTED_ENV, INTERVAL_ENV, PROFILE_PATH_ENV } from './sampling-env.js';
import { treeNodes } from './tree-nodes.js';

interface RawNode {
  callFrame: { url: string };
  id: number;
  selfSize: number;
  children: RawNode[];
}

interface RawProfile {
  head: RawNode;
  samples?: Array<{ nodeId: number }>;
}

type Post = (method: string, params: object | undefined, callback: (error: Error | null, result?: unknown) => void) => void;

const output = process.env[PROFILE_PATH_ENV];
if (output && isMainThread) {
  const interval = Number(process.env[INTERVAL_ENV]) || DEFAULT_SAMPLING_INTERVAL;
  const includeCollected = process.env[INCLUDE_COLLECTED_ENV] === '1';
  delete process.env[PROFILE_PATH_ENV];
  delete process.env[INTERVAL_ENV];
  delete process.env[INCLUDE_COLLECTED_ENV];
  start(output, interval, includeCollected);
}

function complain(what: string, error: unknown): void {
  process.stderr.write(`leakgraph: ${what}: ${error instanceof Error ? error.message : String(error)}\n`);
}

function start(path: string, interval: number, includeCollected: boolean): void {
  const session = new Session();
  session.connect();
  const post = session.post.bind(session) as unknown as Post;
  /** Posts and returns the error, relying on the callback running before post returns. */
  const call = (method: string, params?: object): { error: Error | null; result?: unknown; answered: boolean } => {
    const outcome: { error: Error | null; result?: unknown; answered: boolean } = { error: null, answered: false };
    post(method, params, (error, result) => {
      outcome.error = error;
      outcome.result = result;
      outcome.answered = true;
    });
    return outcome;
  };

  // Keep every script alive until the end (see the top of this file). Not fatal if refused.
  // Coverage mode is one per isolate: under NODE_V8_COVERAGE (c8…) Node already collects
  // precise coverage, which keeps the scripts too, and must not be downgraded.
  if (!process.env.NODE_V8_COVERAGE) {
    call('Profiler.enable');
    call('Profiler.startPreciseCoverage', { callCount: false, detailed: false });
  }

  const started = call('HeapProfiler.startSampling', {
    samplingInterval: interval,
    includeObjectsCollectedByMajorGC: includeCollected,
    includeObjectsCollectedByMinorGC: includeCollected,
  });
  if (started.error || !started.answered) {
    complain('could not start the sampling heap profiler', started.error ?? 'no answer from the inspector');
    return;
  }

  let finished = false;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    const stopped = call('HeapProfiler.stopSampling');
    if (stopped.error || !stopped.answered) {
      complain('could not stop the sampling heap profiler', stopped.error ?? 'no answer from the inspector');
      return;
    }
    const profile = (stopped.result as { profile: RawProfile }).profile;
    try {
      writeFileSync(path, JSON.stringify(withoutOwnFrames(profile, import.meta.url)));
    } catch (error) {
      complain(`could not write the heap profile to ${path}`, error);
    }
  };
  process.on('exit', finish);

  // A signal that would end the program without 'exit' (Ctrl-C on a server): write the
  // profile, then end by the same signal. A program that listens for the signal itself
  // decides what happens, and writes the profile when it exits.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      if (process.listenerCount(signal) > 1) return;
      finish();
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    try {
      process.on(signal, onSignal);
    } catch {
      // Not every platform has every signal.
    }
  }
}

/**
 * The profile without this module's own frames (starting and stopping the profiler), and
 * without the nodes left with no bytes and no children by their removal.
 */
function withoutOwnFrames(profile: RawProfile, ownUrl: string): RawProfile {
  const removed = new Set<number>();
  const collect = (node: RawNode): void => {
    for (const next of treeNodes(node)) removed.add(next.id);
  };
  // From the end (children before their parents), so that a parent sees its children pruned.
  const order = treeNodes(profile.head);
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i];
    node.children = node.children.filter((child) => {
      if (child.callFrame.url === ownUrl) {
        collect(child);
        return false;
      }
      if (child.selfSize === 0 && child.children.length === 0) {
        removed.add(child.id);
        return false;
      }
      return true;
    });
  }
  if (profile.samples) profile.samples = profile.samples.filter((sample) => !removed.has(sample.nodeId));
  return profile;
}
