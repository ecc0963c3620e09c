// The benchmark command (scripts/bench.sh runs it after a release build). Not a test: it prints
// each figure beside its target, MET or MISSED, writes them to e2e/artifacts/bench.json, and
// exits 0 whether or not targets are met (1 only when the bench itself could not run a step).
//
// Speed is a ratio against baselines measured in the same run, in the same headless Chromium,
// against the same release test server, so that the figure means something on a shared or slow
// machine: a bare page (e2e/bench/bare.html, which only counts messages) and a bare Web Worker
// (e2e/bench/bare-worker.html, which counts them off the main thread, as wsprobe's socket
// worker receives them). Every time is taken inside the page with performance.now(); nothing is
// polled from Node. The command line is measured the same way against a bare tokio-tungstenite
// client (cli/examples/bare_count.rs), and the scenario engine's matching natively
// (core/examples/match_throughput.rs) beside the page's flood rate.
//
//   node e2e/bench.js            full run (100,000-message floods ×5, a 1,000,000-message stream)
//   node e2e/bench.js --quick    smaller numbers, one repetition, for working on the bench itself
//   --flood=N --reps=N --stream=N --cli-flood=N --match-seconds=S override the numbers;
//   --only=load,flood,worker,scenario,stream,large,match,cli picks parts (default: all of them).
//
// Parts: load; flood (the page beside the bare page and the bare worker); worker (the two
// baselines alone); scenario (the page while a skip-until step watches the flood); stream;
// large; match (the engine's native matching throughput); cli (`wsprobe run` beside bare_count);
// protocols (a Socket.IO flood, a GraphQL subscription's, an MQTT topic's and a STOMP topic's read
// raw and as the protocol, and the Latency panel's pairing cost).
// flood, worker and scenario share their floods, alternating in each repetition.

import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { launchChromium, serveStatic, serviceWorkerControls, startProtocolServers, startTestServer } from './harness.js';
import {
  addStepButton, connectButton, emitButton, eventBox, message, protocolChooser, received, runScenarioButton,
  messageFormat, mqttPassword, mqttQos, mqttTopic, mqttUser, publishButton, scenarioResult, sendButton, steps,
  stompHost, stompLogin, stompPasscode, stompSubscribe, subprotocols, subscribeButton, url, waitForState,
} from './page.js';
import { BUDGET_GZ, firstLoad, lazyChunks } from './size.js';
import mqtt from 'mqtt';
import mqttPacket from 'mqtt-packet';
import WebSocket from 'ws';
import { once } from 'node:events';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const dist = process.env.WSPROBE_DIST ?? path.join(root, 'dist');
const serverBin = process.env.WSPROBE_TEST_SERVER_BIN ?? path.join(root, 'target/release/wsprobe-test-server');
// Release builds, as scripts/bench.sh makes them.
const cliBin = process.env.WSPROBE_CLI_BIN ?? path.join(root, 'target/release/wsprobe');
const bareCountBin = process.env.WSPROBE_BARE_COUNT_BIN ?? path.join(root, 'target/release/examples/bare_count');
const matchBin = process.env.WSPROBE_MATCH_BIN ?? path.join(root, 'target/release/examples/match_throughput');

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const option = (name, fallback) => {
  const hit = argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? Number(hit.split('=')[1].replace(/[_,]/g, '')) : fallback;
};
const FLOOD = option('flood', quick ? 20_000 : 100_000);
const REPS = option('reps', quick ? 1 : 5);
const STREAM = option('stream', quick ? 200_000 : 1_000_000);
/** The command line's flood: it reads far faster than a page, so it takes more to time it. */
const CLI_FLOOD = option('cli-flood', quick ? 200_000 : 1_000_000);
/** How long the engine is fed for each of its matching figures. */
const MATCH_SECONDS = option('match-seconds', quick ? 0.3 : 1);
const PARTS = ['load', 'flood', 'worker', 'scenario', 'stream', 'large', 'match', 'cli', 'protocols'];
/** --only=flood,stream,large runs just those parts (while working on one of them). */
const ONLY = argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',') ?? PARTS;
for (const part of ONLY) {
  if (!PARTS.includes(part)) {
    console.error(`bench: unknown part ${part} in --only (known: ${PARTS.join(', ')})`);
    process.exit(1);
  }
}
const SIZE = 32;
const LARGE = 5_000_000;
/** The log's default cap on entries (src/log_state.rs); samples below it are marked as such. */
const CAP = 50_000;

