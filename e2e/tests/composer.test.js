// The composer against the test server's echo: formats, files, recall, templates, variables
// and repeat sending.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { setUp } from '../harness.js';
import {
  addTemplate, afterNextFrames, connect, disconnectButton, exportLog, exportSavedRequests, exportWithSecrets, handshake, message,
  messageFormat, messagesSent, newEnvironmentButton, received, saveRequest, savedRequests, secretVariable, send,
  sendButton, sendWithButton, shareLinkBox, variableName, variableValue,
} from '../page.js';

let env;
before(async () => { env = await setUp(); });
after(async () => { await env?.close(); });

/** The log as exported: one object per entry. */
async function exported(page) {
  const download = await exportLog(page);
  const text = await readFile(await download.path(), 'utf8');
  return text.trim().split('\n').map((line) => JSON.parse(line));
}

const payloads = (entries, direction) =>
  entries.filter((e) => e.direction === direction && e.kind !== 'event').map((e) => [e.kind, e.payload]);

test('every format is sent as typed and echoed byte for byte', async () => {
  const page = await env.open();
  await connect(page, env.server.ws + '/echo');
  const cases = [
    ['Text', 'plain {single} braces, no JSON', 'text', 'plain {single} braces, no JSON'],
    ['JSON', '{"a": [1, 2.50], "b": "\u00e9"}', 'text', '{"a": [1, 2.50], "b": "\u00e9"}'],
    ['Hex', '0xde:ad be-ef,00 FF', 'binary', Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0xff]).toString('base64')],
    ['Base64', 'aGVsbG8g d29ybGQ', 'binary', Buffer.from('hello world').toString('base64')],
  ];
  for (const [label, text] of cases) {
    await messageFormat(page).selectOption(label);
    await sendWithButton(page, text);
  }
  await received(page, 4, { timeout: 15_000 });
  const entries = await exported(page);
  const expected = cases.map(([, , kind, payload]) => [kind, payload]);
  assert.deepEqual(payloads(entries, 'sent'), expected);
  assert.deepEqual(payloads(entries, 'received'), expected);
  assert.deepEqual(page.errors, []);
});

test('malformed input disables Send and says why', async () => {
  const page = await env.open();
  await connect(page, env.server.ws + '/echo');
  const hint = page.locator('#send-hint');
  const cases = [
    ['JSON', '{\n  "a": 1,\n  "b" 2\n}', /Not valid JSON: expected `:` \(line 3, column 7\)/],
    ['Hex', 'de ad b', /odd number of digits/],
    ['Hex', 'de zz', /\u201cz\u201d at character 4/],
    ['Base64', 'aGVs*', /\u201c\*\u201d at character 5/],
    ['Text', 'hi {{nobody}}', /\{\{nobody\}\} is not defined/],
    ['Text', 'hi {{oops', /never closed/],
  ];
  for (const [label, text, why] of cases) {
    await messageFormat(page).selectOption(label);
    await message(page).fill(text);
    await hint.filter({ hasText: why }).waitFor();
    assert.ok(await sendButton(page).isDisabled(), `${label}: ${text}`);
    await message(page).press('Control+Enter');
  }
  // Nothing malformed went out, by button or by keyboard (the counter is drawn on the next frame).
  await afterNextFrames(page);
  assert.match(await messagesSent(page).innerText(), /^0$/);
  await messageFormat(page).selectOption('Hex');
  await message(page).fill('01 02 03');
  await hint.filter({ hasText: '3 bytes as a binary frame' }).waitFor();
  assert.ok(await sendButton(page).isEnabled());
  assert.deepEqual(page.errors, []);
});

test('JSON is pretty-printed and minified in one click, numbers untouched', async () => {
  const page = await env.open();
  await messageFormat(page).selectOption('JSON');
  await message(page).fill('{ "n": 12345678901234567890, "s": "a  b",\n"l": [ ] }');
  await page.getByRole('button', { name: 'Minify JSON' }).click();
  assert.equal(await message(page).inputValue(), '{"n":12345678901234567890,"s":"a  b","l":[]}');
  await page.getByRole('button', { name: 'Pretty-print JSON' }).click();
  assert.equal(await message(page).inputValue(), '{\n  "n": 12345678901234567890,\n  "s": "a  b",\n  "l": []\n}');
  assert.deepEqual(page.errors, []);
});

test('a file picked from disk arrives intact as one binary frame', async () => {
  const page = await env.open();
  await connect(page, env.server.ws + '/echo');
  const bytes = randomBytes(100_000);
  await page.getByLabel('Binary file').setInputFiles({ name: 'blob.bin', mimeType: 'application/octet-stream', buffer: bytes });
  await received(page, 1, { timeout: 15_000 });
  const entries = await exported(page);
  assert.deepEqual(payloads(entries, 'received'), [['binary', bytes.toString('base64')]]);
  assert.deepEqual(page.errors, []);
});

test('Ctrl+Enter sends and Alt+Up/Down recall earlier messages', async () => {
  const page = await env.open();
  await connect(page, env.server.ws + '/echo');
  for (const text of ['first', 'second', 'third']) {
    await send(page, text);
  }
  await received(page, 3, { timeout: 15_000 });
  await message(page).fill('');
  await message(page).press('Alt+ArrowUp');
  assert.equal(await message(page).inputValue(), 'third');
  await message(page).press('Alt+ArrowUp');
  await message(page).press('Alt+ArrowUp');
  assert.equal(await message(page).inputValue(), 'first');
  await message(page).press('Alt+ArrowDown');
  assert.equal(await message(page).inputValue(), 'second');
  assert.deepEqual(page.errors, []);
});

