// Socket.IO and JSON-RPC against the real servers in e2e/servers/protocols.mjs (the socket.io
// package, and json-rpc-2.0 over ws): connect, emit with acknowledgement, events both ways,
// namespaces refused and admitted, a connection kept past its pings, calls, errors, batches,
// and the latency figures against replies delayed by a known amount.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withProtocolServers } from '../harness.js';
import {
  acknowledgement, authPayload, call, connect, connectButton, connectionState, disconnectButton, emit, emitButton,
  exportLog, mqttPassword, mqttSubscribe, mqttUser, stompLogin, stompPasscode, stompSend, stompSubscribe, subscribe,
  subscription, subscriptions,
  handshake, latency, logRow, message, messageLog, methodBox, namespaceBox, notificationBox, parameterNames,
  protocolChooser, queryParameters, shareLink, url, waitForState, addSecretVariable,
} from '../page.js';
import { readFile } from 'node:fs/promises';
import { deflateSync } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let env;
let servers;
withProtocolServers((ready) => ({ env, servers } = ready));

/** A page with Protocol set to `label`, its panel loaded. */
async function openWith(label) {
  const page = await env.open();
  await protocolChooser(page).selectOption(label);
  return page;
}

/** The rows (in view) whose payload column reads `text` (a RegExp matched against it). */
const saying = (page, text) => messageLog(page).locator('.entry .payload').filter({ hasText: text });