const TARGETS = {
  ratio: 0.9, // wsprobe's rate / the bare page's, at least (also while a scenario runs)
  workerRatio: 0.95, // wsprobe's rate / the bare worker's, at least (also while a scenario runs)
  engineTimes: 10, // the engine's native matching rate / the page's flood rate, at least (our own)
  cliRatio: 0.8, // `wsprobe run`'s receive rate / a bare tokio-tungstenite client's, at least
  socketIoRatio: 0.8, // the page's rate on a Socket.IO flood read as Socket.IO / read raw, at least
  graphqlRatio: 0.8, // the page's rate on a GraphQL subscription's flood read as GraphQL / read raw, at least
  mqttRatio: 0.8, // the page's rate on an MQTT topic's flood read as MQTT / read raw, at least
  stompRatio: 0.8, // the page's rate on a STOMP topic's flood read as STOMP / read raw, at least
  pairingRatio: 0.9, // the raw flood rate with replies paired by a JSON Pointer / without, at least (our own)
  frameGapMs: 100, // longest gap between animation frames during a flood, at most
  domElements: 1_500, // elements in the whole page after a flood, fewer than
  growth: 0.1, // memory growth from half the stream to all of it, less than
  longTaskMs: 200, // longest main-thread task while a 5 MB message arrives, less than
  firstLoadGz: BUDGET_GZ, // HTML, JS, wasm and CSS of a first visit, gzipped, at most (250 KB)
  usableThrottledMs: 2_000, // navigation to usable at 1.6 Mbit/s and 150 ms round trip, cold, at most
  usableCachedMs: 300, // navigation to usable from the service worker, at most
};

/** Chromium's network throttling for the cold load: 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trip. */
const THROTTLE = { offline: false, latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8 };

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
/** The page's median flood rate in this run, once measured: the match part's reference. */
let pageFloodRate = null;

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

/** Navigation to usable: the URL field takes typing and Connect is there (the app has started),
 *  in a fresh browser context: cold under THROTTLE, or on a second visit served by the
 *  service worker. */
async function timeToUsable({ throttle = false, fromServiceWorker = false }) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: fromServiceWorker ? 'allow' : 'block' });
  try {
    const page = await context.newPage();
    if (fromServiceWorker) {
      await page.goto(site.url);
      await serviceWorkerControls(page);
    }
    if (throttle) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', THROTTLE);
    }
    await page.goto(site.url);
    await page.getByRole('textbox', { name: 'URL' }).fill('ws://127.0.0.1:1/');
    await connectButton(page).waitFor();
    return await page.evaluate(() => performance.now());
  } finally {
    await context.close();
  }
}

async function openOurs() {
  const opened = await newPage(site.url);
  await connectButton(opened.page).waitFor();
  await opened.page.evaluate(findWasm);
  return opened;
}

/** Connects our page to `endpoint` and waits until "Messages received" shows `n`. With
 *  `scenario` (a text only the flood's last message contains), it does not press Connect but
 *  builds a scenario in the Scenario panel (Connect, then Expect message: Contains that text,
 *  Skip other messages) and presses Run scenario, so a skip-until step watches the whole flood
 *  while the log takes it; the scenario's result is then in `result.scenario`. */
async function runOurs(endpoint, n, { samples = [], timeout, scenario, pairing }) {
  const { page, close } = await openOurs();
  try {
    await url(page).fill(server.ws + endpoint);
    if (pairing) await page.getByRole('textbox', { name: 'Pair replies by' }).fill(pairing);
    if (scenario) await addSkipUntilScenario(page, scenario, timeout);
    await page.evaluate(watch, { n, samples });
    await (scenario ? runScenarioButton(page) : connectButton(page)).click();
    const result = await withTimeout(page.evaluate(collect), timeout, `${endpoint}: the counter did not reach ${fmt(n)}`);
    result.memory = await page.evaluate(measureMemory);
    if (scenario) {
      await scenarioResult(page).filter({ hasText: /Passed|Failed/ }).waitFor({ timeout: 60_000 });
      result.scenario = { result: await scenarioResult(page).innerText(), expectStep: await steps(page).nth(1).locator('.step-state').innerText() };
    }
    result.errors = page.errors;
    return result;
  } finally {
    await close();
  }
}

/** Our page reading a Socket.IO server's flood of `n` small events (e2e/servers/protocols.mjs,
 *  "flood"): with Protocol Socket.IO (Emit "flood"), or raw, the same frames typed by hand
 *  ("40", then 42["flood",…]). Timed from the click that asks for the flood to the last event. */
async function runSocketIoFlood(base, n, protocol, timeout) {
  const { page, close } = await openOurs();
  try {
    await protocolChooser(page).selectOption(protocol);
    // Before the flood: the open packet, the namespace's CONNECT reply and the welcome event.
    const before = 3;
    if (protocol === 'Socket.IO') {
      await url(page).fill(base);
      await connectButton(page).click();
      await waitForState(page, 'Open');
      await received(page, before, { timeout: 10_000 });
      await eventBox(page).fill('flood');
      await message(page).fill(`[${n}, ${SIZE}]`);
    } else {
      await url(page).fill(`${base}/socket.io/?EIO=4&transport=websocket`);
      await connectButton(page).click();
      await waitForState(page, 'Open');
      await received(page, 1, { timeout: 10_000 });
      await message(page).fill('40');
      await sendButton(page).click();
      await received(page, before, { timeout: 10_000 });
      await message(page).fill(`42["flood",${n},${SIZE}]`);
    }
    await page.evaluate(watch, { n: n + before, samples: [] });
    await (protocol === 'Socket.IO' ? emitButton(page) : sendButton(page)).click();
    const result = await withTimeout(page.evaluate(collect), timeout, `Socket.IO flood read as ${protocol}: the counter did not reach ${fmt(n)}`);
    result.errors = page.errors;
    return result;
  } finally {
    await close();
  }
}

