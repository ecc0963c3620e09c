// Failed handshakes that explain themselves, the timeline and its report, closing with a
// chosen code, reconnects and the heartbeat, against the project's own test server.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { closedPort, dist, serveStatic, setUp, watchErrors } from '../harness.js';
import {
  afterNextFrames, connectionState, copyReportButton, dial, disconnectButton, handshake, messageLog, messagesReceived, messagesSent,
  openConnectionOptions, subprotocols, waitForState,
} from '../page.js';

let env;
before(async () => { env = await setUp(); });
after(async () => { await env?.close(); });

const timeline = (page) => page.getByRole('list', { name: 'Timeline' });

async function diagnosis(page, pattern) {
  const found = handshake(page).locator('.diagnosis').filter({ hasText: pattern });
  await found.waitFor({ timeout: 20_000 });
  return found.innerText();
}

test('a refused upgrade (HTTP 401) is diagnosed as reachable but refused, confirmed by probe', async () => {
  const page = await env.open();
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await dial(page, env.server.ws + '/reject?status=401&token=s3cret', '');
  const text = await diagnosis(page, 'reachable but refused the WebSocket upgrade');
  assert.match(text, /confirmed by probe/);
  assert.match(text, /Authorization/);
  assert.match(text, /token in a query parameter/);
  await timeline(page).filter({ hasText: /HTTP probe of http:\/\/127\.0\.0\.1:\d+\/reject\?status=401&token=s3cret: answered/ }).waitFor();

  await copyReportButton(page).click();
  await page.getByText('Connection report copied.').waitFor();
  const report = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(report, /URL: ws:\/\/127\.0\.0\.1:\d+\/reject\?status=401&token=\*\*\*/);
  assert.doesNotMatch(report, /s3cret/);
  assert.match(report, /Browser: .*Chrom/);
  assert.match(report, /Outcome: Failed, code 1006/);
  assert.match(report, /Diagnosis \(confirmed by probe\): The server is reachable/);
  assert.match(report, /Connect timeout: 10 s/);
  assert.deepEqual(page.errors, []);
});

test('a closed port is diagnosed as nothing listening', async () => {
  const page = await env.open();
  const port = await closedPort();
  await dial(page, `ws://127.0.0.1:${port}/socket`, '');
  const text = await diagnosis(page, `Nothing is listening at ws://127.0.0.1:${port}`);
  assert.match(text, /confirmed by probe/);
  await waitForState(page, 'Failed');
  assert.deepEqual(page.errors, []);
});

test('a port browsers never connect to is named as such, not as nothing listening', async () => {
  const page = await env.open();
  const dialled = [];
  page.on('websocket', (ws) => dialled.push(ws.url()));
  await dial(page, 'ws://127.0.0.1:6000/socket', '');
  const text = await diagnosis(page, 'Browsers never connect to port 6000');
  assert.match(text, /Not dialled/);
  assert.match(text, /Run the server on another port, or connect through the relay/);
  assert.doesNotMatch(text, /Nothing is listening/);
  await waitForState(page, 'Failed');
  assert.deepEqual(dialled, []);
  assert.deepEqual(page.errors, []);
});

test('a handshake that never answers times out after the configured delay', async () => {
  const page = await env.open();
  await openConnectionOptions(page);
  await page.getByRole('spinbutton', { name: 'Connect timeout (s)' }).fill('2');
  await page.getByRole('spinbutton', { name: 'Connect timeout (s)' }).press('Tab');
  const started = Date.now();
  await dial(page, env.server.ws + '/hang', '');
  await waitForState(page, 'Connecting');
  const text = await diagnosis(page, 'No answer to the handshake within 2 s');
  const took = Date.now() - started;
  assert.ok(took >= 1_900 && took < 8_000, `gave up after ${took} ms`);
  assert.match(text, /certain/);
  await waitForState(page, 'Failed');
  assert.deepEqual(page.errors, []);
});

test('a subprotocol mismatch is named, and a retry without them confirms it', async () => {
  const page = await env.open();
  await dial(page, env.server.ws + '/subprotocol?accept=v2.wsprobe', 'chat, json');
  const text = await diagnosis(page, 'You asked for the subprotocols chat, json');
  assert.match(text, /likely/);
  await page.getByRole('button', { name: 'Retry with only chat' }).waitFor();
  await page.getByRole('button', { name: 'Retry without subprotocols' }).click();
  await waitForState(page, 'Open');
  assert.equal(await subprotocols(page).inputValue(), '');
  assert.deepEqual(page.errors, []);
});

