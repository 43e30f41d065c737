// The memlab peer for `summary`: memlab's full loader (parse, indexes, shortest paths from the
// GC roots, dominators, retained sizes), then a per-class count and self size, as a whole process:
//   node bench/peers/memlab-summary.cjs FILE
const { config } = require('@memlab/core');
const { getFullHeapFromFile } = require('@memlab/heap-analysis');

config.muteConsole = true;
getFullHeapFromFile(process.argv[2]).then((heap) => {
  const classes = new Map();
  heap.nodes.forEach((node) => {
    const key = node.type === 'object' || node.type === 'native' ? node.name : `(${node.type})`;
    const row = classes.get(key) ?? { count: 0, self: 0 };
    row.count++;
    row.self += node.self_size;
    classes.set(key, row);
  });
  console.log(`${heap.nodes.length} nodes, ${classes.size} classes`);
});
