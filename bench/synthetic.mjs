// Writes a synthetic heap snapshot with `arrays × perArray` objects, streaming, so that
// heaps far past 2^24 nodes can be made without holding the file in memory:
//   node bench/synthetic.mjs OUT.heapsnapshot [arrays=4100] [perArray=4100]
// Layout: root → (GC roots), root ⇢ global (shortcut), global → Array[i] → Item[j] → its own
// string "item-<n>" (so the strings section grows with the heap too).
import { createWriteStream } from 'node:fs';

const [out, arraysArg = '4100', perArrayArg = '4100'] = process.argv.slice(2);
if (!out) {
  console.error('usage: node bench/synthetic.mjs OUT.heapsnapshot [arrays] [perArray]');
  process.exit(2);
}
const arrays = Number(arraysArg);
const perArray = Number(perArrayArg);
const items = arrays * perArray;
const FIELDS = 7;
// ordinals: 0 root, 1 (GC roots), 2 global, 3.. arrays, then items, then item strings
const firstArray = 3;
const firstItem = firstArray + arrays;
const firstString = firstItem + items;
const nodeCount = firstString + items;
const edgeCount = 2 + arrays + items + items;
// strings: 0 <dummy>, 1 "", 2 (GC roots), 3 global, 4 Array, 5 Item, 6 "2", 7 payload, 8.. item names
const fixedStrings = ['<dummy>', '', '(GC roots)', 'global', 'Array', 'Item', '2', 'payload'];

const stream = createWriteStream(out, { highWaterMark: 1 << 22 });
let buffer = '';
async function write(text) {
  buffer += text;
  if (buffer.length > 1 << 20) {
    const chunk = buffer;
    buffer = '';
    if (!stream.write(chunk)) await new Promise((resolve) => stream.once('drain', resolve));
  }
}

const meta = {
  node_fields: ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness'],
  node_types: [['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native', 'synthetic', 'concatenated string', 'sliced string', 'symbol', 'bigint', 'object shape'], 'string', 'number', 'number', 'number', 'number', 'number'],
  edge_fields: ['type', 'name_or_index', 'to_node'],
  edge_types: [['context', 'element', 'property', 'internal', 'hidden', 'shortcut', 'weak'], 'string_or_number', 'node'],
  trace_function_info_fields: [], trace_node_fields: [], sample_fields: [], location_fields: ['object_index', 'script_id', 'line', 'column'],
};
await write(`{"snapshot":{"meta":${JSON.stringify(meta)},"node_count":${nodeCount},"edge_count":${edgeCount},"trace_function_count":0},\n"nodes":[`);
const OBJECT = 3, SYNTHETIC = 9, STRING = 2;
await write(`${SYNTHETIC},1,1,0,2,0,0\n,${SYNTHETIC},2,3,0,0,0,0\n,${OBJECT},3,5,32,${arrays},0,0`);
let id = 7;
for (let a = 0; a < arrays; a++, id += 2) await write(`\n,${OBJECT},4,${id},32,${perArray},0,0`);
for (let i = 0; i < items; i++, id += 2) await write(`\n,${OBJECT},5,${id},48,1,0,0`);
for (let i = 0; i < items; i++, id += 2) await write(`\n,${STRING},${fixedStrings.length + i},${id},24,0,0,0`);
await write('],\n"edges":[');
const ELEMENT = 1, PROPERTY = 2, SHORTCUT = 5;
await write(`${ELEMENT},1,${1 * FIELDS}\n,${SHORTCUT},6,${2 * FIELDS}`);
for (let a = 0; a < arrays; a++) await write(`\n,${ELEMENT},${a},${(firstArray + a) * FIELDS}`);
for (let a = 0; a < arrays; a++) {
  for (let j = 0; j < perArray; j++) await write(`\n,${ELEMENT},${j},${(firstItem + a * perArray + j) * FIELDS}`);
}
for (let i = 0; i < items; i++) await write(`\n,${PROPERTY},7,${(firstString + i) * FIELDS}`);
await write('],\n"trace_function_infos":[],\n"trace_tree":[],\n"samples":[],\n"locations":[],\n"strings":[');
await write(fixedStrings.map((s) => JSON.stringify(s)).join(',\n'));
for (let i = 0; i < items; i++) await write(`,\n"item-${i}"`);
await write(']}\n');
stream.end(buffer);
await new Promise((resolve) => stream.on('finish', resolve));
console.log(`${out}: ${nodeCount} nodes, ${edgeCount} edges`);
