// The split build: parts of the page live in wasm chunks (split_*.wasm) that load when first
// used or once the page is idle; a chunk that cannot load shows a message and a Retry button,
// and the service worker keeps every chunk for offline use.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { dist, serviceWorkerControls, setUp, startRelay } from '../harness.js';
import {
  connect, connectButton, dial, disconnectButton, entryDetail, filterMessages, handshake, messageLog, newEnvironmentButton,
  openConnectionOptions, parameterNames, saveAs, url, useRelay, useRelayCheckbox, variableName, variableValue,
  waitForState,
} from '../page.js';

const CHUNK = /\/(split|chunk)_[^/]*\.wasm$/;

let env;
let relay;
before(async () => {
  [env, relay] = await Promise.all([setUp(), startRelay()]);
});
after(async () => {
  relay?.close();
  await env?.close();
});

const help = (page) => page.getByRole('dialog', { name: 'Keyboard shortcuts' });

test('the build has lazy chunks, none loaded by index.html, all in the service worker', async () => {
  const files = await readdir(dist);
  const chunks = files.filter((f) => /^(split|chunk)_.*\.wasm$/.test(f));
  assert.ok(chunks.some((f) => f.startsWith('split_panels-')), files.join(' '));
  const index = await readFile(path.join(dist, 'index.html'), 'utf8');
  const sw = await readFile(path.join(dist, 'sw.js'), 'utf8');
  for (const chunk of chunks) {
    assert.ok(!index.includes(chunk), `${chunk} in index.html`);
    assert.ok(sw.includes(`"./${chunk}"`), `${chunk} not cached by sw.js`);
  }
});

test('the chunks load by themselves once the page is idle', async () => {
  const context = await env.browser.newContext({ serviceWorkers: 'block' });
  const fetched = [];
  context.on('requestfinished', (r) => CHUNK.test(r.url()) && fetched.push(r.url()));
  const page = await env.open({ context });
  await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => /split_panels-/.test(e.name)));
  await help(page).waitFor({ state: 'hidden' });
  // Fetched is not yet compiled and drawn: the list appears in the closed dialog on its own.
  await page.locator('dialog.help table').waitFor({ state: 'attached' });
  await page.keyboard.press('?');
  assert.match(await help(page).innerText(), /Ctrl\+Enter/);
  assert.ok(fetched.some((u) => /split_panels-/.test(u)), fetched.join(' '));
  assert.deepEqual(page.errors, []);
});

test('a chunk that cannot load says so, the page goes on working, and Retry loads it', async () => {
  const context = await env.browser.newContext({ serviceWorkers: 'block' });
  let blocked = true;
  // As if offline before the service worker had stored the chunk.
  await context.route(CHUNK, (route) => (blocked ? route.abort('internetdisconnected') : route.continue()));
  const page = await env.open({ context });
  // The idle preload has failed quietly; the rest of the page works.
  await page.waitForTimeout(500);
  await page.getByRole('textbox', { name: 'URL' }).fill(env.server.ws + '/echo');
  await connectButton(page).click();
  await page.getByRole('status', { name: 'Connection state' }).filter({ hasText: 'Open' }).waitFor();

  await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
  await help(page).getByRole('alert').filter({ hasText: 'Could not load the keyboard shortcuts' }).waitFor();
  assert.equal(await help(page).locator('table').count(), 0);
  blocked = false;
  // Each part that could not load says which it is, with its own Retry.
  await page.getByRole('alert').filter({ hasText: 'Could not load the saved requests' }).waitFor();
  await page.getByRole('button', { name: 'Retry loading the saved requests' }).waitFor();
  await help(page).getByRole('button', { name: 'Retry loading the keyboard shortcuts' }).click();
  await help(page).getByRole('row', { name: /Send the message/ }).waitFor();
  assert.equal(await help(page).getByRole('alert').count(), 0);
  await help(page).getByRole('button', { name: 'Close', exact: true }).click();
  await help(page).waitFor({ state: 'hidden' });
  // The loader logs the failed fetch to the console; nothing may have panicked.
  assert.deepEqual(page.errors, []);
});

