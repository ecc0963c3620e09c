// STOMP over WebSocket against Debian's RabbitMQ with its Web STOMP plugin (e2e/servers/stomp.mjs;
// user wsprobe, passcode letmein, virtual host /): a wrong passcode refused with the ERROR frame
// as the diagnosis; subscribing with an ack mode, sending with headers, receipts paired with
// their latency, ACK and NACK (the broker redelivers); an ERROR frame after CONNECTED; STOMP 1.1
// chosen by subprotocol with heart-beats both ways; settings in a share link; a session
// recorded and run again.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withProtocolServers } from '../harness.js';
import {
  connect, dial, disconnectButton, handshake, latency, logRow, messageLog, protocolChooser, recordScenarioButton,
  runScenario, sendToDestinationButton, shareLink, stepKinds, steps, stompAck, stompDestination, stompHost, stompLogin,
  stompPasscode, stompSend, stompSubscribe, subprotocols, subscriptions, url, waitForState,
} from '../page.js';

let env;
let servers;
withProtocolServers((ready) => ({ env, servers } = ready));

/** A page with Protocol STOMP, its panel loaded, signing in with `passcode`. */
async function openStomp(passcode = 'letmein', options = {}) {
  const page = await env.open(options);
  await protocolChooser(page).selectOption('STOMP');
  await sendToDestinationButton(page).waitFor();
  await stompLogin(page).fill('wsprobe');
  await stompPasscode(page).fill(passcode);
  await stompHost(page).fill('/');
  return page;
}

/** A row the page sent. */
const sentRow = (page, text) => messageLog(page).locator('.entry.sent').filter({ hasText: text });

/** The Subscriptions list's item for `destination`. */
const subscriptionOf = (page, destination) =>
  subscriptions(page).getByRole('listitem').filter({ hasText: destination });

/** The Handshake panel's fact `label`, once it reads `value`. */
const fact = (page, label, value) =>
  handshake(page).locator('.protocol-facts').filter({ hasText: new RegExp(`${label}\\s*${value}`) }).waitFor();

test('STOMP: a wrong passcode is refused, the ERROR frame shown as the diagnosis', async () => {
  const page = await openStomp('nope');
  assert.equal(await subprotocols(page).inputValue(), 'v12.stomp, v11.stomp, v10.stomp', 'choosing STOMP asks for its versions');
  await dial(page, servers.stomp);
  const problem = handshake(page).locator('.protocol-problem');
  await problem.getByText('The broker refused CONNECT: Bad CONNECT.').waitFor();
  assert.match(await problem.innerText(), /Access refused for user 'wsprobe'/);
  assert.match(await problem.innerText(), /Check Login, Passcode and Virtual host/);
  await logRow(page, /ERROR Bad CONNECT · Access refused/).waitFor();
  assert.doesNotMatch(await sentRow(page, /CONNECT/).first().innerText(), /nope/, 'the CONNECT row does not show the passcode');
  assert.deepEqual(page.errors, []);
});

test('STOMP 1.2: subscribe with client-individual acks, send with headers, receipts paired, NACK redelivers, ACK', async () => {
  const page = await openStomp();
  await connect(page, servers.stomp);
  await fact(page, 'STOMP version', '1.2');
  await fact(page, 'Server', 'RabbitMQ/');
  await fact(page, 'CONNECTED after', '[\\d.]+ ms');
  await stompSubscribe(page, '/queue/e2e-orders', 'client-individual');
  await sentRow(page, /SUBSCRIBE sub-\d+ · \/queue\/e2e-orders · ack client-individual · receipt \d+/).waitFor();
  await logRow(page, /RECEIPT \d+ for SUBSCRIBE sub-\d+ · [\d.]+ ms/).waitFor();
  await subscriptionOf(page, '/queue/e2e-orders').filter({ hasText: 'Subscribed (receipt)' }).waitFor();

  await stompSend(page, '/queue/e2e-orders', '{"order": 7}', 'x-trace: a:b\npriority: 5');
  await sentRow(page, /SEND \/queue\/e2e-orders · \{"order": 7\} · receipt \d+/).waitFor();
  await logRow(page, /MESSAGE \/queue\/e2e-orders · \{"order": 7\}/).waitFor();
  await logRow(page, /RECEIPT \d+ for SEND \/queue\/e2e-orders · [\d.]+ ms/).waitFor();
  // The header's colon travelled escaped, and came back as typed.
  await logRow(page, /MESSAGE/).first().click();
  await page.getByText(/x-trace:a\\cb/).first().waitFor();
  const row = subscriptionOf(page, '/queue/e2e-orders');
  await row.filter({ hasText: '1 message · 1 message to acknowledge' }).waitFor();

  // NACK: RabbitMQ puts the message back and delivers it again.
  await row.getByRole('button', { name: 'NACK' }).click();
  await sentRow(page, /NACK T_sub-\d+@@/).waitFor();
  await logRow(page, /MESSAGE \/queue\/e2e-orders/).nth(1).waitFor();
  await row.filter({ hasText: '2 messages · 1 message to acknowledge' }).waitFor();
  await row.getByRole('button', { name: 'ACK', exact: true }).click();
  // By the row's summary (its title): its text, "63 BACK", would match the NACK row too.
  await messageLog(page).locator('.entry.sent[title^="ACK T_sub-"]').waitFor();
  await row.filter({ hasText: '2 messages', hasNotText: 'to acknowledge' }).waitFor();
  assert.equal(await row.getByRole('button', { name: 'ACK', exact: true }).count(), 0, 'nothing waits for an ACK');
  await latency(page).getByText(/Count\s*[4-9]/).waitFor();

  await row.getByRole('button', { name: 'Unsubscribe' }).click();
  await row.filter({ hasText: 'Unsubscribed' }).waitFor();
  assert.deepEqual(page.errors, []);
});

