// Scenarios in the page: recorded from a session by hand, edited, run against the real test
// server, reported as JUnit, and kept with the request through reload, export and share links.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { setUp, startRelay } from '../harness.js';
import {
  addStepButton, connect, disconnectButton, downloadJunit, exportSavedRequests, importSavedRequests, received,
  recordScenarioButton, runAllScenariosButton, runScenario, saveAs, savedRequest, scenarioResult, send, shareLink,
  stepKinds, steps, url, useRelay, useRelayCheckbox, waitForState,
} from '../page.js';

let env;
before(async () => { env = await setUp(); });
after(async () => { await env?.close(); });

/** Connects to the echo endpoint, sends `hello` and a JSON message, disconnects, records. */
async function recordEchoSession(page) {
  await connect(page, env.server.ws + '/echo');
  await send(page, 'hello');
  await received(page, 1);
  await send(page, '{"type":"greet","n":1}');
  await received(page, 2);
  await disconnectButton(page).click();
  await waitForState(page, 'Closed');
  await recordScenarioButton(page).click();
}

const stepText = (page, n) => steps(page).nth(n - 1).innerText();
const field = (page, n, name) => steps(page).nth(n - 1).getByRole('textbox', { name, exact: true });

/** Adds a step and sets its kind (and, given, its Match). */
async function addStep(page, kind, match) {
  await addStepButton(page).click();
  const step = steps(page).last();
  await step.getByRole('combobox', { name: 'Step kind' }).selectOption(kind);
  if (match) await step.getByRole('combobox', { name: 'Match' }).selectOption(match);
  return step;
}

test('a session recorded against the echo endpoint runs again and passes, step by step', async () => {
  const page = await env.open();
  await recordEchoSession(page);
  assert.deepEqual(await stepKinds(page), ['Connect', 'Send', 'Expect message', 'Send', 'Expect message', 'Close', 'Expect close']);
  assert.equal(await field(page, 3, 'Expected').inputValue(), 'hello');
  // The JSON reply is expected as a JSON subset, so fields can be loosened by deleting them.
  assert.equal(await steps(page).nth(4).getByRole('combobox', { name: 'Match' }).inputValue(), 'JSON subset');

  const result = await runScenario(page);
  assert.match(result, /Passed/);
  assert.match(result, /7 passed, 0 failed/);
  for (let n = 1; n <= 7; n++) assert.match(await stepText(page, n), /Passed/, `step ${n}`);
  // The log shows the same session, with a marker per step.
  await page.getByRole('log', { name: 'Message log' }).getByText('Step 3: passed').first().waitFor();
  assert.deepEqual(page.errors, []);
});

test('a changed expectation fails at its step, saying what was expected and what came', async () => {
  const page = await env.open();
  await recordEchoSession(page);
  await field(page, 3, 'Expected').fill('goodbye');

  const result = await runScenario(page);
  assert.match(result, /Failed/);
  assert.match(result, /2 passed, 1 failed/);
  const failed = await stepText(page, 3);
  assert.match(failed, /Failed/);
  assert.match(failed, /goodbye/);
  assert.match(failed, /hello/);
  for (let n = 4; n <= 7; n++) assert.match(await stepText(page, n), /Skipped/, `step ${n}`);

  // The JUnit report says the same: one test case a step, one failure, the rest skipped.
  const download = await downloadJunit(page);
  const xml = await readFile(await download.path(), 'utf8');
  const counts = await page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'application/xml');
    if (doc.querySelector('parsererror')) return { error: doc.querySelector('parsererror').textContent };
    const suite = doc.querySelector('testsuite');
    return {
      tests: Number(suite.getAttribute('tests')),
      failures: Number(suite.getAttribute('failures')),
      cases: doc.querySelectorAll('testcase').length,
      failureText: doc.querySelector('testcase failure')?.textContent ?? '',
      skipped: doc.querySelectorAll('testcase skipped').length,
    };
  }, xml);
  assert.equal(counts.error, undefined, xml);
  assert.equal(counts.tests, 7);
  assert.equal(counts.cases, 7);
  assert.equal(counts.failures, 1);
  assert.equal(counts.skipped, 4);
  assert.match(counts.failureText, /goodbye/);

  // The same results as JSON, and as a text summary to paste in a bug report.
  const [json] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download JSON report' }).click(),
  ]);
  const results = JSON.parse(await readFile(await json.path(), 'utf8'));
  assert.equal(results.verdict, 'failed');
  assert.deepEqual(results.steps.map((s) => s.state.state), ['passed', 'passed', 'failed', 'skipped', 'skipped', 'skipped', 'skipped']);
  assert.match(results.steps[2].state.failure.actual, /did not match/);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByRole('button', { name: 'Copy summary' }).click();
  await page.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
  const summary = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(summary, /goodbye/);
  assert.match(summary, /failed/i);
  assert.deepEqual(page.errors, []);
});

