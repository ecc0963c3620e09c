// The page as a site: from a sub-path, offline after one visit, nothing leaving 127.0.0.1,
// accessible in both themes (axe-core), a theme switch, a shortcuts dialog, phone widths.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dist, serveStatic, serviceWorkerControls, setUp, watchErrors } from '../harness.js';
import {
  addHeaderButton, addTemplate, connect, connectButton, copyShareLinkButton, dial, disconnectButton, entryDetail,
  message, messageLog, newEnvironmentButton, openConnectionOptions, openHeadersCookiesAndRelay, received, saveRequest,
  savedRequests, sendWithButton, shareLinkBox, url, waitForState,
} from '../page.js';

const axePath = path.join(path.dirname(fileURLToPath(import.meta.url)), '../node_modules/axe-core/axe.min.js');

let env;
let sub;
before(async () => {
  env = await setUp();
  sub = await serveStatic(dist, { prefix: '/tools/wsprobe/' });
});
after(async () => {
  sub?.close();
  await env?.close();
});

async function openAt(address, options = {}) {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const page = watchErrors(await context.newPage());
  await page.goto(address);
  await connectButton(page).waitFor();
  return page;
}

async function echo(page, text) {
  await connect(page, env.server.ws + '/echo');
  await sendWithButton(page, text);
  await received(page, 1);
}

test('the built page works from a sub-path, share links included', async () => {
  const page = await openAt(sub.url);
  await echo(page, 'from a sub-path');
  const link = await shareLinkBox(page).inputValue();
  assert.ok(link.startsWith(sub.url + '#share=1.'), link);
  const opened = await openAt(link);
  await opened.getByText('Opened a shared request').waitFor();
  assert.deepEqual([...page.errors, ...opened.errors], []);
});

test('after one visit the page opens with the network cut, saves, and dials', async () => {
  const page = await openAt(sub.url);
  await serviceWorkerControls(page);
  await page.context().setOffline(true);
  await page.reload();
  await connectButton(page).waitFor();
  await saveRequest(page, 'made offline');
  await savedRequests(page).getByRole('button', { name: 'made offline' }).waitFor();
  // The connection's worker comes from the cache too: Connect gets as far as the network allows.
  await dial(page, env.server.ws + '/echo');
  await waitForState(page, /Open|Failed/);
  assert.equal(await page.getByText('did not start').count(), 0);
  await page.context().setOffline(false);
  assert.deepEqual(page.errors, []);
});

test('no request leaves 127.0.0.1 during a whole session', async () => {
  const context = await env.browser.newContext();
  const hosts = new Set();
  context.on('request', (r) => hosts.add(new URL(r.url()).hostname));
  const page = watchErrors(await context.newPage());
  page.on('websocket', (ws) => hosts.add(new URL(ws.url()).hostname));
  await page.goto(sub.url);
  await echo(page, '{"hello": 1}');
  await saveRequest(page, 'saved');
  await copyShareLinkButton(page).click();
  await disconnectButton(page).click();
  // A failed handshake makes the page probe over HTTP: that stays on 127.0.0.1 too.
  await dial(page, env.server.ws + '/reject?status=403');
  await page.getByText('reachable but refused the WebSocket upgrade').waitFor({ timeout: 15_000 });
  await page.keyboard.press('?');
  await page.reload();
  await connectButton(page).waitFor();
  assert.deepEqual([...hosts], ['127.0.0.1']);
  assert.deepEqual(page.errors, []);
  await context.close();
});

for (const colorScheme of ['light', 'dark']) {
  test(`axe finds no serious or critical problems in the ${colorScheme} theme`, async () => {
    // axe is injected as a script, which the page's own policy rightly forbids.
    const page = await openAt(sub.url, { colorScheme, bypassCSP: true });
    await url(page).fill(env.server.ws + '/echo?room=1&token=x');
    await saveRequest(page, 'Echo');
    await newEnvironmentButton(page).click();
    await addTemplate(page, 'hello');
    await echo(page, '{"op": "hello"}');
    await messageLog(page).locator('.entry.received').click();
    await openConnectionOptions(page);
    await url(page).fill(env.server.ws + '/reject?status=401');
    await disconnectButton(page).click();
    await connectButton(page).click();
    await page.getByText('reachable but refused').waitFor({ timeout: 15_000 });
    await openHeadersCookiesAndRelay(page);
    await addHeaderButton(page).click();
    await page.getByText('Reconnect automatically').click();
    await page.addScriptTag({ path: axePath });
    const serious = (context) =>
      page.evaluate(async (context) => {
        const result = await window.axe.run(context, { resultTypes: ['violations'] });
        return result.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
      }, context);
    assert.deepEqual(await serious('body'), []);
    // The shortcuts dialog, which makes the rest of the page inert while it is open.
    await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).getByRole('row', { name: /Send the message/ }).waitFor();
    assert.deepEqual(await serious('dialog.help'), []);
    assert.deepEqual(page.errors, []);
  });
}

test('the theme can be chosen and is remembered', async () => {
  const page = await openAt(sub.url, { colorScheme: 'light' });
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await background();
  await page.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  const dark = await background();
  assert.notEqual(dark, light);
  await page.reload();
  await connectButton(page).waitFor();
  assert.equal(await background(), dark);
  await page.getByRole('combobox', { name: 'Theme' }).selectOption('');
  assert.equal(await background(), light);
  assert.deepEqual(page.errors, []);
});

test('? opens the keyboard shortcuts, Escape closes them, and focus is always visible', async () => {
  const page = await openAt(sub.url);
  await page.locator('body').press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await dialog.waitFor();
  // The list itself is a lazy part: the dialog says "Loading …" until it is there.
  await dialog.getByRole('row', { name: /Send the message/ }).waitFor();
  assert.match(await dialog.innerText(), /Ctrl\+Enter/);
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  // Typing ? in a field types it.
  await message(page).fill('');
  await message(page).press('?');
  assert.equal(await message(page).inputValue(), '?');
  assert.equal(await dialog.isVisible(), false);

  // Every control reached with Tab shows a focus ring.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press('Tab');
    const ring = await page.evaluate(() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      return { tag: el.tagName, shadow: style.boxShadow, outline: style.outlineStyle };
    });
    assert.ok(ring.shadow !== 'none' || ring.outline !== 'none', `no focus ring on ${ring.tag}`);
  }
  assert.deepEqual(page.errors, []);
});

test('on a 360 px phone nothing overflows sideways, the main controls are there, and an open entry leaves the log in view', async () => {
  const page = await openAt(sub.url, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.equal(overflow, 0);
  for (const [role, name] of [['textbox', 'URL'], ['button', 'Connect'], ['textbox', 'Message'], ['log', 'Message log']]) {
    const box = await page.getByRole(role, { name, exact: true }).boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 360, `${name} fits: ${JSON.stringify(box)}`);
  }
  await echo(page, 'from a phone');
  // The header stays one line, and an open entry leaves rows of the log in view.
  const header = await page.getByRole('banner').boundingBox();
  assert.ok(header && header.height < 60, `header: ${JSON.stringify(header)}`);
  const log = messageLog(page);
  await log.locator('.entry.received').click();
  await entryDetail(page).waitFor();
  const rows = await log.boundingBox();
  assert.ok(rows && rows.height >= 5 * 28, `log with an entry open: ${JSON.stringify(rows)}`);
  assert.deepEqual(page.errors, []);
});
