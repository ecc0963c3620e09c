// Every timer and listener has an owner: a part of the page that is shown and hidden again and
// again leaves no timer or listener behind. The page's own setInterval, setTimeout and
// addEventListener are counted from before it loads.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setUp } from '../harness.js';

let env;
before(async () => { env = await setUp(); });
after(async () => { await env?.close(); });

const CYCLES = 50;

/** Runs in the page before any of its scripts: counts what is live in `window.__live()`. */
function countLiveTimersAndListeners() {
  const intervals = new Set();
  const timeouts = new Set();
  const { setInterval, clearInterval, setTimeout, clearTimeout } = window;
  window.setInterval = function (...args) {
    const id = setInterval.apply(this, args);
    intervals.add(id);
    return id;
  };
  window.setTimeout = function (callback, ...rest) {
    const run = typeof callback === 'function'
      ? function (...a) { timeouts.delete(id); return callback.apply(this, a); }
      : callback;
    const id = setTimeout.call(this, run, ...rest);
    timeouts.add(id);
    return id;
  };
  // Timeouts and intervals share their ids: either clear ends either.
  const cleared = (clear) => function (id) {
    intervals.delete(id);
    timeouts.delete(id);
    return clear.call(this, id);
  };
  window.clearInterval = cleared(clearInterval);
  window.clearTimeout = cleared(clearTimeout);

  // Held weakly, so that counting keeps no removed element alive.
  const listeners = [];
  const capture = (options) => (typeof options === 'boolean' ? options : Boolean(options?.capture));
  const find = (target, type, listener, options) => listeners.findIndex((l) =>
    l.target.deref() === target && l.type === type && l.listener === listener && l.capture === capture(options));
  const { addEventListener, removeEventListener } = EventTarget.prototype;
  EventTarget.prototype.addEventListener = function (type, listener, options) {
    if (listener && find(this, type, listener, options) < 0) {
      listeners.push({ target: new WeakRef(this), type, listener, capture: capture(options) });
    }
    return addEventListener.call(this, type, listener, options);
  };
  EventTarget.prototype.removeEventListener = function (type, listener, options) {
    const at = find(this, type, listener, options);
    if (at >= 0) listeners.splice(at, 1);
    return removeEventListener.call(this, type, listener, options);
  };

  window.__live = () => {
    const live = { window: [], document: [], elements: 0 };
    for (const l of listeners) {
      const target = l.target.deref();
      if (target === window) live.window.push(l.type);
      else if (target === document) live.document.push(l.type);
      // A listener on an element out of the page goes with the element.
      else if (target instanceof Node && target.isConnected) live.elements += 1;
    }
    return { intervals: intervals.size, timeouts: timeouts.size, ...live, window: live.window.sort(), document: live.document.sort() };
  };
}

const log = (page) => page.getByRole('log', { name: 'Message log' });
const detail = (page) => page.getByRole('region', { name: 'Entry' });
const help = (page) => page.getByRole('dialog', { name: 'Keyboard shortcuts' });

/** Opens a log entry whole and closes it, then opens the shortcuts with `?` and closes them. */
async function openAndClose(page) {
  await log(page).locator('.entry').filter({ hasText: '"deep"' }).first().click();
  await detail(page).getByText('"args"').first().waitFor();
  await page.getByRole('button', { name: 'Close entry' }).click();
  await detail(page).waitFor({ state: 'detached' });
  await page.keyboard.press('?');
  await help(page).waitFor();
  await help(page).getByRole('button', { name: 'Close', exact: true }).click();
  await help(page).waitFor({ state: 'hidden' });
}

test(`showing and hiding the entry view and the shortcuts ${CYCLES} times leaves no timer or listener behind`, async (t) => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(countLiveTimersAndListeners);
  const page = await env.open({ context });
  const start = await page.evaluate(() => window.__live());
  // The counting sees the page's own: the log's and the announcer's intervals, and the
  // window's listeners for shortcuts, share links and other tabs' saves.
  assert.ok(start.intervals >= 2, JSON.stringify(start));
  for (const type of ['hashchange', 'keydown', 'storage']) assert.ok(start.window.includes(type), JSON.stringify(start));

  await page.getByRole('textbox', { name: 'URL' }).fill(env.server.ws + '/echo');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await page.getByRole('status', { name: 'Connection state' }).filter({ hasText: 'Open' }).waitFor();
  const message = page.getByRole('textbox', { name: 'Message' });
  await message.fill('{"op":"subscribe","args":[1,2,{"deep":true}]}');
  await message.press('Control+Enter');
  await log(page).locator('.entry').filter({ hasText: 'received' }).filter({ hasText: '"deep"' }).waitFor();
  await page.getByRole('button', { name: 'Disconnect' }).click();
  await page.getByRole('status', { name: 'Connection state' }).filter({ hasText: 'Closed' }).waitFor();

  await openAndClose(page);
  const first = await page.evaluate(() => window.__live());
  for (let i = 1; i < CYCLES; i += 1) await openAndClose(page);
  const last = await page.evaluate(() => window.__live());
  t.diagnostic(`live after the first cycle: ${JSON.stringify(first)}; after the last: ${JSON.stringify(last)}`);

  assert.equal(last.intervals, first.intervals, 'intervals');
  // One-shot timers end by themselves (the connect timeout may have run out meanwhile).
  assert.ok(last.timeouts <= first.timeouts, `timeouts: ${first.timeouts} then ${last.timeouts}`);
  assert.deepEqual(last.window, first.window, 'listeners on the window');
  assert.deepEqual(last.document, first.document, 'listeners on the document');
  assert.equal(last.elements, first.elements, 'listeners on elements in the page');
  assert.deepEqual(page.errors, []);
  await context.close();
});
