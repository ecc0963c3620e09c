// Scenarios that speak Socket.IO and JSON-RPC (Emit, Expect event, Call, Expect result),
// written in the page's step editor and run there, and written as files and run by
// `wsprobe run`, against the real socket.io and json-rpc-2.0 servers and RabbitMQ's Web STOMP
// (e2e/servers/protocols.mjs).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withProtocolServers } from '../harness.js';
import {
  addStepButton, authPayload, connectButton, disconnectButton, emit, logRow, messageLog, namespaceBox,
  protocolChooser, recordScenarioButton, runScenario, stepKinds, steps, url, waitForState,
} from '../page.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cliBin = process.env.WSPROBE_CLI_BIN ?? path.join(root, 'target/debug/wsprobe');

let env;
let servers;
withProtocolServers((ready) => ({ env, servers } = ready));

/** Adds a step of `kind`; `expected` goes in its Expected field, `match` in its Match list. */
async function addStep(page, kind, { match, expected, event, check, skip } = {}) {
  await addStepButton(page).click();
  const step = steps(page).last();
  await step.getByRole('combobox', { name: 'Step kind' }).selectOption(kind);
  if (match) await step.getByRole('combobox', { name: 'Match' }).selectOption(match);
  if (event !== undefined) await step.getByRole('textbox', { name: 'Event', exact: true }).fill(event);
  if (expected !== undefined) await step.getByRole('textbox', { name: 'Expected', exact: true }).fill(expected);
  if (check) await step.getByRole('checkbox', { name: check }).check();
  if (skip) await step.getByRole('checkbox', { name: 'Skip other events' }).check();
  return step;
}

const allSteps = async (page) => (await steps(page).allInnerTexts()).join('\n');

test('a Socket.IO scenario emits, reads the acknowledgement and an event, and passes', async () => {
  const page = await env.open();
  await protocolChooser(page).selectOption('Socket.IO');
  await url(page).fill(servers.socketio);
  // Leaving the field adds Socket.IO's path and query (and their rows in the table).
  await url(page).press('Tab');
  await addStep(page, 'Connect');
  await addStep(page, 'Emit', { expected: 'ping-ack ["a", 1]', check: 'Acknowledgement' });
  await addStep(page, 'Expect result', { match: 'JSON subset', expected: '["pong", "a", 1]' });
  await addStep(page, 'Emit', { expected: 'echo [{"n": 7}]' });
  // The server's welcome event comes first: the step passes over it.
  await addStep(page, 'Expect event', { event: 'echo', match: 'JSON pointer', expected: '/0/n = 7', skip: true });
  await addStep(page, 'Close');

  const result = await runScenario(page);
  assert.match(result, /6 passed, 0 failed/, await allSteps(page));
  // The log pairs the run's ack like the panel's own, with no frame flagged.
  await logRow(page, /ack 0 \["pong","a",1\]/).waitFor();
  assert.equal(await messageLog(page).locator('.entry.problem').count(), 0);
  assert.deepEqual(page.errors, []);
});

test('a Socket.IO scenario fails at Connect with the server\'s reason when its namespace is refused', async () => {
  const page = await env.open();
  await protocolChooser(page).selectOption('Socket.IO');
  await url(page).fill(servers.socketio);
  await namespaceBox(page).fill('/admin');
  await authPayload(page).fill('{"token": "wrong"}');
  await addStep(page, 'Connect');
  await addStep(page, 'Emit', { expected: 'whoami []', check: 'Acknowledgement' });
  await addStep(page, 'Expect result', { match: 'Equals', expected: '["admin"]' });
  assert.match(await runScenario(page), /Failed/);
  assert.match(await steps(page).nth(0).innerText(), /the server refused namespace \/admin: Not authorized/);
  assert.match(await steps(page).nth(2).innerText(), /Skipped/);

  // With the right token, the namespace answers.
  await authPayload(page).fill('{"token": "letmein"}');
  assert.match(await runScenario(page), /3 passed, 0 failed/, await allSteps(page));
  assert.deepEqual(page.errors, []);
});

