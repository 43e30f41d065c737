/**
 * The explorer's page script, run in the browser (`leakgraph serve` ships it compiled, as is).
 * Views by the URL's hash, so links, reloads and the back button work: `#/` the verdict and
 * the classes, `#/class/NAME` a class's objects, `#/object/ID` one object. Everything comes
 * from the server's API on the same origin; nothing else is fetched but the number formats
 * the CLI uses (served from /render/numbers.js).
 */

import { formatBytes, formatCount, formatEdge, plural, truncate } from '../../render/numbers.js';
import type { InstancesJson } from '../../commands/instances.js';
import type { GrowthJson } from '../../render/growth.js';
import type { InspectJson } from '../../render/inspect.js';
import type { LeaksJson } from '../../render/leaks.js';
import type { PathsJson } from '../../render/path.js';
import type { SummaryJson } from '../../render/summary.js';
import type { WhyJson } from '../../render/why.js';

// ---- The API's answers: the commands' own JSON types (erased when compiled), and the small parts the page names ----

interface NodeJson { id: number; type: string; name: string; className: string; selfSize: number; retainedSize: number }
interface LocationJson { script: string; line: number; column: number; original?: { file: string; line: number; column: number } }
interface StepJson { edgeType: string; edgeName: string | number; node: NodeJson; location?: LocationJson; folded?: { period: number; times: number } }
interface HeldByJson { description: string; owner?: { kind: string; name: string; id?: number }; keptBy?: { description: string } }
type ClusterJson = LeaksJson['clusters'][number];
type ContainerJson = LeaksJson['growingContainers'][number];
interface FileJson { index: number; file: string; name: string; nodeCount: number; totalSize: number }
interface FilesJson { files: FileJson[]; comparisons: boolean }
type ClassJson = SummaryJson['classes'][number];
type GrowthRowJson = GrowthJson['classes'][number];
interface EdgeFrom { edgeType: string; edgeName: string | number; from: NodeJson }

// ---- Fetching: one request per question, kept, so going back is instant ----

const answers = new Map<string, Promise<unknown>>();

function api<T>(path: string): Promise<T> {
  let answer = answers.get(path);
  if (!answer) {
    answer = fetch(path, { credentials: 'same-origin' }).then(async (response) => {
      const text = await response.text();
      if (!response.ok) throw new Error(readError(text, response.status));
      return path.includes('diagram') || path.includes('format=svg') ? text : JSON.parse(text);
    });
    answer.catch(() => answers.delete(path));
    answers.set(path, answer);
  }
  return answer as Promise<T>;
}

function readError(text: string, status: number): string {
  try {
    return (JSON.parse(text) as { error: string }).error;
  } catch {
    return `the server answered ${status}`;
  }
}

// ---- Building the page ----

type Child = Node | string | null | undefined | false;

function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

const formatDistance = (distance: number) => (distance < 0 || distance >= 100_000_000 ? '–' : String(distance));

/** Where links keep the snapshot being looked at (none: the last). */
let currentFile: string | null = null;

function objectHref(id: number): string {
  return `#/object/${id}${currentFile !== null ? `?file=${currentFile}` : ''}`;
}

function classHref(name: string, key?: string): string {
  const params = new URLSearchParams();
  if (key !== undefined) params.set('key', key);
  if (currentFile !== null) params.set('file', currentFile);
  const query = params.toString();
  return `#/class/${encodeURIComponent(name)}${query ? `?${query}` : ''}`;
}

function idLink(id: number): HTMLAnchorElement {
  return h('a', { href: objectHref(id), class: 'id' }, `@${id}`);
}

/** Text with every `@123` made a link to the object. */
function linkedText(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  let last = 0;
  for (const match of text.matchAll(/@(\d+)/g)) {
    fragment.append(text.slice(last, match.index), idLink(Number(match[1])));
    last = match.index + match[0].length;
  }
  fragment.append(text.slice(last));
  return fragment;
}

/** An object as a person reads it: its class, its name when that says more, its id. */
function nodeLabel(node: NodeJson): HTMLSpanElement {
  const name = node.name !== node.className && node.name !== '' ? h('span', { class: 'name' }, ` ${quoteName(node)}`) : null;
  return h('span', { class: 'node' }, h('span', { class: 'cls' }, node.className), name, ' ', idLink(node.id));
}

