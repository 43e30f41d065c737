/**
 * leakgraph/graph/classes — the class of every node, with DevTools' names and keys.
 *
 * Class names: hidden → "(system)", code → "(compiled code)", closure → "Function",
 * regexp → "RegExp"; object and native nodes take their name ("Detached " in front for
 * detached DOM nodes, `<div id=…>` cut to `<div>`); every other type is "(<type>)". Plain
 * objects ("Object") are then named by shape, `{a, b}`, when enough objects share it.
 *
 * Class keys group instances: ",<name>", except objects with a source location, whose key is
 * "<scriptId>,<line>,<column>,<name>" so that two constructors with the same name in different
 * places are different classes. Keys are what DevTools' public API returns; they are stable
 * across snapshots and used to compare them.
 */

import type { HeapSnapshot, SourceLocation } from '../snapshot/heap-snapshot.js';
import { cachedStrings } from '../snapshot/string-table.js';
import { DETACHED } from './dom-state.js';

/** Class ids: Uint16 while every id fits (most heaps have a few thousand classes), else Uint32. */
export type ClassIds = Uint16Array | Uint32Array;

export interface ClassTable {
  /** Class id of each node. */
  classOf: ClassIds;
  /** Class name per class id. */
  names: string[];
  /** Public class key per class id. */
  keys: string[];
}

/** A shape class for plain objects: its display name and the property names it requires. */
export interface InterfaceDefinition {
  name: string;
  properties: string[];
}

/** Longest shape name; the first property is always kept. */
const MAX_INTERFACE_NAME_LENGTH = 120;
/** A shape becomes a class when at least this many objects, and 1/1000 of all plain objects, have it. */
const MIN_OBJECTS_PER_INTERFACE = 2;
const MIN_OBJECT_PROPORTION_PER_INTERFACE = 1000;

