// What a person does on the page, found by role and accessible name (shared/ui-contract.md).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setUp } from '../harness.js';

let env;
before(async () => { env = await setUp(); });
after(async () => { await env?.close(); });

const state = (page) => page.getByRole('status', { name: 'Connection state' });
const handshake = (page) => page.getByRole('region', { name: 'Handshake' });
const log = (page) => page.getByRole('log', { name: 'Message log' });
const counter = (page, name) => page.getByLabel(name, { exact: true });

async function connect(page, path, subprotocols = '') {
  await page.getByRole('textbox', { name: 'URL' }).fill(env.server.ws + path);
  await page.getByRole('textbox', { name: 'Subprotocols' }).fill(subprotocols);
  await page.getByRole('button', { name: 'Connect' }).click();
}

async function expectText(locator, pattern) {
  await locator.filter({ hasText: pattern }).waitFor({ timeout: 10_000 });
}

test('connect to echo, send by button and by Ctrl+Enter, see both directions, disconnect', async () => {
  const page = await env.open();
  await expectText(state(page), 'Idle');
  await connect(page, '/echo');
  await expectText(state(page), 'Open');
  await expectText(handshake(page), /Time to open\s*\d+ ms/);
  await expectText(handshake(page), env.server.ws + '/echo');

  const message = page.getByRole('textbox', { name: 'Message' });
  await message.fill('hello from the button');
  await page.getByRole('button', { name: 'Send' }).click();
  await expectText(log(page), 'received');
  await message.fill('{"via":"ctrl+enter"}');
  await message.press('Control+Enter');

  await expectText(counter(page, 'Messages sent'), /^2$/);
  await expectText(counter(page, 'Messages received'), /^2$/);
  assert.equal(await counter(page, 'Messages dropped').textContent(), '0');
  const entries = await log(page).locator('.entry').allTextContents();
  const withText = (t) => entries.filter((e) => e.includes(t));
  assert.equal(withText('hello from the button').length, 2, entries.join('\n'));
  assert.match(withText('hello from the button')[0], /sent\s*\d\d:\d\d:\d\d\.\d{3}\s*21 B/);
  assert.match(withText('hello from the button')[1], /received/);
  assert.equal(withText('{"via":"ctrl+enter"}').length, 2);

  await page.getByRole('button', { name: 'Disconnect' }).click();
  await expectText(state(page), 'Closed');
  await expectText(handshake(page), /1000 Normal Closure/);
  await expectText(handshake(page), /Clean\s*yes/);
  assert.equal(await page.getByRole('button', { name: 'Send' }).isDisabled(), true);
  assert.deepEqual(page.errors, []);
});

test('the negotiated subprotocol is shown beside the requested ones', async () => {
  const page = await env.open();
  await connect(page, '/subprotocol?accept=json', 'chat, json');
  await expectText(state(page), 'Open');
  await expectText(handshake(page), /Requested subprotocols\s*chat, json/);
  await expectText(handshake(page), /Negotiated subprotocol\s*json/);
  assert.deepEqual(page.errors, []);
});

test('permessage-deflate shows in the extensions', async () => {
  const page = await env.open();
  await connect(page, '/deflate');
  await expectText(handshake(page), /Extensions\s*permessage-deflate/);
  assert.deepEqual(page.errors, []);
});

test("the server's close code, its meaning and the reason are shown", async () => {
  const page = await env.open();
  await connect(page, '/close?code=4001&reason=session%20expired');
  await expectText(state(page), 'Closed');
  await expectText(handshake(page), /4001/);
  await expectText(handshake(page), /application/i);
  await expectText(handshake(page), /Reason\s*session expired/);
  await expectText(handshake(page), /Clean\s*yes/);
  await expectText(log(page), /Closed 4001/);
  assert.deepEqual(page.errors, []);
});

test('a rejected handshake is Failed, with a diagnosis', async () => {
  const page = await env.open();
  await connect(page, '/reject?status=403');
  await expectText(state(page), 'Failed');
  await expectText(handshake(page), /Diagnosis/);
  await expectText(handshake(page), /1006/);
  assert.equal(await page.getByRole('button', { name: 'Connect' }).isEnabled(), true);
  assert.deepEqual(page.errors, []);
});

for (const [typed, why] of [
  ['http//x y', /ws:\/\//],
  ['example.com', /ws:\/\/|wss:\/\//],
  ['https://example.com/socket', /wss:\/\/example\.com\/socket/],
  ['', /URL/i],
]) {
  test(`the page itself refuses ${JSON.stringify(typed)} and says what a valid URL looks like`, async () => {
    const page = await env.open();
    const dialled = [];
    page.on('websocket', (ws) => dialled.push(ws.url()));
    await page.getByRole('textbox', { name: 'URL' }).fill(typed);
    await page.getByRole('button', { name: 'Connect' }).click();
    const alert = page.getByRole('alert');
    await expectText(alert, why);
    assert.equal(await page.getByRole('textbox', { name: 'URL' }).getAttribute('aria-invalid'), 'true');
    assert.deepEqual(dialled, [], 'nothing is dialled');
    // Editing the URL clears the complaint.
    await page.getByRole('textbox', { name: 'URL' }).fill(env.server.ws + '/echo');
    assert.equal(await alert.count(), 0, 'the complaint is gone');
    assert.deepEqual(page.errors, []);
  });
}

test('a binary frame is shown as hex', async () => {
  const page = await env.open();
  await connect(page, '/binary');
  await expectText(log(page), '00 01 02 7f 80 fe ff');
  const entry = log(page).locator('.entry', { hasText: '00 01 02 7f 80 fe ff' });
  assert.match(await entry.textContent(), /received.*7 B.*bin/i);
  assert.deepEqual(page.errors, []);
});

test('a flood of messages is counted in full and the log follows the newest', async () => {
  const page = await env.open();
  await connect(page, '/flood?count=20000&size=64');
  await expectText(counter(page, 'Messages received'), /^20,000$/);
  await expectText(log(page), /^.*00019999 /);
  const rendered = await log(page).locator('.entry').count();
  assert.ok(rendered < 200, `only the rows in view are in the page, not ${rendered}`);
  assert.deepEqual(page.errors, []);
});
