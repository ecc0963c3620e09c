// Trunk's pre_build hook for the split build. index.html's rust link has data-trunk-skip, so
// Trunk builds no Rust itself (Trunk 0.21 cannot split, trunk-rs/trunk#1022); this does what its
// Rust pipeline did, with the wasm splitter between cargo and wasm-bindgen:
//   1. cargo rustc -- -C link-arg=--emit-relocs: the splitter needs the linker's relocations.
//      Passed to the final crate only, so no dependency is rebuilt for it.
//   2. wasm-split-cli (crate wasm_split_cli_support) cuts every `#[wasm_split(name)]` function,
//      and all that only it reaches, into split_<name>.wasm; code that several splits share
//      into chunk_<n>.wasm; and writes __wasm_split.js, which fetches them on first call.
//   3. wasm-bindgen --keep-lld-exports on the main module only: the chunks import its memory,
//      table and functions through the exports the splitter added.
//   4. wasm-opt -Oz on every module, in release builds (as Trunk does).
//   5. In release builds, short names for the imports wasm-bindgen's JS gives the wasm, and the
//      JS minified (scripts/shrink.mjs).
//   6. Content-hashed names into TRUNK_STAGING_DIR, and the loader Trunk would have inlined into
//      split-loader.html, which scripts/finish-build.mjs moves into index.html.
// Versions: wasm-bindgen and wasm-opt must be those in Trunk.toml's [tools] (checked here);
// wasm-split-cli is installed at a pinned version by scripts/setup.sh, and esbuild (for 5) by
// npm from scripts/package.json.

import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { hash, sri } from './hashes.mjs';
import { minifyJs, shortImportNames } from './shrink.mjs';

const NAME = 'wsprobe';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) throw new Error('TRUNK_STAGING_DIR is not set: run this from trunk build or trunk serve');
const release = process.env.TRUNK_PROFILE === 'release';

const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], ...opts });
const output = (cmd, args) => execFileSync(cmd, args, { cwd: root, encoding: 'utf8' });
const say = (text) => console.log(`split-wasm: ${text}`);

// The tools Trunk would have checked: the versions pinned in Trunk.toml.
const trunkToml = readFileSync(path.join(root, 'Trunk.toml'), 'utf8');
const pinned = (key) => trunkToml.match(new RegExp(`^${key}\\s*=\\s*"([^"]+)"`, 'm'))?.[1];
const bindgenWanted = pinned('wasm_bindgen');
const bindgenHave = output('wasm-bindgen', ['--version']).trim();
if (!bindgenHave.endsWith(` ${bindgenWanted}`)) throw new Error(`need wasm-bindgen ${bindgenWanted}, found "${bindgenHave}": run scripts/setup.sh`);
if (release) {
  const optWanted = pinned('wasm_opt')?.replace('version_', '');
  const optHave = output('wasm-opt', ['--version']).trim();
  if (!optHave.includes(`version ${optWanted}`)) throw new Error(`need wasm-opt ${optWanted}, found "${optHave}": run scripts/setup.sh`);
}

// 1. The raw wasm, with relocations, and its split points on (feature `split`, src/lazy.rs). Trunk.toml's offline = true made Trunk pass --offline too.
const target = JSON.parse(output('cargo', ['metadata', '--format-version=1', '--no-deps', '--offline'])).target_directory;
const profile = release ? 'release' : 'debug';
run('cargo', ['rustc', '--offline', '--target=wasm32-unknown-unknown', '--bin', NAME, '--features=split', ...(release ? ['--release'] : []),
  '--', '-C', 'link-arg=--emit-relocs']);
const raw = path.join(target, 'wasm32-unknown-unknown', profile, `${NAME}.wasm`);

// 2. Split, in a folder of its own under cargo's target dir (which trunk serve does not watch).
const work = path.join(target, 'wasm-split', profile);
const split = path.join(work, 'split');
const bindgen = path.join(work, 'bindgen');
rmSync(work, { recursive: true, force: true });
mkdirSync(split, { recursive: true });
run('wasm-split-cli', [raw, split, '--target=web', `--out-name=${NAME}`]);

