// The peer for `growth`: heap-snapshot-toolkit's diffFromStreams (DevTools' own code), as a
// whole process: node bench/toolkit-diff.mjs A B
import { createReadStream } from 'node:fs';
import { diffFromStreams } from 'heap-snapshot-toolkit';

const [a, b] = process.argv.slice(2);
let classes = 0;
for await (const item of diffFromStreams(createReadStream(a), createReadStream(b))) {
  if (item.type === 'diff') classes = Object.keys(item.result).length;
}
console.log(`${classes} classes changed`);