function quoteName(node: NodeJson): string {
  const text = truncate(node.name, 48);
  return node.type === 'string' || node.type === 'concatenated string' || node.type === 'sliced string' ? `"${text}"` : text;
}

/** An edge as paths print it (the CLI's formatEdge), a long name cut. */
function edgeText(edgeType: string, edgeName: string | number): string {
  return formatEdge(edgeType, typeof edgeName === 'string' ? truncate(edgeName, 40) : edgeName);
}

function locationText(location: LocationJson): string {
  const place = location.original ?? { file: location.script, line: location.line, column: location.column };
  return `${place.file.replace(/^file:\/\/.*\//, '')}:${place.line}:${place.column}`;
}

function section(title: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'card' }, h('h2', {}, title), ...children);
}

function pending(): HTMLParagraphElement {
  return h('p', { class: 'muted' }, 'Loading…');
}

/** Fills `into` with what `build` makes of an answer, or with the error. */
function fill<T>(into: HTMLElement, answer: Promise<T>, build: (value: T) => Child | Child[]): void {
  answer.then(
    (value) => {
      const built = build(value);
      into.replaceChildren(...(Array.isArray(built) ? built : [built]).filter((child): child is Node | string => child !== null && child !== undefined && child !== false));
    },
    (error: unknown) => into.replaceChildren(h('p', { class: 'error' }, error instanceof Error ? error.message : String(error))),
  );
}

// ---- Paths ----

/**
 * Path lines from where a person starts reading: the module that holds the state when the
 * holder names one, else the last steps; folded runs on one line.
 */
function pathView(steps: StepJson[], heldBy: HeldByJson | null | undefined, whole = false): HTMLElement {
  const ownerId = heldBy?.owner?.id;
  let start = ownerId !== undefined ? steps.findIndex((step) => step.node.id === ownerId) : -1;
  if (start < 0) start = whole ? 0 : Math.max(0, steps.length - 6);
  const list = h('ol', { class: 'path' });
  const showSteps = (from: number) => {
    list.replaceChildren();
    if (from > 0) {
      const more = h('button', { class: 'link' }, `${plural(from, 'step')} from a root before it`);
      more.addEventListener('click', () => showSteps(0));
      list.append(h('li', { class: 'muted' }, '… ', more));
    }
    for (let i = from; i < steps.length; ) i = appendStep(list, steps, i, i === from && from > 0 && heldBy?.owner?.kind === 'module' ? heldBy.owner.name : null);
  };
  showSteps(start);
  return list;
}

/** One line for the step at `i` (a whole folded stretch at once); the index after it. */
function appendStep(list: HTMLElement, steps: StepJson[], i: number, moduleName: string | null): number {
  const step = steps[i];
  if (moduleName !== null) {
    list.append(h('li', {}, h('span', { class: 'module' }, `module ${moduleName}`), ' ', idLink(step.node.id)));
    return i + 1;
  }
  const where = step.location ? h('span', { class: 'loc' }, ` ${locationText(step.location)}`) : null;
  if (step.folded && step.folded.times > 1) {
    const stretch = step.folded.period * step.folded.times;
    const last = steps[Math.min(steps.length - 1, i + stretch - 1)];
    list.append(h('li', {}, h('span', { class: 'edge' }, edgeText(step.edgeType, step.edgeName)), ' ', h('span', { class: 'cls' }, step.node.className), h('span', { class: 'fold' }, ` ×${formatCount(step.folded.times)}`), ' (last ', idLink(last.node.id), ')'));
    return i + stretch;
  }
  // The root's shortcut to a global object or a root group is no edge a person wrote.
  const edge = step.edgeType === 'shortcut' ? null : h('span', { class: 'edge' }, edgeText(step.edgeType, step.edgeName), ' ');
  list.append(h('li', {}, edge, nodeLabel(step.node), where));
  return i + 1;
}

// ---- The first screen: verdict and classes ----

async function homeView(params: URLSearchParams): Promise<HTMLElement[]> {
  const files = await api<FilesJson>('/api/files');
  const views: HTMLElement[] = [];
  if (files.comparisons) views.push(verdictView());
  views.push(classesView(files, params));
  return views;
}

