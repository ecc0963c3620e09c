// What a person does on the page, found by role and accessible name (shared/ui-contract.md).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setUp } from '../harness.js';
import {
  connectButton, connectionState, dial, disconnectButton, handshake, logEntries, messageLog, messagesDropped,
  messagesReceived, messagesSent, send, sendButton, sendWithButton, url,
} from '../page.js';

let env;
before(async () => { env = await setUp(); });
after(async () => { await env?.close(); });

async function expectText(locator, pattern) {
  await locator.filter({ hasText: pattern }).waitFor({ timeout: 10_000 });
}

test('connect to echo, send by button and by Ctrl+Enter, see both directions, disconnect', async () => {
  const page = await env.open();
  await expectText(connectionState(page), 'Idle');
  await dial(page, env.server.ws + '/echo', '');
  await expectText(connectionState(page), 'Open');
  await expectText(handshake(page), /Time to open\s*\d+ ms/);
  await expectText(handshake(page), env.server.ws + '/echo');

  await sendWithButton(page, 'hello from the button');
  await expectText(messageLog(page), 'received');
  await send(page, '{"via":"ctrl+enter"}');

  await expectText(messagesSent(page), /^2$/);
  await expectText(messagesReceived(page), /^2$/);
  assert.equal(await messagesDropped(page).textContent(), '0');
  const entries = await logEntries(page).allTextContents();
  const withText = (t) => entries.filter((e) => e.includes(t));
  assert.equal(withText('hello from the button').length, 2, entries.join('\n'));
  assert.match(withText('hello from the button')[0], /sent\s*\d\d:\d\d:\d\d\.\d{3}\s*21 B/);
  assert.match(withText('hello from the button')[1], /received/);
  assert.equal(withText('{"via":"ctrl+enter"}').length, 2);

  await disconnectButton(page).click();
  await expectText(connectionState(page), 'Closed');
  await expectText(handshake(page), /1000 Normal Closure/);
  await expectText(handshake(page), /Clean\s*yes/);
  assert.equal(await sendButton(page).isDisabled(), true);
  assert.deepEqual(page.errors, []);
});

test('the negotiated subprotocol is shown beside the requested ones', async () => {
  const page = await env.open();
  await dial(page, env.server.ws + '/subprotocol?accept=json', 'chat, json');
  await expectText(connectionState(page), 'Open');
  await expectText(handshake(page), /Requested subprotocols\s*chat, json/);
  await expectText(handshake(page), /Negotiated subprotocol\s*json/);
  assert.deepEqual(page.errors, []);
});

test('permessage-deflate shows in the extensions', async () => {
  const page = await env.open();
  await dial(page, env.server.ws + '/deflate', '');
  await expectText(handshake(page), /Extensions\s*permessage-deflate/);
  assert.deepEqual(page.errors, []);
});

test("the server's close code, its meaning and the reason are shown", async () => {
  const page = await env.open();
  await dial(page, env.server.ws + '/close?code=4001&reason=session%20expired', '');
  await expectText(connectionState(page), 'Closed');
  await expectText(handshake(page), /4001/);
  await expectText(handshake(page), /application/i);
  await expectText(handshake(page), /Reason\s*session expired/);
  await expectText(handshake(page), /Clean\s*yes/);
  await expectText(messageLog(page), /Closed 4001/);
  assert.deepEqual(page.errors, []);
});

test('a rejected handshake is Failed, with a diagnosis', async () => {
  const page = await env.open();
  await dial(page, env.server.ws + '/reject?status=403', '');
  await expectText(connectionState(page), 'Failed');
  await expectText(handshake(page), /Diagnosis/);
  await expectText(handshake(page), /1006/);
  assert.equal(await connectButton(page).isEnabled(), true);
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
    await dial(page, typed);
    const alert = page.getByRole('alert');
    await expectText(alert, why);
    assert.equal(await url(page).getAttribute('aria-invalid'), 'true');
    assert.deepEqual(dialled, [], 'nothing is dialled');
    // Editing the URL clears the complaint.
    await url(page).fill(env.server.ws + '/echo');
    assert.equal(await alert.count(), 0, 'the complaint is gone');
    assert.deepEqual(page.errors, []);
  });
}

test('a binary frame is shown as hex', async () => {
  const page = await env.open();
  await dial(page, env.server.ws + '/binary', '');
  await expectText(messageLog(page), '00 01 02 7f 80 fe ff');
  const entry = logEntries(page).filter({ hasText: '00 01 02 7f 80 fe ff' });
  assert.match(await entry.textContent(), /received.*7 B.*bin/i);
  assert.deepEqual(page.errors, []);
});

test('a flood of messages is counted in full and the log follows the newest', async () => {
  const page = await env.open();
  await dial(page, env.server.ws + '/flood?count=20000&size=64', '');
  await expectText(messagesReceived(page), /^20,000$/);
  await expectText(messageLog(page), /^.*00019999 /);
  const rendered = await logEntries(page).count();
  assert.ok(rendered < 200, `only the rows in view are in the page, not ${rendered}`);
  assert.deepEqual(page.errors, []);
});
