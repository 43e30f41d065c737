/**
 * leakgraph/snapshot/location-index — which `locations` record belongs to a node, in about a
 * bit per node. Few nodes have a record (functions, objects with a known constructor), so a
 * node-sized array of record numbers would be mostly empty at 4 bytes a node.
 *
 * A bit per node says whether it has a record; per 32-node word, how many nodes before the
 * word have one (the rank); and per node with a record, in ordinal order, the record.
 */
export class LocationIndex {
  private readonly present: Uint32Array;
  private readonly rankBefore: Uint32Array;
  private readonly records: Uint32Array;

  /** @param ordinalOf the node of each record, 0 ≤ record < recordCount; a later record for a node wins */
  constructor(nodeCount: number, recordCount: number, ordinalOf: (record: number) => number) {
    const words = (nodeCount + 31) >>> 5;
    this.present = new Uint32Array(words);
    for (let record = 0; record < recordCount; record++) {
      const ordinal = ordinalOf(record);
      this.present[ordinal >>> 5] |= 1 << (ordinal & 31);
    }
    this.rankBefore = new Uint32Array(words);
    let located = 0;
    for (let word = 0; word < words; word++) {
      this.rankBefore[word] = located;
      located += bitCount(this.present[word]);
    }
    this.records = new Uint32Array(located);
    for (let record = 0; record < recordCount; record++) this.records[this.rank(ordinalOf(record))] = record;
  }

  /** The node's record, or -1. */
  recordOf(ordinal: number): number {
    const bit = ordinal & 31;
    return (this.present[ordinal >>> 5] >>> bit) & 1 ? this.records[this.rank(ordinal)] : -1;
  }

  /** How many nodes before `ordinal` have a record. */
  private rank(ordinal: number): number {
    const bit = ordinal & 31;
    const below = bit === 0 ? 0 : this.present[ordinal >>> 5] & (0xffffffff >>> (32 - bit));
    return this.rankBefore[ordinal >>> 5] + bitCount(below);
  }
}

function bitCount(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