function verdictView(): HTMLElement {
  const body = h('div', { class: 'verdict' }, pending());
  const growth = api<GrowthJson>('/api/growth?top=0');
  fill(body, Promise.all([api<LeaksJson>('/api/leaks'), growth]), ([leaks, rows]) => {
    if (leaks.clusters.length === 0 && leaks.growingContainers.length === 0) {
      return h('p', { class: 'ok' }, 'No leak retaining 100 kB or more: nothing allocated between the first two snapshots is piling up, and no container grew at every step.');
    }
    const text = h('div', { class: 'verdict-text' }, ...leaks.clusters.slice(0, 5).map((cluster, i) => clusterView(cluster, i + 1, rows.classes)));
    if (leaks.growingContainers.length > 0) text.append(h('h3', {}, 'Containers that grew at every step'), h('ul', { class: 'containers' }, ...leaks.growingContainers.slice(0, 5).map(containerView)));
    return leaks.clusters.length > 0 ? h('div', { class: 'verdict-grid' }, text, pictureView(leaks.clusters)) : text;
  });
  return section('What leaks', body);
}

function clusterView(cluster: ClusterJson, number: number, growth: GrowthRowJson[]): HTMLElement {
  const held = cluster.heldBy ? h('span', {}, ', held by ', linkedText(cluster.heldBy.description)) : null;
  const kept = cluster.heldBy?.keptBy ? h('span', {}, ', kept by ', linkedText(cluster.heldBy.keptBy.description)) : null;
  const members = cluster.classes.slice(0, 3).map((c) => `${formatCount(c.count)} ${c.className}`).join(', ');
  const row = growth.find((r) => r.name === cluster.className);
  // The sentence is the CLI's (render/leaks.ts); the holders are listed when there are several.
  const several = cluster.holders.length > 1 && !cluster.freedByOneCut;
  const cut = cluster.verdict === null ? null : h('p', { class: several ? 'cut warn' : 'cut' }, linkedText(cluster.verdict),
    ...(several ? cluster.holderNames.map((name, i) => h('span', { class: 'holder' }, ` ${i + 1}. `, name ? linkedText(name.description) : 'V8 internals')) : []));
  return h('article', { class: 'cluster' },
    h('h3', {}, h('span', { class: 'rank' }, String(number)), h('a', { href: classHref(cluster.className) }, `${formatCount(cluster.instances)} × ${cluster.className}`), held, kept),
    h('p', { class: 'muted' }, `${plural(cluster.count, 'leaked object')} retaining ${formatBytes(cluster.retainedSize)}: ${members}`,
      row ? h('span', { class: 'growth' }, h('br'), `${cluster.className} objects in each snapshot: ${row.counts.map(formatCount).join(' → ')}`) : null),
    pathView(cluster.path, cluster.heldBy),
    cut,
    h('p', { class: 'examples' }, 'e.g. ', ...cluster.exampleIds.flatMap((id) => [idLink(id), ' '])));
}

function containerView(container: ContainerJson): HTMLElement {
  const what = container.list ? `linked ${container.list.className}` : 'entries';
  return h('li', {}, h('span', { class: 'cls' }, container.className), ' ', idLink(container.id), `: ${container.entries.map(formatCount).join(' → ')} ${what}, retaining ${container.retainedSizes.map(formatBytes).join(' → ')}`, container.weak ? ' (weak)' : '');
}

/** The leak's shape: what holds the leaked objects of a cluster, drawn; a tab per cluster. */
function pictureView(clusters: ClusterJson[]): HTMLElement {
  const frame = h('div', { class: 'picture-frame' }, pending());
  const tabs = h('div', { class: 'tabs' });
  const show = (number: number) => {
    tabs.querySelectorAll('button').forEach((button, i) => button.classList.toggle('on', i === number - 1));
    fill(frame, api<string>(`/api/leaks/diagram?cluster=${number}`), svgView);
  };
  clusters.slice(0, 5).forEach((cluster, i) => {
    const button = h('button', {}, `${i + 1}. ${cluster.className}`);
    button.addEventListener('click', () => show(i + 1));
    tabs.append(button);
  });
  show(1);
  return h('figure', { class: 'picture' }, h('figcaption', {}, 'What holds them'), clusters.length > 1 ? tabs : null, frame);
}

/** A drawn diagram, each box a link to its object (Graphviz wraps a box in an `<a>` titled with its id). */
function svgView(text: string): Node {
  const parsed = new DOMParser().parseFromString(text, 'image/svg+xml').documentElement;
  parsed.querySelectorAll('script, foreignObject').forEach((element) => element.remove());
  const svg = document.importNode(parsed, true) as unknown as SVGSVGElement;
  svg.removeAttribute('width');
  svg.removeAttribute('height');
  for (const anchor of [...svg.querySelectorAll('a')]) {
    const title = anchor.getAttribute('xlink:title') ?? anchor.getAttributeNS('http://www.w3.org/1999/xlink', 'title') ?? '';
    const id = /@(\d+)/.exec(title);
    if (id) anchor.setAttribute('href', objectHref(Number(id[1])));
  }
  return svg;
}

