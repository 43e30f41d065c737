/**
 * leakgraph/serve/api — the explorer's JSON API: each answer is what the CLI's `--json` prints
 * for the same question, from the command functions run on the heaps loaded once. Questions
 * are bounded (page sizes, limits, depths); the expensive ones wait their turn in a queue with
 * a deadline, and answers worth keeping are kept.
 */

import { basename } from 'node:path';
import type { HeapGraph } from '../graph/heap-graph.js';
import { processFingerprint } from '../analysis/same-process.js';
import { PathFinder } from '../analysis/retaining-path.js';
import { backrefGraph } from '../analysis/diagram-graph.js';
import { leakedObjects } from '../analysis/report.js';
import type { LeakReport } from '../analysis/leaks.js';
import { backrefsDiagram, refsDiagram, type Diagram } from '../commands/diagrams.js';
import { compareHeaps } from '../analysis/compare.js';
import { GROWTH_TOP, selectedGrowth } from '../commands/growth.js';
import { growthJson } from '../render/growth.js';
import { inspect } from '../commands/inspect.js';
import { instances, INSTANCES_MAX_PAGE, INSTANCES_PAGE } from '../commands/instances.js';
import { DEFAULT_MIN_RETAINED, leaksReport, LEAKS_TOP } from '../commands/leaks.js';
import { paths, PATHS_LIMIT } from '../commands/paths.js';
import { summary, SUMMARY_TOP } from '../commands/summary.js';
import { IdIndex } from '../graph/id-index.js';
import { why } from '../commands/why.js';
import { UsageError } from '../errors.js';
import { diagramJson, renderDiagram } from '../render/diagram.js';
import { jsonText } from '../render/json.js';
import { leaksJson } from '../render/leaks.js';
import { AnswerCache } from './heaps.js';
import { QueryQueue } from './queue.js';
import { choice, count, objectId, selectionOf, type Query } from './params.js';

export interface ApiContext {
  /** The snapshots, oldest first, as given. */
  heaps: HeapGraph[];
  /** Answer growth and leaks even when the snapshots may not be one process's. */
  force: boolean;
  queue: QueryQueue;
  cache: AnswerCache;
}

export interface ApiAnswer {
  status: number;
  contentType: string;
  body: string | Buffer;
}

/** Bounds on what one question may ask for. */
export const API_LIMITS = { objects: 100, refs: 500, classes: 5000, depth: 10, nodes: 200, clusters: 50 } as const;

type Handler = (context: ApiContext, query: Query, match: RegExpExecArray) => Promise<ApiAnswer>;

const json = (value: unknown): ApiAnswer => ({ status: 200, contentType: 'application/json; charset=utf-8', body: jsonText(value) });

const ROUTES: Array<[RegExp, Handler]> = [
  [/^\/api\/files$/, async (context) => json(filesOf(context.heaps))],
  [/^\/api\/summary$/, summaryAnswer],
  [/^\/api\/growth$/, growthAnswer],
  [/^\/api\/leaks$/, async (context, query) => json(leaksJson(await leaksOf(context, query)))],
  [/^\/api\/leaks\/diagram$/, leakDiagramAnswer],
  [/^\/api\/objects\/@?(\d+)$/, objectAnswer],
  [/^\/api\/instances$/, instancesAnswer],
  [/^\/api\/paths$/, pathsAnswer],
  [/^\/api\/why\/@?(\d+)$/, whyAnswer],
  [/^\/api\/(backrefs|refs)$/, diagramAnswer],
];

/**
 * The answer to one API request.
 * @throws UsageError for a bad question (unknown id or class, a bound passed); BusyError
 *   when it could not be answered in time; null means no such route
 */
export async function answerApi(context: ApiContext, path: string, query: Query): Promise<ApiAnswer | null> {
  for (const [pattern, handler] of ROUTES) {
    const match = pattern.exec(path);
    if (match) return handler(context, query, match);
  }
  return null;
}

function filesOf(heaps: readonly HeapGraph[]) {
  return {
    files: heaps.map((heap, index) => ({ index, file: heap.snapshot.file, name: basename(heap.snapshot.file), nodeCount: heap.snapshot.nodeCount, edgeCount: heap.snapshot.edgeCount, totalSize: heap.totalSize })),
    comparisons: heaps.length >= 2,
  };
}