/** Our page reading a GraphQL subscription's flood of `n` small results (servers/graphql.mjs,
 *  `flood`): with Protocol GraphQL (Subscribe), or raw, the same frames typed by hand
 *  (connection_init, then the subscribe message). Timed from the click to the last result. */
async function runGraphqlFlood(address, n, protocol, timeout) {
  const { page, close } = await openOurs();
  try {
    const query = `subscription { flood(count: ${n}, size: ${SIZE}) }`;
    await protocolChooser(page).selectOption(protocol);
    await url(page).fill(address);
    await subprotocols(page).fill('graphql-transport-ws');
    await connectButton(page).click();
    await waitForState(page, 'Open');
    if (protocol === 'WebSocket') {
      await message(page).fill('{"type":"connection_init"}');
      await sendButton(page).click();
    }
    // Before the flood: connection_ack.
    await received(page, 1, { timeout: 10_000 });
    await message(page).fill(protocol === 'GraphQL' ? query : JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
    await page.evaluate(watch, { n: n + 1, samples: [] });
    await (protocol === 'GraphQL' ? subscribeButton(page) : sendButton(page)).click();
    const result = await withTimeout(page.evaluate(collect), timeout, `GraphQL flood read as ${protocol}: the counter did not reach ${fmt(n)}`);
    result.errors = page.errors;
    return result;
  } finally {
    await close();
  }
}

/** Our page reading `n` small MQTT messages on one topic from mosquitto (published by an
 *  MQTT.js client of this process as fast as it can): with Protocol MQTT (Subscribe), or raw,
 *  CONNECT and SUBSCRIBE typed by hand as hex. Timed from just before the first publish. */
async function runMqttFlood(broker, n, protocol, timeout) {
  const { page, close } = await openOurs();
  const topic = `bench/${protocol}/${Date.now()}`;
  const publisher = await mqtt.connectAsync(broker, { username: 'wsprobe', password: 'letmein' });
  try {
    await protocolChooser(page).selectOption(protocol);
    await url(page).fill(broker);
    await subprotocols(page).fill('mqtt');
    if (protocol === 'MQTT') {
      await publishButton(page).waitFor();
      await mqttUser(page).fill('wsprobe');
      await mqttPassword(page).fill('letmein');
    }
    await connectButton(page).click();
    await waitForState(page, 'Open');
    const hex = (packet) => mqttPacket.generate(packet).toString('hex');
    if (protocol === 'MQTT') {
      await received(page, 1, { timeout: 10_000 });
      await mqttTopic(page).fill(topic);
      await mqttQos(page).selectOption('0');
      await subscribeButton(page).click();
    } else {
      await messageFormat(page).selectOption({ label: 'Hex' });
      await message(page).fill(hex({
        cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, clientId: '', keepalive: 0,
        username: 'wsprobe', password: Buffer.from('letmein'),
      }));
      await sendButton(page).click();
      await received(page, 1, { timeout: 10_000 });
      await message(page).fill(hex({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic, qos: 0 }] }));
      await sendButton(page).click();
    }
    // CONNACK and SUBACK.
    await received(page, 2, { timeout: 10_000 });
    await page.evaluate(watch, { n: n + 2, samples: [] });
    await page.evaluate(() => dispatchEvent(new MouseEvent('click')));
    const text = 'x'.repeat(SIZE);
    for (let i = 0; i < n; i++) {
      publisher.publish(topic, text);
      // In slices, so the publisher's socket drains as it goes.
      if (i % 1000 === 999) await new Promise((r) => setImmediate(r));
    }
    const result = await withTimeout(page.evaluate(collect), timeout, `MQTT flood read as ${protocol}: the counter did not reach ${fmt(n)}`);
    result.errors = page.errors;
    return result;
  } finally {
    await publisher.endAsync();
    await close();
  }
}

/** Our page reading `n` small STOMP messages on one topic from RabbitMQ (sent by a raw WebSocket
 *  of this process, frame after frame, as fast as it can): with Protocol STOMP (Subscribe), or
 *  raw, CONNECT and SUBSCRIBE typed by hand as hex. Heart-beats off both ways, so only the flood
 *  arrives. Timed from just before the first SEND. */