test('a JSON-RPC scenario calls, reads results and errors, and waits for the server\'s notifications', async () => {
  const page = await env.open();
  await protocolChooser(page).selectOption('JSON-RPC');
  await url(page).fill(servers.jsonrpc);
  await addStep(page, 'Connect');
  await addStep(page, 'Call', { expected: 'subtract [42, 23]' });
  await addStep(page, 'Expect result', { match: 'Equals', expected: '19' });
  await addStep(page, 'Call', { expected: 'no_such_method' });
  await addStep(page, 'Expect result', { match: 'JSON pointer', expected: '/code = -32601', check: 'Expect an error' });
  await addStep(page, 'Call', { expected: 'subscribe_ticks' });
  await addStep(page, 'Expect result');
  await addStep(page, 'Expect event', { event: 'tick', match: 'JSON subset', expected: '{"n": 2}', skip: true });
  await addStep(page, 'Call', { expected: 'fail' });
  await addStep(page, 'Expect result');

  const result = await runScenario(page);
  assert.match(result, /9 passed, 1 failed/, await allSteps(page));
  // The last call fails, and the step says how, in the server's words.
  assert.match(
    await steps(page).nth(9).innerText(),
    /the call of “fail” failed: error -32000 Server error \(implementation-defined\): deliberate failure/,
  );
  assert.deepEqual(page.errors, []);
});

/** Runs `wsprobe run` with `args`; resolves to { code, out }. */
function wsprobeRun(args) {
  return new Promise((resolve) => {
    execFile(cliBin, ['run', ...args], { timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, out: stdout + stderr });
    });
  });
}

/** A scenario file as people write them, for `url` with the request's `protocol` settings. */
function scenarioFile(name, url, protocol, steps) {
  return JSON.stringify({ wsprobe: 'scenario', version: 1, name, request: { url, protocol }, steps }, null, 2);
}

test('wsprobe run speaks Socket.IO 4 and 2 and JSON-RPC, keeping the connection past the server\'s pings', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wsprobe-protocols-'));
  const admin = scenarioFile('Admin', servers.socketio, {
    protocol: 'socket-io',
    socket_io: { namespaces: '/admin', auth: '{"token": "{{token}}"}' },
  }, [
    { kind: 'connect' },
    // The server pings every 1000 ms and gives up 1000 ms later: only a client that answers
    // is still there after 3 s.
    { kind: 'wait', ms: 3000 },
    { kind: 'emit', event: 'whoami', ack: true },
    { kind: 'expect_result', match: { equals: '["admin"]' } },
  ]);
  const old = scenarioFile('Socket.IO 2', servers.socketio, {
    protocol: 'socket-io',
    socket_io: { release: '2' },
  }, [
    { kind: 'connect' },
    { kind: 'wait', ms: 3000 },
    { kind: 'emit', event: 'ping-ack', args: '["old"]', ack: true },
    { kind: 'expect_result', match: { json_subset: ['pong', 'old'] }, capture: [{ name: 'word', pointer: '/0' }] },
    { kind: 'emit', event: 'echo', args: '["{{word}}"]' },
    { kind: 'expect_event', event: 'echo', match: { equals: '["pong"]' }, mode: 'skip_until' },
  ]);
  const rpc = scenarioFile('JSON-RPC', servers.jsonrpc, { protocol: 'json-rpc' }, [
    { kind: 'connect' },
    { kind: 'call', method: 'sum', params: '[1, 2, 3]' },
    { kind: 'expect_result', match: { equals: '6' } },
    { kind: 'call', method: 'subtract', params: '{"minuend": 1, "subtrahend": 2}' },
    { kind: 'expect_result', match: { equals: '-1' } },
  ]);
  const files = [];
  for (const [name, text] of [['admin.json', admin], ['old.json', old], ['rpc.json', rpc]]) {
    const file = path.join(dir, name);
    await writeFile(file, text);
    files.push(file);
  }
  const vars = path.join(dir, 'vars.json');
  await writeFile(vars, JSON.stringify({ token: 'letmein' }));
  const run = await wsprobeRun([...files, '--env', vars]);
  assert.equal(run.code, 0, run.out);
  assert.match(run.out, /3 scenarios: 3 passed, 0 failed/, run.out);

  // With a wrong token the namespace is refused, and the run says so.
  await writeFile(vars, JSON.stringify({ token: 'wrong' }));
  const refused = await wsprobeRun([files[0], '--env', vars]);
  assert.equal(refused.code, 1, refused.out);
  assert.match(refused.out, /the server refused namespace \/admin: Not authorized/, refused.out);
});

