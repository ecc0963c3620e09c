// MQTT over WebSocket against Debian's mosquitto (e2e/servers/mqtt.mjs; user wsprobe, password
// letmein): a wrong password explained by its reason code, subscribing with a wildcard,
// publishing at QoS 1 and 2 with their round trips, a retained message received on
// subscribing, MQTT 5's user properties, and the log filtered by topic.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withProtocolServers } from '../harness.js';
import {
  connect, dial, disconnectButton, filterMessages, handshake, latency, logRow, messageLog, mqttPassword,
  mqttPublish, mqttSubscribe, mqttUser, mqttVersion, protocolChooser, publishButton, recordScenarioButton,
  runScenario, shareLink, stepKinds, steps, subprotocols, subscriptions, url, waitForState,
} from '../page.js';

let env;
let servers;
withProtocolServers((ready) => ({ env, servers } = ready));

/** A page with Protocol MQTT, its panel loaded, signed in as `password` says. */
async function openMqtt(password = 'letmein', version = '3.1.1', options = {}) {
  const page = await env.open(options);
  await protocolChooser(page).selectOption('MQTT');
  await publishButton(page).waitFor();
  await mqttVersion(page).selectOption(version);
  await mqttUser(page).fill('wsprobe');
  await mqttPassword(page).fill(password);
  return page;
}

/** The Subscriptions list's item for `filter`. */
const subscriptionOf = (page, filter) =>
  subscriptions(page).getByRole('listitem').filter({ hasText: filter });

for (const [version, said] of [['3.1.1', /bad user name or password|not authorized/], ['5', /Bad User Name or Password|Not authorized/]]) {
  test(`MQTT ${version}: a wrong password is refused and explained by its reason code`, async () => {
    const page = await openMqtt('nope', version);
    assert.equal(await subprotocols(page).inputValue(), 'mqtt', 'choosing MQTT asks for its subprotocol');
    await dial(page, servers.mqtt);
    const problem = handshake(page).locator('.protocol-problem');
    await problem.getByText(/The broker refused CONNECT/).waitFor();
    assert.match(await problem.innerText(), said);
    assert.match(await problem.innerText(), /Check User name and Password|access rules/);
    await logRow(page, /CONNACK refused/).waitFor();
    assert.doesNotMatch(await messageLog(page).innerText(), /nope/, 'the password stays out of the log');
    assert.deepEqual(page.errors, []);
  });
}

