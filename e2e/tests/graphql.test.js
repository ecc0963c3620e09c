// GraphQL against the real servers in e2e/servers/graphql.mjs: graphql-ws (the
// graphql-transport-ws protocol) and subscriptions-transport-ws (the legacy graphql-ws one).
// Subscriptions receive results and are stopped, queries and mutations are answered, errors are
// shown, a refused connection_init is explained, and the connection payload travels only as a
// secret.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withProtocolServers } from '../harness.js';
import {
  afterNextFrames, connect, connectionPayload, dial, disconnectButton, graphqlProtocol, handshake, latency, logRow, messageLog,
  protocolChooser, recordScenarioButton, runScenario, shareLink, stepKinds, steps, subprotocols, subscribe,
  subscribeButton, subscription, url, waitForState,
} from '../page.js';

let env;
let servers;
withProtocolServers((ready) => ({ env, servers } = ready));

/** A page with Protocol set to GraphQL, its panel loaded. */
async function openGraphql() {
  const page = await env.open();
  await protocolChooser(page).selectOption('GraphQL');
  await subscribeButton(page).waitFor();
  return page;
}

const allSteps = async (page) => (await steps(page).allInnerTexts()).join('\n');

/** How many received rows say `text`. */
const countRows = (page, text) => logRow(page, text).count();

