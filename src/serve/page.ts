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
<header class="top"><a class="brand" href="#/">leakgraph</a><span class="files" id="files"></span><span class="version">v${packageVersion()}</span></header>
<main id="main"><p class="loading">Loading…</p></main>
</body>
</html>
`;
}

export function pageCss(): string {
  return CSS;
}

const CSS = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 0; }
`;