/** The log as exported: one object per entry. */
async function exported(page) {
  const download = await exportLog(page);
  return (await readFile(await download.path(), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
}

test('Socket.IO: the URL gets its path and transport, and the handshake shows Engine.IO\'s session', async () => {
  const page = await openWith('Socket.IO');
  await url(page).fill(servers.socketio);
  await protocolChooser(page).selectOption('WebSocket');
  await protocolChooser(page).selectOption('Socket.IO');
  assert.equal(await url(page).inputValue(), `${servers.socketio}/socket.io/?EIO=4&transport=websocket`);
  await queryParameters(page).waitFor();
  assert.deepEqual(await parameterNames(page).evaluateAll((els) => els.map((e) => e.value)), ['EIO', 'transport']);
  await connectButton(page).click();
  await waitForState(page, 'Open');
  const panel = handshake(page);
  await panel.getByText('Ping interval').waitFor();
  // The namespace's CONNECT is answered one round trip after Engine.IO's open packet.
  await panel.locator('.protocol-facts').filter({ hasText: /Namespace \/\s*connected/ }).waitFor();
  assert.match(await panel.innerText(), /Ping interval\s+1000 ms/);
  assert.match(await panel.innerText(), /Namespace \/\s+connected/);
  // The server greets each client with an event, shown by name and arguments.
  await logRow(page, /event "welcome" \[\{"id":/).waitFor();
  assert.deepEqual(page.errors, []);
});

test('Socket.IO: an emit with an acknowledgement is paired with its reply and timed', async () => {
  const page = await openWith('Socket.IO');
  await connect(page, servers.socketio);
  // The URL typed gets its path and transport once typed, in the field as in the table.
  assert.equal(await url(page).inputValue(), `${servers.socketio}/socket.io/?EIO=4&transport=websocket`);
  await emit(page, 'ping-ack', '["a", 1]', { ack: true });
  const acked = logRow(page, /ack 0 \["pong","a",1\] · [\d.]+ ms/);
  await acked.waitFor();
  await latency(page).getByText(/Count\s*1/).waitFor();
  // Without an acknowledgement the server answers with an event.
  await emit(page, 'echo', '["hi", {"n": 2}]');
  await logRow(page, 'event "echo" ["hi",{"n":2}]').waitFor();
  const entries = await exported(page);
  const sent = entries.filter((e) => e.direction === 'sent').map((e) => e.payload);
  assert.ok(sent.includes('420["ping-ack","a",1]'), sent.join('\n'));
  assert.ok(sent.includes('42["echo","hi",{"n":2}]'), sent.join('\n'));
  assert.deepEqual(page.errors, []);
});

test('Socket.IO: arguments that are not a JSON array are refused before sending', async () => {
  const page = await openWith('Socket.IO');
  await connect(page, servers.socketio);
  await emit(page, 'echo', '{"not": "an array"}');
  await page.locator('#emit-hint').filter({ hasText: /JSON array/ }).waitFor();
  await emit(page, 'connect', '[]');
  await page.locator('#emit-hint').filter({ hasText: /reserved/ }).waitFor();
  // Neither emit went out. (The page's pongs may have: the server pings every second, so the
  // count of messages sent is no measure.)
  const held = messageLog(page).locator('.entry.sent').filter({ hasText: /event|"not"/ });
  assert.equal(await held.count(), 0, (await messageLog(page).innerText()));
  assert.deepEqual(page.errors, []);
});

test('Socket.IO: binary arguments go out as attachments and come back as bytes', async () => {
  const page = await openWith('Socket.IO');
  await connect(page, servers.socketio);
  await emit(page, 'binary', '[]', { ack: true });
  // The server acks with bytes 0..15 and emits them as an event.
  await logRow(page, /ack 0 \[\{"\$base64":"AAECAwQFBgcICQoLDA0ODw=="\}\]/).waitFor();
  await logRow(page, /event "bytes" \[\{"\$base64":"AAECAwQFBgcICQoLDA0ODw=="\}\]/).waitFor();
  await emit(page, 'echo', '[{"$hex": "de ad be ef"}]');
  await logRow(page, /event "echo" \[\{"\$base64":"3q2\+7w=="\}\]/).waitFor();
  assert.deepEqual(page.errors, []);
});

test('Socket.IO: the server asks for an acknowledgement and gets one', async () => {
  const page = await openWith('Socket.IO');
  await connect(page, servers.socketio);
  await emit(page, 'ask', '["q?"]');
  await logRow(page, /event "question" \["q\?"\]/).waitFor();
  // The page acknowledged it by itself; the server says so with another event.
  await logRow(page, /event "answered"/).waitFor();
  assert.deepEqual(page.errors, []);
});

test('Socket.IO: a namespace refused by the server\'s auth is diagnosed, and a good token admits', async () => {
  const page = await openWith('Socket.IO');
  await namespaceBox(page).fill('/admin');
  await authPayload(page).fill('{"token": "nope"}');
  await connect(page, servers.socketio);
  const problem = handshake(page).locator('.protocol-problem');
  await problem.waitFor();
  assert.match(await problem.innerText(), /\/admin.*Not authorized/);
  assert.match(await problem.innerText(), /bad token/);
  // Emitting on a refused namespace would make the server drop the connection: refused here.
  await emit(page, 'whoami', '[]', { ack: true });
  await page.locator('#emit-hint').filter({ hasText: /refused/ }).waitFor();
  await page.getByRole('button', { name: 'Disconnect' }).click();
  await waitForState(page, 'Closed');

  await authPayload(page).fill('{"token": "letmein"}');
  await connectButton(page).click();
  await waitForState(page, 'Open');
  await handshake(page).locator('.protocol-facts').filter({ hasText: /Namespace \/admin\s*connected/ }).waitFor();
  await emit(page, 'whoami', '[]', { ack: true });
  await logRow(page, /ack \/admin 0 \["admin"\]/).waitFor();
  assert.equal(await handshake(page).locator('.protocol-problem').count(), 0);
  assert.deepEqual(page.errors, []);
});

test('Socket.IO: the connection stays up past several ping intervals, and pings can be hidden', async () => {
  const page = await openWith('Socket.IO');
  await connect(page, servers.socketio);
  // The server pings every second and closes a client that does not answer within a second.
  await page.waitForTimeout(4_500);
  assert.match(await connectionState(page).innerText(), /Open/);
  const pongs = await saying(page, /^pong$/).count();
  assert.ok(pongs >= 3, `${pongs} pongs`);
  await page.getByRole('checkbox', { name: 'Pings' }).uncheck();
  await saying(page, /^ping$/).first().waitFor({ state: 'detached' });
  assert.equal(await saying(page, /^pong$/).count(), 0);
  await logRow(page, /event "welcome"/).waitFor();
  assert.deepEqual(page.errors, []);
});

test('Socket.IO 2 (Engine.IO 3): the page pings the server itself and keeps the connection', async () => {
  const page = await openWith('Socket.IO');
  await url(page).fill(servers.socketio);
  await page.getByRole('combobox', { name: 'Version' }).selectOption('2');
  assert.match(await url(page).inputValue(), /EIO=3&transport=websocket$/);
  await connectButton(page).click();
  await waitForState(page, 'Open');
  await emit(page, 'echo', '["x"]');
  await logRow(page, 'event "echo" ["x"]').waitFor();
  // An Engine.IO 3 server closes a client that does not ping (here after two seconds).
  await page.waitForTimeout(3_500);
  assert.match(await connectionState(page).innerText(), /Open/);
  // Socket.IO 2 took a namespace's credentials as a query: the auth payload goes as one.
  await page.getByRole('button', { name: 'Disconnect' }).click();
  await waitForState(page, 'Closed');
  await namespaceBox(page).fill('/admin');
  await authPayload(page).fill('{"token": "letmein"}');
  await connectButton(page).click();
  await waitForState(page, 'Open');
  await emit(page, 'whoami', '[]', { ack: true });
  await logRow(page, /ack \/admin 0 \["admin"\]/).waitFor();
  assert.deepEqual(page.errors, []);
});

test('Socket.IO is suggested for a /socket.io/ URL, never chosen by itself', async () => {
  const page = await env.open();
  await url(page).fill(`${servers.socketio}/socket.io/?EIO=4&transport=websocket`);
  const use = page.getByRole('button', { name: 'Use Socket.IO' });
  await use.waitFor();
  assert.equal(await protocolChooser(page).inputValue(), 'WebSocket');
  await use.click();
  assert.equal(await protocolChooser(page).inputValue(), 'Socket.IO');
  await use.waitFor({ state: 'detached' });
  assert.deepEqual(page.errors, []);
});

test('JSON-RPC: calls, errors, notifications and batches are paired by id', async () => {
  const page = await openWith('JSON-RPC');
  await connect(page, servers.jsonrpc);
  await call(page, 'subtract', '[42, 23]');
  await logRow(page, /result 1 19 · [\d.]+ ms/).waitFor();
  await call(page, 'subtract', '{"minuend": 5, "subtrahend": 7}');
  await logRow(page, /result 2 -2 · /).waitFor();
  await call(page, 'no_such_method', '');
  await logRow(page, /error 3 -32601 Method not found/).waitFor();
  await call(page, 'fail', '[]');
  await logRow(page, /error 4 -32000 Server error.*deliberate failure/).waitFor();
  await notificationBox(page).check();
  await call(page, 'notify_hello', '');
  await notificationBox(page).uncheck();
  // A batch written by hand: the page pairs each response with its own request.
  await methodBox(page).fill('');
  await message(page).fill(
    '[{"jsonrpc":"2.0","method":"sum","params":[1,2,4],"id":"a"},' +
      '{"jsonrpc":"2.0","method":"notify_hello"},' +
      '{"jsonrpc":"2.0","method":"nope","id":"b"}]',
  );
  await page.getByRole('button', { name: 'Call', exact: true }).click();
  await logRow(page, /batch: 1 result, 1 error/).waitFor();
  await latency(page).getByText(/Count\s*6/).waitFor();
  // The server's own notifications are shown as such.
  await call(page, 'subscribe_ticks', '');
  await logRow(page, /server notification tick \{"n":1\}/).waitFor();
  await call(page, 'unsubscribe_ticks', '');
  await logRow(page, /result 6 "unsubscribed"/).waitFor();
  const entries = await exported(page);
  const replies = entries.filter((e) => e.direction === 'received' && !/notification/.test(e.note));
  // The notification had no answer: seven replies in all (the batch is one).
  assert.equal(replies.length, 7, JSON.stringify(replies));
  assert.deepEqual(page.errors, []);
});

test('Latency: replies delayed by a known amount give percentiles of that amount', async () => {
  const page = await openWith('JSON-RPC');
  await connect(page, servers.jsonrpc);
  for (let i = 0; i < 5; i++) {
    await call(page, 'delay', '[150]');
    await logRow(page, new RegExp(`result ${i + 1} 150 · `)).waitFor();
  }
  const panel = latency(page);
  await panel.getByText(/Count\s*5/).waitFor();
  const figures = await panel.locator('.latency-figures dd').allInnerTexts();
  const ms = figures.slice(1).map((f) => Number.parseFloat(f));
  for (const value of ms) assert.ok(value >= 148 && value < 400, `${figures}`);
  await panel.getByRole('img', { name: /Round trips by duration/ }).waitFor();
  await panel.getByRole('img', { name: /Messages per second/ }).waitFor();
  assert.deepEqual(page.errors, []);
});

test('Latency: raw WebSocket replies are paired by a JSON Pointer', async () => {
  const page = await env.open();
  await page.getByRole('textbox', { name: 'Pair replies by' }).fill('/id');
  await connect(page, env.server.ws + '/echo');
  await message(page).fill('{"id": 7, "op": "x"}');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await logRow(page, /reply to 7 in [\d.]+ ms/).waitFor();
  await latency(page).getByText(/Count\s*1/).waitFor();
  assert.deepEqual(page.errors, []);
});

test('The protocol and its settings travel in a share link, the auth payload only as a secret', async () => {
  const page = await openWith('Socket.IO');
  await namespaceBox(page).fill('/admin');
  await authPayload(page).fill('{"token": "letmein"}');
  await page.getByRole('textbox', { name: 'Event', exact: true }).fill('whoami');
  await acknowledgement(page).check();
  const link = await shareLink(page);
  const other = await env.open({ hash: new URL(link).hash });
  await emitButton(other).waitFor();
  assert.equal(await protocolChooser(other).inputValue(), 'Socket.IO');
  assert.equal(await namespaceBox(other).inputValue(), '/admin');
  assert.equal(await authPayload(other).inputValue(), '');
  assert.ok(await acknowledgement(other).isChecked());
  assert.deepEqual(page.errors, []);
  assert.deepEqual(other.errors, []);
});

test('A linked request\u2019s auth payload sends none of the receiver\u2019s secrets until they agree', async () => {
  // Made by hand, as an attacker would: the auth payload names the receiver's secret variable.
  const request = {
    url: `${servers.socketio}/socket.io/?EIO=4&transport=websocket`,
    protocol: { protocol: 'socket-io', socket_io: { namespaces: '/admin', auth: '{"token": "{{apiKey}}"}' } },
  };
  const link = `#share=1.${deflateSync(Buffer.from(JSON.stringify(request))).toString('base64url')}`;
  const page = await env.open();
  await addSecretVariable(page, 'apiKey', 'letmein');
  await page.goto(env.site.url + link);
  await page.getByText('Opened a shared request').waitFor();
  await connectButton(page).click();
  const host = new URL(servers.socketio.replace('ws:', 'http:')).host;
  const prompt = page.getByRole('alertdialog', { name: 'Send secrets to this host?' });
  await prompt.getByText(`secret variable apiKey to ${host}`).waitFor();
  assert.doesNotMatch(await messageLog(page).innerText(), /Connecting to/, 'nothing was dialled');
  await prompt.getByRole('button', { name: `Allow for this link: send to ${host}` }).click();
  await waitForState(page, 'Open');
  await handshake(page).locator('.protocol-facts').filter({ hasText: /Namespace \/admin\s*connected/ }).waitFor();
  assert.deepEqual(page.errors, []);
});

const axePath = path.join(path.dirname(fileURLToPath(import.meta.url)), '../node_modules/axe-core/axe.min.js');

for (const colorScheme of ['light', 'dark']) {
  test(`axe finds no serious or critical problems in the protocol panels, ${colorScheme} theme`, async () => {
    // axe is injected as a script, which the page's own policy rightly forbids.
    const context = await env.browser.newContext({ colorScheme, bypassCSP: true, viewport: { width: 1280, height: 800 } });
    const page = await env.open({ context });
    await protocolChooser(page).selectOption('Socket.IO');
    await namespaceBox(page).fill('/, /admin');
    await authPayload(page).fill('{"token": "nope"}');
    await connect(page, servers.socketio);
    await handshake(page).locator('.protocol-problem').waitFor();
    await emit(page, 'ping-ack', '[1]', { ack: true });
    await latency(page).getByRole('img', { name: /Round trips by duration/ }).waitFor();
    await latency(page).getByRole('img', { name: /Messages per second/ }).waitFor();
    await page.addScriptTag({ path: axePath });
    const serious = () =>
      page.evaluate(async () => {
        const result = await window.axe.run('body', { resultTypes: ['violations'] });
        return result.violations
          .filter((v) => v.impact === 'serious' || v.impact === 'critical')
          .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
      });
    assert.deepEqual(await serious(), []);
    await protocolChooser(page).selectOption('JSON-RPC');
    await methodBox(page).waitFor();
    assert.deepEqual(await serious(), []);
    // GraphQL with its operations listed: one failed, one running with its Stop.
    await disconnectButton(page).click();
    await waitForState(page, 'Closed');
    await protocolChooser(page).selectOption('GraphQL');
    await connect(page, servers.graphql);
    await handshake(page).getByText(/acknowledged/).waitFor();
    await subscribe(page, '{ nope }');
    await subscription(page, 1).filter({ hasText: 'Failed' }).waitFor();
    await subscribe(page, 'subscription { ticks }');
    await subscription(page, 2).filter({ hasText: 'Receiving' }).waitFor();
    assert.deepEqual(await serious(), []);
    // MQTT with a topic filter granted.
    await disconnectButton(page).click();
    await waitForState(page, 'Closed');
    await protocolChooser(page).selectOption('MQTT');
    await mqttUser(page).fill('wsprobe');
    await mqttPassword(page).fill('letmein');
    await connect(page, servers.mqtt);
    await mqttSubscribe(page, 'axe/#', 1);
    await subscriptions(page).getByText('Granted QoS 1').waitFor();
    assert.deepEqual(await serious(), []);
    // STOMP with a message waiting for its ACK.
    await disconnectButton(page).click();
    await waitForState(page, 'Closed');
    await protocolChooser(page).selectOption('STOMP');
    await stompLogin(page).fill('wsprobe');
    await stompPasscode(page).fill('letmein');
    await connect(page, servers.stomp);
    // A queue of each theme's own: the other theme's message, never acknowledged, went back to its
    // queue when that page closed, and would be a second message waiting here.
    await stompSubscribe(page, `/queue/axe-${colorScheme}`, 'client');
    await stompSend(page, `/queue/axe-${colorScheme}`, 'hello');
    await subscriptions(page).getByText('1 message to acknowledge').waitFor();
    assert.deepEqual(await serious(), []);
    assert.deepEqual(page.errors, []);
    await context.close();
  });
}
