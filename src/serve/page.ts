/**
 * leakgraph/serve/page — the explorer's page and style sheet. The script is
 * `client/app.ts`, compiled beside this file; nothing else is loaded.
 */

import { packageVersion } from '../version.js';

/** The page: a frame the script fills from the API. */
export function pageHtml(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>leakgraph</title>
<link rel="stylesheet" href="/assets/app.css">
<script type="module" src="/assets/app.js"></script>
</head>
<body>
<header class="top">
  <a class="brand" href="#/">leakgraph</a>
  <span class="files" id="files"></span>
  <form id="go" role="search"><input type="search" placeholder="Go to @id or class" aria-label="go to an object id or a class"></form>
  <span class="version">v${packageVersion()}</span>
</header>
<main id="main"><p class="loading">Loading…</p></main>
</body>
</html>
`;
}

export function pageCss(): string {
  return CSS;
}

const CSS = `
:root {
  --ink: #1f2933; --muted: #66788a; --line: #e3e8ee; --paper: #f5f7fa; --card: #fff;
  --link: #1d5fd1; --leak: #b42318; --leak-bg: #fef3f2; --ok: #067647; --ok-bg: #ecfdf3;
  --bar: #dbe7fb; --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
}
* { box-sizing: border-box; }
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: var(--ink); background: var(--paper); }
a { color: var(--link); text-decoration: none; }
a:hover { text-decoration: underline; }
.top { display: flex; align-items: center; gap: 18px; padding: 10px 24px; background: #17202b; color: #e6edf5; position: sticky; top: 0; z-index: 2; }
.brand { color: #fff; font-weight: 700; font-size: 17px; letter-spacing: .2px; }
.files { display: flex; align-items: center; gap: 8px; flex: 1; flex-wrap: wrap; font-size: 13px; }
.file { background: #263241; border-radius: 6px; padding: 2px 8px; }
.file small { color: #9fb0c3; }
.arrow { color: #7d8ea3; }
#go input { width: 220px; padding: 5px 9px; border-radius: 6px; border: 1px solid #3a4a5c; background: #0f161e; color: #fff; }
.version { color: #7d8ea3; font-size: 12px; }
main { max-width: 1280px; margin: 0 auto; padding: 20px 24px 60px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px 20px; margin-bottom: 18px; box-shadow: 0 1px 2px rgba(16,24,40,.04); }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 0 0 12px; color: #344556; text-transform: uppercase; letter-spacing: .6px; font-size: 13px; }
h3 { font-size: 16px; margin: 0 0 4px; }
.muted { color: var(--muted); }
.small { font-size: 12px; }
.error { color: var(--leak); background: var(--leak-bg); padding: 8px 12px; border-radius: 6px; }
.ok { color: var(--ok); background: var(--ok-bg); padding: 10px 14px; border-radius: 8px; font-weight: 600; }
.id { font-family: var(--mono); font-size: 12.5px; }
.cls { font-weight: 600; }
.name { color: #4b5b6b; }
.edge { font-family: var(--mono); font-size: 12.5px; color: #7a3e9d; }
.loc, .module { font-family: var(--mono); font-size: 12.5px; color: #0b6e6e; }
.module { font-weight: 600; }
.fold { font-weight: 700; color: var(--leak); }
.verdict-grid { display: grid; grid-template-columns: minmax(0, 1.25fr) minmax(0, 1fr); gap: 24px; align-items: start; }
.cluster { border-left: 4px solid var(--leak); background: var(--leak-bg); border-radius: 0 8px 8px 0; padding: 10px 14px; margin-bottom: 12px; }
.cluster h3 a { color: var(--leak); }
.rank { display: inline-block; min-width: 22px; height: 22px; line-height: 22px; text-align: center; border-radius: 11px; background: var(--leak); color: #fff; font-size: 12px; margin-right: 8px; }
.cluster > p { margin: 4px 0; }
.growth { color: var(--leak); font-weight: 600; }
.cut { font-weight: 600; color: var(--ok); }
.cut.warn { color: #b54708; }
.holder { display: inline; }
.examples { font-size: 13px; }
.path { list-style: none; margin: 6px 0; padding: 6px 10px; background: rgba(255,255,255,.7); border-radius: 6px; font-size: 13px; }
.path li { padding: 1px 0; }
.path li + li::before { content: "› "; color: var(--muted); }
.containers { margin: 4px 0 0; padding-left: 18px; }
.picture { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 10px; background: #fff; }
.picture figcaption { font-weight: 600; color: #344556; margin-bottom: 6px; }
.picture-frame svg { width: 100%; height: auto; max-height: 560px; }
.picture-frame svg a[href] { cursor: pointer; }
.picture-frame svg a[href]:hover polygon { stroke-width: 3; }
.tabs { display: flex; gap: 6px; flex-wrap: wrap; margin-bottom: 8px; }
.tabs button, .pager button { border: 1px solid var(--line); background: #fff; border-radius: 6px; padding: 3px 10px; cursor: pointer; font: inherit; }
.tabs button.on { background: #17202b; color: #fff; border-color: #17202b; }
.table-tools { display: flex; gap: 16px; align-items: center; margin-bottom: 8px; }
.filter input { width: 280px; padding: 6px 10px; border: 1px solid #cfd8e3; border-radius: 6px; font: inherit; margin-bottom: 8px; }
select { font: inherit; padding: 4px 6px; border-radius: 6px; border: 1px solid #cfd8e3; }
table.grid { width: 100%; border-collapse: collapse; font-size: 13px; }
table.grid th { text-align: left; border-bottom: 2px solid var(--line); padding: 6px 8px; white-space: nowrap; }
table.grid td { border-bottom: 1px solid var(--line); padding: 5px 8px; }
table.grid tr:hover td { background: #f8fafc; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.grid th.num { text-align: right; }
button.sort { border: 0; background: none; font: inherit; font-weight: 600; cursor: pointer; color: #344556; padding: 0; }
.track { display: inline-block; width: 56px; height: 8px; margin-right: 10px; background: #eef2f7; border-radius: 4px; overflow: hidden; vertical-align: middle; }
.track .fill { display: block; height: 100%; background: #7aa2e3; border-radius: 4px; }
.counts.up, .plus { color: var(--leak); font-weight: 600; }
.minus { color: var(--ok); }
.crumbs { margin: 0 0 10px; }
.pager { display: flex; gap: 12px; align-items: center; margin-top: 10px; }
.pager button[disabled] { opacity: .4; cursor: default; }
.object-head .facts { display: flex; flex-wrap: wrap; gap: 4px 20px; margin: 8px 0 0; }
.facts dt { color: var(--muted); }
.facts dt::after { content: ":"; }
.facts dd { margin: 0 0 0 -16px; font-weight: 600; }
.columns { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 18px; }
.tree { list-style: none; margin: 0; padding-left: 0; font-size: 13px; }
.tree .tree { padding-left: 20px; border-left: 1px dotted #cfd8e3; margin-left: 9px; }
.tree .row { display: flex; align-items: baseline; gap: 6px; padding: 2px 0; }
.tree .size { margin-left: auto; color: var(--muted); font-variant-numeric: tabular-nums; padding-left: 8px; white-space: nowrap; }
.toggle { border: 0; background: none; width: 18px; cursor: pointer; color: #344556; padding: 0; font-size: 12px; }
.toggle[disabled] { color: var(--muted); cursor: default; }
.ways { padding-left: 18px; }
.dominators { padding-left: 18px; font-size: 13px; }
button.link { border: 0; background: none; color: var(--link); cursor: pointer; font: inherit; padding: 0; }
@media (max-width: 900px) { .verdict-grid, .columns { grid-template-columns: 1fr; } }
`;