/** An answer kept once computed; computed in the queue, since the first time may be slow. */
function kept<T>(context: ApiContext, key: string, compute: () => Promise<T>): Promise<T> {
  if (context.cache.has(key)) return context.cache.get(key, compute);
  return context.queue.run(() => context.cache.get(key, compute));
}

/** The heap `?file=` names: its index from 0 or its file name; the last by default. */
function heapOf(context: ApiContext, query: Query): { heap: HeapGraph; index: number } {
  const wanted = query.get('file');
  const last = context.heaps.length - 1;
  if (wanted === null || wanted === '') return { heap: context.heaps[last], index: last };
  const index = /^\d+$/.test(wanted) ? Number(wanted) : context.heaps.findIndex((heap) => heap.snapshot.file === wanted || basename(heap.snapshot.file) === wanted);
  if (index < 0 || index > last) throw new UsageError(`file: no snapshot "${wanted}" (give its index, 0 to ${last}, or its name)`);
  return { heap: context.heaps[index], index };
}

function needsComparison(context: ApiContext, what: string): void {
  if (context.heaps.length < 2) throw new UsageError(`${what} needs at least two snapshots; this server has one`);
}

async function summaryAnswer(context: ApiContext, query: Query): Promise<ApiAnswer> {
  const { heap, index } = heapOf(context, query);
  const top = count(query, 'top', SUMMARY_TOP, 0, API_LIMITS.classes);
  const sort = choice(query, 'sort', ['retained', 'shallow', 'count'] as const, 'retained');
  return json(await kept(context, `summary ${index} ${top} ${sort}`, () => summary(heap, { top, sort })));
}

async function growthAnswer(context: ApiContext, query: Query): Promise<ApiAnswer> {
  needsComparison(context, 'growth');
  const top = count(query, 'top', GROWTH_TOP, 0, API_LIMITS.classes);
  const sort = choice(query, 'sort', ['count', 'size'] as const, 'count');
  const minDelta = count(query, 'minDelta', 0, 0, Number.MAX_SAFE_INTEGER);
  // Compared once; each question only selects from the comparison.
  const comparison = await kept(context, 'comparison', () => compareHeaps(context.heaps, { force: context.force }));
  return json(growthJson(selectedGrowth(comparison, { top, sort, minDelta })));
}

/** The leak analysis for `?top=` and `?minRetained=` (bytes), kept, with the key it is kept under. */
async function leaksWithKey(context: ApiContext, query: Query): Promise<{ report: LeakReport; key: string }> {
  needsComparison(context, 'leaks');
  const top = count(query, 'top', LEAKS_TOP, 1, API_LIMITS.clusters);
  const minRetained = count(query, 'minRetained', DEFAULT_MIN_RETAINED, 0, Number.MAX_SAFE_INTEGER);
  const key = `leaks ${top} ${minRetained}`;
  return { report: await kept(context, key, () => leaksReport(context.heaps, { top, minRetained, force: context.force })), key };
}

/** The leak analysis for `?top=` and `?minRetained=` (bytes), kept. */
export async function leaksOf(context: ApiContext, query: Query): Promise<LeakReport> {
  return (await leaksWithKey(context, query)).report;
}

/** The leak-shape picture of a cluster (`?cluster=N`, from 1): what holds its leaked objects, as `report` draws it. */
async function leakDiagramAnswer(context: ApiContext, query: Query): Promise<ApiAnswer> {
  const { report, key: leaksKey } = await leaksWithKey(context, query);
  const number = count(query, 'cluster', 1, 1, API_LIMITS.clusters);
  const cluster = report.clusters[number - 1];
  if (!cluster) throw new UsageError(`cluster: there are ${report.clusters.length} clusters`);
  const final = context.heaps[context.heaps.length - 1];
  const key = `${leaksKey} diagram ${number}`;
  const diagram = await kept(context, key, async (): Promise<Diagram> => {
    // As report: the objects of the cluster's class allocated in the candidates' interval.
    const maxIds = context.heaps.map((heap) => processFingerprint(heap.snapshot).maxId);
    const starts = leakedObjects(final, IdIndex.of(final.snapshot), cluster, report.clusters, maxIds, 0);
    return { graph: backrefGraph(final, starts, PathFinder.of(final)), title: `What retains the leaked ${cluster.className} objects`, maxDepth: 5 };
  });
  return drawn(context, key, diagram, choice(query, 'format', ['svg', 'json'] as const, 'svg'));
}