test('a negative handshake test passes when the server refuses, and fails when it does not', async () => {
  const page = await env.open();
  await url(page).fill(env.server.ws + '/reject?status=401');
  await addStep(page, 'Connect');
  await steps(page).first().getByRole('checkbox', { name: 'Expect refusal' }).check();
  assert.match(await runScenario(page), /Passed/);

  await url(page).fill(env.server.ws + '/echo');
  const result = await runScenario(page);
  assert.match(result, /Failed/);
  assert.match(await stepText(page, 1), /Failed/);
  assert.deepEqual(page.errors, []);
});

test('an Expect close step checks the close reason against a pattern typed with the keyboard', async () => {
  const page = await env.open();
  await url(page).fill(env.server.ws + '/close?code=4001&reason=bye%20now');
  await addStep(page, 'Connect');
  const expectClose = await addStep(page, 'Expect close');
  await field(page, 2, 'Expected').fill('4001');
  const reason = field(page, 2, 'Close reason');
  assert.equal(await reason.inputValue(), '', 'a new step checks no reason');
  // Reached with Tab from the step's timeout, and typed there.
  await expectClose.getByRole('spinbutton', { name: 'Timeout (ms)' }).focus();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Close reason');
  await page.keyboard.type('^(bye');
  // A pattern that does not compile stays in its field, with the reason beside it.
  const problem = expectClose.getByRole('alert');
  await problem.filter({ hasText: 'Not a regular expression' }).waitFor();
  assert.equal(await reason.inputValue(), '^(bye');
  assert.equal(await reason.getAttribute('aria-invalid'), 'true');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Backspace');
  await page.keyboard.type('bye now$');
  await problem.waitFor({ state: 'hidden' });
  assert.equal(await reason.getAttribute('aria-invalid'), 'false');
  assert.equal(await reason.inputValue(), '^bye now$');
  assert.match(await runScenario(page), /2 passed, 0 failed/);

  // A reason that does not match fails the step, saying what came.
  await reason.fill('^later');
  assert.match(await runScenario(page), /1 passed, 1 failed/);
  const failed = await stepText(page, 2);
  assert.match(failed, /Failed/);
  assert.match(failed, /\^later/);
  assert.match(failed, /bye now/);

  // The pattern travels with the scenario (here in its share link).
  const other = await env.open({ hash: new URL(await shareLink(page)).hash });
  assert.equal(await field(other, 2, 'Close reason').inputValue(), '^later');

  // Empty checks no reason.
  await reason.fill('');
  assert.match(await runScenario(page), /2 passed, 0 failed/);
  assert.deepEqual([...page.errors, ...other.errors], []);
});

test('a refused Connect checks the HTTP status only where it can be seen: through the relay', async () => {
  const relay = await startRelay();
  try {
    const page = await env.open();
    await url(page).fill(env.server.ws + '/reject?status=401');
    const connect = await addStep(page, 'Connect');
    const status = connect.getByRole('textbox', { name: 'Refusal status', exact: true });
    assert.equal(await status.count(), 0, 'no status while the step expects to open');
    await connect.getByRole('checkbox', { name: 'Expect refusal' }).check();
    // The subprotocol's field gives way to the status, with a hint that says who can see it.
    assert.equal(await connect.getByRole('textbox', { name: 'Expected', exact: true }).count(), 0);
    assert.equal(await status.inputValue(), '');
    const description = await status.evaluate((e) => e.getAttribute('aria-describedby').split(' ')
      .map((id) => document.getElementById(id)?.textContent ?? '').join(' '));
    assert.match(description, /browser.*relay/s);

    await status.fill('four');
    await connect.getByRole('alert').filter({ hasText: 'An HTTP status is a number from 100 to 599' }).waitFor();
    assert.equal(await status.inputValue(), 'four');
    assert.equal(await status.getAttribute('aria-invalid'), 'true');
    await status.fill('401');
    await connect.getByRole('alert').waitFor({ state: 'hidden' });

    // Without the relay the page cannot see the status: the step fails and says so.
    assert.match(await runScenario(page), /0 passed, 1 failed/);
    assert.match(await stepText(page, 1), /cannot see its HTTP status/);

    // Through the relay it can: 401 passes, and 403 fails naming the status that came.
    await useRelay(page, relay.ws, relay.token);
    await useRelayCheckbox(page).check();
    assert.match(await runScenario(page), /1 passed, 0 failed/);
    await status.fill('403');
    assert.match(await runScenario(page), /0 passed, 1 failed/);
    assert.match(await stepText(page, 1), /refused with HTTP 401/);

    // Any refusal passes when the status is left empty.
    await status.fill('');
    assert.match(await runScenario(page), /1 passed, 0 failed/);
    await connect.getByRole('checkbox', { name: 'Expect refusal' }).uncheck();
    assert.equal(await status.count(), 0);
    assert.deepEqual(page.errors, []);
  } finally {
    relay.close();
  }
});