// ---- The class table ----

type ClassRow = ClassJson & { growth?: GrowthRowJson };
const COLUMNS: Array<{ key: string; label: string; value: (row: ClassRow) => number | string; numeric: boolean; growth?: boolean }> = [
  { key: 'name', label: 'Class', value: (row) => row.name.toLowerCase(), numeric: false },
  { key: 'count', label: 'Count', value: (row) => row.count, numeric: true },
  { key: 'shallow', label: 'Shallow', value: (row) => row.shallowSize, numeric: true },
  { key: 'retained', label: 'Retained', value: (row) => row.retainedSize, numeric: true },
  { key: 'distance', label: 'Distance', value: (row) => (row.distance < 0 ? Infinity : row.distance), numeric: true },
  { key: 'counts', label: 'Count in each snapshot', value: (row) => row.growth?.counts.at(-1) ?? -1, numeric: true, growth: true },
  { key: 'delta', label: 'Δ count', value: (row) => row.growth?.countDelta ?? 0, numeric: true, growth: true },
  { key: 'new', label: 'New', value: (row) => row.growth?.new ?? 0, numeric: true, growth: true },
  { key: 'deleted', label: 'Deleted', value: (row) => row.growth?.deleted ?? 0, numeric: true, growth: true },
];
const SHOWN_ROWS = 300;

function classesView(files: FilesJson, params: URLSearchParams): HTMLElement {
  const file = params.get('file');
  const heading = h('div', { class: 'table-tools' });
  const body = h('div', {}, pending());
  const summaryPath = `/api/summary?top=0${file !== null ? `&file=${file}` : ''}`;
  const growth = files.comparisons ? api<GrowthJson>('/api/growth?top=0') : Promise.resolve<GrowthJson>({ files: [], classes: [] });
  fill(body, Promise.all([api<SummaryJson>(summaryPath), growth]), ([summary, rows]) => {
    const byKey = new Map(rows.classes.map((row) => [row.key, row]));
    const merged: ClassRow[] = summary.classes.map((row) => ({ ...row, growth: byKey.get(row.key) }));
    return classTable(merged, files.comparisons, params);
  });
  heading.append(snapshotPicker(files, file));
  return section('Classes', heading, body);
}

function snapshotPicker(files: FilesJson, file: string | null): HTMLElement {
  const picker = h('select', { 'aria-label': 'snapshot' });
  files.files.forEach((entry) => picker.append(h('option', { value: String(entry.index) }, `${entry.name} — ${formatCount(entry.nodeCount)} objects, ${formatBytes(entry.totalSize)}`)));
  picker.value = file ?? String(files.files.length - 1);
  picker.addEventListener('change', () => {
    const last = Number(picker.value) === files.files.length - 1;
    location.hash = last ? '#/' : `#/?file=${picker.value}`;
  });
  return h('label', {}, 'Snapshot ', picker);
}

function classTable(rows: ClassRow[], comparisons: boolean, params: URLSearchParams): HTMLElement {
  const state = { sort: params.get('sort') ?? 'retained', descending: params.get('dir') !== 'asc', filter: params.get('q') ?? '' };
  const columns = COLUMNS.filter((column) => comparisons || !column.growth);
  const filter = h('input', { type: 'search', placeholder: 'Filter classes…', value: state.filter, 'aria-label': 'filter classes' });
  const table = h('table', { class: 'grid classes' });
  const note = h('p', { class: 'muted' });
  const maxRetained = Math.max(1, ...rows.map((row) => row.retainedSize));
  const draw = () => {
    const column = columns.find((c) => c.key === state.sort) ?? columns[3];
    const needle = state.filter.toLowerCase();
    const shown = rows.filter((row) => row.name.toLowerCase().includes(needle)).sort((a, b) => compare(column.value(a), column.value(b)) * (state.descending ? -1 : 1));
    table.replaceChildren(classHeader(columns, state, draw), h('tbody', {}, ...shown.slice(0, SHOWN_ROWS).map((row) => classRow(row, comparisons, maxRetained))));
    note.textContent = `${formatCount(Math.min(shown.length, SHOWN_ROWS))} of ${plural(rows.length, 'class')} shown${shown.length > SHOWN_ROWS ? ' (filter to see others)' : ''}. Click a column to sort, a class to see its objects.`;
    keepInUrl(state);
  };
  filter.addEventListener('input', () => {
    state.filter = filter.value;
    draw();
  });
  draw();
  return h('div', {}, h('div', { class: 'filter' }, filter), table, note);
}

