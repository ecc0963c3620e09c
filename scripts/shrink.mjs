// What the build does to make the first load smaller without changing what runs, for
// scripts/split-wasm.mjs and scripts/finish-build.mjs:
// - shortImportNames: wasm-bindgen names each function the wasm imports from its JS after the
//   function and a hash (`__wbg_setAttribute_2d8a6c4e8b1f0a97`). The wasm's import section and
//   the JS both carry every such name, and gzip cannot shrink hashes: they become `a`, `b`, …
//   in both (about 8 KiB gzipped of a first load).
// - minifyJs, minifyCss: esbuild (scripts/package.json, installed by scripts/setup.sh).

import { transform } from 'esbuild';

/** The module wasm-bindgen's JS answers imports under, and the shorter one it gets. */
const BINDINGS = './wsprobe_bg.js';
const SHORT_BINDINGS = 'w';

function readLeb(bytes, at) {
  let value = 0;
  let scale = 1;
  for (;;) {
    const byte = bytes[at++];
    if (byte === undefined) throw new Error('shrink: the wasm ends inside a number');
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if (byte < 0x80) return [value, at];
  }
}

function leb(value) {
  const out = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return Buffer.from(out);
}

const readName = (bytes, at) => {
  const [length, start] = readLeb(bytes, at);
  return [bytes.subarray(start, start + length).toString('utf8'), start + length];
};
const name = (text) => {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([leb(bytes.length), bytes]);
};

/** Where an import's description (after its two names and kind) ends. */
function skipImportDescription(bytes, kind, at) {
  const limits = (p) => {
    const flags = bytes[p++];
    [, p] = readLeb(bytes, p);
    if (flags & 1) [, p] = readLeb(bytes, p);
    return p;
  };
  switch (kind) {
    case 0: return readLeb(bytes, at)[1]; // function: its type
    case 1: return limits(at + 1); // table: element type, limits
    case 2: return limits(at); // memory: limits
    case 3: return at + 2; // global: value type, mutability
    case 4: return readLeb(bytes, at + 1)[1]; // tag: attribute, type
    default: throw new Error(`shrink: an import of unknown kind ${kind}`);
  }
}

/** `a` … `Z`, then `aa` … (object keys, so even a keyword would do). */
function shortName(index) {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let text = '';
  do {
    text = letters[index % letters.length] + text;
    index = Math.floor(index / letters.length) - 1;
  } while (index >= 0);
  return text;
}

/** Renames every import the wasm takes from wasm-bindgen's JS, in the wasm and in the JS. Throws
 *  when the JS does not define an import exactly once, as an object key: better no build than
 *  a page that fails to instantiate. */
export function shortImportNames(wasm, js) {
  if (wasm.readUInt32LE(0) !== 0x6d736100) throw new Error('shrink: not a wasm module');
  const sections = [wasm.subarray(0, 8)];
  let renamed = 0;
  for (let at = 8; at < wasm.length;) {
    const id = wasm[at];
    const [size, start] = readLeb(wasm, at + 1);
    const end = start + size;
    if (id !== 2) {
      sections.push(wasm.subarray(at, end));
      at = end;
      continue;
    }
    let [count, p] = readLeb(wasm, start);
    const imports = [leb(count)];
    for (; count > 0; count--) {
      let module, field;
      [module, p] = readName(wasm, p);
      [field, p] = readName(wasm, p);
      const kind = wasm[p];
      const next = skipImportDescription(wasm, kind, p + 1);
      if (module === BINDINGS) {
        const short = shortName(renamed++);
        const key = new RegExp(`(?<![\\w$])${field.replace(/\$/g, '\\$')}(?![\\w$])`, 'g');
        const uses = [...js.matchAll(key)];
        if (uses.length !== 1 || !/^\s*:/.test(js.slice(uses[0].index + field.length))) {
          throw new Error(`shrink: wasm-bindgen's JS names the import ${field} ${uses.length} times, not once as a key`);
        }
        js = js.replace(key, short);
        module = SHORT_BINDINGS;
        field = short;
      }
      imports.push(name(module), name(field), wasm.subarray(p, next));
      p = next;
    }
    if (p !== end) throw new Error('shrink: the import section did not end where it said');
    const body = Buffer.concat(imports);
    sections.push(Buffer.from([2]), leb(body.length), body);
    at = end;
  }
  const moduleKey = `"${BINDINGS}":`;
  if (js.split(moduleKey).length !== 2) throw new Error(`shrink: wasm-bindgen's JS does not answer imports under ${BINDINGS} once`);
  js = js.replace(moduleKey, `"${SHORT_BINDINGS}":`);
  return { wasm: Buffer.concat(sections), js, renamed };
}

export const minifyJs = async (code) => (await transform(code, { loader: 'js', minify: true })).code;
export const minifyCss = async (code) => (await transform(code, { loader: 'css', minify: true })).code;