test('MQTT 3.1.1: a retained message on subscribing, a wildcard, QoS 1 and 2 round trips, the log filtered by topic', async () => {
  const page = await openMqtt();
  await connect(page, servers.mqtt);
  await handshake(page).locator('.protocol-facts').filter({ hasText: /CONNACK\s*accepted in [\d.]+ ms/ }).waitFor();
  // Retained first, then received on subscribing.
  await mqttPublish(page, 'e2e/v3/status', 'online', { qos: 1, retain: true });
  await logRow(page, /PUBACK \d+ · e2e\/v3\/status · [\d.]+ ms/).waitFor();
  await mqttSubscribe(page, 'e2e/v3/#', 2);
  await logRow(page, /SUBACK \d+ · e2e\/v3\/# Granted QoS 2/).waitFor();
  await logRow(page, /PUBLISH e2e\/v3\/status · QoS 1 #\d+ · retained · online/).waitFor();
  await subscriptionOf(page, 'e2e/v3/#').filter({ hasText: /Granted QoS 2.*1 message/ }).waitFor();

  await mqttPublish(page, 'e2e/v3/kitchen/temp', '{"c": 21.5}', { qos: 1 });
  await logRow(page, /PUBLISH e2e\/v3\/kitchen\/temp · QoS 1 #\d+ · \{"c":21.5\}/).waitFor();
  await mqttPublish(page, 'e2e/v3/hall/temp', 'two', { qos: 2 });
  await logRow(page, /PUBREC \d+ · e2e\/v3\/hall\/temp/).waitFor();
  await logRow(page, /PUBCOMP \d+ · e2e\/v3\/hall\/temp · [\d.]+ ms/).waitFor();
  // The broker delivers at QoS 2 too: the page answers PUBREC and then PUBCOMP.
  await logRow(page, /PUBLISH e2e\/v3\/hall\/temp · QoS 2 #\d+ · two/).waitFor();
  await logRow(page, /PUBREL \d+/).waitFor();
  await messageLog(page).locator('.entry.sent').filter({ hasText: /PUBCOMP \d+/ }).first().waitFor();
  await subscriptionOf(page, 'e2e/v3/#').filter({ hasText: '3 messages' }).waitFor();
  await latency(page).getByText(/Count\s*[4-9]/).waitFor();

  await filterMessages(page).fill('kitchen');
  await logRow(page, /PUBLISH e2e\/v3\/kitchen\/temp/).waitFor();
  assert.equal(await logRow(page, /hall/).count(), 0, 'the filter hides other topics');
  await filterMessages(page).fill('');

  await subscriptionOf(page, 'e2e/v3/#').getByRole('button', { name: 'Unsubscribe' }).click();
  await subscriptionOf(page, 'e2e/v3/#').filter({ hasText: 'Unsubscribed' }).waitFor();
  // Clear the retained message for the next run.
  await mqttPublish(page, 'e2e/v3/status', '', { qos: 1, retain: true });
  await logRow(page, /PUBACK \d+ · e2e\/v3\/status/).nth(1).waitFor();
  assert.deepEqual(page.errors, []);
});

test('MQTT 5: user properties travel with a message, and a bad topic filter is refused before sending', async () => {
  const page = await openMqtt('letmein', '5');
  await connect(page, servers.mqtt);
  await handshake(page).getByText(/accepted in/).waitFor();
  await mqttSubscribe(page, 'e2e/v5/+', 1);
  await logRow(page, /Granted QoS 1/).waitFor();
  await page.getByRole('textbox', { name: 'User properties' }).fill('source=wsprobe, trace=7');
  await mqttPublish(page, 'e2e/v5/a', 'hello', { qos: 1 });
  await logRow(page, /PUBLISH e2e\/v5\/a · QoS 1 #\d+ · source=wsprobe · trace=7 · hello/).waitFor();
  const sent = await messageLog(page).locator('.entry.sent').count();
  await mqttSubscribe(page, 'e2e/#/x');
  await page.getByText('Not subscribed: # must be a whole level, and the last one (sport/#).').waitFor();
  assert.equal(await messageLog(page).locator('.entry.sent').count(), sent);
  assert.deepEqual(page.errors, []);
});

test('MQTT settings travel in a share link, the password only as a secret', async () => {
  const page = await openMqtt('letmein', '5');
  await url(page).fill(servers.mqtt);
  await mqttSubscribe(page, 'a/#', 1).catch(() => {});
  const link = await shareLink(page);
  const other = await env.open({ hash: new URL(link).hash });
  await publishButton(other).waitFor();
  assert.equal(await protocolChooser(other).inputValue(), 'MQTT');
  assert.equal(await mqttVersion(other).inputValue(), '5');
  assert.equal(await mqttUser(other).inputValue(), 'wsprobe');
  assert.equal(await mqttPassword(other).inputValue(), '');
  assert.deepEqual(page.errors, []);
  assert.deepEqual(other.errors, []);
});

test('an MQTT session recorded as a scenario runs again; CONNECT and the password stay out of its steps', async () => {
  const page = await openMqtt();
  await connect(page, servers.mqtt);
  await handshake(page).getByText(/accepted in/).waitFor();
  await mqttSubscribe(page, 'e2e/rec/#', 0);
  await logRow(page, /Granted QoS 0/).waitFor();
  await mqttPublish(page, 'e2e/rec/x', 'hi', { qos: 0 });
  await logRow(page, /PUBLISH e2e\/rec\/x · QoS 0 · hi/).waitFor();
  await disconnectButton(page).click();
  await waitForState(page, 'Closed');
  await recordScenarioButton(page).click();
  // DISCONNECT is the run's, sent by its Close step.
  assert.deepEqual(await stepKinds(page), ['Connect', 'Send', 'Send', 'Expect message', 'Close', 'Expect close']);
  const written = (await steps(page).allInnerTexts()).join('\n');
  assert.doesNotMatch(written, /6c 65 74 6d 65 69 6e|letmein/i, 'the password is not in a step');
  const result = await runScenario(page);
  assert.match(result, /6 passed, 0 failed/, written);
  assert.deepEqual(page.errors, []);
});

test('a will is published when the connection drops, not when you disconnect (DISCONNECT goes first)', async () => {
  const watcher = await openMqtt();
  await connect(watcher, servers.mqtt);
  await handshake(watcher).getByText(/accepted in/).waitFor();
  await mqttSubscribe(watcher, 'e2e/will/#', 0);
  await logRow(watcher, /Granted QoS 0/).waitFor();
  const context = await env.browser.newContext();
  const leaver = await openMqtt('letmein', '3.1.1', { context });
  await leaver.getByText('Will', { exact: true }).click();
  await leaver.getByRole('textbox', { name: 'Will topic' }).fill('e2e/will/leaver');
  await leaver.getByRole('textbox', { name: 'Will message' }).fill('gone');
  await connect(leaver, servers.mqtt);
  await handshake(leaver).getByText(/accepted in/).waitFor();
  await disconnectButton(leaver).click();
  await waitForState(leaver, 'Closed');
  await messageLog(leaver).locator('.entry.sent').filter({ hasText: 'DISCONNECT' }).waitFor();
  await watcher.waitForTimeout(700);
  assert.equal(await logRow(watcher, /e2e\/will\/leaver/).count(), 0, 'no will after a DISCONNECT');
  await connect(leaver, servers.mqtt);
  await handshake(leaver).getByText(/accepted in/).waitFor();
  // Dropped without DISCONNECT, as a crash or a lost network would.
  await context.close();
  await logRow(watcher, /PUBLISH e2e\/will\/leaver · QoS 0 · gone/).waitFor();
  assert.deepEqual(watcher.errors, []);
});