async function runStompFlood(broker, n, protocol, timeout) {
  const { page, close } = await openOurs();
  const topic = `/topic/bench-${protocol}-${Date.now()}`;
  const connectFrame = 'CONNECT\naccept-version:1.2\nhost:/\nlogin:wsprobe\npasscode:letmein\nheart-beat:0,0\n\n\0';
  const publisher = new WebSocket(broker, ['v12.stomp']);
  await once(publisher, 'open');
  publisher.send(connectFrame);
  await once(publisher, 'message');
  try {
    await protocolChooser(page).selectOption(protocol);
    await url(page).fill(broker);
    await subprotocols(page).fill('v12.stomp');
    if (protocol === 'STOMP') {
      await stompLogin(page).fill('wsprobe');
      await stompPasscode(page).fill('letmein');
      await stompHost(page).fill('/');
      for (const name of ['Heart-beat out (ms)', 'Heart-beat in (ms)']) {
        await page.getByRole('spinbutton', { name }).fill('0');
        await page.getByRole('spinbutton', { name }).press('Tab');
      }
    }
    await connectButton(page).click();
    await waitForState(page, 'Open');
    const hex = (text) => Buffer.from(text).toString('hex');
    if (protocol === 'STOMP') {
      await received(page, 1, { timeout: 10_000 });
      await stompSubscribe(page, topic, 'auto');
    } else {
      await messageFormat(page).selectOption({ label: 'Hex' });
      await message(page).fill(hex(connectFrame));
      await sendButton(page).click();
      await received(page, 1, { timeout: 10_000 });
      await message(page).fill(hex(`SUBSCRIBE\nid:1\ndestination:${topic}\nreceipt:1\n\n\0`));
      await sendButton(page).click();
    }
    // CONNECTED and the SUBSCRIBE's RECEIPT.
    await received(page, 2, { timeout: 10_000 });
    await page.evaluate(watch, { n: n + 2, samples: [] });
    await page.evaluate(() => dispatchEvent(new MouseEvent('click')));
    const frame = `SEND\ndestination:${topic}\ncontent-length:${SIZE}\n\n${'x'.repeat(SIZE)}\0`;
    for (let i = 0; i < n; i++) {
      publisher.send(frame);
      // In slices, so the publisher's socket drains as it goes.
      if (i % 1000 === 999) await new Promise((r) => setImmediate(r));
    }
    const result = await withTimeout(page.evaluate(collect), timeout, `STOMP flood read as ${protocol}: the counter did not reach ${fmt(n)}`);
    result.errors = page.errors;
    return result;
  } finally {
    publisher.close();
    await close();
  }
}

/** A protocol's flood read raw (Protocol WebSocket) and as `name`, alternately, REPS times each
 *  (`run` reads one, given the protocol to choose): their median rates and ratio as figures
 *  (`key`_flood_raw_rate, `key`_flood_rate, `key`_rate_ratio, the ratio held to `target`).
 *  Resolves to [raw runs, protocol runs]. */
async function protocolFloods(name, key, label, target, run) {
  const raw = [];
  const read = [];
  for (let i = 0; i < REPS; i++) {
    for (const [protocol, list] of [['WebSocket', raw], [name, read]]) {
      const r = await run(protocol);
      r.ms = r.tEnd - r.t0;
      r.rate = (FLOOD / r.ms) * 1000;
      list.push(r);
      log(`  ${name} flood read as ${protocol} #${i + 1}: ${fmt(r.rate)} msg/s (${r.ms.toFixed(0)} ms), ` +
        `longest frame gap ${r.maxGap.toFixed(0)} ms${r.errors.length ? `, page errors: ${r.errors.join('; ')}` : ''}`);
    }
  }
  const rawRate = median(raw.map((r) => r.rate));
  const rate = median(read.map((r) => r.rate));
  figure(`${label}, read raw (median of ${REPS})`, `${fmt(rawRate)} msg/s`, 'reference', null, {
    key: `${key}_flood_raw_rate`,
    raw: rawRate,
  });
  figure(`  the same, read as ${name} (median of ${REPS})`, `${fmt(rate)} msg/s`, 'reference', null, {
    key: `${key}_flood_rate`,
    raw: rate,
  });
  figure(`${name} rate / raw rate`, (rate / rawRate).toFixed(2), `≥ ${target}`, rate / rawRate >= target, {
    key: `${key}_rate_ratio`,
    raw: rate / rawRate,
  });
  return [raw, read];
}

/** In the Scenario panel: Connect (to the URL typed), then Expect message, Match Contains
 *  `marker`, Skip other messages, waiting up to `timeoutMs`. */
async function addSkipUntilScenario(page, marker, timeoutMs) {
  const addStep = async (kind, match) => {
    await addStepButton(page).click();
    const step = steps(page).last();
    await step.getByRole('combobox', { name: 'Step kind' }).selectOption(kind);
    if (match) await step.getByRole('combobox', { name: 'Match' }).selectOption(match);
    return step;
  };
  await addStep('Connect');
  const expect = await addStep('Expect message', 'Contains');
  await expect.getByRole('textbox', { name: 'Expected', exact: true }).fill(marker);
  await expect.getByRole('checkbox', { name: 'Skip other messages' }).check();
  const timeout = expect.getByRole('spinbutton', { name: 'Timeout (ms)' });
  await timeout.fill(String(timeoutMs));
  await timeout.press('Tab');
  if ((await timeout.inputValue()) !== String(timeoutMs)) throw new Error('the scenario step did not take its timeout');
}

/** What only the last of a flood of `n` messages contains: the test server starts each with its
 *  sequence number in 8 digits (test-server/src/routes.rs, `filler`). */
const lastOfFlood = (n) => String(n - 1).padStart(8, '0');

/** A flood to a bare page: bare.html counts on the main thread, bare-worker.html in a worker;
 *  `read` makes bare.html read each message's data too. */
async function runBareFlood(n, { read = false, file = 'bare.html' } = {}) {
  const { page, close } = await newPage(bareSite.url + file);
  try {
    const url = `${server.ws}/flood?count=${n}&size=${SIZE}&kind=text`;
    const r = await withTimeout(page.evaluate(([u, k, r]) => window.flood(u, k, r), [url, n, read]), 120_000, `bare flood (${file})`);
    return {
      ms: r.end - r.start,
      rate: (n / (r.end - r.start)) * 1000,
      maxGap: r.maxGap,
      maxGapAt: r.maxGapAt,
      gapsOver50: r.gapsOver50,
      ...(r.workerMs === undefined ? {} : { workerMs: r.workerMs }),
    };
  } finally {
    await close();
  }
}

