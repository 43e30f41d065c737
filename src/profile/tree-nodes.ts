/**
 * leakgraph/profile/tree-nodes — the nodes of a call tree as a list, without recursion
 * (profiles of deep recursion are deep trees). It has no imports, so that the sampling
 * preload can use it without loading more of leakgraph into the profiled program.
 */

/** Every node under `head` (itself included), each parent before its children. */
export function treeNodes<T extends { children: readonly T[] }>(head: T): T[] {
  const nodes: T[] = [];
  const stack = [head];
  while (stack.length > 0) {
    const node = stack.pop()!;
    nodes.push(node);
    for (const child of node.children) stack.push(child);
  }
  return nodes;
}