test('wsprobe run speaks STOMP to RabbitMQ: CONNECT from the settings, heart-beats kept, a refused passcode explained', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wsprobe-stomp-'));
  const file = path.join(dir, 'stomp.json');
  await writeFile(file, JSON.stringify({
    wsprobe: 'scenario',
    version: 1,
    name: 'STOMP',
    request: {
      url: servers.stomp,
      subprotocols: 'v12.stomp',
      protocol: {
        protocol: 'stomp',
        stomp: { login: 'wsprobe', passcode: '{{passcode}}', host: '/', heart_beat_out_ms: 1000, heart_beat_in_ms: 1000 },
      },
    },
    steps: [
      { kind: 'connect' },
      { kind: 'send', text: 'SUBSCRIBE\nid:cli\ndestination:/topic/e2e-cli\nreceipt:1\n\n\u0000' },
      // RabbitMQ drops a client that sends no heart-beat for two of its intervals: only a run
      // that keeps them is still there after 4 s (a silent one is dropped at about 3 s).
      { kind: 'wait', ms: 4000 },
      { kind: 'send', text: 'SEND\ndestination:/topic/e2e-cli\n\nfrom the command line\u0000' },
      { kind: 'expect_message', match: { contains: 'from the command line' }, mode: 'skip_until' },
    ],
  }, null, 2));
  const vars = path.join(dir, 'vars.json');
  await writeFile(vars, JSON.stringify({ passcode: 'letmein' }));
  const run = await wsprobeRun([file, '--env', vars]);
  assert.equal(run.code, 0, run.out);
  assert.match(run.out, /1 scenario: 1 passed, 0 failed|1 passed, 0 failed/, run.out);

  await writeFile(vars, JSON.stringify({ passcode: 'x9-not-it' }));
  const refused = await wsprobeRun([file, '--env', vars]);
  assert.equal(refused.code, 1, refused.out);
  assert.match(refused.out, /the broker refused CONNECT: Bad CONNECT \(Access refused for user 'wsprobe'\)/, refused.out);
  assert.doesNotMatch(refused.out, /x9-not-it/, 'the passcode is not printed');
});

test('a Socket.IO session done by hand records as emits, events and results, and runs again', async () => {
  const page = await env.open();
  await protocolChooser(page).selectOption('Socket.IO');
  await url(page).fill(servers.socketio);
  await connectButton(page).click();
  await waitForState(page, 'Open');
  await logRow(page, /event "welcome"/).waitFor();
  await emit(page, 'ping-ack', '["rec"]', { ack: true });
  await logRow(page, /ack 0 \["pong","rec"\]/).waitFor();
  await emit(page, 'echo', '[{"n": 3}]');
  await logRow(page, /event "echo" \[\{"n":3\}\]/).waitFor();
  await disconnectButton(page).click();
  await waitForState(page, 'Closed');
  await recordScenarioButton(page).click();
  assert.deepEqual(
    await stepKinds(page),
    ['Connect', 'Expect event', 'Emit', 'Expect result', 'Emit', 'Expect event', 'Close', 'Expect close'],
  );
  // The welcome carries this connection's socket id; the next one has another.
  const welcome = steps(page).nth(1);
  await welcome.getByRole('combobox', { name: 'Match' }).selectOption('JSON pointer');
  await welcome.getByRole('textbox', { name: 'Expected', exact: true }).fill('/0/id');
  const result = await runScenario(page);
  assert.match(result, /8 passed, 0 failed/, await allSteps(page));
  assert.deepEqual(page.errors, []);
});
