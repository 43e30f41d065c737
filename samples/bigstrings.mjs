// bigstrings: a report archive that keeps every large report body.
//
// Each Report holds a large body string (about 16 KB) built at run time. The
// body starts with the report's own number and timestamp, so every string is
// unique and V8 cannot share it between reports. All reports are kept in the
// module-level `archive` array, so the retained size grows by roughly 16 KB
// per report even though the number of objects stays small.
//
// Usage: node --expose-gc samples/bigstrings.mjs <output-prefix>
// Writes <output-prefix>-1.heapsnapshot, -2 and -3.

import v8 from 'node:v8';

const prefix = process.argv[2] ?? 'bigstrings';

class Report {
  constructor(number) {
    this.number = number;
    this.title = `Report #${number}`;
    this.body = renderBody(number);
  }
}

function renderBody(number) {
  const lines = [`Report #${number} generated at ${Date.now()}-${Math.random()}`];
  let length = lines[0].length;
  for (let i = 0; length < 16 * 1024; i++) {
    const line = `row ${i} of report ${number}: value=${(number * 31 + i * 17) % 1000}`;
    lines.push(line);
    length += line.length + 1;
  }
  // join() yields one flat sequential string, not a rope of the parts.
  return lines.join('\n');
}

// The leak: the archive is never trimmed.
const archive = [];
let next = 1;

function generate(count) {
  for (let i = 0; i < count; i++) archive.push(new Report(next++));
}

function snapshot(n) {
  global.gc();
  const file = v8.writeHeapSnapshot(`${prefix}-${n}.heapsnapshot`);
  console.log(`bigstrings: wrote ${file} (${archive.length} reports)`);
}

generate(20);
snapshot(1);
generate(100);
snapshot(2);
generate(100);
snapshot(3);
