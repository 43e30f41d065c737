// How long drawing takes once a snapshot is loaded (drawing never reloads it):
//   node bench/draw-cost.mjs FILE [CLASS=User]
import { loadSnapshot } from '../dist/src/index.js';
import { PathFinder, objectsOfClass } from '../dist/src/analysis/retaining-path.js';
import { backrefGraph } from '../dist/src/analysis/diagram-graph.js';
import { renderDiagram } from '../dist/src/render/diagram.js';

const [file, className = 'User'] = process.argv.slice(2);
const seconds = (start) => ((performance.now() - start) / 1000).toFixed(2);
const began = performance.now();
let start = performance.now();
const graph = await loadSnapshot(file);
console.log(`load: ${seconds(start)} s (${graph.snapshot.nodeCount} nodes)`);
start = performance.now();
const finder = new PathFinder(graph);
console.log(`retaining tree: ${seconds(start)} s`);
const beforeDrawing = performance.now() - began;
// The leak's shape (every object of the class, folded) and objgraph's picture of the 3 largest.
for (const [what, starts, options] of [
  ['folded, every object', () => objectsOfClass(graph, className, 0), {}],
  ['--instances, 3 largest', () => objectsOfClass(graph, className, 3), { fold: false }],
]) {
  const drawingStart = performance.now();
  start = performance.now();
  const drawn = backrefGraph(graph, starts(), finder, options);
  const subgraph = seconds(start);
  start = performance.now();
  const svg = await renderDiagram(drawn, { format: 'svg', layout: 'auto', maxDepth: 5 });
  const drawing = performance.now() - drawingStart;
  console.log(`${what}: subgraph ${subgraph} s (${drawn.order} nodes), SVG ${seconds(start)} s (${svg.length} bytes); drawing is ${((drawing / (beforeDrawing + drawing)) * 100).toFixed(1)}% of load + paths + drawing; rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
}