// 3. wasm-bindgen on the main module (the flags Trunk used, and those the splitter needs).
run('wasm-bindgen', ['--target=web', `--out-dir=${bindgen}`, `--out-name=${NAME}`, '--no-typescript',
  '--keep-lld-exports', '--no-demangle', path.join(split, `${NAME}.wasm`)]);

const chunks = readdirSync(split).filter((f) => /^(split|chunk)_.*\.wasm$/.test(f)).sort();
const mainWasm = path.join(bindgen, `${NAME}_bg.wasm`);

// 4. -Oz everywhere, as index.html asked of Trunk (data-wasm-opt="z"), with Trunk's flags: the
// features come from each module's target_features section, which the splitter copies.
if (release) {
  for (const file of [mainWasm, ...chunks.map((c) => path.join(split, c))]) run('wasm-opt', ['-Oz', file, '-o', file]);
}

// 5. Short import names, in the wasm and the JS alike.
let mainJs = readFileSync(path.join(bindgen, `${NAME}.js`), 'utf8');
let wasmBytes = readFileSync(mainWasm);
if (release) {
  const shorter = shortImportNames(wasmBytes, mainJs);
  ({ wasm: wasmBytes, js: mainJs } = shorter);
  say(`${shorter.renamed} imports renamed`);
}

// 6. Hashed names. A chunk is named by its own content; the main module's three files share
// one hash of everything, since main JS and __wasm_split.js import each other.
const chunkNames = new Map(chunks.map((c) => [c, `${c.replace(/\.wasm$/, '')}-${hash(readFileSync(path.join(split, c)))}.wasm`]));
let linkJs = readFileSync(path.join(split, '__wasm_split.js'), 'utf8');
for (const [from, to] of chunkNames) linkJs = linkJs.replaceAll(`"./${from}"`, `"./${to}"`);
const h = hash(Buffer.concat([wasmBytes, Buffer.from(mainJs), Buffer.from(linkJs)]));
const names = { js: `${NAME}-${h}.js`, wasm: `${NAME}-${h}_bg.wasm`, link: `${NAME}-${h}-split.js` };

const importOfLink = /(from\s*['"])\.\/__wasm_split\.js(['"])/g;
if (!importOfLink.test(mainJs)) throw new Error(`wasm-bindgen's ${NAME}.js does not import ./__wasm_split.js: did the splitter find no split point?`);
mainJs = mainJs.replace(importOfLink, `$1./${names.link}$2`);
const importOfMain = `from "./${NAME}.js"`;
if (!linkJs.includes(importOfMain)) throw new Error(`__wasm_split.js does not import ./${NAME}.js`);
linkJs = linkJs.replace(importOfMain, `from "./${names.js}"`);
if (release) [mainJs, linkJs] = await Promise.all([minifyJs(mainJs), minifyJs(linkJs)]);

writeFileSync(path.join(staging, names.js), mainJs);
writeFileSync(path.join(staging, names.link), linkJs);
writeFileSync(path.join(staging, names.wasm), wasmBytes);
for (const [from, to] of chunkNames) copyFileSync(path.join(split, from), path.join(staging, to));
if (existsSync(path.join(bindgen, 'snippets'))) cpSync(path.join(bindgen, 'snippets'), path.join(staging, 'snippets'), { recursive: true });

// The loader Trunk inlines, with its preloads; finish-build.mjs moves the script into a file.
const loader = `<script type="module">
import init, * as bindings from './${names.js}';
const wasm = await init({ module_or_path: './${names.wasm}' });
window.wasmBindings = bindings;
dispatchEvent(new CustomEvent("TrunkApplicationStarted", {detail: {wasm}}));
</script>
<link rel="modulepreload" href="./${names.js}" crossorigin="anonymous" integrity="${sri(mainJs)}">
<link rel="modulepreload" href="./${names.link}" crossorigin="anonymous" integrity="${sri(linkJs)}">
<link rel="preload" href="./${names.wasm}" crossorigin="anonymous" integrity="${sri(wasmBytes)}" as="fetch" type="application/wasm">
`;
writeFileSync(path.join(staging, 'split-loader.html'), loader);
say(`${names.js}, ${names.wasm}, ${names.link}, ${chunkNames.size} lazy chunk(s): ${[...chunkNames.values()].join(', ')}`);