/** Every part of the page whose code is in a chunk, used as a person would: each must appear
 *  and work. Online it dials through the relay, so that the raw handshake has something to
 *  show; offline (where Chromium lets no connection out, not even to 127.0.0.1) it dials
 *  directly, and the attempt fills the timeline and the log. */
async function useEveryLazyPart(page, { online }) {
  await page.getByRole('textbox', { name: 'Share link' }).waitFor();
  await page.getByRole('heading', { name: 'Saved requests' }).waitFor();
  await page.getByRole('button', { name: 'New environment' }).waitFor();
  await page.getByRole('heading', { name: 'History' }).waitFor();
  await page.getByRole('region', { name: 'Scenario' }).getByRole('button', { name: 'Record as scenario' }).waitFor();
  await page.getByRole('button', { name: 'Add template' }).waitFor();
  await page.getByRole('spinbutton', { name: 'Repeat every (ms)' }).waitFor();
  await page.getByRole('region', { name: 'Latency' }).waitFor();
  // The query parameters follow the URL; the request name saves.
  await url(page).fill(env.server.ws + '/echo?lazy=parts');
  assert.equal(await parameterNames(page).first().inputValue(), 'lazy');
  await saveAs(page, online ? 'Lazy parts online' : 'Lazy parts offline');
  await openConnectionOptions(page);
  await page.getByRole('checkbox', { name: 'Reconnect automatically' }).waitFor();
  await useRelay(page, relay.ws, relay.token);
  if (online) {
    await useRelayCheckbox(page).check();
    await dial(page, env.server.ws + '/echo');
    await waitForState(page, 'Open');
    await handshake(page).locator('.raw-handshake pre').first().waitFor();
    assert.match(await handshake(page).locator('.raw-handshake').innerText(), /HTTP\/1\.1 101 Switching Protocols/);
  } else {
    await dial(page, env.server.ws + '/echo');
    await waitForState(page, /Open|Failed/);
  }
  await handshake(page).getByRole('heading', { name: 'Timeline' }).waitFor();
  await messageLog(page).locator('.entry').first().click();
  await entryDetail(page).waitFor();
  // The log's filter hides what does not match, and shows it all again.
  await filterMessages(page).fill('no such entry');
  await messageLog(page).getByText('No entry matches the filter.').waitFor();
  await filterMessages(page).fill('');
  await messageLog(page).locator('.entry').first().waitFor();
  assert.equal(await page.getByText(/Could not load/).count(), 0);
  assert.equal(await page.locator('.loading').count(), 0);
}

test('every lazily loaded part appears and works on a first visit', async () => {
  const context = await env.browser.newContext({ serviceWorkers: 'block' });
  const page = await env.open({ context });
  await useEveryLazyPart(page, { online: true });
  assert.deepEqual(page.errors, []);
});

test('after one visit, every lazily loaded part appears and works with the network cut', async () => {
  const page = await env.open();
  await serviceWorkerControls(page);
  // Only what was asked for with the network cut: an idle preload of the first visit, started
  // before the service worker took control, may still finish from the network after this.
  const askedOffline = new WeakSet();
  let offline = false;
  page.on('request', (r) => offline && askedOffline.add(r));
  const fetched = [];
  page.on('requestfinished', (r) => CHUNK.test(r.url()) && askedOffline.has(r) && fetched.push(r));
  await page.context().setOffline(true);
  offline = true;
  await page.reload();
  await useEveryLazyPart(page, { online: false });
  // Every chunk came from the service worker's cache.
  assert.ok(fetched.length > 0);
  for (const request of fetched) assert.ok((await request.response())?.fromServiceWorker(), request.url());
  await page.context().setOffline(false);
  assert.deepEqual(page.errors, []);
});

test('while a panel\u2019s code loads it says so, rather than leaving a gap', async () => {
  const context = await env.browser.newContext({ serviceWorkers: 'block' });
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await context.route(CHUNK, async (route) => { await held; await route.continue(); });
  const page = await env.open({ context });
  await page.getByText('Loading the saved requests\u2026').waitFor();
  await page.getByText('Loading the scenario\u2026').waitFor();
  // Parts that only show at times (the entry view) show nothing while loading.
  assert.equal(await page.getByText('Loading the entry view').count(), 0);
  release();
  await page.getByRole('heading', { name: 'Saved requests' }).waitFor();
  // Every place gives way to its part (the two chunks arrive one after the other).
  await page.waitForFunction(() => document.querySelector('.loading') === null);
  await page.getByRole('region', { name: 'Scenario' }).waitFor();
  assert.deepEqual(page.errors, []);
});

