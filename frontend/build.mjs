// Builds the front end into crates/brooklet/assets/:
//   app.js, app.css, index.html, the lazy chunks chunk-<name>.js, and
//   .gz / .br siblings of each.
//
// Lazy chunks hold the large chart libraries (uPlot, vega-embed, plotly.js,
// the map's world outline). A page loads one only when it shows an element
// that needs it (`src/chunks/load.ts`); each is an IIFE that hands its
// exports to `globalThis.__brookletChunk(name, exports)`. The main bundle
// learns their content hashes at build time, so they too are immutable.
//
// The output is byte-for-byte deterministic (no timestamps, fixed settings,
// files written in a fixed order), so CI can rebuild it and fail when the
// committed bundle is stale. index.html names the bundle by content hash
// (`?v=<12 hex>`), since the server serves static files as immutable.

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '..', 'crates', 'brooklet', 'assets');

const common = {
  absWorkingDir: here,
  bundle: true,
  minify: true,
  sourcemap: false,
  write: false,
  legalComments: 'none',
  charset: 'utf8',
  logLevel: 'warning',
};

const version = (buf) => createHash('sha256').update(buf).digest('hex').slice(0, 12);

async function bundle(options) {
  const result = await esbuild.build({ ...common, ...options });
  if (result.outputFiles.length !== 1) throw new Error('expected one output file');
  return Buffer.from(result.outputFiles[0].contents);
}

// Chunks that start with a library's own published file, as it is, before
// the bundle of their entry (which then registers what the file set up).
// plotly.js: its "strict" dist is 5 MB already minified; re-minifying it
// would take most of the build's time for nothing and could break it. The
// file goes inside a try/catch so that a library failing to start still
// reaches the entry (src/chunks/plotly.ts), which registers the error: the
// chart then says so instead of waiting forever. The file's top level is one
// UMD call, so wrapping it in a block changes nothing else; its license
// comments stay, as published.
const prebuilt = {
  plotly: {
    file: 'node_modules/plotly.js-strict-dist-min/plotly-strict.min.js',
    catch: 'globalThis.__brookletPlotlyError=e',
  },
};

function withPrebuilt(name, code) {
  const pre = prebuilt[name];
  if (!pre) return code;
  return Buffer.concat([
    Buffer.from('try{\n'),
    readFileSync(join(here, pre.file)),
    Buffer.from(`\n}catch(e){${pre.catch}}\n`),
    code,
  ]);
}

// name → entry under src/chunks/. Built first: the main bundle embeds their hashes.
const chunkNames = ['uplot', 'vega', 'plotly', 'map'];
const chunks = [];
for (const name of chunkNames) {
  const entry = await bundle({
    entryPoints: [`src/chunks/${name}.ts`],
    outfile: `chunk-${name}.js`,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    loader: { '.json': 'json' },
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  chunks.push([`chunk-${name}.js`, withPrebuilt(name, entry)]);
}

const js = await bundle({
  entryPoints: ['src/main.tsx'],
  outfile: 'app.js',
  format: 'iife',
  target: 'es2020',
  platform: 'browser',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  define: {
    'process.env.NODE_ENV': '"production"',
    __BROOKLET_CHUNKS__: JSON.stringify(
      Object.fromEntries(chunks.map(([file, code]) => [file.slice(6, -3), version(code)])),
    ),
  },
});
const css = await bundle({
  entryPoints: ['src/styles.css'],
  outfile: 'app.css',
  loader: { '.css': 'css' },
});


const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Brooklet</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/_brooklet/static/app.css?v=${version(css)}">
<script defer src="/_brooklet/static/app.js?v=${version(js)}"></script>
</head>
<body>
<div id="bk-root"></div>
<noscript>This app needs JavaScript.</noscript>
</body>
</html>
`;

function gzip(buf) {
  const out = gzipSync(buf, { level: constants.Z_BEST_COMPRESSION, memLevel: 9 });
  // The header's MTIME is already zero; pin the OS byte too (zlib sets it
  // from the platform it was built for), so every machine writes the same.
  out[9] = 3;
  return out;
}

function brotli(buf) {
  return brotliCompressSync(buf, {
    params: {
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_LGWIN]: constants.BROTLI_MAX_WINDOW_BITS,
      [constants.BROTLI_PARAM_SIZE_HINT]: buf.length,
    },
  });
}

mkdirSync(outDir, { recursive: true });
const files = [
  ['app.js', js],
  ['app.css', css],
  ['index.html', Buffer.from(html, 'utf8')],
  ...chunks,
];
// Each file is compressed once (brotli at its best takes ~10 s on the 5 MB
// plotly chunk), written, and its sizes printed.
const kib = (n) => (n / 1024).toFixed(1) + ' KiB';
for (const [name, buf] of files) {
  const gz = gzip(buf);
  const br = brotli(buf);
  writeFileSync(join(outDir, name), buf);
  writeFileSync(join(outDir, name + '.gz'), gz);
  writeFileSync(join(outDir, name + '.br'), br);
  console.log(
    `${name.padEnd(16)} ${kib(buf.length).padStart(9)}  gzip ${kib(gz.length).padStart(9)}  br ${kib(br.length).padStart(9)}`,
  );
}