/** Property names that would confuse a `{a, b}` name are written as JSON strings. */
export function formatPropertyName(name: string): string {
  return /[,'"{}]/.test(name) ? JSON.stringify(name) : name;
}

/**
 * Past this many trie nodes (distinct lists and their prefixes), the rest of a heap's plain
 * objects are read one by one: objects used as dictionaries can have millions of keys.
 */
export const MAX_PROPERTY_LIST_NODES = 1 << 20;

/**
 * Numbers the distinct property lists of plain objects (property edges' names, in edge
 * order), so that the work per shape (names, sorting, matching) is done once per list, not
 * once per object. A trie over name-string indexes: most nodes have one child.
 */
class PropertyLists {
  private readonly firstName: number[] = [-1];
  private readonly firstChild: number[] = [0];
  private readonly otherChildren: (Map<number, number> | undefined)[] = [undefined];

  constructor(
    private readonly heap: HeapSnapshot,
    private readonly maxNodes: number,
  ) {}

  /** The list id of a plain object, or -1 when the trie is full. */
  of(node: number): number {
    const { firstEdges, edgeTypes, edgeNames } = this.heap;
    const property = this.heap.edgeType.property;
    let at = 0;
    const end = firstEdges[node + 1];
    for (let edge = firstEdges[node]; edge < end && at >= 0; edge++) {
      if (edgeTypes[edge] === property) at = this.child(at, edgeNames[edge]);
    }
    return at;
  }

  private child(at: number, name: number): number {
    if (this.firstName[at] === name) return this.firstChild[at];
    const found = this.otherChildren[at]?.get(name);
    if (found !== undefined) return found;
    const created = this.firstName.length;
    if (created >= this.maxNodes) return -1;
    this.firstName.push(-1);
    this.firstChild.push(0);
    this.otherChildren.push(undefined);
    if (this.firstName[at] < 0) {
      this.firstName[at] = name;
      this.firstChild[at] = created;
    } else {
      (this.otherChildren[at] ??= new Map()).set(name, created);
    }
    return created;
  }
}

/**
 * Infers the shape classes of plain objects: the most common property lists (in edge order,
 * `__proto__` left out), kept while their count reaches the threshold.
 */
export function inferInterfaces(heap: HeapSnapshot, maxPropertyListNodes = MAX_PROPERTY_LIST_NODES): InterfaceDefinition[] {
  const stringAt = cachedStrings(heap.strings);
  const isObjectName = heap.strings.matcher('Object');
  const objectType = heap.nodeType.object;
  const lists = new PropertyLists(heap, maxPropertyListNodes);
  type Candidate = { definition: InterfaceDefinition; count: number };
  const candidates = new Map<string, Candidate>();
  // The candidate of each list (null: no properties), found when the list is first met, so
  // that candidates keep the order of the first object of each shape.
  const candidateOfList: (Candidate | null)[] = [];
  const candidateOf = (node: number): Candidate | null => {
    const definition = shapeOf(heap, node, stringAt);
    if (definition === null) return null;
    let candidate = candidates.get(definition.name);
    if (!candidate) candidates.set(definition.name, (candidate = { definition, count: 0 }));
    return candidate;
  };
  let plainObjects = 0;
  for (let node = 0; node < heap.nodeCount; node++) {
    if (heap.nodeTypes[node] !== objectType || !isObjectName(heap.nodeNames[node])) continue;
    plainObjects++;
    const list = lists.of(node);
    let candidate: Candidate | null | undefined;
    if (list < 0) candidate = candidateOf(node);
    else if ((candidate = candidateOfList[list]) === undefined) candidate = candidateOfList[list] = candidateOf(node);
    if (candidate) candidate.count++;
  }
  // Stable sort: among equal counts the first seen comes first, and wins ties when matching.
  const sorted = [...candidates.values()].sort((a, b) => b.count - a.count);
  const minCount = Math.max(MIN_OBJECTS_PER_INTERFACE, plainObjects / MIN_OBJECT_PROPORTION_PER_INTERFACE);
  const result: InterfaceDefinition[] = [];
  for (const candidate of sorted) {
    if (candidate.count < minCount) break;
    result.push(candidate.definition);
  }
  return result;
}

/** The shape name and property list of one plain object (`__proto__` left out), or null without properties. */
function shapeOf(heap: HeapSnapshot, node: number, stringAt: (index: number) => string): InterfaceDefinition | null {
  const { firstEdges, edgeTypes, edgeNames } = heap;
  const property = heap.edgeType.property;
  let name = '{';
  const properties: string[] = [];
  const end = firstEdges[node + 1];
  for (let edge = firstEdges[node]; edge < end; edge++) {
    if (edgeTypes[edge] !== property) continue;
    const propertyName = stringAt(edgeNames[edge]);
    if (propertyName === '__proto__') continue;
    const formatted = formatPropertyName(propertyName);
    if (name.length > 1 && name.length + formatted.length > MAX_INTERFACE_NAME_LENGTH) break;
    if (name.length !== 1) name += ', ';
    name += formatted;
    properties.push(propertyName);
  }
  // An empty shape would read as "objects with no properties", which it is not.
  return properties.length === 0 ? null : { name: `${name}}`, properties };
}

interface ShapeTrieNode {
  next: Map<string, ShapeTrieNode>;
  /** Greatest property name among `next`'s keys, to stop early on sorted input. */
  greatest: string | null;
  /** The first definition whose sorted property list ends here. */
  match: { index: number; propertyCount: number } | null;
}

function newTrieNode(): ShapeTrieNode {
  return { next: new Map(), greatest: null, match: null };
}

/**
 * Matches objects to shape definitions: an object matches a definition when it has all of its
 * properties (extra ones allowed). The best match has the most properties; ties go to the
 * earlier (more common) definition. Definitions are stored as a trie of sorted names.
 */
class ShapeMatcher {
  private readonly root = newTrieNode();

  constructor(definitions: readonly InterfaceDefinition[]) {
    definitions.forEach((definition, index) => {
      let node = this.root;
      for (const property of [...definition.properties].sort()) {
        let child = node.next.get(property);
        if (!child) {
          child = newTrieNode();
          node.next.set(property, child);
          if (node.greatest === null || node.greatest < property) node.greatest = property;
        }
        node = child;
      }
      node.match ??= { index, propertyCount: definition.properties.length };
    });
  }

  /** Index of the best definition for these sorted property names, or -1. */
  bestMatch(sortedProperties: readonly string[]): number {
    let bestIndex = -1;
    let bestCount = 0;
    const consider = (match: ShapeTrieNode['match']): void => {
      if (!match) return;
      if (bestIndex < 0 || match.propertyCount > bestCount || (match.propertyCount === bestCount && match.index < bestIndex)) {
        bestIndex = match.index;
        bestCount = match.propertyCount;
      }
    };
    consider(this.root.match);
    // Depth-first over subsequences of the sorted names that spell a path in the trie.
    const nodes: ShapeTrieNode[] = [this.root];
    const starts: number[] = [0];
    while (nodes.length > 0) {
      const node = nodes.pop()!;
      const start = starts.pop()!;
      if (node.greatest === null) continue;
      for (let i = start; i < sortedProperties.length; i++) {
        const property = sortedProperties[i];
        if (property > node.greatest) break;
        const child = node.next.get(property);
        if (!child) continue;
        consider(child.match);
        nodes.push(child);
        starts.push(i + 1);
      }
    }
    return bestIndex;
  }
}

/** Cuts `<div id="a">` to `<div>` and `Detached <div id="a">` to `Detached <div>`. */
function classNameOfNamed(name: string): string {
  if (name.startsWith('<')) {
    const space = name.indexOf(' ');
    return space === -1 ? name : `${name.substring(0, space)}>`;
  }
  if (name.startsWith('Detached <')) {
    const space = name.indexOf(' ', 10);
    return space === -1 ? name : `${name.substring(0, space)}>`;
  }
  return name;
}

/**
 * Computes every node's class.
 * @param domState propagated DOM state (detached native nodes get the "Detached " prefix)
 * @param definitions shape classes for plain objects, usually `inferInterfaces(heap)`; when
 *   comparing snapshots, the newer snapshot's, so that keys agree
 * @param maxPropertyListNodes bound on the memory kept to classify each shape of plain object once
 */
export function computeClasses(heap: HeapSnapshot, domState: Uint8Array | null, definitions: readonly InterfaceDefinition[], maxPropertyListNodes = MAX_PROPERTY_LIST_NODES): ClassTable {
  const { nodeCount, nodeTypes, nodeNames, firstEdges, edgeTypes, edgeNames, strings } = heap;
  const stringAt = cachedStrings(strings);
  const types = heap.nodeType;
  const property = heap.edgeType.property;
  let classOf: ClassIds = new Uint16Array(nodeCount);
  const names: string[] = [];
  const keys: string[] = [];
  const idByKey = new Map<string, number>();
  const intern = (key: string, name: string): number => {
    let id = idByKey.get(key);
    if (id === undefined) {
      id = names.length;
      idByKey.set(key, id);
      names.push(name);
      keys.push(key);
    }
    return id;
  };
  const classIdOfName = (name: string): number => intern(`,${name}`, name);

  // Names for the fixed types, and a cache per (type, name string) for object/native nodes.
  const typeClass = heap.nodeTypeNames.map((typeName, type) => {
    switch (type) {
      case types.hidden: return classIdOfName('(system)');
      case types.code: return classIdOfName('(compiled code)');
      case types.closure: return classIdOfName('Function');
      case types.regexp: return classIdOfName('RegExp');
      default: return classIdOfName(`(${typeName})`);
    }
  });
  // Class per name string, for object/native nodes (-1: not yet known); typed arrays, since
  // a browser heap can have a distinct name per DOM node.
  const namedClassCache = new Int32Array(strings.length).fill(-1);
  const detachedClassCache = new Int32Array(strings.length).fill(-1);
  const matcher = new ShapeMatcher(definitions);
  const shapeClass = definitions.map((definition) => classIdOfName(definition.name));
  const isObjectName = strings.matcher('Object');
  const lists = new PropertyLists(heap, maxPropertyListNodes);
  const classOfList: number[] = [];
  const shapeClassOf = (node: number): number => {
    const properties: string[] = [];
    const end = firstEdges[node + 1];
    for (let edge = firstEdges[node]; edge < end; edge++) {
      if (edgeTypes[edge] === property) properties.push(stringAt(edgeNames[edge]));
    }
    properties.sort();
    const match = matcher.bestMatch(properties);
    return match < 0 ? classIdOfName('Object') : shapeClass[match];
  };
  const located = new LocatedClasses(intern, names);
  const objectType = types.object;
  const nativeType = types.native;

  for (let node = 0; node < nodeCount; node++) {
    const type = nodeTypes[node];
    if (type !== objectType && type !== nativeType) {
      classOf[node] = typeClass[type];
      continue;
    }
    const nameIndex = nodeNames[node];
    let classId: number;
    if (type === objectType && isObjectName(nameIndex)) {
      const list = lists.of(node);
      if (list < 0) classId = shapeClassOf(node);
      else if ((classId = classOfList[list] ?? -1) < 0) classId = classOfList[list] = shapeClassOf(node);
    } else if (type === nativeType && domState !== null && domState[node] === DETACHED) {
      if (detachedClassCache[nameIndex] < 0) detachedClassCache[nameIndex] = classIdOfName(classNameOfNamed(`Detached ${strings.get(nameIndex)}`));
      classId = detachedClassCache[nameIndex];
    } else {
      if (namedClassCache[nameIndex] < 0) namedClassCache[nameIndex] = classIdOfName(classNameOfNamed(strings.get(nameIndex)));
      classId = namedClassCache[nameIndex];
    }
    if (type === objectType) {
      const location = heap.location(node);
      if (location) classId = located.classOf(classId, location);
    }
    if (classId > 0xffff && classOf instanceof Uint16Array) classOf = new Uint32Array(classOf);
    classOf[node] = classId;
  }
  return { classOf, names, keys };
}

/**
 * The classes of objects with a source location, keyed "<scriptId>,<line>,<column>,<name>";
 * found through numbers, so that the key is built once per class, not once per object.
 */
class LocatedClasses {
  /** (class id, script) → (line, column) → located class id. */
  private readonly byPlace = new Map<number | string, Map<number | string, number>>();

  constructor(
    private readonly intern: (key: string, name: string) => number,
    private readonly names: readonly string[],
  ) {}

  classOf(classId: number, { scriptId, line, column }: SourceLocation): number {
    // Exact in a double while each part is in range; otherwise a string key.
    const outer = classId < 2 ** 26 && scriptId < 2 ** 26 ? classId * 2 ** 26 + scriptId : `${classId},${scriptId}`;
    const inner = line < 2 ** 26 && column < 2 ** 26 ? line * 2 ** 26 + column : `${line},${column}`;
    let places = this.byPlace.get(outer);
    if (!places) this.byPlace.set(outer, (places = new Map()));
    let located = places.get(inner);
    if (located === undefined) {
      const name = this.names[classId];
      located = this.intern(`${scriptId},${line},${column},${name}`, name);
      places.set(inner, located);
    }
    return located;
  }
}
