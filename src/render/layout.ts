/**
 * leakgraph/render/layout — positions for diagrams too big for dot.
 *
 * dot gives the clearest pictures but slows down past a few hundred nodes; there ForceAtlas2
 * (Jacomy, Venturini, Heymann, Bastian, "ForceAtlas2, a continuous graph layout algorithm",
 * PLoS ONE 2014) lays the graph out, and Graphviz only draws the pinned positions. Starting
 * positions are derived from the graph's order, so the result is deterministic.
 */

import forceAtlas2Module from 'graphology-layout-forceatlas2';
import type { RefGraph } from '../analysis/diagram-graph.js';

// A CommonJS module: imported from ESM, its default export is the layout function itself.
const forceAtlas2 = forceAtlas2Module as unknown as typeof forceAtlas2Module.default;

/** Above this many nodes, `--layout auto` uses ForceAtlas2. */
export const FORCE_LAYOUT_THRESHOLD = 300;

const ITERATIONS = 300;
/** Points per layout unit: boxes are about 100 × 40 points. */
const SCALE = 60;

export function forceLayout(graph: RefGraph): Map<string, { x: number; y: number }> {
  const positioned = graph.copy();
  let index = 0;
  const count = graph.order;
  // Depth bands from the start objects, spread on a spiral: a stable, untangled start.
  positioned.forEachNode((key, node) => {
    const angle = (index / Math.max(1, count)) * Math.PI * 8;
    const radius = 1 + node.depth * 2 + index / Math.max(1, count);
    positioned.mergeNodeAttributes(key, { x: Math.cos(angle) * radius, y: Math.sin(angle) * radius } as never);
    index++;
  });
  const settings = { ...forceAtlas2.inferSettings(positioned), barnesHutOptimize: count > 1000, adjustSizes: false, strongGravityMode: true, gravity: 0.5 };
  const layout = forceAtlas2(positioned, { iterations: ITERATIONS, settings });
  const positions = new Map<string, { x: number; y: number }>();
  for (const [key, point] of Object.entries(layout)) positions.set(key, { x: point.x * SCALE, y: point.y * SCALE });
  return positions;
}
