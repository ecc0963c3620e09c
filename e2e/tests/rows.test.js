// Rows keep who they are: each editable row and timeline entry is keyed by its own id, so
// removing or moving a row above the one being edited leaves its input, its value and the
// focus with it, and a new Connect never shows an old attempt's timeline.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { closedPort, setUp } from '../harness.js';
import {
  addHeader, addTemplate, dial, message, newEnvironmentButton, openHeadersCookiesAndRelay,
  parameterValues, url, variableName, variableValue, waitForState,
} from '../page.js';

let env;
before(async () => { env = await setUp(); });
after(async () => { await env?.close(); });

/** The element stays the same one (not redrawn for another row), keeps its value and focus. */
async function staysItself(handle, value) {
  assert.equal(await handle.evaluate((e) => e.isConnected), true, 'the same input, not a new one');
  assert.equal(await handle.inputValue(), value);
  assert.equal(await handle.evaluate((e) => document.activeElement === e), true, 'focus stays');
}

/** Clicks without taking the focus, as a script or an assistive tool may. */
const press = (locator) => locator.dispatchEvent('click');

test('the timeline after a second Connect starts with the new attempt', async () => {
  const page = await env.open();
  await dial(page, `ws://127.0.0.1:${await closedPort()}/first`);
  await waitForState(page, 'Failed', { timeout: 15_000 });
  await dial(page, env.server.ws + '/echo?second');
  await waitForState(page, 'Open');
  const rows = page.getByRole('list', { name: 'Timeline' }).getByRole('listitem');
  assert.match(await rows.first().innerText(), /Connecting to .*\/echo\?second/);
  for (const text of await rows.allInnerTexts()) assert.doesNotMatch(text, /first/);
  assert.deepEqual(page.errors, []);
});

test('a parameter being edited stays itself when the one above it is removed', async () => {
  const page = await env.open();
  await url(page).fill(env.server.ws + '/echo?a=1&b=2&c=3');
  const b = await parameterValues(page).nth(1).elementHandle();
  await b.focus();
  await b.type('0');
  await press(page.getByRole('button', { name: 'Remove parameter' }).first());
  await staysItself(b, '20');
  assert.equal(await url(page).inputValue(), env.server.ws + '/echo?b=20&c=3');
  assert.deepEqual(page.errors, []);
});

test('a header and a variable being edited stay themselves when the row above goes', async () => {
  const page = await env.open();
  await openHeadersCookiesAndRelay(page);
  await addHeader(page, 'X-One', '1');
  await addHeader(page, 'X-Two', '2');
  const two = await page.getByRole('textbox', { name: 'Header value' }).nth(1).elementHandle();
  await two.focus();
  await press(page.getByRole('button', { name: 'Remove header' }).first());
  await staysItself(two, '2');

  await newEnvironmentButton(page).click();
  await variableName(page).fill('first');
  await page.getByRole('button', { name: 'Add variable' }).click();
  await variableName(page).nth(1).fill('second');
  const second = await variableValue(page).nth(1).elementHandle();
  await second.focus();
  await second.type('v2');
  await press(page.getByRole('button', { name: 'Remove variable' }).first());
  await staysItself(second, 'v2');
  assert.equal(await variableName(page).inputValue(), 'second');
  assert.deepEqual(page.errors, []);
});

test('a template keeps its row when it moves', async () => {
  const page = await env.open();
  for (const name of ['one', 'two']) {
    await message(page).fill(`text of ${name}`);
    await addTemplate(page, name);
  }
  const up = page.getByRole('button', { name: 'Move template up: two' });
  const button = await up.elementHandle();
  await button.focus();
  await button.press('Enter');
  // The move redraws the list, which takes the focus from the button; the page gives it back
  // on the next frame, which may come after press() returns.
  await page.waitForFunction((e) => document.activeElement === e, button, { timeout: 5_000 })
    .catch(() => {});
  assert.deepEqual(await page.locator('.template-name').allInnerTexts(), ['two', 'one']);
  assert.equal(await button.evaluate((e) => e.isConnected && document.activeElement === e), true,
    'the button kept the focus');
  assert.equal(await button.getAttribute('aria-label'), 'Move template up: two', 'and it is still the row of "two"');
  assert.deepEqual(page.errors, []);
});
