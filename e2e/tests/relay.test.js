// Headers, cookies, the raw handshake and pings through the local relay (the wsprobe-relay
// binary), against the project's own test server.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { closedPort, setUp, startRelay } from '../harness.js';
import {
  addBearerToken, addHeader, connectButton, connectionState, cookies, dial, entryDetail, handshake,
  messageFormat, messageLog, received, sendWithButton, useRelay, useRelayCheckbox, waitForState,
} from '../page.js';

let env;
let relay;
before(async () => {
  [env, relay] = await Promise.all([setUp(), startRelay()]);
});
after(async () => {
  relay?.close();
  await env?.close();
});

test('an Authorization header and cookies set in the page reach the server through the relay', async () => {
  const page = await env.open();
  await useRelay(page, relay.ws, relay.token);
  await addBearerToken(page, 's3cret-token');
  await addHeader(page, 'X-Api-Key', 'k-42');
  await cookies(page).fill('session=abc; theme=dark');
  await dial(page, env.server.ws + '/headers');
  await waitForState(page, 'Open');
  // /headers sends the request headers it received as its first message.
  const first = messageLog(page).locator('.entry.received').first();
  await first.waitFor();
  await first.click();
  const detail = await entryDetail(page).innerText();
  assert.match(detail, /"authorization": "Bearer s3cret-token"/);
  assert.match(detail, /"x-api-key": "k-42"/);
  assert.match(detail, /"cookie": "session=abc; theme=dark"/);

  const raw = await handshake(page).locator('.raw-handshake').innerText();
  assert.match(raw, /GET \/headers HTTP\/1\.1/);
  assert.match(raw, /Authorization: Bearer s3cret-token/);
  assert.match(raw, /HTTP\/1\.1 101 Switching Protocols/);
  assert.match(raw, /DNS [\d.]+ ms · TCP [\d.]+ ms · TLS — · upgrade [\d.]+ ms/);

  // Messages pass unchanged both ways, text and binary.
  await sendWithButton(page, 'through the relay');
  await messageFormat(page).selectOption('Hex');
  await sendWithButton(page, '00 ff 10');
  await received(page, 3);
  await messageLog(page).locator('.entry.received', { hasText: 'through the relay' }).waitFor();
  await messageLog(page).locator('.entry.received', { hasText: '00 ff 10' }).waitFor();

  await page.getByRole('button', { name: 'Ping' }).click();
  await handshake(page).getByText(/Pong after [\d.]+ ms/).waitFor();
  assert.deepEqual(page.errors, []);
});

test('a 401 through the relay shows its status line and response headers', async () => {
  const page = await env.open();
  await useRelay(page, relay.ws, relay.token);
  await useRelayCheckbox(page).check();
  await dial(page, env.server.ws + '/reject?status=401');
  const diagnosis = handshake(page).locator('.diagnosis');
  await diagnosis.filter({ hasText: 'The server refused the WebSocket upgrade (HTTP/1.1 401 Unauthorized)' }).waitFor();
  assert.match(await diagnosis.innerText(), /certain/);
  const raw = await handshake(page).locator('.raw-handshake').innerText();
  assert.match(raw, /HTTP\/1\.1 401 Unauthorized/);
  assert.match(raw, /WWW-Authenticate: Bearer realm="wsprobe"/i);
  await waitForState(page, 'Failed');
  assert.deepEqual(page.errors, []);
});

test('a relay that is not running, on a port browsers never dial, or with a wrong token, is said plainly (checked before dialling)', async () => {
  const page = await env.open();
  const nowhere = `ws://127.0.0.1:${await closedPort()}`;
  await useRelay(page, nowhere, relay.token);
  await useRelayCheckbox(page).check();
  await dial(page, env.server.ws + '/echo');
  await handshake(page).locator('.diagnosis').filter({ hasText: `No relay is running at ${nowhere}` }).waitFor({ timeout: 15_000 });

  // A relay on a port browsers never dial could not be reached whatever runs there.
  await useRelay(page, 'ws://127.0.0.1:6000', relay.token);
  await connectButton(page).click();
  await handshake(page).locator('.diagnosis').filter({ hasText: 'uses port 6000, which browsers never connect to' }).waitFor();

  await useRelay(page, relay.ws, 'not-the-token');
  await connectButton(page).click();
  await handshake(page).locator('.diagnosis').filter({ hasText: 'Relay token is not the one it printed' }).waitFor({ timeout: 15_000 });
  assert.deepEqual(page.errors, []);
});

test('a header whose variable cannot be filled in is refused before anything reaches the relay', async () => {
  const page = await env.open();
  await useRelay(page, relay.ws, relay.token);
  await addHeader(page, 'X-Api-Key', '{{undefinedKey}}');
  await dial(page, env.server.ws + '/headers');
  await page.getByText('In the header X-Api-Key: {{undefinedKey}} is not defined in the active environment').first().waitFor();
  const log = await messageLog(page).innerText();
  assert.doesNotMatch(log, /through the relay|Relay connected/, 'the relay was never asked');
  assert.doesNotMatch(await connectionState(page).innerText(), /Open/);
  assert.deepEqual(page.errors, []);
});

test('through the relay a request carries the Origin it is given; a refused one is diagnosed with the Origin to change', async () => {
  const page = await env.open();
  await useRelay(page, relay.ws, relay.token);
  // The test server, like many, admits browser pages only from the origins it allows.
  await addHeader(page, 'Origin', 'https://elsewhere.example');
  await dial(page, env.server.ws + '/headers');
  const diagnosis = handshake(page).locator('.diagnosis');
  await diagnosis.filter({ hasText: 'this request went with Origin: https://elsewhere.example' }).waitFor();
  assert.match(await diagnosis.innerText(), /Retry with another Origin header/);
  assert.match(await handshake(page).locator('.raw-handshake').innerText(), /HTTP\/1\.1 403 Forbidden/);

  const allowed = new URL(env.site.url).origin;
  await page.getByRole('textbox', { name: 'Header value' }).last().fill(allowed);
  await connectButton(page).click();
  await waitForState(page, 'Open');
  await messageLog(page).locator('.entry.received').first().click();
  assert.match(await entryDetail(page).innerText(), new RegExp(`"origin": "${allowed}"`));
  assert.deepEqual(page.errors, []);
});