function compare(a: number | string, b: number | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function classHeader(columns: typeof COLUMNS, state: { sort: string; descending: boolean }, redraw: () => void): HTMLElement {
  return h('thead', {}, h('tr', {}, ...columns.map((column) => {
    const arrow = state.sort === column.key ? (state.descending ? ' ▼' : ' ▲') : '';
    const button = h('button', { class: 'sort' }, column.label + arrow);
    button.addEventListener('click', () => {
      state.descending = state.sort === column.key ? !state.descending : column.numeric;
      state.sort = column.key;
      redraw();
    });
    return h('th', { class: column.numeric ? 'num' : '' }, button);
  })));
}

function classRow(row: ClassRow, comparisons: boolean, maxRetained: number): HTMLElement {
  const cells: Child[] = [
    h('td', {}, h('a', { href: classHref(row.name, row.key) }, row.name), keyPlace(row.key)),
    h('td', { class: 'num' }, formatCount(row.count)),
    h('td', { class: 'num' }, formatBytes(row.shallowSize)),
    barCell(row.retainedSize, maxRetained),
    h('td', { class: 'num' }, formatDistance(row.distance)),
  ];
  if (comparisons) cells.push(...growthCells(row.growth));
  return h('tr', {}, ...cells);
}

function growthCells(growth: GrowthRowJson | undefined): HTMLElement[] {
  if (!growth) return [h('td', { class: 'num muted' }, 'unchanged'), h('td', {}), h('td', {}), h('td', {})];
  const delta = growth.countDelta;
  return [
    h('td', { class: `num counts${growth.grewEveryStep ? ' up' : ''}` }, growth.counts.map(formatCount).join(' → '), growth.grewEveryStep ? ' ↑' : ''),
    h('td', { class: `num ${delta > 0 ? 'plus' : delta < 0 ? 'minus' : ''}` }, `${delta > 0 ? '+' : ''}${formatCount(delta)}`),
    h('td', { class: 'num' }, formatCount(growth.new)),
    h('td', { class: 'num' }, formatCount(growth.deleted)),
  ];
}

/** Where a location-keyed class is defined, to tell apart classes with one name. */
function keyPlace(key: string): HTMLElement | null {
  if (key.startsWith(',')) return null;
  const [script, line] = key.split(',');
  return h('span', { class: 'muted small' }, ` (script ${script}, line ${Number(line) + 1})`);
}

/** The table's sort and filter in the URL, without a history entry per keystroke. */
function keepInUrl(state: { sort: string; descending: boolean; filter: string }): void {
  const params = new URLSearchParams(parseRoute().params);
  const put = (name: string, value: string, fallback: string) => (value === fallback ? params.delete(name) : params.set(name, value));
  put('sort', state.sort, 'retained');
  put('dir', state.descending ? 'desc' : 'asc', 'desc');
  put('q', state.filter, '');
  const query = params.toString();
  history.replaceState(null, '', query ? `#/?${query}` : '#/');
}

// ---- A class's objects ----

const PAGE = 50;

function classView(name: string, params: URLSearchParams): HTMLElement[] {
  const page = Math.max(0, Number(params.get('page') ?? '0') || 0);
  const key = params.get('key');
  const query = new URLSearchParams({ offset: String(page * PAGE), limit: String(PAGE) });
  if (key !== null) query.set('key', key);
  else query.set('type', name);
  if (currentFile !== null) query.set('file', currentFile);
  const body = h('div', {}, pending());
  fill(body, api<InstancesJson>(`/api/instances?${query.toString()}`), (answer) => [
    h('p', { class: 'muted' }, `${plural(answer.total, 'object')}, largest retained size first.`),
    instancesTable(answer),
    pager(answer, page, (to) => {
      const next = new URLSearchParams(params);
      next.set('page', String(to));
      location.hash = `#/class/${encodeURIComponent(name)}?${next.toString()}`;
    }),
  ]);
  const head = h('section', { class: 'card object-head' }, h('h1', {}, name, key !== null ? keyPlace(key) : null));
  fill(head, classFacts(name, key), (facts) => [h('h1', {}, name, key !== null ? keyPlace(key) : null), facts]);
  return [h('p', { class: 'crumbs' }, h('a', { href: currentFile !== null ? `#/?file=${currentFile}` : '#/' }, '← Classes')), head, section('Objects', body)];
}

/** The class's row of the summary (and of growth, with several snapshots) as facts. */
async function classFacts(name: string, key: string | null): Promise<HTMLElement> {
  const files = await api<FilesJson>('/api/files');
  const summary = await api<SummaryJson>(`/api/summary?top=0${fileQuery('&')}`);
  const rows = summary.classes.filter((row) => (key !== null ? row.key === key : row.name === name));
  const total = (pick: (row: ClassJson) => number) => rows.reduce((sum, row) => sum + pick(row), 0);
  const facts: Array<[string, string]> = [['objects', formatCount(total((row) => row.count))], ['shallow', formatBytes(total((row) => row.shallowSize))], ['retained', formatBytes(total((row) => row.retainedSize))]];
  if (files.comparisons) {
    const growth = (await api<GrowthJson>('/api/growth?top=0')).classes.find((row) => (key !== null ? row.key === key : row.name === name));
    facts.push(['in each snapshot', growth ? `${growth.counts.map(formatCount).join(' → ')}${growth.grewEveryStep ? ' ↑' : ''}` : 'unchanged']);
    if (growth) facts.push(['new', formatCount(growth.new)], ['deleted', formatCount(growth.deleted)]);
  }
  return h('dl', { class: 'facts' }, ...facts.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
}

function instancesTable(answer: InstancesJson): HTMLElement {
  const maxRetained = Math.max(1, ...answer.instances.map((node) => node.retainedSize));
  return h('table', { class: 'grid' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Object'), h('th', { class: 'num' }, 'Distance'), h('th', { class: 'num' }, 'Shallow'), h('th', { class: 'num' }, 'Retained'))),
    h('tbody', {}, ...answer.instances.map((node) => h('tr', {}, h('td', {}, nodeLabel(node)), h('td', { class: 'num' }, formatDistance(node.distance)), h('td', { class: 'num' }, formatBytes(node.selfSize)), barCell(node.retainedSize, maxRetained)))));
}

/** A size with a small bar beside it: its share of the largest in the table, read at a glance. */
function barCell(size: number, largest: number): HTMLElement {
  const fill = h('span', { class: 'fill' });
  fill.style.width = `${Math.max(1, (100 * size) / largest).toFixed(1)}%`;
  return h('td', { class: 'num' }, h('span', { class: 'track', 'aria-hidden': 'true' }, fill), formatBytes(size));
}

function pager(answer: InstancesJson, page: number, go: (page: number) => void): HTMLElement {
  const last = Math.max(0, Math.ceil(answer.total / PAGE) - 1);
  const button = (label: string, to: number, enabled: boolean) => {
    const element = h('button', enabled ? {} : { disabled: '' }, label);
    element.addEventListener('click', () => go(to));
    return element;
  };
  const to = Math.min(answer.total, answer.offset + answer.instances.length);
  return h('div', { class: 'pager' }, button('← Previous', page - 1, page > 0), h('span', {}, `${formatCount(answer.offset + 1)}–${formatCount(to)} of ${formatCount(answer.total)}`), button('Next →', page + 1, page < last));
}

// ---- One object ----

function fileQuery(prefix: '?' | '&'): string {
  return currentFile !== null ? `${prefix}file=${currentFile}` : '';
}

function objectView(id: number): HTMLElement[] {
  const head = h('section', { class: 'card object-head' }, pending());
  const retainers = h('div', {}, pending());
  const references = h('div', {}, pending());
  const held = h('div', {}, pending());
  const dominators = h('div', {}, pending());
  const path = h('div', {}, pending());
  const inspected = api<InspectJson>(`/api/objects/${id}?refs=100${fileQuery('&')}`);
  fill(head, inspected, objectHead);
  fill(retainers, inspected, (object) => retainerTree(object, new Set([object.id]), 0));
  fill(references, inspected, referencesTable);
  fill(dominators, inspected, (object) => h('ol', { class: 'dominators' }, ...object.dominators.map((node) => h('li', {}, nodeLabel(node), h('span', { class: 'muted' }, ` retains ${formatBytes(node.retainedSize)}`)))));
  fill(held, api<WhyJson>(`/api/why/${id}${fileQuery('?')}`), whyView);
  fill(path, api<PathsJson>(`/api/paths?id=${id}${fileQuery('&')}`), (answer) => {
    const found = answer.paths[0];
    return found.unreachable ? h('p', { class: 'muted' }, 'No root reaches it (held only by weak references, or garbage).') : pathView(found.path, null, true);
  });
  return [
    head,
    h('div', { class: 'columns' },
      h('div', {}, section('Retainers', h('p', { class: 'muted small' }, 'What references it, nearest to a root first; ▸ opens a retainer\'s own retainers.'), retainers), section('References', references)),
      h('div', {}, section('Why it is alive', held), section('Dominators', h('p', { class: 'muted small' }, 'Each must let go of it before it can be freed; the immediate one first.'), dominators), section('Path from a root', path))),
  ];
}

function objectHead(object: InspectJson): Child[] {
  const facts: Array<[string, string]> = [['type', object.type], ['shallow', formatBytes(object.selfSize)], ['retained', formatBytes(object.retainedSize)], ['distance', formatDistance(object.distance)]];
  if (object.location) facts.push(['defined at', locationText(object.location)]);
  return [
    h('h1', {}, h('a', { href: classHref(object.className) }, object.className), ' ', h('span', { class: 'id' }, `@${object.id}`)),
    object.name !== object.className ? h('p', { class: 'name' }, quoteName(object)) : null,
    h('dl', { class: 'facts' }, ...facts.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)])),
  ];
}

