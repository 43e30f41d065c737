/**
 * leakgraph/live/memory — resident memory of a process and of its descendants.
 *
 * On Linux from `/proc` (`VmRSS` in `/proc/PID/status`; parents from `/proc/PID/stat`),
 * elsewhere from one `ps -A -o pid=,ppid=,rss=` per sample.
 */

import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

const HAS_PROC = process.platform === 'linux';

/** The resident set size of `pid` in bytes, or null when the process is gone. */
export async function readRss(pid: number): Promise<number | null> {
  if (!HAS_PROC) return (await psTable())?.get(pid)?.rss ?? null;
  return procRss(pid);
}

/**
 * The summed resident set size of every descendant of `pid` (children, their children…),
 * in bytes; 0 when it has none.
 */
export async function readDescendantsRss(pid: number): Promise<number> {
  if (!HAS_PROC) {
    const table = await psTable();
    if (!table) return 0;
    let total = 0;
    for (const child of descendants(pid, new Map([...table].map(([id, entry]) => [id, entry.ppid])))) total += table.get(child)?.rss ?? 0;
    return total;
  }
  const parents = new Map<number, number>();
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return 0;
  }
  await Promise.all(
    entries.filter((entry) => /^\d+$/.test(entry)).map(async (entry) => {
      const ppid = await procParent(Number(entry));
      if (ppid !== null) parents.set(Number(entry), ppid);
    }),
  );
  let total = 0;
  for (const rss of await Promise.all(descendants(pid, parents).map(procRss))) total += rss ?? 0;
  return total;
}

/** Every process below `pid` in the tree given by `parents` (child → parent). */
function descendants(pid: number, parents: Map<number, number>): number[] {
  const children = new Map<number, number[]>();
  for (const [child, parent] of parents) {
    const list = children.get(parent);
    if (list) list.push(child);
    else children.set(parent, [child]);
  }
  const found: number[] = [];
  const stack = [...(children.get(pid) ?? [])];
  while (stack.length > 0) {
    const next = stack.pop()!;
    found.push(next);
    stack.push(...(children.get(next) ?? []));
  }
  return found;
}

async function procRss(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'latin1');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    // A zombie has no VmRSS line: it holds no memory any more.
    return match ? Number(match[1]) * 1024 : /^State:\s+Z/m.test(status) ? null : 0;
  } catch {
    return null;
  }
}

async function procParent(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'latin1');
    // "pid (comm) state ppid …"; comm may hold spaces and parentheses, so read after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(fields[1]);
    return Number.isInteger(ppid) ? ppid : null;
  } catch {
    return null;
  }
}

function psTable(): Promise<Map<number, { ppid: number; rss: number }> | null> {
  return new Promise((resolve) => {
    execFile('ps', ['-A', '-o', 'pid=,ppid=,rss='], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      if (error) {
        resolve(null);
        return;
      }
      const table = new Map<number, { ppid: number; rss: number }>();
      for (const line of stdout.split('\n')) {
        const [pid, ppid, rss] = line.trim().split(/\s+/).map(Number);
        if (Number.isInteger(pid) && Number.isInteger(ppid) && Number.isFinite(rss)) table.set(pid, { ppid, rss: rss * 1024 });
      }
      resolve(table);
    });
  });
}
