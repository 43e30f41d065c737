// inspectObject on a small graph: references sorted by retained size, retainers without
// weak edges and without the root's edges, dominator chain from the immediate dominator to
// the root; (a) by hand from devtools-semantics.md §5/§9 and (b) against DevTools'
// JSHeapSnapshot (retained sizes, distances, dominatorsTree, retainer/containment lists).

import { describe, expect, it } from 'vitest';
import { inspectObject } from '../../src/index.js';
import { Heap, MINIMAL, SYS, checkAgainstDevTools, ordinalOf } from './support.js';

const { root, strongRoots, global } = MINIMAL;

/**
 *   global(32) ─h→ Holder(20) ─a→ Small(10) ─child→ Child(6)
 *     │             ├─b→ Big(100) ←big─ global        (Big dominated by global)
 *     │             ├─c→ "tiny"(4)
 *     │             ├─w (weak)→ Weakling(8)            (only weakly held: dominated by the root)
 *     │             └─back→ global
 *   (Strong roots) ─handle→ global;  Weakling ─weak→ Big
 */
function inspectHeap() {
  const h = new Heap();
  const holder = h.add('object', 'Holder', 20);
  const big = h.add('object', 'Big', 100);
  const small = h.add('object', 'Small', 10);
  const tiny = h.add('string', 'tiny', 4);
  const weakling = h.add('object', 'Weakling', 8);
  const child = h.add('object', 'Child', 6);
  h.edge(global, 'property', 'h', holder).edge(global, 'property', 'big', big);
  h.edge(holder, 'property', 'a', small).edge(holder, 'property', 'b', big).edge(holder, 'property', 'c', tiny);
  h.edge(holder, 'weak', 'w', weakling).edge(holder, 'property', 'back', global);
  h.edge(small, 'property', 'child', child);
  h.edge(weakling, 'weak', 'big', big);
  h.edge(strongRoots, 'internal', 'handle', global);
  return { h, holder, big, small, tiny, weakling, child };
}

interface EdgeRow { type: string; name: string; node: number }
const canonical = (rows: EdgeRow[]) => [...rows].sort((x, y) => x.node - y.node || x.name.localeCompare(y.name) || x.type.localeCompare(y.type));

/** DevTools' retainer list (Retainers view) of the node with this id. */
function devtoolsRetainers(snap: any, id: number): EdgeRow[] {
  const node = snap.nodeForSnapshotObjectId(id);
  const items = snap.createRetainingEdgesProvider(node.nodeIndex).serializeItemsRange(0, 1e6).items;
  return items.map((e: any) => ({ type: e.type, name: String(e.name), node: e.node.id }));
}

/** DevTools' containment list (what the node holds) of the node with this id. */
function devtoolsReferences(snap: any, id: number): EdgeRow[] {
  const node = snap.nodeForSnapshotObjectId(id);
  const items = snap.createEdgesProvider(node.nodeIndex).serializeItemsRange(0, 1e6).items;
  return items.map((e: any) => ({ type: e.type, name: String(e.name), node: e.node.id }));
}

