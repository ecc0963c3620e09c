// The benchmark command (scripts/bench.sh runs it after a release build). Not a test: it prints
// each figure beside its target, MET or MISSED, writes them to e2e/artifacts/bench.json, and
// exits 0 whether or not targets are met (1 only when the bench itself could not run a step).
//
// Speed is a ratio against a bare page (e2e/bench/bare.html, which only counts messages) in the
// same run, in the same headless Chromium, against the same release test server, so that the
// figure means something on a shared or slow machine. Every time is taken inside the page with
// performance.now(); nothing is polled from Node.
//
//   node e2e/bench.js            full run (100,000-message floods ×5, a 1,000,000-message stream)
//   node e2e/bench.js --quick    smaller numbers, one repetition, for working on the bench itself
//   --flood=N --reps=N --stream=N override the numbers; --only=load,flood,stream,large picks parts.

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium, serveStatic, startTestServer } from './harness.js';
import { connectButton, url } from './page.js';
import { BUDGET_GZ, firstLoad } from './size.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const dist = process.env.WSPROBE_DIST ?? path.join(root, 'dist');
const serverBin = process.env.WSPROBE_TEST_SERVER_BIN ?? path.join(root, 'target/release/wsprobe-test-server');

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const option = (name, fallback) => {
  const hit = argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? Number(hit.split('=')[1].replace(/[_,]/g, '')) : fallback;
};
const FLOOD = option('flood', quick ? 20_000 : 100_000);
const REPS = option('reps', quick ? 1 : 5);
const STREAM = option('stream', quick ? 200_000 : 1_000_000);
/** --only=flood,stream,large runs just those parts (while working on one of them). */
const ONLY = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',') ?? ['load', 'flood', 'stream', 'large'];
const SIZE = 32;
const LARGE = 5_000_000;
/** The log's default cap on entries (src/log_state.rs); samples below it are marked as such. */
const CAP = 50_000;

const TARGETS = {
  ratio: 0.9, // wsprobe's rate / the bare page's, at least
  frameGapMs: 100, // longest gap between animation frames during a flood, at most
  domElements: 1_500, // elements in the whole page after a flood, fewer than
  growth: 0.1, // memory growth from half the stream to all of it, less than
  longTaskMs: 200, // longest main-thread task while a 5 MB message arrives, less than
  firstLoadGz: BUDGET_GZ, // HTML, JS, wasm and CSS of a first visit, gzipped, less than
};

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const mib = (bytes) => (bytes == null ? null : Math.round((bytes / 2 ** 20) * 10) / 10);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const log = (...a) => console.error('bench:', ...a);

// ---------------------------------------------------------------------------------------------
// What runs inside the pages.

// Catches the wasm exports (and so its memory) when Trunk's loader announces the start.
const INIT_SCRIPT = `
  window.__bench = { wasm: null };
  addEventListener('TrunkApplicationStarted', (e) => { window.__bench.wasm = e.detail && e.detail.wasm; });
`;

/** In the page: the wasm exports, from Trunk's start event or else from the loader module itself
 *  (calling its init again returns the running instance). */
async function findWasm() {
  const b = window.__bench;
  if (!b.wasm?.memory) {
    const loader = [...document.querySelectorAll('script[type=module]')]
      .map((s) => s.textContent.match(/from\s+['"]([^'"]+\.js)['"]/)?.[1])
      .find(Boolean);
    if (loader) b.wasm = await (await import(loader)).default();
  }
  return b.wasm?.memory ? b.wasm.memory.buffer.byteLength : null;
}

/** In the page: heap and wasm memory, after a full garbage collection when gc is exposed. */
function measureMemory() {
  if (typeof window.gc === 'function') window.gc();
  return {
    heap: performance.memory ? performance.memory.usedJSHeapSize : null,
    wasm: window.__bench.wasm?.memory ? window.__bench.wasm.memory.buffer.byteLength : null,
  };
}

/** In the page, before Connect is clicked: the time of the click, the time "Messages received"
 *  first shows at least `n`, the longest gap between animation frames and the longest task in
 *  between, and memory samples as the counter passes each of `samples`. */
