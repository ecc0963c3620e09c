// Headers, cookies, the raw handshake and pings through the local relay (the wsprobe-relay
// binary), against the project's own test server.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { closedPort, setUp, startRelay } from '../harness.js';

let env;
let relay;
before(async () => {
  [env, relay] = await Promise.all([setUp(), startRelay()]);
});
after(async () => {
  relay?.close();
  await env?.close();
});

const handshake = (page) => page.getByRole('region', { name: 'Handshake' });
const state = (page) => page.getByRole('status', { name: 'Connection state' });
const log = (page) => page.getByRole('log', { name: 'Message log' });

async function useRelay(page, { address = relay.ws, token = relay.token } = {}) {
  if (!(await page.locator('details.relay').evaluate((d) => d.open))) {
    await page.getByText('Headers, cookies and relay').click();
  }
  for (const [name, value] of [['Relay address', address], ['Relay token', token]]) {
    const field = page.getByLabel(name, { exact: true });
    await field.fill(value);
    await field.press('Tab');
  }
}

async function dial(page, path) {
  await page.getByRole('textbox', { name: 'URL' }).fill(env.server.ws + path);
  await page.getByRole('button', { name: 'Connect' }).click();
}

test('an Authorization header and cookies set in the page reach the server through the relay', async () => {
  const page = await env.open();
  await useRelay(page);
  await page.getByRole('textbox', { name: 'Bearer token' }).fill('s3cret-token');
  await page.getByRole('button', { name: 'Add Bearer token' }).click();
  await page.getByRole('button', { name: 'Add header' }).click();
  await page.getByRole('textbox', { name: 'Header name' }).last().fill('X-Api-Key');
  await page.getByRole('textbox', { name: 'Header value' }).last().fill('k-42');
  await page.getByLabel('Cookies', { exact: true }).fill('session=abc; theme=dark');
  await dial(page, '/headers');
  await state(page).filter({ hasText: 'Open' }).waitFor();
  // /headers sends the request headers it received as its first message.
  const first = log(page).locator('.entry.received').first();
  await first.waitFor();
  await first.click();
  const detail = await page.getByRole('region', { name: 'Entry' }).innerText();
  assert.match(detail, /"authorization": "Bearer s3cret-token"/);
  assert.match(detail, /"x-api-key": "k-42"/);
  assert.match(detail, /"cookie": "session=abc; theme=dark"/);

  const raw = await handshake(page).locator('.raw-handshake').innerText();
  assert.match(raw, /GET \/headers HTTP\/1\.1/);
  assert.match(raw, /Authorization: Bearer s3cret-token/);
  assert.match(raw, /HTTP\/1\.1 101 Switching Protocols/);
  assert.match(raw, /DNS [\d.]+ ms · TCP [\d.]+ ms · TLS — · upgrade [\d.]+ ms/);

  // Messages pass unchanged both ways, text and binary.
  const message = page.getByRole('textbox', { name: 'Message' });
  await message.fill('through the relay');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await page.getByRole('combobox', { name: 'Message format' }).selectOption('Hex');
  await message.fill('00 ff 10');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await page.getByLabel('Messages received', { exact: true }).filter({ hasText: /^3$/ }).waitFor();
  await log(page).locator('.entry.received', { hasText: 'through the relay' }).waitFor();
  await log(page).locator('.entry.received', { hasText: '00 ff 10' }).waitFor();

  await page.getByRole('button', { name: 'Ping' }).click();
  await handshake(page).getByText(/Pong after [\d.]+ ms/).waitFor();
  assert.deepEqual(page.errors, []);
});

test('a 401 through the relay shows its status line and response headers', async () => {
  const page = await env.open();
  await useRelay(page);
  await page.getByRole('checkbox', { name: 'Use relay' }).check();
  await dial(page, '/reject?status=401');
  const diagnosis = handshake(page).locator('.diagnosis');
  await diagnosis.filter({ hasText: 'The server refused the WebSocket upgrade (HTTP/1.1 401 Unauthorized)' }).waitFor();
  assert.match(await diagnosis.innerText(), /certain/);
  const raw = await handshake(page).locator('.raw-handshake').innerText();
  assert.match(raw, /HTTP\/1\.1 401 Unauthorized/);
  assert.match(raw, /WWW-Authenticate: Bearer realm="wsprobe"/i);
  await state(page).filter({ hasText: 'Failed' }).waitFor();
  assert.deepEqual(page.errors, []);
});

test('a relay that is not running, on a port browsers never dial, or with a wrong token, is said plainly', async () => {
  const page = await env.open();
  const nowhere = `ws://127.0.0.1:${await closedPort()}`;
  await useRelay(page, { address: nowhere });
  await page.getByRole('checkbox', { name: 'Use relay' }).check();
  await dial(page, '/echo');
  await handshake(page).locator('.diagnosis').filter({ hasText: `The relay is not running at ${nowhere}` }).waitFor({ timeout: 15_000 });

  // A relay on a port browsers never dial could not be reached whatever runs there.
  await useRelay(page, { address: 'ws://127.0.0.1:6000' });
  await page.getByRole('button', { name: 'Connect' }).click();
  await handshake(page).locator('.diagnosis').filter({ hasText: 'uses port 6000, which browsers never connect to' }).waitFor();

  await useRelay(page, { token: 'not-the-token' });
  await page.getByRole('button', { name: 'Connect' }).click();
  await handshake(page).locator('.diagnosis').filter({ hasText: 'the token is wrong' }).waitFor({ timeout: 15_000 });
  assert.deepEqual(page.errors, []);
});

test('a header whose variable cannot be filled in is refused before anything reaches the relay', async () => {
  const page = await env.open();
  await useRelay(page);
  await page.getByRole('button', { name: 'Add header' }).click();
  await page.getByRole('textbox', { name: 'Header name' }).last().fill('X-Api-Key');
  await page.getByRole('textbox', { name: 'Header value' }).last().fill('{{undefinedKey}}');
  await dial(page, '/headers');
  await page.getByText('In the header X-Api-Key: {{undefinedKey}} is not defined in the active environment').first().waitFor();
  const log = await page.getByRole('log', { name: 'Message log' }).innerText();
  assert.doesNotMatch(log, /through the relay|Relay connected/, 'the relay was never asked');
  assert.doesNotMatch(await state(page).innerText(), /Open/);
  assert.deepEqual(page.errors, []);
});
