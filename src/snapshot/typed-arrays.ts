/**
 * leakgraph/snapshot/typed-arrays — growing the typed arrays that serve as stacks and lists
 * whose final length is not known in advance (search paths, string offsets).
 */

/** A copy of `array` with twice the room. */
export function doubled(array: Uint32Array): Uint32Array<ArrayBuffer> {
  const grown = new Uint32Array(array.length * 2);
  grown.set(array);
  return grown;
}
