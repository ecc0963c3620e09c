// Trunk's post-build hook: moves Trunk's inline loader into a file (the Content-Security-Policy
// allows no inline script), gives the connection worker a content-hashed name (so an old worker
// never serves a new page) and tells the page that name, then writes the service worker with
// this build's file list. In release builds it also minifies the CSS and the worker and drops
// index.html's comments (scripts/shrink.mjs).
// Run by Trunk with TRUNK_STAGING_DIR set.

import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { hash, sri } from './hashes.mjs';
import { minifyCss, minifyJs } from './shrink.mjs';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('TRUNK_STAGING_DIR is not set: run this from trunk build');
const release = process.env.TRUNK_PROFILE === 'release';

const indexPath = path.join(dir, 'index.html');
let index = await readFile(indexPath, 'utf8');
// The split build (scripts/split-wasm.mjs) leaves the loader Trunk would have inlined.
const splitLoader = path.join(dir, 'split-loader.html');
if (existsSync(splitLoader)) {
  index = index.replace('</head>', `${await readFile(splitLoader, 'utf8')}  </head>`);
  await rm(splitLoader);
  // Trunk leaves the skipped rust link in place; the browser would ignore it, but it is noise.
  index = index.replace(/\s*<link data-trunk rel="rust"[^>]*>/, '');
}
const inline = /<script type="module">([\s\S]*?)<\/script>/;
const loader = index.match(inline);
if (!loader) throw new Error('no inline loader found in index.html');
const boot = `boot-${hash(loader[1])}.js`;
await writeFile(path.join(dir, boot), loader[1].trim() + '\n');
index = index.replace(inline, `<script type="module" src="./${boot}"></script>`);
if (/<script(?![^>]*\bsrc=)[^>]*>/.test(index)) throw new Error('index.html still has an inline script');

if (release) {
  // Trunk's stylesheet, minified under a new hashed name and integrity.
  const link = index.match(/<link rel="stylesheet" href="\.\/(main-[0-9a-f]+\.css)" integrity="(sha384-[^"]+)"\s*\/?>/);
  if (!link) throw new Error('no hashed stylesheet link with an integrity found in index.html');
  const css = await minifyCss(await readFile(path.join(dir, link[1]), 'utf8'));
  const cssName = `main-${hash(css)}.css`;
  await rm(path.join(dir, link[1]));
  await writeFile(path.join(dir, cssName), css);
  index = index.replace(link[0], link[0].replace(link[1], cssName).replace(link[2], sri(css)));
  // Comments are for whoever reads index.html in the repository.
  index = index.replace(/\s*<!--[\s\S]*?-->/g, '');
}
const workerPath = path.join(dir, 'socket-worker.js');
let workerSource = await readFile(workerPath, 'utf8');
if (release) workerSource = await minifyJs(workerSource);
const socketWorker = `socket-worker-${hash(workerSource)}.js`;
await writeFile(path.join(dir, socketWorker), workerSource);
await rm(workerPath);
// src/glue/socket.rs reads this name.
index = index.replace('</head>', `  <meta name="wsprobe-socket-worker" content="./${socketWorker}" />\n  </head>`);
await writeFile(indexPath, index);

const files = (await readdir(dir)).filter((f) => f !== 'sw.js').sort();
const contents = await Promise.all(files.map((f) => readFile(path.join(dir, f))));
const version = hash(contents.map((c) => hash(c)).join());
const shell = ['./', ...files.map((f) => `./${f}`)];
const source = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'web', 'sw.js');
const worker = (await readFile(source, 'utf8'))
  .replace("'__VERSION__'", JSON.stringify(version))
  .replace('__FILES__', JSON.stringify(shell));
await writeFile(path.join(dir, 'sw.js'), worker);
console.log(`finish-build: ${boot}, ${socketWorker}, service worker ${version} caching ${shell.length} files`);