/** Retainers as DevTools shows them: each row opens to its own retainers, level by level. */
function retainerTree(object: InspectJson, ancestors: Set<number>, depth: number): HTMLElement {
  const list = h('ul', { class: 'tree' });
  if (object.retainers.length === 0) list.append(h('li', { class: 'muted' }, 'No retainers (a root, or held only weakly).'));
  object.retainers.forEach((retainer, i) => list.append(retainerRow(retainer, ancestors, depth, i === 0)));
  const hidden = object.retainerCount - object.retainers.length;
  if (hidden > 0 && object.retainers.length < MAX_RETAINERS) {
    const more = h('button', { class: 'link' }, `… ${formatCount(hidden)} more`);
    more.addEventListener('click', () => fill(list, api<InspectJson>(`/api/objects/${object.id}?refs=${MAX_RETAINERS}${fileQuery('&')}`), (all) => [...retainerTree(all, ancestors, depth).childNodes]));
    list.append(h('li', {}, more));
  } else if (hidden > 0) {
    list.append(h('li', { class: 'muted' }, `… ${formatCount(hidden)} more, not listed`));
  }
  return list;
}

/** Retainers listed at most per object (the API's bound). */
const MAX_RETAINERS = 500;

/** The first retainer of each level opens by itself, three levels deep, as DevTools does. */
const AUTO_OPEN_DEPTH = 3;

