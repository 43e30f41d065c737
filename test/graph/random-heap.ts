// Seeded random heaps for the differential check in random-graphs.test.ts.

import { DEFAULT_NODE_FIELDS, type BuildOptions } from '../helpers/snapshot-builder.js';
import { Heap, MINIMAL } from './support.js';

/** Small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NODE_KINDS: Array<[string, string[]]> = [
  ['object', ['Object', 'Object', 'Object', 'A', 'B', 'Foo']],
  ['array', ['', '(object elements)', '(map descriptors)']],
  ['hidden', ['system / NativeContext', 'system / X', 'system / Y']],
  ['native', ['<div id="1">', '<span class="s">', 'Bar', 'system / ExternalStringData']],
  ['closure', ['f', 'g']],
  ['string', ['s1', 's2']],
  ['code', ['(code)']],
  ['object shape', ['system / Map']],
  ['synthetic', ['(Embedder)']],
];
const PROPS = ['a', 'b', 'c', 'd', '__proto__'];

export function randomHeap(seed: number): { h: Heap; options: BuildOptions } {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const h = new Heap();
  const exposeInternals = r() < 0.1;
  const withDetachedness = r() < 0.7;
  if (exposeInternals) {
    h.nodes[MINIMAL.root]!.edges = h.nodes[MINIMAL.root]!.edges!.filter((e) => e.type !== 'shortcut');
  }
  const count = 5 + Math.floor(r() * 30);
  const created: number[] = [];
  for (let i = 0; i < count; i++) {
    const [type, names] = pick(NODE_KINDS);
    const size = type === 'synthetic' ? 0 : Math.floor(r() * 5) * 8;
    const detachedness = type === 'native' || r() < 0.05 ? pick([0, 0, 1, 2]) : 0;
    created.push(h.add(type, pick(names), size, { detachedness }));
  }
  if (!exposeInternals && r() < 0.3) {
    const dom = h.add('synthetic', '(Document DOM trees)', 0);
    h.edge(MINIMAL.root, 'element', 3, dom);
    created.push(dom);
  }
  if (!exposeInternals && r() < 0.3) h.edge(MINIMAL.root, 'shortcut', '4', pick(created));
  const all = [MINIMAL.gcRoots, MINIMAL.strongRoots, MINIMAL.handleScope, MINIMAL.global, ...created];
  const sources = [MINIMAL.strongRoots, MINIMAL.handleScope, MINIMAL.global, ...created];
  const edgeCount = Math.floor(count * (0.8 + r() * 1.5));
  let element = 0;
  for (let i = 0; i < edgeCount; i++) {
    const from = pick(sources);
    const to = r() < 0.05 ? from : pick(all.filter((n) => n !== MINIMAL.gcRoots));
    const x = r();
    if (x < 0.35) h.edge(from, 'property', pick(PROPS), to);
    else if (x < 0.5) h.edge(from, 'element', element++ % 12, to);
    else if (x < 0.62) h.edge(from, 'internal', pick(['elements', 'properties', 'sloppy_function_map', '7', 'x']), to);
    else if (x < 0.72) h.edge(from, 'weak', 'w', to);
    else if (x < 0.8) h.edge(from, 'hidden', element++ % 12, to);
    else if (x < 0.86) h.edge(from, 'shortcut', 's', to);
    else if (x < 0.9) h.edge(from, 'context', 'ctx', to);
    else {
      // a WeakMap pair: key → value and table → value, same name after the number
      const key = from;
      const table = pick(sources);
      const name = ` / part of key (K @${h.id(key)}) -> value (V @${h.id(to)}) pair in WeakMap (table @${h.id(table)})`;
      h.edge(key, 'internal', `${i}${name}`, to);
      h.edge(table, 'internal', `${i + 1000}${name}`, to);
    }
  }
  const locations: NonNullable<BuildOptions['locations']> = [];
  for (const n of created) {
    if (r() < 0.2) locations.push({ node: n, scriptId: pick([3, 4]), line: pick([0, 1]), column: 0 });
  }
  const options: BuildOptions = { locations };
  if (!withDetachedness) options.nodeFields = DEFAULT_NODE_FIELDS.filter((f) => f !== 'detachedness');
  return { h, options };
}