test('templates load, send at once, reorder, and survive a reload and a share link', async () => {
  const page = await env.open();
  await connect(page, env.server.ws + '/echo');
  await messageFormat(page).selectOption('Hex');
  await message(page).fill('ca fe');
  await addTemplate(page, 'cafe');
  await messageFormat(page).selectOption('Text');
  await message(page).fill('hello');
  await addTemplate(page, 'greet');

  await page.getByRole('button', { name: 'Transmit template: cafe' }).click();
  await received(page, 1, { timeout: 15_000 });
  await page.getByRole('button', { name: 'Move template up: greet' }).click();
  assert.deepEqual(await page.locator('.template-name').allInnerTexts(), ['greet', 'cafe']);

  await saveRequest(page, 'With templates');
  const link = await shareLinkBox(page).inputValue();
  await page.reload();
  await savedRequests(page).getByRole('button', { name: 'With templates' }).click();
  // Templates is a lazily loaded part: read it once it shows.
  await page.locator('.template-name').first().waitFor();
  assert.deepEqual(await page.locator('.template-name').allInnerTexts(), ['greet', 'cafe']);
  await page.getByRole('button', { name: 'Load template: cafe' }).click();
  assert.equal(await message(page).inputValue(), 'ca fe');
  assert.equal(await messageFormat(page).inputValue(), 'Hex');

  const other = await env.open({ hash: link.slice(link.indexOf('#')) });
  await other.locator('.template-name').first().waitFor();
  assert.deepEqual(await other.locator('.template-name').allInnerTexts(), ['greet', 'cafe']);
  assert.deepEqual([...page.errors, ...other.errors], []);
});

test('variables come from the active environment and the built-ins', async () => {
  const page = await env.open();
  await newEnvironmentButton(page).click();
  await variableName(page).fill('path');
  await variableValue(page).fill('echo');
  await page.getByRole('button', { name: 'Add variable' }).click();
  await variableName(page).nth(1).fill('token');
  await variableValue(page).nth(1).fill('s3cret');
  await secretVariable(page).nth(1).check();

  await connect(page, env.server.ws + '/{{path}}?t={{token}}');
  await handshake(page).filter({ hasText: '/echo?t=s3cret' }).waitFor();
  for (let i = 0; i < 2; i++) {
    await sendWithButton(page, 'n={{$counter}} t={{ token }} id={{$uuid}} at={{$timestamp}}');
  }
  // A backslash sends braces as they are, for messages that are templates themselves.
  await sendWithButton(page, 'Hello \\{{user}}, from {{path}}');
  await received(page, 3, { timeout: 15_000 });
  const all = payloads(await exported(page), 'received').map(([, p]) => p);
  assert.equal(all[2], 'Hello {{user}}, from echo');
  const texts = all.slice(0, 2);
  texts.forEach((text, i) => assert.match(text, new RegExp(`^n=${i} t=s3cret id=[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12} at=\\d{10}$`)));
  assert.notEqual(texts[0].split(' ')[2], texts[1].split(' ')[2], 'a new uuid each time');

  // The environment is remembered, and its secret stays out of exports unless asked.
  await page.reload();
  assert.equal(await variableValue(page).nth(1).inputValue(), 's3cret');
  const download = await exportSavedRequests(page);
  const file = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.deepEqual(file.environments[0].variables.map((v) => [v.name, v.value]), [['path', 'echo'], ['token', '']]);
  await exportWithSecrets(page).check();
  const withSecrets = await exportSavedRequests(page);
  const full = JSON.parse(await readFile(await withSecrets.path(), 'utf8'));
  assert.deepEqual(full.environments[0].variables.map((v) => [v.name, v.value]), [['path', 'echo'], ['token', 's3cret']]);
  assert.deepEqual(page.errors, []);
});

test('repeat sends exactly as many messages as asked, and stops with the connection', async () => {
  const page = await env.open();
  await connect(page, env.server.ws + '/echo');
  await message(page).fill('tick {{$counter}}');
  await page.getByRole('spinbutton', { name: 'Repeat every (ms)' }).fill('10');
  await page.getByRole('spinbutton', { name: 'Repeat times' }).fill('25');
  await page.getByRole('button', { name: 'Start repeat' }).click();
  await page.getByText('Done: sent 25 of 25').waitFor();
  await received(page, 25, { timeout: 15_000 });
  await page.waitForTimeout(300);
  assert.match(await messagesSent(page).innerText(), /^25$/);
  const sent = payloads(await exported(page), 'sent').map(([, p]) => p);
  assert.deepEqual(sent, Array.from({ length: 25 }, (_, i) => `tick ${i}`));

  await page.getByRole('spinbutton', { name: 'Repeat times' }).fill('');
  await page.getByRole('button', { name: 'Start repeat' }).click();
  await page.getByText(/Sending: \d+/).waitFor();
  await disconnectButton(page).click();
  await page.getByText(/Stopped after \d+: the connection closed/).waitFor();
  assert.deepEqual(page.errors, []);
});