/** A diagram as SVG (laid out once, then kept) or as the JSON `backrefs --json` prints. */
async function drawn(context: ApiContext, key: string, diagram: Diagram, format: 'svg' | 'json'): Promise<ApiAnswer> {
  if (format === 'json') return json(diagramJson(diagram.graph, diagram.title));
  const svg = await kept(context, `svg ${key}`, async () => String(await renderDiagram(diagram.graph, { format: 'svg', layout: 'auto', maxDepth: diagram.maxDepth, title: diagram.title })));
  return { status: 200, contentType: 'image/svg+xml; charset=utf-8', body: svg };
}

async function objectAnswer(context: ApiContext, query: Query, match: RegExpExecArray): Promise<ApiAnswer> {
  const { heap } = heapOf(context, query);
  const refs = count(query, 'refs', 25, 1, API_LIMITS.refs);
  return json(await inspect(heap, { id: objectId(match[1]), refs }));
}

async function instancesAnswer(context: ApiContext, query: Query): Promise<ApiAnswer> {
  const { heap } = heapOf(context, query);
  const offset = count(query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
  const limit = count(query, 'limit', INSTANCES_PAGE, 1, INSTANCES_MAX_PAGE);
  const type = query.get('type') ?? undefined;
  const key = query.get('key') ?? undefined;
  return json(await instances(heap, { type, key, offset, limit }));
}

async function pathsAnswer(context: ApiContext, query: Query): Promise<ApiAnswer> {
  const { heap } = heapOf(context, query);
  const selection = selectionOf(query, PATHS_LIMIT, API_LIMITS.objects, false);
  return json(await context.queue.run(() => paths(heap, selection)));
}

async function whyAnswer(context: ApiContext, query: Query, match: RegExpExecArray): Promise<ApiAnswer> {
  const { heap, index } = heapOf(context, query);
  const id = objectId(match[1]);
  return json(await kept(context, `why ${index} ${id}`, () => why(heap, { id })));
}

/** `backrefs` (what holds objects) or `refs` (what an object holds): JSON by default, or `?format=svg`. */
async function diagramAnswer(context: ApiContext, query: Query, match: RegExpExecArray): Promise<ApiAnswer> {
  const { heap, index } = heapOf(context, query);
  const backrefs = match[1] === 'backrefs';
  // backrefs of a class folds every object by default (the walk is bounded by maxNodes).
  const selection = selectionOf(query, backrefs ? 0 : 1, API_LIMITS.objects, backrefs);
  const walk = {
    ...(query.has('maxDepth') ? { maxDepth: count(query, 'maxDepth', 5, 1, API_LIMITS.depth) } : {}),
    maxNodes: count(query, 'maxNodes', 40, 2, API_LIMITS.nodes),
    ...(query.get('instances') === '1' ? { fold: false } : {}),
  };
  const format = choice(query, 'format', ['json', 'svg'] as const, 'json');
  const key = `${match[1]} ${index} ${JSON.stringify({ ...selection, ...walk })}`;
  const diagram = await kept(context, key, () => (backrefs ? backrefsDiagram(heap, { ...selection, ...walk }) : refsDiagram(heap, { ...selection, ...walk })));
  return drawn(context, key, diagram, format);
}

/** What the page asks for first: worked out before the server announces itself. */
const FIRST_SCREEN = ['/api/summary?top=0', '/api/growth?top=0', '/api/leaks', '/api/leaks/diagram?cluster=1'];

/**
 * Answers the first screen's questions now, so that the page appears at once.
 * @throws what growth and leaks throw (MixedSnapshotsError for files not of one process, unless `force`)
 */
export async function prepareFirstScreen(context: ApiContext, onStep?: (what: string) => void): Promise<void> {
  for (const request of FIRST_SCREEN) {
    const url = new URL(request, 'http://localhost');
    const comparison = url.pathname !== '/api/summary';
    if (comparison && context.heaps.length < 2) continue;
    if (url.pathname === '/api/leaks/diagram' && (await leaksOf(context, new URLSearchParams())).clusters.length === 0) continue;
    onStep?.(url.pathname.slice('/api/'.length));
    await answerApi(context, url.pathname, url.searchParams);
  }
}