test('graphql-transport-ws: acknowledged, a subscription completes, another is stopped, a query and a mutation answered', async () => {
  const page = await openGraphql();
  assert.equal(await subprotocols(page).inputValue(), 'graphql-transport-ws', 'choosing GraphQL asks for its subprotocol');
  await connect(page, servers.graphql);
  await handshake(page).locator('.protocol-facts').filter({ hasText: /connection_ack\s*acknowledged in [\d.]+ ms/ }).waitFor();
  assert.match(await handshake(page).innerText(), /GraphQL protocol\s*graphql-transport-ws/);

  await subscribe(page, 'subscription Greet($n: Int) { greetings(count: $n) }', '{"n": 3}');
  await logRow(page, /next 1 · Greet #1 · \{"greetings":"Hi"\}/).waitFor();
  await logRow(page, /next 1 · Greet #3 · \{"greetings":"Hola"\}/).waitFor();
  await logRow(page, /complete 1 · Greet after 3 results/).waitFor();
  await subscription(page, 1).filter({ hasText: /subscription Greet.*Completed.*3 results/ }).waitFor();

  await subscribe(page, 'subscription { ticks(everyMs: 100) }');
  await logRow(page, /next 2 · ticks #2 · \{"ticks":2\}/).waitFor();
  await subscription(page, 2).getByRole('button', { name: 'Stop' }).click();
  await subscription(page, 2).filter({ hasText: 'Stopped' }).waitFor();
  await afterNextFrames(page);
  const ticksAtStop = await countRows(page, /next 2 · ticks/);
  await page.waitForTimeout(500);
  assert.ok(await countRows(page, /next 2 · ticks/) <= ticksAtStop + 1, 'ticks kept coming after Stop');
  assert.equal(await subscription(page, 2).getByRole('button', { name: 'Stop' }).count(), 0);

  await subscribe(page, '{ hello(name: "page") }');
  await logRow(page, /next 3 · hello #1 · \{"hello":"Hello, page!"\}/).waitFor();
  await subscribe(page, 'mutation { shout(text: "quiet") }');
  await logRow(page, /next 4 · shout #1 · \{"shout":"QUIET"\}/).waitFor();
  await subscription(page, 4).filter({ hasText: /mutation shout.*Completed/ }).waitFor();
  // Each operation's first answer is a round trip.
  await latency(page).getByText(/Count\s*4/).waitFor();
  // A subscription still running when the connection closes stays listed, ended by the close.
  await subscribe(page, 'subscription { ticks(everyMs: 100) }');
  await subscription(page, 5).filter({ hasText: 'Receiving' }).waitFor();
  await disconnectButton(page).click();
  await subscription(page, 5).filter({ hasText: 'Ended by the close' }).waitFor();
  await subscription(page, 1).filter({ hasText: 'Completed' }).waitFor();
  assert.deepEqual(page.errors, []);
});

test('graphql-transport-ws: a query the schema refuses fails with the server\u2019s message', async () => {
  const page = await openGraphql();
  await connect(page, servers.graphql);
  await handshake(page).getByText('connection_ack').waitFor();
  await subscribe(page, '{ nope }');
  await logRow(page, /error 1 · nope · Cannot query field "nope" on type "Query"/).waitFor();
  await subscription(page, 1).filter({ hasText: /Failed.*Cannot query field/ }).waitFor();
  // Variables that are not an object are refused before anything is sent.
  const sent = await messageLog(page).locator('.entry.sent').count();
  await subscribe(page, '{ hello }', '[1]');
  await page.getByText('Not sent: the variables must be a JSON object, not an array.').waitFor();
  assert.equal(await messageLog(page).locator('.entry.sent').count(), sent);
  assert.deepEqual(page.errors, []);
});

test('graphql-transport-ws: a refused connection_init is explained by its close code', async () => {
  const page = await openGraphql();
  await connectionPayload(page).fill('{"token": "wrong"}');
  await dial(page, servers.graphql);
  const problem = handshake(page).locator('.protocol-problem');
  await problem.getByText(/GraphQL close 4403: Forbidden: the server refused connection_init/).waitFor();
  await problem.getByText(/Check the connection payload under GraphQL/).waitFor();
  assert.deepEqual(page.errors, []);
});

test('legacy graphql-ws: chosen by hand, a mutation answered; a refused connection_init says why', async () => {
  const page = await openGraphql();
  await graphqlProtocol(page).selectOption('graphql-ws (legacy)');
  assert.equal(await subprotocols(page).inputValue(), 'graphql-ws');
  await connect(page, servers.graphqlLegacy);
  await handshake(page).locator('.protocol-facts').filter({ hasText: /GraphQL protocol\s*graphql-ws/ }).waitFor();
  await handshake(page).getByText(/acknowledged/).waitFor();
  await subscribe(page, 'mutation { shout(text: "old") }');
  await logRow(page, /data 1 · shout #1 · \{"shout":"OLD"\}/).waitFor();
  await subscription(page, 1).filter({ hasText: 'Completed' }).waitFor();
  await subscribe(page, 'subscription { ticks(everyMs: 50) }');
  await logRow(page, /data 2 · ticks #1/).waitFor();
  await subscription(page, 2).getByRole('button', { name: 'Stop' }).click();
  await subscription(page, 2).filter({ hasText: 'Stopped' }).waitFor();

  const refused = await openGraphql();
  await graphqlProtocol(refused).selectOption('graphql-ws (legacy)');
  await connectionPayload(refused).fill('{"token": "wrong"}');
  await dial(refused, servers.graphqlLegacy);
  await handshake(refused).locator('.protocol-problem')
    .getByText('The server refused connection_init: Not authorized').waitFor();
  assert.deepEqual(page.errors, []);
  assert.deepEqual(refused.errors, []);
});

test('GraphQL is suggested for a /graphql URL; its settings travel, the connection payload only as a secret', async () => {
  const page = await env.open();
  await url(page).fill(servers.graphql);
  const suggestion = page.getByRole('button', { name: 'Use GraphQL' });
  await suggestion.click();
  await subscribeButton(page).waitFor();
  await connectionPayload(page).fill('{"token": "letmein"}');
  await graphqlProtocol(page).selectOption('graphql-ws (legacy)');
  const link = await shareLink(page);
  const other = await env.open({ hash: new URL(link).hash });
  await subscribeButton(other).waitFor();
  assert.equal(await protocolChooser(other).inputValue(), 'GraphQL');
  assert.equal(await graphqlProtocol(other).inputValue(), 'graphql-ws (legacy)');
  assert.equal(await subprotocols(other).inputValue(), 'graphql-ws');
  assert.equal(await connectionPayload(other).inputValue(), '');
  assert.deepEqual(page.errors, []);
  assert.deepEqual(other.errors, []);
});

test('a GraphQL session recorded as a scenario runs again, frame by frame', async () => {
  const page = await openGraphql();
  await connect(page, servers.graphql);
  await handshake(page).getByText(/acknowledged/).waitFor();
  await subscribe(page, '{ add(a: 2, b: 5) }');
  await logRow(page, /complete 1 · add after 1 result/).waitFor();
  await disconnectButton(page).click();
  await waitForState(page, 'Closed');
  await recordScenarioButton(page).click();
  assert.deepEqual(
    await stepKinds(page),
    ['Connect', 'Send', 'Expect message', 'Expect message', 'Close', 'Expect close'],
  );
  // connection_init is the run's own, sent from the settings: the steps never hold its payload.
  assert.doesNotMatch(await allSteps(page), /connection_init/);
  const result = await runScenario(page);
  assert.match(result, /6 passed, 0 failed/, await allSteps(page));
  assert.deepEqual(page.errors, []);
});
