// The peer for `summary`: heap-snapshot-toolkit (DevTools' own code) parsing a snapshot and
// building the Summary view's aggregates, as a whole process: node bench/toolkit-summary.mjs F
import { createReadStream } from 'node:fs';
import { parse } from 'heap-snapshot-toolkit';

const snapshot = await parse(createReadStream(process.argv[2]));
console.log(`${Object.keys(snapshot.aggregatesWithFilter({})).length} classes`);