test('STOMP: an ERROR frame after CONNECTED is the diagnosis, and the subscription is refused', async () => {
  const page = await openStomp();
  await connect(page, servers.stomp);
  await fact(page, 'STOMP version', '1.2');
  await stompSubscribe(page, '/bogus/e2e');
  const problem = handshake(page).locator('.protocol-problem');
  await problem.getByText('The broker sent ERROR: Unknown destination.').waitFor();
  assert.match(await problem.innerText(), /'\/bogus\/e2e' is not a valid destination/);
  await logRow(page, /ERROR Unknown destination/).waitFor();
  await subscriptionOf(page, '/bogus/e2e').filter({ hasText: 'Refused: Unknown destination' }).waitFor();
  // The session is over: nothing more goes out on it (RabbitMQ closes it a little later).
  const sent = await messageLog(page).locator('.entry.sent').count();
  await stompSubscribe(page, '/queue/e2e-after');
  await page.getByText('Not subscribed: the broker sent ERROR, which ends the STOMP session; connect again.').waitFor();
  assert.equal(await messageLog(page).locator('.entry.sent').count(), sent);
  assert.deepEqual(page.errors, []);
});

test('STOMP 1.1 chosen by subprotocol: heart-beats both ways, and ACK by message id covering those before it', async () => {
  const page = await openStomp();
  await subprotocols(page).fill('v11.stomp');
  await page.getByRole('spinbutton', { name: 'Heart-beat out (ms)' }).fill('1000');
  await page.getByRole('spinbutton', { name: 'Heart-beat in (ms)' }).fill('1000');
  await page.getByRole('spinbutton', { name: 'Heart-beat in (ms)' }).press('Tab');
  await connect(page, servers.stomp);
  await fact(page, 'STOMP version', '1.1');
  await fact(page, 'Heart-beat', 'page sends every 1 s, broker sends every 1 s');
  await logRow(page, /^heart-beat$|heart-beat/).first().waitFor();
  await sentRow(page, /heart-beat/).first().waitFor({ timeout: 5000 });

  await stompSubscribe(page, '/topic/e2e-news', 'client');
  await logRow(page, /RECEIPT \d+ for SUBSCRIBE/).waitFor();
  await stompSend(page, '/topic/e2e-news', 'one');
  await stompSend(page, '/topic/e2e-news', 'two');
  const row = subscriptionOf(page, '/topic/e2e-news');
  await row.filter({ hasText: '2 messages · 2 messages to acknowledge' }).waitFor();
  await row.getByRole('button', { name: 'ACK', exact: true }).click();
  // Client mode: one ACK, naming the second message, acknowledges both.
  await sentRow(page, /ACK T_sub-\d+@@.*@@2/).waitFor();
  assert.equal(await sentRow(page, /^ACK|ACK T_/).count(), 1);
  await row.filter({ hasText: '2 messages', hasNotText: 'to acknowledge' }).waitFor();
  await disconnectButton(page).click();
  await waitForState(page, 'Closed');
  await sentRow(page, /DISCONNECT · receipt \d+/).waitFor();
  assert.deepEqual(page.errors, []);
});

test('STOMP settings travel in a share link, the passcode only as a secret', async () => {
  const page = await openStomp();
  await url(page).fill(servers.stomp);
  await stompDestination(page).fill('/queue/shared');
  await stompAck(page).selectOption('client');
  const link = await shareLink(page);
  const other = await env.open({ hash: new URL(link).hash });
  await sendToDestinationButton(other).waitFor();
  assert.equal(await protocolChooser(other).inputValue(), 'STOMP');
  assert.equal(await stompDestination(other).inputValue(), '/queue/shared');
  assert.equal(await stompAck(other).inputValue(), 'client');
  assert.equal(await stompLogin(other).inputValue(), 'wsprobe');
  assert.equal(await stompHost(other).inputValue(), '/');
  assert.equal(await stompPasscode(other).inputValue(), '');
  assert.deepEqual(page.errors, []);
  assert.deepEqual(other.errors, []);
});

test('a STOMP session recorded as a scenario runs again; CONNECT, receipts and the passcode stay out of its steps', async () => {
  const page = await openStomp();
  await connect(page, servers.stomp);
  await fact(page, 'STOMP version', '1.2');
  await stompSubscribe(page, '/topic/e2e-rec');
  await logRow(page, /RECEIPT \d+ for SUBSCRIBE/).waitFor();
  await stompSend(page, '/topic/e2e-rec', 'hi');
  await logRow(page, /MESSAGE \/topic\/e2e-rec · hi/).waitFor();
  await logRow(page, /RECEIPT \d+ for SEND/).waitFor();
  await disconnectButton(page).click();
  await waitForState(page, 'Closed');
  await recordScenarioButton(page).click();
  // CONNECT, CONNECTED, the receipts and DISCONNECT are the run's.
  assert.deepEqual(await stepKinds(page), ['Connect', 'Send', 'Send', 'Expect message', 'Close', 'Expect close']);
  const written = (await steps(page).allInnerTexts()).join('\n');
  assert.doesNotMatch(written, /letmein/, 'the passcode is not in a step');
  const result = await runScenario(page);
  assert.match(result, /6 passed, 0 failed/, written);
  assert.deepEqual(page.errors, []);
});