function retainerRow(retainer: EdgeFrom, ancestors: Set<number>, depth: number, first: boolean): HTMLElement {
  const node = retainer.from;
  const cycle = ancestors.has(node.id);
  const toggle = h('button', { class: 'toggle', 'aria-label': 'open retainers' }, cycle ? '↺' : '▸');
  const row = h('div', { class: 'row' }, toggle, h('span', { class: 'edge' }, edgeText(retainer.edgeType, retainer.edgeName)), ' in ', nodeLabel(node), h('span', { class: 'size' }, formatBytes(node.retainedSize)));
  const item = h('li', {}, row);
  if (cycle) {
    toggle.disabled = true;
    toggle.title = 'already above: a cycle';
    return item;
  }
  let children: HTMLElement | null = null;
  const open = () => {
    if (children) {
      children.hidden = !children.hidden;
      toggle.textContent = children.hidden ? '▸' : '▾';
      return;
    }
    toggle.textContent = '▾';
    children = h('div', { class: 'children' }, pending());
    item.append(children);
    fill(children, api<InspectJson>(`/api/objects/${node.id}?refs=25${fileQuery('&')}`), (object) => retainerTree(object, new Set([...ancestors, node.id]), depth + 1));
  };
  toggle.addEventListener('click', open);
  if (first && depth < AUTO_OPEN_DEPTH) open();
  return item;
}