describe('inspectObject', () => {
  it('references, retainers and dominators of a small graph, as DevTools has them', async () => {
    const n = inspectHeap();
    const a = await checkAgainstDevTools(n.h, 'inspect');
    const { graph, snap } = a;
    const id = (o: number) => n.h.id(o);

    // --- Holder: references sorted by retained size, weak edges included (containment view)
    const holder = inspectObject(graph, id(n.holder))!;
    expect(holder).toMatchObject({ id: id(n.holder), type: 'object', name: 'Holder', className: 'Holder', selfSize: 20, distance: 2 });
    // Holder retains Small + Child + "tiny" (Big is also held by global, Weakling only weakly)
    expect(holder.retainedSize).toBe(20 + 10 + 6 + 4);
    expect(holder.references.map((r) => [r.edgeType, r.edgeName, r.to.name, r.to.retainedSize])).toEqual([
      ['property', 'back', 'global', 32 + 40 + 100],
      ['property', 'b', 'Big', 100],
      ['property', 'a', 'Small', 16],
      ['weak', 'w', 'Weakling', 8],
      ['property', 'c', 'tiny', 4],
    ]);
    expect(holder.referenceCount).toBe(5);
    const sizes = holder.references.map((r) => r.to.retainedSize);
    expect(sizes).toEqual([...sizes].sort((x, y) => y - x));
    expect(canonical(holder.references.map((r) => ({ type: r.edgeType, name: String(r.edgeName), node: r.to.id }))))
      .toEqual(canonical(devtoolsReferences(snap, id(n.holder))));

    // --- Big: the weak retainer (Weakling) is hidden; nearest retainer first
    const big = inspectObject(graph, id(n.big))!;
    expect(big.retainers.map((r) => [r.edgeType, r.edgeName, r.from.name])).toEqual([
      ['property', 'big', 'global'],
      ['property', 'b', 'Holder'],
    ]);
    expect(big.retainerCount).toBe(2);
    expect(big.dominators.map((d) => d.id)).toEqual([id(global), 1]);

    // --- global: the root's shortcut edge is hidden; (Strong roots) (system distance) after Holder
    const glob = inspectObject(graph, id(global))!;
    expect(glob.distance).toBe(1);
    expect(glob.retainers.map((r) => [r.edgeType, r.edgeName, r.from.name])).toEqual([
      ['property', 'back', 'Holder'],
      ['internal', 'handle', '(Strong roots)'],
    ]);
    expect(graph.distances[strongRoots]).toBe(SYS + 2);
    expect(glob.dominators.map((d) => d.id)).toEqual([1]);
    for (const o of [n.holder, n.big, global, n.child, n.weakling]) {
      const mine = inspectObject(graph, id(o))!;
      expect(canonical(mine.retainers.map((r) => ({ type: r.edgeType, name: String(r.edgeName), node: r.from.id }))), `retainers of ${mine.name}`)
        .toEqual(canonical(devtoolsRetainers(snap, id(o))));
    }

    // --- Child: dominator chain Small → Holder → global → root
    const child = inspectObject(graph, id(n.child))!;
    expect(child.dominators.map((d) => d.name)).toEqual(['Small', 'Holder', 'global', '']);
    expect(child.dominators.map((d) => d.retainedSize)).toEqual([16, 40, 172, 180]) // root: every byte, Weakling included;
    expect(child).toMatchObject({ retainedSize: 6, distance: 4 });

    // same numbers as DevTools: retained size, distance, dominator chain (via dominatorsTree)
    for (const o of [n.child, n.holder, n.big, n.weakling, global]) {
      const mine = inspectObject(graph, id(o))!;
      const ordinal = ordinalOf(graph, id(o));
      expect(ordinal).toBe(o);
      const dt = snap.nodeForSnapshotObjectId(id(o));
      expect(mine.retainedSize, `retained size of ${mine.name}`).toBe(dt.retainedSize());
      expect(mine.distance, `distance of ${mine.name}`).toBe(snap.nodeDistances[ordinal]);
      const chain: number[] = [];
      for (let cur = ordinal; cur !== root; ) {
        cur = snap.dominatorsTree[cur];
        chain.push(snap.createNode(cur * snap.nodeFieldCount).id());
      }
      expect(mine.dominators.map((d) => d.id), `dominators of ${mine.name}`).toEqual(chain);
      expect(mine.dominators.map((d) => d.retainedSize)).toEqual(chain.map((c) => snap.nodeForSnapshotObjectId(c).retainedSize()));
    }

    // weakly held only: unreachable, dominated directly by the root
    const weakling = inspectObject(graph, id(n.weakling))!;
    expect(weakling.distance).toBe(-5);
    expect(weakling.dominators.map((d) => d.id)).toEqual([1]);
    expect(weakling.retainers).toEqual([]);
    expect(inspectObject(graph, 424242)).toBeNull();
  });
});