function watch({ n, samples }) {
  const b = window.__bench;
  const el = document.querySelector('[aria-label="Messages received"]');
  if (!el) throw new Error('no element labelled "Messages received"');
  Object.assign(b, { t0: null, tEnd: null, maxGap: 0, maxGapAt: null, gapsOver50: 0, frames: 0, longTasks: [], frameTimes: [], samples: [] });
  let next = 0;
  const sample = (count) => {
    const at = performance.now();
    b.samples.push({ at: samples[next], count, ...measureMemory(), ms: performance.now() - at });
  };
  // The same function as measureMemory, which is not in this scope.
  function measureMemory() {
    if (typeof window.gc === 'function') window.gc();
    return {
      heap: performance.memory ? performance.memory.usedJSHeapSize : null,
      wasm: b.wasm?.memory ? b.wasm.memory.buffer.byteLength : null,
    };
  }
  try {
    new PerformanceObserver((list) => b.longTasks.push(...list.getEntries().map((e) => e.duration))).observe({
      type: 'longtask',
    });
  } catch {
    b.longTasks = null; // not supported: reported as such
  }
  try {
    // Long animation frames include rendering, which long tasks leave out.
    new PerformanceObserver((list) => b.frameTimes.push(...list.getEntries().map((e) => e.duration))).observe({
      type: 'long-animation-frame',
    });
  } catch {
    b.frameTimes = null;
  }
  b.done = new Promise((resolve) => {
    const check = () => {
      if (b.tEnd !== null) return;
      const count = Number(el.textContent.replace(/[^0-9]/g, ''));
      while (next < samples.length && count >= samples[next]) {
        sample(count);
        next += 1;
      }
      if (count >= n) {
        b.tEnd = performance.now();
        observer.disconnect();
        resolve();
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(el, { subtree: true, childList: true, characterData: true });
    const frame = () => {
      const now = performance.now();
      if (now - b.last > b.maxGap) {
        b.maxGap = now - b.last;
        b.maxGapAt = b.last - b.t0;
      }
      if (now - b.last > 50) b.gapsOver50 += 1;
      b.last = now;
      b.frames += 1;
      check();
      if (b.tEnd === null) requestAnimationFrame(frame);
    };
    // Capture on window: runs before the page's own click handler dials.
    addEventListener(
      'click',
      () => {
        b.t0 = b.last = performance.now();
        requestAnimationFrame(frame);
      },
      { capture: true, once: true },
    );
  });
}

/** In the page, once done: what the watcher saw, after long-task entries have been delivered. */
async function collect() {
  const b = window.__bench;
  await b.done;
  await new Promise((r) => setTimeout(r, 300));
  const text = (label) => document.querySelector(`[aria-label="${label}"]`)?.textContent ?? null;
  const logEl = document.querySelector('[role="log"][aria-label="Message log"]');
  return {
    t0: b.t0,
    tEnd: b.tEnd,
    maxGap: b.maxGap,
    maxGapAt: b.maxGapAt,
    gapsOver50: b.gapsOver50,
    frames: b.frames,
    longestFrame: b.frameTimes ? Math.max(0, ...b.frameTimes) : null,
    longestTask: b.longTasks ? Math.max(0, ...b.longTasks) : null,
    longTasks: b.longTasks ? b.longTasks.length : null,
    samples: b.samples,
    elements: document.getElementsByTagName('*').length,
    rows: logEl ? logEl.querySelectorAll('.entry').length : null,
    receivedRows: logEl ? logEl.querySelectorAll('.entry.received').length : null,
    received: text('Messages received'),
    dropped: text('Messages dropped'),
  };
}

// ---------------------------------------------------------------------------------------------
// Runs.

let browser, site, bareSite, server;

async function newPage(url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(INIT_SCRIPT);
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => /panicked|RuntimeError|unreachable/.test(m.text()) && page.errors.push(m.text()));
  await page.goto(url);
  return { page, close: () => context.close() };
}

async function openOurs() {
  const opened = await newPage(site.url);
  await connectButton(opened.page).waitFor();
  await opened.page.evaluate(findWasm);
  return opened;
}

/** Connects our page to `endpoint` and waits until "Messages received" shows `n`. */
async function runOurs(endpoint, n, { samples = [], timeout }) {
  const { page, close } = await openOurs();
  try {
    await url(page).fill(server.ws + endpoint);
    await page.evaluate(watch, { n, samples });
    await connectButton(page).click();
    const result = await withTimeout(page.evaluate(collect), timeout, `${endpoint}: the counter did not reach ${fmt(n)}`);
    result.memory = await page.evaluate(measureMemory);
    result.errors = page.errors;
    return result;
  } finally {
    await close();
  }
}

async function runBareFlood(n, read = false) {
  const { page, close } = await newPage(bareSite.url + 'bare.html');
  try {
    const url = `${server.ws}/flood?count=${n}&size=${SIZE}&kind=text`;
    const r = await withTimeout(page.evaluate(([u, k, r]) => window.flood(u, k, r), [url, n, read]), 120_000, 'bare flood');
    return { ms: r.end - r.start, rate: (n / (r.end - r.start)) * 1000, maxGap: r.maxGap, maxGapAt: r.maxGapAt, gapsOver50: r.gapsOver50 };
  } finally {
    await close();
  }
}

async function runBareLarge() {
  const { page, close } = await newPage(bareSite.url + 'bare.html');
  try {
    const url = `${server.ws}/large?size=${LARGE}&kind=text`;
    return await withTimeout(
      page.evaluate(async (u) => {
        const tasks = [];
        new PerformanceObserver((l) => tasks.push(...l.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
        const r = await window.one(u);
        await new Promise((res) => setTimeout(res, 300));
        return { ms: r.end - r.start, length: r.length, longestTask: Math.max(0, ...tasks) };
      }, url),
      60_000,
      'bare 5 MB',
    );
  } finally {
    await close();
  }
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} (timed out after ${ms / 1000} s)`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------------------------------------
// Figures.

const figures = [];
const details = {};
let failures = 0;

/** `met`: true, false, or null for a figure with no target. */
function figure(name, value, target, met, extra = {}) {
  figures.push({ name, value, target, met, ...extra });
}

async function step(name, fn) {
  const started = Date.now();
  log(`${name}…`);
  try {
    await fn();
  } catch (e) {
    failures += 1;
    figure(name, `ERROR: ${e.message}`, '', false, { error: true });
    log(`${name} failed: ${e.stack ?? e}`);
  }
  log(`${name} took ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function printTable() {
  const mark = (f) => (f.error ? 'ERROR' : f.met === null ? '' : f.met ? 'MET' : 'MISSED');
  const rows = [['figure', 'value', 'target', ''], ...figures.map((f) => [f.name, String(f.value), f.target, mark(f)])];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log();
  console.log(line(rows[0]));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows.slice(1)) console.log(line(r));
  console.log();
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  [site, bareSite, server, browser] = await Promise.all([
    serveStatic(dist),
    serveStatic(path.join(here, 'bench')),
    startTestServer({ bin: serverBin }),
    launchChromium({ args: ['--enable-precise-memory-info', '--js-flags=--expose-gc'] }),
  ]);
  log(`chromium ${browser.version()}, test server ${server.ws}, page ${site.url}`);
  log(`flood ${fmt(FLOOD)} × ${REPS}, stream ${fmt(STREAM)}${quick ? ' (quick)' : ''}`);

  // 0: how much a first visit downloads, and how long until the page can be used.
  if (ONLY.includes('load')) await step('first load', async () => {
    const load = await firstLoad(dist);
    figure('first load (HTML, JS, wasm, CSS), gzipped', `${(load.gz / 1024).toFixed(1)} KiB`, `< ${TARGETS.firstLoadGz / 1024} KiB`, load.gz < TARGETS.firstLoadGz, {
      key: 'first_load_gz_bytes',
      raw: load.gz,
    });
    const ours = [];
    const bare = [];
    for (let i = 0; i < REPS; i++) {
      // Navigation to usable: the Connect button is in the page (the app has started).
      const { page, close } = await newPage(site.url);
      await connectButton(page).waitFor();
      ours.push(await page.evaluate(() => performance.now()));
      await close();
      const b = await newPage(bareSite.url + 'bare.html');
      await b.page.waitForLoadState('load');
      bare.push(await b.page.evaluate(() => performance.now()));
      await b.close();
    }
    figure(`navigation to interactive (median of ${REPS})`, `${median(ours).toFixed(0)} ms`, 'reported', null, {
      key: 'time_to_interactive_ms',
      raw: median(ours),
    });
    figure('  (bare page: navigation to load)', `${median(bare).toFixed(0)} ms`, 'reference', null, {
      key: 'bare_load_ms',
      raw: median(bare),
    });
  });

  // 1 and 2: the same flood to the bare page and to ours, alternately.
  if (ONLY.includes('flood')) await step(`flood of ${fmt(FLOOD)}`, async () => {
    const bare = [];
    const ours = [];
    const bareRead = [];
    for (let i = 0; i < REPS; i++) {
      const b = await runBareFlood(FLOOD);
      bare.push(b);
      log(`  bare  #${i + 1}: ${fmt(b.rate)} msg/s (${b.ms.toFixed(0)} ms), longest frame gap ${b.maxGap.toFixed(0)} ms ` +
        `(at ${b.maxGapAt.toFixed(0)} ms, ${b.gapsOver50} over 50 ms)`);
      const br = await runBareFlood(FLOOD, true);
      bareRead.push(br);
      log(`  bare reading data #${i + 1}: ${fmt(br.rate)} msg/s (${br.ms.toFixed(0)} ms)`);
      const r = await runOurs(`/flood?count=${FLOOD}&size=${SIZE}&kind=text`, FLOOD, { timeout: 180_000 });
      r.ms = r.tEnd - r.t0;
      r.rate = (FLOOD / r.ms) * 1000;
      ours.push(r);
      log(
        `  ours  #${i + 1}: ${fmt(r.rate)} msg/s (${r.ms.toFixed(0)} ms), longest frame gap ${r.maxGap.toFixed(0)} ms ` +
          `(at ${r.maxGapAt?.toFixed(0)} ms, ${r.gapsOver50} over 50 ms, ${r.frames} frames), ` +
          `longest animation frame ${r.longestFrame?.toFixed(0)} ms, ` +
          `longest task ${r.longestTask?.toFixed(0)} ms, ${r.elements} elements, heap ${mib(r.memory.heap)} MiB, ` +
          `wasm ${mib(r.memory.wasm)} MiB${r.errors.length ? `, page errors: ${r.errors.join('; ')}` : ''}`,
      );
    }
    const bareRate = median(bare.map((b) => b.rate));
    const ourRate = median(ours.map((r) => r.rate));
    const ratio = ourRate / bareRate;
    const last = ours[ours.length - 1];
    const worstGap = Math.max(...ours.map((r) => r.maxGap));
    const bareWorstGap = Math.max(...bare.map((b) => b.maxGap));
    const most = Math.max(...ours.map((r) => r.elements));
    details.flood = { count: FLOOD, size: SIZE, bare, bareRead, ours };
    figure(`bare page, ${fmt(FLOOD)} × ${SIZE} B (median of ${REPS})`, `${fmt(bareRate)} msg/s`, 'reference', null, {
      key: 'bare_rate',
      raw: bareRate,
    });
    const bareReadRate = median(bareRead.map((b) => b.rate));
    figure(`  (bare page that also reads each message's data)`, `${fmt(bareReadRate)} msg/s (${(bareReadRate / bareRate).toFixed(2)} of bare)`, 'reference', null, {
      key: 'bare_read_rate',
      raw: bareReadRate,
    });
    figure(`wsprobe, same flood (median of ${REPS})`, `${fmt(ourRate)} msg/s`, 'reference', null, {
      key: 'our_rate',
      raw: ourRate,
    });
    figure('wsprobe rate / bare page rate', ratio.toFixed(2), `≥ ${TARGETS.ratio}`, ratio >= TARGETS.ratio, {
      key: 'rate_ratio',
      raw: ratio,
    });
    figure(`longest gap between frames during the flood (worst of ${REPS})`, `${worstGap.toFixed(0)} ms`, `≤ ${TARGETS.frameGapMs} ms`, worstGap <= TARGETS.frameGapMs, {
      key: 'max_frame_gap_ms',
      raw: worstGap,
    });
    figure('  (bare page, same floods: longest gap between frames)', `${bareWorstGap.toFixed(0)} ms`, 'reference', null, {
      key: 'bare_max_frame_gap_ms',
      raw: bareWorstGap,
    });
    figure('DOM elements in the page after the flood', fmt(most), `< ${fmt(TARGETS.domElements)}`, most < TARGETS.domElements, {
      key: 'dom_elements',
      raw: most,
    });
    figure('JS heap after the flood (after gc)', `${mib(last.memory.heap)} MiB`, 'reported', null, {
      key: 'js_heap_mib',
      raw: mib(last.memory.heap),
    });
    figure('wasm memory after the flood', `${mib(last.memory.wasm)} MiB`, 'reported', null, {
      key: 'wasm_memory_mib',
      raw: mib(last.memory.wasm),
    });
  });

  // 3: a long stream; memory must stop growing once the log's cap is reached.
  if (ONLY.includes('stream')) await step(`stream of ${fmt(STREAM)}`, async () => {
    const at = [0.25, 0.5, 0.75, 1].map((f) => Math.round(STREAM * f));
    const r = await runOurs(`/flood?count=${STREAM}&size=${SIZE}&kind=text`, STREAM, {
      samples: [CAP, ...at].filter((x, i, all) => x <= STREAM && all.indexOf(x) === i).sort((a, b) => a - b),
      timeout: 360_000,
    });
    r.ms = r.tEnd - r.t0;
    details.stream = { count: STREAM, size: SIZE, ...r };
    log(`  ${fmt(STREAM)} in ${(r.ms / 1000).toFixed(1)} s (${fmt((STREAM / r.ms) * 1000)} msg/s), dropped ${r.dropped}`);
    for (const s of r.samples) {
      figure(
        `  memory at ${fmt(s.count)} received${s.at === CAP ? ' (the cap)' : ''}`,
        `heap ${mib(s.heap)} MiB, wasm ${mib(s.wasm)} MiB`,
        'reported',
        null,
        { key: `sample_${s.at}`, raw: { count: s.count, heap_mib: mib(s.heap), wasm_mib: mib(s.wasm) } },
      );
    }
    const half = r.samples.find((s) => s.at === at[1]);
    const full = r.samples.find((s) => s.at === at[3]);
    if (!half || !full) throw new Error('memory samples missing');
    for (const [what, k] of [
      ['JS heap', 'heap'],
      ['wasm memory', 'wasm'],
    ]) {
      if (half[k] == null || full[k] == null) {
        figure(`${what} growth, ${fmt(at[1])} → ${fmt(at[3])}`, 'unavailable', `< ${TARGETS.growth * 100}%`, false);
        continue;
      }
      const growth = (full[k] - half[k]) / half[k];
      figure(
        `${what} growth, ${fmt(at[1])} → ${fmt(at[3])} received`,
        `${(growth * 100).toFixed(1)}%`,
        `< ${TARGETS.growth * 100}%`,
        growth < TARGETS.growth,
        { key: `${k}_growth`, raw: growth },
      );
    }
    figure('"Messages dropped" after the stream', r.dropped, 'reported', null, { key: 'stream_dropped', raw: r.dropped });
  });

  // 4: one 5 MB text message.
  if (ONLY.includes('large')) await step('one 5 MB message', async () => {
    const bare = await runBareLarge();
    log(`  bare: ${bare.ms.toFixed(0)} ms, longest task ${bare.longestTask.toFixed(0)} ms, ${fmt(bare.length)} chars`);
    const r = await runOurs(`/large?size=${LARGE}&kind=text`, 1, { timeout: 120_000 });
    r.ms = r.tEnd - r.t0;
    details.large = { size: LARGE, bare, ours: r };
    log(
      `  ours: ${r.ms.toFixed(0)} ms to show it, longest task ${r.longestTask?.toFixed(0)} ms, ${r.longTasks} long tasks, ` +
        `longest animation frame ${r.longestFrame?.toFixed(0)} ms`,
    );
    figure('5 MB message: longest main-thread task', r.longestTask == null ? 'unavailable' : `${r.longestTask.toFixed(0)} ms`, `< ${TARGETS.longTaskMs} ms`, r.longestTask != null && r.longestTask < TARGETS.longTaskMs, {
      key: 'large_longest_task_ms',
      raw: r.longestTask,
    });
    figure('  (same message: longest animation frame, rendering included)', r.longestFrame == null ? 'unavailable' : `${r.longestFrame.toFixed(0)} ms`, 'reported', null, {
      key: 'large_longest_animation_frame_ms',
      raw: r.longestFrame,
    });
    figure('  (bare page, same message: longest task)', `${bare.longestTask.toFixed(0)} ms`, 'reference', null, {
      key: 'bare_large_longest_task_ms',
      raw: bare.longestTask,
    });
    const oneRow = r.received === '1' && r.receivedRows === 1;
    figure('5 MB message shown as one row', `received ${r.received}, ${r.receivedRows} received row(s)`, 'received 1, 1 row', oneRow, {
      key: 'large_one_row',
      raw: oneRow,
    });
  });

  printTable();
  const missed = figures.filter((f) => f.met === false).map((f) => f.name.trim());
  console.log(missed.length ? `MISSED: ${missed.join('; ')}` : 'All targets MET.');
  console.log(`(${((Date.now() - started) / 1000).toFixed(0)} s, chromium ${browser.version()}, 2 × ${REPS} floods of ${fmt(FLOOD)}, stream of ${fmt(STREAM)})`);

  const out = path.join(here, 'artifacts', 'bench.json');
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(
    out,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        quick,
        config: { flood: FLOOD, reps: REPS, stream: STREAM, size: SIZE, large: LARGE, targets: TARGETS },
        chromium: browser.version(),
        figures,
        details,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`figures written to ${path.relative(process.cwd(), out) || out}`);
}

async function cleanUp() {
  await browser?.close().catch(() => {});
  server?.close();
  site?.close();
  bareSite?.close();
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    await cleanUp();
    process.exit(130);
  });
}

try {
  await main();
} catch (e) {
  failures += 1;
  console.error(e);
} finally {
  await cleanUp();
}
process.exit(failures ? 1 : 0);