function referencesTable(object: InspectJson): Child[] {
  if (object.references.length === 0) return [h('p', { class: 'muted' }, 'It references nothing.')];
  const more = object.referenceCount > object.references.length ? h('p', { class: 'muted' }, `… ${formatCount(object.referenceCount - object.references.length)} more, smaller`) : null;
  return [
    h('table', { class: 'grid' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Edge'), h('th', {}, 'Object'), h('th', { class: 'num' }, 'Retained'))),
      h('tbody', {}, ...object.references.map((ref) => h('tr', {}, h('td', { class: 'edge' }, edgeText(ref.edgeType, ref.edgeName)), h('td', {}, nodeLabel(ref.to)), h('td', { class: 'num' }, formatBytes(ref.to.retainedSize)))))),
    more,
  ];
}

function whyView(answer: WhyJson): Child[] {
  if (answer.holders.length === 0) return [h('p', { class: 'muted' }, 'No root reaches it: it is garbage, or held only by weak references.')];
  const ways = answer.holders.map((path, i) => {
    const name = answer.heldBy[i];
    return h('li', {}, h('p', { class: 'holder' }, 'by ', name ? linkedText(name.description) : 'V8 internals', name?.keptBy ? h('span', {}, ', kept by ', linkedText(name.keptBy.description)) : null), pathView(path, name));
  });
  return [h('p', {}, answer.holders.length === 1 ? 'Held one way:' : `Held ${answer.holders.length} ways:`), h('ol', { class: 'ways' }, ...ways), cutView(answer.cut)];
}

function cutView(cut: WhyJson['cut']): HTMLElement | null {
  if (!cut) return null;
  if (cut.kind === 'holder' && cut.heldBy) return h('p', { class: 'cut' }, 'Removing it from ', linkedText(cut.heldBy.description), ` frees ${formatBytes(cut.frees)}.`);
  if (cut.kind === 'dominator' && cut.dominator) return h('p', { class: 'cut warn' }, 'Every holder must let go; or drop ', nodeLabel(cut.dominator), `, which frees ${formatBytes(cut.frees)}.`);
  return h('p', { class: 'cut warn' }, `Every holder must let go to free ${formatBytes(cut.frees)}.`);
}

// ---- Routing: the view is the URL's hash ----

interface Route { view: string; argument: string; params: URLSearchParams }

function parseRoute(): Route {
  const hash = decodeURIComponent(location.hash.slice(1)) === '' ? '/' : location.hash.slice(1);
  const [path, query = ''] = hash.split('?', 2);
  const [, view = '', argument = ''] = path.split('/', 3);
  return { view, argument: decodeURIComponent(argument), params: new URLSearchParams(query) };
}

async function render(): Promise<void> {
  const main = document.getElementById('main')!;
  const route = parseRoute();
  currentFile = route.params.get('file');
  try {
    let views: HTMLElement[];
    if (route.view === 'object' && /^\d+$/.test(route.argument)) views = objectView(Number(route.argument));
    else if (route.view === 'class' && route.argument !== '') views = classView(route.argument, route.params);
    else views = await homeView(route.params);
    main.replaceChildren(...views);
    document.title = route.view === 'object' ? `@${route.argument} — leakgraph` : route.view === 'class' ? `${route.argument} — leakgraph` : 'leakgraph';
    window.scrollTo(0, 0);
  } catch (error) {
    main.replaceChildren(h('p', { class: 'error' }, error instanceof Error ? error.message : String(error)));
  }
}

async function header(): Promise<void> {
  const files = await api<FilesJson>('/api/files');
  const list = document.getElementById('files')!;
  list.replaceChildren(...files.files.flatMap((entry, i) => [i > 0 ? h('span', { class: 'arrow' }, '→') : null, h('span', { class: 'file', title: entry.file }, entry.name.replace(/\.heapsnapshot(\.gz)?$/, ''), h('small', {}, ` ${formatBytes(entry.totalSize)}`))]).filter((child): child is HTMLElement => child !== null));
  const go = document.getElementById('go') as HTMLFormElement;
  go.addEventListener('submit', (event) => {
    event.preventDefault();
    const input = go.querySelector('input')!;
    const text = input.value.trim();
    if (text === '') return;
    location.hash = /^@?\d+$/.test(text) ? objectHref(Number(text.replace('@', ''))) : classHref(text);
    input.value = '';
  });
}

window.addEventListener('hashchange', () => void render());
void header();
void render();