test('a value captured from a reply is sent in a later message', async () => {
  const page = await env.open();
  await url(page).fill(env.server.ws + '/echo');
  await addStep(page, 'Connect');
  await addStep(page, 'Send');
  await field(page, 2, 'Step message').fill('{"token":"t-42"}');
  const login = await addStep(page, 'Expect message', 'JSON pointer');
  await login.getByRole('textbox', { name: 'Expected', exact: true }).fill('/token');
  await login.getByRole('textbox', { name: 'Capture into' }).fill('tok');
  await login.getByRole('textbox', { name: 'Capture into' }).press('Tab');
  await login.getByRole('textbox', { name: 'Capture from' }).fill('/token');
  await login.getByRole('textbox', { name: 'Capture from' }).press('Tab');
  await addStep(page, 'Send');
  await field(page, 4, 'Step message').fill('again {{tok}}');
  const reply = await addStep(page, 'Expect message', 'Equals');
  await reply.getByRole('textbox', { name: 'Expected', exact: true }).fill('again t-42');

  const result = await runScenario(page);
  assert.match(result, /5 passed, 0 failed/, await steps(page).allInnerTexts().then((t) => t.join('\n')));
  await page.getByRole('log', { name: 'Message log' }).getByText('again t-42').first().waitFor();
  assert.deepEqual(page.errors, []);
});

test('a scenario is kept with its request: reload, export and import, share link, Run all', async () => {
  const page = await env.open();
  await recordEchoSession(page);
  await saveAs(page, 'Echo test');
  await page.reload();
  await savedRequest(page, 'Echo test').click();
  await steps(page).first().waitFor();
  assert.equal((await stepKinds(page)).length, 7);

  const link = await shareLink(page);
  const download = await exportSavedRequests(page);
  const exported = await download.path();

  // Someone else opens the link: the steps come with the request, and they pass there too.
  const other = await env.open({ hash: new URL(link).hash });
  // The Scenario panel is lazily loaded: read its steps once it shows them.
  await steps(other).first().waitFor();
  assert.equal((await stepKinds(other)).length, 7);
  assert.match(await runScenario(other), /7 passed, 0 failed/);

  // A fresh browser imports the export, and Run all scenarios runs it as a suite.
  const fresh = await env.open();
  await importSavedRequests(fresh).setInputFiles(exported);
  await savedRequest(fresh, 'Echo test').waitFor();
  await runAllScenariosButton(fresh).click();
  await scenarioResult(fresh).filter({ hasText: /Passed: 1 passed, 0 failed/ }).waitFor();
  assert.deepEqual([...page.errors, ...other.errors, ...fresh.errors], []);
});

test('Stop scenario ends a run that waits, failing the running step as stopped', async () => {
  const page = await env.open();
  await url(page).fill(env.server.ws + '/echo');
  await addStep(page, 'Connect');
  const wait = await addStep(page, 'Wait');
  await wait.getByRole('spinbutton', { name: 'Duration (ms)' }).fill('60000');
  await wait.getByRole('spinbutton', { name: 'Duration (ms)' }).press('Tab');
  await page.getByRole('button', { name: 'Run scenario' }).click();
  await steps(page).nth(1).filter({ hasText: 'Running' }).waitFor();
  await page.getByRole('button', { name: 'Stop scenario' }).click();
  await scenarioResult(page).filter({ hasText: /Failed: 1 passed, 1 failed/ }).waitFor();
  assert.match(await stepText(page, 2), /you stopped the scenario/);
  await waitForState(page, 'Closed');
  assert.deepEqual(page.errors, []);
});
