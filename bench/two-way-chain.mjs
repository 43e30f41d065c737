// Writes a heap snapshot of a process holding one long doubly linked list by both ends: the
// shape that made the old iterative dominator pass quadratic (every link is dominated by the
// list, but each link's candidate walks reached down the chain from both sides).
//   node bench/two-way-chain.mjs LINKS OUT.heapsnapshot
import v8 from 'node:v8';

const [linksArg, out] = process.argv.slice(2);
const links = Number(linksArg);
if (!out || !Number.isInteger(links) || links < 1) {
  console.error('usage: node bench/two-way-chain.mjs LINKS OUT.heapsnapshot');
  process.exit(2);
}

class Link {
  constructor(index, prev) {
    this.index = index;
    this.prev = prev;
    this.next = null;
    this.payload = { at: index + 0.5 };
  }
}

const head = new Link(0, null);
let tail = head;
for (let index = 1; index < links; index++) {
  const link = new Link(index, tail);
  tail.next = link;
  tail = link;
}
export const list = { head, tail };
globalThis.__benchList = list;
v8.writeHeapSnapshot(out);