const execFileP = promisify(execFile);

/** Runs a program to its end; its stdout, or an error that says how it ended and what it said. */
async function runProgram(bin, args, timeout) {
  try {
    const { stdout } = await execFileP(bin, args, { timeout, maxBuffer: 64 << 20 });
    return stdout;
  } catch (e) {
    const said = `${e.stdout ?? ''}${e.stderr ?? ''}`.trim().split('\n').slice(-8).join('\n');
    throw new Error(`${path.basename(bin)} ${e.killed ? 'timed out' : `failed (${e.code ?? e.signal})`}: ${e.message.split('\n')[0]}${said ? `\n${said}` : ''}`);
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
    serveStatic(dist, { gzip: true }),
    serveStatic(path.join(here, 'bench')),
    startTestServer({ bin: serverBin }),
    launchChromium({ args: ['--enable-precise-memory-info', '--js-flags=--expose-gc'] }),
  ]);
  log(`chromium ${browser.version()}, test server ${server.ws}, page ${site.url}`);
  log(`flood ${fmt(FLOOD)} × ${REPS}, stream ${fmt(STREAM)}${quick ? ' (quick)' : ''}`);

  // 0: how much a first visit downloads, and how long until the page can be used.
  if (ONLY.includes('load')) await step('first load', async () => {
    const load = await firstLoad(dist);
    figure('first load (HTML, JS, wasm, CSS), gzipped', `${(load.gz / 1024).toFixed(1)} KiB`, `≤ 250 KB (${(TARGETS.firstLoadGz / 1024).toFixed(1)} KiB)`, load.gz <= TARGETS.firstLoadGz, {
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
    const lazy = await lazyChunks(dist);
    figure('lazy chunks, gzipped', `${(lazy.gz / 1024).toFixed(1)} KiB in ${lazy.files.length} files`, 'reported', null, {
      key: 'lazy_chunks_gz_bytes',
      raw: lazy.gz,
    });
    figure('first load and every chunk, gzipped', `${((load.gz + lazy.gz) / 1024).toFixed(1)} KiB`, 'reported', null, {
      key: 'total_gz_bytes',
      raw: load.gz + lazy.gz,
    });
    const throttled = [];
    const cached = [];
    for (let i = 0; i < REPS; i++) {
      throttled.push(await timeToUsable({ throttle: true }));
      cached.push(await timeToUsable({ fromServiceWorker: true }));
    }
    const slow = median(throttled);
    figure(`usable, cold, 1.6 Mbit/s and 150 ms (median of ${REPS})`, `${slow.toFixed(0)} ms`, `<= ${TARGETS.usableThrottledMs} ms`, slow <= TARGETS.usableThrottledMs, {
      key: 'usable_throttled_ms',
      raw: slow,
    });
    const warm = median(cached);
    figure(`usable, from the service worker (median of ${REPS})`, `${warm.toFixed(0)} ms`, `<= ${TARGETS.usableCachedMs} ms`, warm <= TARGETS.usableCachedMs, {
      key: 'usable_cached_ms',
      raw: warm,
    });
  });

  // 1 and 2: the same flood to the bare page, the bare worker and ours (with and without a
  // scenario watching it), alternately.
  const floodParts = ['flood', 'worker', 'scenario'].filter((p) => ONLY.includes(p));
  if (floodParts.length) await step(`flood of ${fmt(FLOOD)} (${floodParts.join(', ')})`, async () => {
    const withOurs = ONLY.includes('flood');
    const withScenario = ONLY.includes('scenario');
    const bare = [];
    const ours = [];
    const bareRead = [];
    const worker = [];
    const scenario = [];
    const endpoint = `/flood?count=${FLOOD}&size=${SIZE}&kind=text`;
    const describe = (r) =>
      `${fmt(r.rate)} msg/s (${r.ms.toFixed(0)} ms), longest frame gap ${r.maxGap.toFixed(0)} ms ` +
      `(at ${r.maxGapAt?.toFixed(0)} ms, ${r.gapsOver50} over 50 ms, ${r.frames} frames), ` +
      `longest animation frame ${r.longestFrame?.toFixed(0)} ms, ` +
      `longest task ${r.longestTask?.toFixed(0)} ms, ${r.elements} elements, heap ${mib(r.memory.heap)} MiB, ` +
      `wasm ${mib(r.memory.wasm)} MiB${r.errors.length ? `, page errors: ${r.errors.join('; ')}` : ''}`;
    for (let i = 0; i < REPS; i++) {
      const b = await runBareFlood(FLOOD);
      bare.push(b);
      log(`  bare  #${i + 1}: ${fmt(b.rate)} msg/s (${b.ms.toFixed(0)} ms), longest frame gap ${b.maxGap.toFixed(0)} ms ` +
        `(at ${b.maxGapAt.toFixed(0)} ms, ${b.gapsOver50} over 50 ms)`);
      if (withOurs) {
        const br = await runBareFlood(FLOOD, { read: true });
        bareRead.push(br);
        log(`  bare reading data #${i + 1}: ${fmt(br.rate)} msg/s (${br.ms.toFixed(0)} ms)`);
      }
      const w = await runBareFlood(FLOOD, { file: 'bare-worker.html' });
      worker.push(w);
      log(`  bare worker #${i + 1}: ${fmt(w.rate)} msg/s (${w.ms.toFixed(0)} ms; ${w.workerMs.toFixed(0)} ms in the worker), ` +
        `longest frame gap ${w.maxGap.toFixed(0)} ms`);
      if (withOurs) {
        const r = await runOurs(endpoint, FLOOD, { timeout: 180_000 });
        r.ms = r.tEnd - r.t0;
        r.rate = (FLOOD / r.ms) * 1000;
        ours.push(r);
        log(`  ours  #${i + 1}: ${describe(r)}`);
      }
      if (withScenario) {
        const r = await runOurs(endpoint, FLOOD, { timeout: 180_000, scenario: lastOfFlood(FLOOD) });
        r.ms = r.tEnd - r.t0;
        r.rate = (FLOOD / r.ms) * 1000;
        scenario.push(r);
        log(`  ours running a scenario #${i + 1}: ${describe(r)}; ${r.scenario.result.replace(/\s+/g, ' ')}; ` +
          `expect step: ${r.scenario.expectStep.replace(/\s+/g, ' ')}`);
      }
    }
    const bareRate = median(bare.map((b) => b.rate));
    const workerRate = median(worker.map((w) => w.rate));
    details.flood = { count: FLOOD, size: SIZE, bare, bareRead, worker, ours, scenario };
    figure(`bare page, ${fmt(FLOOD)} × ${SIZE} B (median of ${REPS})`, `${fmt(bareRate)} msg/s`, 'reference', null, {
      key: 'bare_rate',
      raw: bareRate,
    });
    if (withOurs) {
      const bareReadRate = median(bareRead.map((b) => b.rate));
      figure(`  (bare page that also reads each message's data)`, `${fmt(bareReadRate)} msg/s (${(bareReadRate / bareRate).toFixed(2)} of bare)`, 'reference', null, {
        key: 'bare_read_rate',
        raw: bareReadRate,
      });
    }
    figure(`bare worker, same flood (median of ${REPS})`, `${fmt(workerRate)} msg/s (${(workerRate / bareRate).toFixed(2)} of bare page)`, 'reference', null, {
      key: 'bare_worker_rate',
      raw: workerRate,
    });
    if (withOurs) {
      const ourRate = median(ours.map((r) => r.rate));
      pageFloodRate = ourRate;
      const ratio = ourRate / bareRate;
      const workerRatio = ourRate / workerRate;
      const last = ours[ours.length - 1];
      const worstGap = Math.max(...ours.map((r) => r.maxGap));
      const bareWorstGap = Math.max(...bare.map((b) => b.maxGap));
      const most = Math.max(...ours.map((r) => r.elements));
      figure(`wsprobe, same flood (median of ${REPS})`, `${fmt(ourRate)} msg/s`, 'reference', null, {
        key: 'our_rate',
        raw: ourRate,
      });
      figure('wsprobe rate / bare page rate', ratio.toFixed(2), `≥ ${TARGETS.ratio}`, ratio >= TARGETS.ratio, {
        key: 'rate_ratio',
        raw: ratio,
      });
      figure('wsprobe rate / bare worker rate', workerRatio.toFixed(2), `≥ ${TARGETS.workerRatio}`, workerRatio >= TARGETS.workerRatio, {
        key: 'worker_rate_ratio',
        raw: workerRatio,
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
    }
    if (withScenario) {
      // The log's targets, while a skip-until step reads every message of the flood.
      const rate = median(scenario.map((r) => r.rate));
      pageFloodRate ??= rate;
      const ratio = rate / bareRate;
      const workerRatio = rate / workerRate;
      const worstGap = Math.max(...scenario.map((r) => r.maxGap));
      const most = Math.max(...scenario.map((r) => r.elements));
      const passed = scenario.filter((r) => /2 passed, 0 failed/.test(r.scenario.result)).length;
      figure(`wsprobe while a skip-until step watches the flood (median of ${REPS})`, `${fmt(rate)} msg/s`, 'reference', null, {
        key: 'scenario_rate',
        raw: rate,
      });
      figure('  scenario: rate / bare page rate', ratio.toFixed(2), `≥ ${TARGETS.ratio}`, ratio >= TARGETS.ratio, {
        key: 'scenario_rate_ratio',
        raw: ratio,
      });
      figure('  scenario: rate / bare worker rate', workerRatio.toFixed(2), `≥ ${TARGETS.workerRatio}`, workerRatio >= TARGETS.workerRatio, {
        key: 'scenario_worker_rate_ratio',
        raw: workerRatio,
      });
      figure(`  scenario: longest gap between frames (worst of ${REPS})`, `${worstGap.toFixed(0)} ms`, `≤ ${TARGETS.frameGapMs} ms`, worstGap <= TARGETS.frameGapMs, {
        key: 'scenario_max_frame_gap_ms',
        raw: worstGap,
      });
      figure('  scenario: DOM elements after the flood', fmt(most), `< ${fmt(TARGETS.domElements)}`, most < TARGETS.domElements, {
        key: 'scenario_dom_elements',
        raw: most,
      });
      figure(`  scenario: passed at the last message (skipping ${fmt(FLOOD - 1)})`, `${passed} of ${REPS} runs`, `${REPS} of ${REPS}`, passed === REPS, {
        key: 'scenario_passed',
        raw: passed,
      });
    }
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

  // 5: the scenario engine's matching, natively (core/examples/match_throughput.rs): a
  // skip-until step that never matches reads message after message. No target was set for it;
  // ours is that it keeps far ahead of what the page receives, so it is never the bottleneck.
  if (ONLY.includes('match')) await step('engine matching throughput (native)', async () => {
    const list = JSON.parse(await runProgram(matchBin, ['--seconds', String(MATCH_SECONDS), '--json'], 300_000));
    if (pageFloodRate === null) {
      // Not measured by an earlier part of this run: one flood to the page for the reference.
      const r = await runOurs(`/flood?count=${FLOOD}&size=${SIZE}&kind=text`, FLOOD, { timeout: 180_000 });
      pageFloodRate = (FLOOD / (r.tEnd - r.t0)) * 1000;
      log(`  reference: the page took ${fmt(FLOOD)} at ${fmt(pageFloodRate)} msg/s`);
    }
    details.match = { seconds: MATCH_SECONDS, pageFloodRate, figures: list };
    figure(`  (reference: wsprobe page's flood rate, ${SIZE} B messages)`, `${fmt(pageFloodRate)} msg/s`, 'reference', null, {
      key: 'match_reference_rate',
      raw: pageFloodRate,
    });
    const floor = TARGETS.engineTimes * pageFloodRate;
    for (const f of list) {
      const times = f.rate / pageFloodRate;
      figure(
        `engine, skip-until ${f.matcher}, ${f.size === 1024 ? '1 KB' : `${f.size} B`} messages`,
        `${fmt(f.rate)} msg/s (${times.toFixed(0)}× page)`,
        `≥ ${TARGETS.engineTimes}× page (${fmt(floor)})`,
        f.rate >= floor,
        { key: `match_${f.matcher}_${f.size}`, raw: f.rate },
      );
    }
  });

  // 6: `wsprobe run` reading a flood through a skip-until step, beside a tokio-tungstenite
  // client that only counts (cli/examples/bare_count.rs), alternately. Both times run from the
  // dial to the last message: the CLI's from its JSON report (Connect's and Expect's durations).
  if (ONLY.includes('cli')) await step(`command line, flood of ${fmt(CLI_FLOOD)}`, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'wsprobe-bench-'));
    try {
      const floodUrl = `${server.ws}/flood?count=${CLI_FLOOD}&size=${SIZE}&kind=text`;
      const file = path.join(dir, 'flood.scenario.json');
      const report = path.join(dir, 'report.json');
      await writeFile(
        file,
        JSON.stringify({
          wsprobe: 'scenario',
          version: 1,
          name: 'Flood',
          request: { url: floodUrl },
          steps: [
            { id: 1, kind: 'connect' },
            { id: 2, kind: 'expect_message', mode: 'skip_until', timeout_ms: 300_000, match: { contains: lastOfFlood(CLI_FLOOD) } },
          ],
        }),
      );
      const bare = [];
      const cli = [];
      for (let i = 0; i < REPS; i++) {
        const b = JSON.parse(await runProgram(bareCountBin, [floodUrl, String(CLI_FLOOD)], 300_000));
        b.rate = (CLI_FLOOD / b.ms) * 1000;
        bare.push(b);
        log(`  bare client #${i + 1}: ${fmt(b.rate)} msg/s (${b.ms.toFixed(0)} ms, handshake ${b.open_ms.toFixed(1)} ms)`);
        await runProgram(cliBin, ['run', file, '--json', report], 300_000);
        const suite = JSON.parse(await readFile(report, 'utf8'));
        const run = suite.reports?.[0];
        const states = run?.steps?.map((s) => s.state) ?? [];
        if (run?.verdict !== 'passed' || states.length !== 2 || states.some((s) => s.state !== 'passed')) {
          throw new Error(`wsprobe run did not pass: ${JSON.stringify(run).slice(0, 400)}`);
        }
        const ms = states[0].duration_ms + states[1].duration_ms;
        const c = { ms, open_ms: states[0].duration_ms, skipped: states[1].skipped ?? 0, rate: (CLI_FLOOD / ms) * 1000 };
        cli.push(c);
        log(`  wsprobe run #${i + 1}: ${fmt(c.rate)} msg/s (${ms.toFixed(0)} ms, handshake ${c.open_ms.toFixed(1)} ms, skipped ${fmt(c.skipped)})`);
      }
      const bareRate = median(bare.map((b) => b.rate));
      const cliRate = median(cli.map((c) => c.rate));
      const ratio = cliRate / bareRate;
      details.cli = { count: CLI_FLOOD, size: SIZE, bare, cli };
      figure(`bare tokio-tungstenite client, ${fmt(CLI_FLOOD)} × ${SIZE} B (median of ${REPS})`, `${fmt(bareRate)} msg/s`, 'reference', null, {
        key: 'cli_bare_rate',
        raw: bareRate,
      });
      figure(`wsprobe run, skip-until step, same flood (median of ${REPS})`, `${fmt(cliRate)} msg/s`, 'reference', null, {
        key: 'cli_rate',
        raw: cliRate,
      });
      figure('wsprobe run rate / bare client rate', ratio.toFixed(2), `≥ ${TARGETS.cliRatio}`, ratio >= TARGETS.cliRatio, {
        key: 'cli_rate_ratio',
        raw: ratio,
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  // 7: Socket.IO's and GraphQL's cost on the page: the same server's flood of small events read
  // raw and as the protocol, alternately; then the raw flood of part 1 with replies paired by a JSON Pointer
  // (the Latency panel's work on every message) beside the same flood without.
  if (ONLY.includes('protocols')) await step(`Socket.IO, GraphQL, MQTT and STOMP floods of ${fmt(FLOOD)}, and pairing`, async () => {
    // A server of the bench's own, whose pings come too seldom to matter: the raw reader does not answer them.
    const given = process.env.WSPROBE_PROTOCOL_SERVERS;
    delete process.env.WSPROBE_PROTOCOL_SERVERS;
    process.env.WSPROBE_SOCKETIO_PING_MS = '600000';
    const servers = await startProtocolServers();
    if (given !== undefined) process.env.WSPROBE_PROTOCOL_SERVERS = given;
    try {
      const timeout = quick ? 60_000 : 300_000;
      const [raw, sio] = await protocolFloods('Socket.IO', 'socketio', `Socket.IO flood, ${fmt(FLOOD)} events`,
        TARGETS.socketIoRatio, (protocol) => runSocketIoFlood(servers.socketio, FLOOD, protocol, timeout));
      const [graphqlRaw, graphql] = await protocolFloods('GraphQL', 'graphql',
        `GraphQL subscription flood, ${fmt(FLOOD)} results`, TARGETS.graphqlRatio,
        (protocol) => runGraphqlFlood(servers.graphql, FLOOD, protocol, timeout));
      // An MQTT topic's messages, from mosquitto.
      const [mqttRaw, mqttRead] = await protocolFloods('MQTT', 'mqtt', `MQTT topic flood, ${fmt(FLOOD)} messages`,
        TARGETS.mqttRatio, (protocol) => runMqttFlood(servers.mqtt, FLOOD, protocol, timeout));
      // A STOMP topic's messages, from RabbitMQ.
      const [stompRaw, stompRead] = await protocolFloods('STOMP', 'stomp', `STOMP topic flood, ${fmt(FLOOD)} messages`,
        TARGETS.stompRatio, (protocol) => runStompFlood(servers.stomp, FLOOD, protocol, timeout));
      const endpoint = `/flood?count=${FLOOD}&size=${SIZE}&kind=text`;
      const plain = [];
      const paired = [];
      for (let i = 0; i < REPS; i++) {
        for (const [pairing, list] of [['', plain], ['/id', paired]]) {
          const r = await runOurs(endpoint, FLOOD, { timeout, pairing });
          r.ms = r.tEnd - r.t0;
          r.rate = (FLOOD / r.ms) * 1000;
          list.push(r);
          log(`  raw flood${pairing ? ', replies paired by /id' : ''} #${i + 1}: ${fmt(r.rate)} msg/s (${r.ms.toFixed(0)} ms)`);
        }
      }
      const plainRate = median(plain.map((r) => r.rate));
      const pairedRate = median(paired.map((r) => r.rate));
      details.protocols = {
        count: FLOOD, size: SIZE, raw, sio, graphqlRaw, graphql, mqttRaw, mqtt: mqttRead, stompRaw, stomp: stompRead, plain, paired,
      };
      figure(`raw flood with replies paired by /id (median of ${REPS})`, `${fmt(pairedRate)} msg/s`, 'reference', null, {
        key: 'paired_flood_rate',
        raw: pairedRate,
      });
      figure('paired rate / rate without pairing', (pairedRate / plainRate).toFixed(2), `≥ ${TARGETS.pairingRatio}`, pairedRate / plainRate >= TARGETS.pairingRatio, {
        key: 'pairing_rate_ratio',
        raw: pairedRate / plainRate,
      });
    } finally {
      await servers.close();
    }
  });

  printTable();
  const missed = figures.filter((f) => f.met === false).map((f) => f.name.trim());
  console.log(missed.length ? `MISSED: ${missed.join('; ')}` : 'All targets MET.');
  console.log(
    `(${((Date.now() - started) / 1000).toFixed(0)} s, chromium ${browser.version()}, parts ${ONLY.join(', ')}; ` +
      `floods of ${fmt(FLOOD)} × ${REPS}, stream of ${fmt(STREAM)}, command-line floods of ${fmt(CLI_FLOOD)})`,
  );

  const out = path.join(here, 'artifacts', 'bench.json');
  await mkdir(path.dirname(out), { recursive: true });
  await writeFile(
    out,
    JSON.stringify(
      {
        date: new Date().toISOString(),
        quick,
        config: { flood: FLOOD, reps: REPS, stream: STREAM, size: SIZE, large: LARGE, cliFlood: CLI_FLOOD, matchSeconds: MATCH_SECONDS, parts: ONLY, targets: TARGETS },
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