test('the history and the environments are read with their panels: a connection made before is recorded, a variable asks to wait', async () => {
  const context = await env.browser.newContext({ serviceWorkers: 'block' });
  const first = await env.open({ context });
  await newEnvironmentButton(first).click();
  await variableName(first).fill('where');
  await variableValue(first).fill('echo');
  await first.close();

  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await context.route(CHUNK, async (route) => { await held; await route.continue(); });
  const page = await env.open({ context });
  await page.getByText('Loading the history\u2026').waitFor();
  await dial(page, env.server.ws + '/{{where}}');
  await page.getByRole('alert').filter({
    hasText: '{{where}} comes from the environments, which are still loading; try again in a moment.',
  }).waitFor();
  await connect(page, env.server.ws + '/echo?before=panels');
  await disconnectButton(page).click();
  await waitForState(page, 'Closed');

  release();
  const history = page.getByRole('region', { name: 'History' }).getByRole('listitem');
  await history.filter({ hasText: 'before=panels' }).filter({ hasText: 'opened, closed 1000' }).waitFor();
  await dial(page, env.server.ws + '/{{where}}?after=panels');
  await waitForState(page, 'Open');
  await history.filter({ hasText: 'after=panels' }).filter({ hasText: 'opened' }).waitFor();
  // Both were written to storage: a reload lists them.
  await page.reload();
  await history.filter({ hasText: 'before=panels' }).waitFor();
  await history.filter({ hasText: 'after=panels' }).waitFor();
  assert.deepEqual(page.errors, []);
});

test('the page shows its frame while the WebAssembly arrives, and the app replaces it', async () => {
  const context = await env.browser.newContext({ serviceWorkers: 'block' });
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await context.route(/\/wsprobe-[0-9a-f]+_bg\.wasm$/, async (route) => { await held; await route.continue(); });
  const page = await context.newPage();
  await page.goto(env.site.url, { waitUntil: 'commit' });
  await page.getByRole('heading', { name: 'wsprobe', level: 1 }).waitFor();
  await page.getByText('Loading wsprobe\u2026').waitFor();
  release();
  await connectButton(page).waitFor();
  assert.equal(await page.getByText('Loading wsprobe\u2026').count(), 0);
  assert.equal(await page.getByRole('heading', { level: 1 }).count(), 1);
  await context.close();
});

test('a share link whose code cannot load says so, and stays in the address for a reload', async () => {
  const context = await env.browser.newContext({ serviceWorkers: 'block' });
  let blocked = true;
  await context.route(CHUNK, (route) => (blocked ? route.abort('internetdisconnected') : route.continue()));
  const first = await env.open();
  await first.getByRole('textbox', { name: 'Share link' }).waitFor();
  const link = await first.getByRole('textbox', { name: 'Share link' }).inputValue();
  const hash = link.slice(link.indexOf('#'));

  const page = await env.open({ context, hash });
  await page.getByText('reads links could not be loaded').waitFor();
  assert.equal(new URL(page.url()).hash, hash, 'the link stays in the address');

  blocked = false;
  await page.reload();
  await page.getByText('Opened a shared request').waitFor();
  assert.deepEqual([...first.errors, ...page.errors], []);
});

test('on a page that is never idle the panels still load, within seconds', async () => {
  const context = await env.browser.newContext({ serviceWorkers: 'block' });
  // A task always waiting, as on a busy machine or under a stream: the browser never has an
  // idle moment, so a preload that waited for one would wait for ever.
  await context.addInitScript(() => {
    const burn = () => {
      const end = performance.now() + 30;
      while (performance.now() < end);
      setTimeout(burn, 0);
    };
    setTimeout(burn, 0);
  });
  const page = await env.open({ context });
  await page.getByRole('heading', { name: 'Saved requests' }).waitFor({ timeout: 10_000 });
  assert.deepEqual(page.errors, []);
  await context.close();
});
