// What a first visit downloads (HTML, JS, wasm, CSS), raw and gzipped, against the budget.
// `node e2e/size.js` prints it for ../dist; the benchmark reports the same figure.

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const BUDGET_GZ = 250 * 1024;

/** The files index.html loads on a first visit, each with its raw and gzipped size. */
export async function firstLoad(dist) {
  const names = (await readdir(dist)).filter((f) => /\.(html|js|wasm|css)$/.test(f) && f !== 'sw.js').sort();
  const files = await Promise.all(names.map(async (name) => {
    const body = await readFile(path.join(dist, name));
    return { name, bytes: body.length, gz: gzipSync(body, { level: 9 }).length };
  }));
  return { files, bytes: files.reduce((s, f) => s + f.bytes, 0), gz: files.reduce((s, f) => s + f.gz, 0) };
}

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dist = process.argv[2] ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist');
  const load = await firstLoad(dist);
  for (const f of load.files) console.log(`${f.name.padEnd(40)} ${kib(f.bytes).padStart(11)} ${kib(f.gz).padStart(11)} gzipped`);
  const verdict = load.gz < BUDGET_GZ ? 'within' : 'OVER';
  console.log(`first load: ${kib(load.bytes)}, ${kib(load.gz)} gzipped: ${verdict} the budget of ${kib(BUDGET_GZ)} gzipped`);
}
