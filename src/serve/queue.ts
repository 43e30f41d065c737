/**
 * leakgraph/serve/queue — expensive questions (paths, holders, pictures, uncached analyses)
 * one at a time, each with a deadline. The heap is one process's memory, so a question runs
 * to its end once started; queueing them means cheap answers (an object, a page of instances,
 * cached tables) are sent between two expensive ones instead of after all of them, and a
 * question that waited past its deadline is refused rather than answered to nobody.
 */

import { LeakgraphError } from '../errors.js';

/** A question that could not be answered in time, or a queue too long to join. */
export class BusyError extends LeakgraphError {
  override name = 'BusyError';
}

export interface QueueOptions {
  /** Longest a question may wait and run, in milliseconds. */
  timeoutMs: number;
  /** Questions waiting at most; more are refused at once. */
  maxWaiting: number;
}

export class QueryQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  constructor(private readonly options: QueueOptions) {}

  /**
   * Runs `work` after the questions before it, unless it waited past the deadline; the answer
   * is refused once the deadline passes (the work itself, if started, still finishes, and its
   * cached result serves the next asker).
   * @throws BusyError when the queue is full or the deadline passed
   */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.waiting >= this.options.maxWaiting) throw new BusyError(`${this.waiting} questions are waiting already; try again shortly`);
    const queuedAt = performance.now();
    this.waiting++;
    const turn = this.tail.then(async () => {
      this.waiting--;
      if (performance.now() - queuedAt > this.options.timeoutMs) throw new BusyError('the question waited too long for the ones before it; try again');
      // Let answers that are ready go out before this one takes the thread.
      await new Promise((resolve) => setImmediate(resolve));
      return work();
    });
    this.tail = turn.catch(() => undefined);
    return withDeadline(turn, this.options.timeoutMs - (performance.now() - queuedAt));
  }
}

/** `promise`, or a BusyError once `milliseconds` pass. */
async function withDeadline<T>(promise: Promise<T>, milliseconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BusyError(`no answer within ${Math.round(milliseconds / 1000)} s; a narrower question (a smaller limit or depth) answers faster`)), milliseconds);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
