// Small real Node programs for the same-process check: snapshots of one process, of two runs
// of one program, of two programs, and of two inspector sessions in one process.

import { snapshotOfProgram } from './node-snapshot.js';

/** Two snapshots of one process with work in between: the first at argv[2], then `-2`. */
const ORDERS = `
import v8 from 'node:v8';
const first = process.argv[2];
const snapshot = (file) => { globalThis.gc(); v8.writeHeapSnapshot(file); };
class Order {
  constructor(id, items) { this.id = id; this.items = items; this.note = 'order ' + id; }
}
const orders = (globalThis.orders = []);
const work = (n) => { for (let i = 0; i < n; i++) orders.push(new Order(orders.length, [i, i * 2])); };
work(100);
snapshot(first);
work(3000);
// Legitimate changes to old objects: new shapes, dictionary mode, flattened cons strings,
// trimmed arrays, optimized code.
for (const [i, order] of orders.entries()) {
  if (i % 2 === 0) order.total = i * 1.5;
  if (i % 5 === 0) delete order.id;
  order.note += '!';
  order.note.charCodeAt(3);
  order.items.shift();
}
let sum = 0;
const price = (order) => order.items.length * 2 + (order.total ?? 0);
for (let round = 0; round < 50; round++) for (const order of orders) sum += price(order);
globalThis.sum = sum;
snapshot(first.replace(/\\.heapsnapshot$/, '-2.heapsnapshot'));
`;

/** Another program: other modules, other objects. */
const CATALOG = `
import v8 from 'node:v8';
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
class Product extends EventEmitter {
  constructor(sku) { super(); this.sku = sku; this.digest = createHash('sha1').update(sku).digest('hex'); }
}
const catalog = (globalThis.catalog = new Map());
for (let i = 0; i < 1500; i++) catalog.set('sku-' + i, new Product('sku-' + i));
globalThis.gc();
v8.writeHeapSnapshot(process.argv[2]);
`;

/**
 * One process, snapshots over the inspector protocol: two in one session (argv[2] and `-2`),
 * then one in a second session (`-3`), after which V8 has renumbered every object.
 */
const SESSIONS = `
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
const first = process.argv[2];
const keep = (globalThis.keep = []);
const take = async (session, file) => {
  const chunks = [];
  const onChunk = (message) => chunks.push(message.params.chunk);
  session.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.collectGarbage');
  await session.post('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  session.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  writeFileSync(file, chunks.join(''));
};
let session = new Session();
session.connect();
await take(session, first);
for (let i = 0; i < 2000; i++) keep.push({ i, text: 'item ' + i });
await take(session, first.replace(/\\.heapsnapshot$/, '-2.heapsnapshot'));
session.disconnect();
for (let i = 0; i < 2000; i++) keep.push({ i, text: 'more ' + i });
session = new Session();
session.connect();
await take(session, first.replace(/\\.heapsnapshot$/, '-3.heapsnapshot'));
session.disconnect();
`;

const numbered = (file: string, n: number) => file.replace(/\.heapsnapshot$/, `-${n}.heapsnapshot`);

/** Runs the orders program once: its two snapshots, oldest first. */
export function ordersRun(): [string, string] {
  const first = snapshotOfProgram('orders.mjs', ORDERS);
  return [first, numbered(first, 2)];
}

/** A snapshot of the catalog program. */
export function catalogSnapshot(): string {
  return snapshotOfProgram('catalog.mjs', CATALOG);
}

/** The sessions program's snapshots: two of the first inspector session, one of the second. */
export function sessionSnapshots(): [string, string, string] {
  const first = snapshotOfProgram('sessions.mjs', SESSIONS);
  return [first, numbered(first, 2), numbered(first, 3)];
}