test('a ws:// URL from an https:// page is explained as mixed content, and not dialled', async () => {
  const site = await serveStatic(dist, { tls: true });
  const context = await env.browser.newContext({ ignoreHTTPSErrors: true });
  try {
    const page = watchErrors(await context.newPage());
    const dialled = [];
    page.on('websocket', (ws) => dialled.push(ws.url()));
    await page.goto(site.url);
    assert.equal(await page.evaluate(() => location.protocol), 'https:');
    await dial(page, 'ws://wsprobe.test/socket', '');
    await page.getByRole('alert').filter({ hasText: /mixed content/ }).waitFor();
    await handshake(page).filter({ hasText: 'wss://wsprobe.test/socket' }).waitFor();
    assert.deepEqual(dialled, []);
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
    site.close();
  }
});

test('Disconnect closes with the chosen code and reason, which reach the server', async () => {
  const page = await env.open();
  await openConnectionOptions(page);
  await dial(page, env.server.ws + '/echo', '');
  await waitForState(page, 'Open');
  const code = page.getByRole('spinbutton', { name: 'Close code' });
  await code.fill('1001');
  await page.getByRole('alert').filter({ hasText: 'Close code 1001 cannot be sent' }).waitFor();
  await disconnectButton(page).click();
  await page.getByRole('alert').filter({ hasText: 'Close code 1001 cannot be sent' }).first().waitFor();
  assert.match(await connectionState(page).innerText(), /Open/);

  await code.fill('4321');
  await page.getByRole('textbox', { name: 'Close reason' }).fill('\u00e9'.repeat(62));
  await page.getByRole('alert').filter({ hasText: '124 bytes' }).waitFor();
  await page.getByRole('textbox', { name: 'Close reason' }).fill('bye now');
  await disconnectButton(page).click();
  // The echo server answers a close with the code and reason it received.
  await handshake(page).filter({ hasText: '4321' }).filter({ hasText: 'bye now' }).waitFor();
  await waitForState(page, 'Closed');
  assert.deepEqual(page.errors, []);
});

test('auto-reconnect retries with growing, jittered delays and gives up at the limit', async () => {
  const page = await env.open();
  await openConnectionOptions(page);
  await page.getByRole('checkbox', { name: 'Reconnect automatically' }).check();
  const set = async (name, value) => {
    await page.getByRole('spinbutton', { name }).fill(value);
    await page.getByRole('spinbutton', { name }).press('Tab');
  };
  await set('Reconnect attempts', '3');
  await set('First delay (ms)', '200');
  await dial(page, env.server.ws + '/close?code=4001&reason=go&after_ms=50', '');
  await timeline(page).filter({ hasText: 'Gave up reconnecting after 3 attempts' }).waitFor({ timeout: 20_000 });
  const lines = await timeline(page).locator('li').allInnerTexts();
  const delays = lines.map((l) => l.match(/Reconnecting in ([\d.]+) s \(attempt (\d) of 3\)/)).filter(Boolean);
  assert.deepEqual(delays.map((m) => Number(m[2])), [1, 2, 3]);
  const windows = [0.2, 0.4, 0.8];
  delays.forEach((m, i) => {
    const seconds = Number(m[1]);
    assert.ok(seconds >= windows[i] / 2 - 0.05 && seconds <= windows[i] + 0.05, `attempt ${i + 1} waited ${seconds} s`);
  });
  assert.equal(lines.filter((l) => /Open/.test(l)).length, 4, 'the first connection and three reconnects opened');
  assert.equal(lines.filter((l) => /Closed 4001/.test(l)).length, 4);

  // No reconnect after the person's own Disconnect.
  await dial(page, env.server.ws + '/echo', '');
  await waitForState(page, 'Open');
  await disconnectButton(page).click();
  await waitForState(page, 'Closed');
  await page.waitForTimeout(600);
  assert.equal(await timeline(page).filter({ hasText: 'Reconnecting' }).count(), 0);
  assert.deepEqual(page.errors, []);
});

test('the heartbeat sends its payload on a quiet connection and stops when it closes', async () => {
  const page = await env.open();
  await openConnectionOptions(page);
  await page.getByRole('checkbox', { name: 'Heartbeat' }).check();
  await page.getByRole('spinbutton', { name: 'Heartbeat every (s)' }).fill('0.2');
  await page.getByRole('spinbutton', { name: 'Heartbeat every (s)' }).press('Tab');
  await page.getByRole('textbox', { name: 'Heartbeat payload' }).fill('hb {{$counter}}');
  await page.getByRole('textbox', { name: 'Heartbeat payload' }).press('Tab');
  await dial(page, env.server.ws + '/echo', '');
  await messagesReceived(page).filter({ hasText: /^[3-9]$/ }).waitFor();
  await page.getByText(/Last message received at \d\d:\d\d/).waitFor();
  await messageLog(page).filter({ hasText: 'hb 0' }).waitFor();
  await disconnectButton(page).click();
  await waitForState(page, 'Closed');
  await afterNextFrames(page);
  const sent = await messagesSent(page).innerText();
  await page.waitForTimeout(600);
  assert.equal(await messagesSent(page).innerText(), sent);
  assert.deepEqual(page.errors, []);
});
