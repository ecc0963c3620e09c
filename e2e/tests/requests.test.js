// Requests that persist and travel: the parameter table, saved requests, history,
// export and import, and share links.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { closedPort, launchPersistentChromium, setUp } from '../harness.js';
import {
  connect, connectButton, connectionState, dial, disconnectButton, exportSavedRequests, handshake,
  importSavedRequests, message, parameterNames, parameterValues, queryParameters, requestName, saveAs, saveRequest, savedRequest,
  savedRequests, shareLink, shareLinkBox, subprotocols, url, waitForState,
} from '../page.js';

let env;
before(async () => { env = await setUp(); });
after(async () => { await env?.close(); });

const history = (page) => page.locator('.history-list');

async function inputValues(locator) {
  return locator.evaluateAll((inputs) => inputs.map((i) => i.value));
}

async function fillRequest(page, { address, protocols = '', message: text = '' }) {
  await url(page).fill(address);
  await subprotocols(page).fill(protocols);
  await message(page).fill(text);
}

async function editor(page) {
  return {
    url: await url(page).inputValue(),
    protocols: await subprotocols(page).inputValue(),
    message: await message(page).inputValue(),
  };
}

test('the parameter table and the URL stay in step both ways', async () => {
  const page = await env.open();
  const base = env.server.ws + '/echo';
  await url(page).fill(base + '?a=1&a=2&empty=&sp=x%20y&plus=1+1');
  await queryParameters(page).waitFor();
  assert.deepEqual(await inputValues(parameterNames(page)), ['a', 'a', 'empty', 'sp', 'plus']);
  assert.deepEqual(await inputValues(parameterValues(page)), ['1', '2', '', 'x y', '1+1']);

  await parameterValues(page).first().fill('a&b=c');
  assert.equal(await url(page).inputValue(), base + '?a=a%26b%3Dc&a=2&empty=&sp=x%20y&plus=1+1');

  // A disabled row leaves the URL but stays in the table, even when the URL is edited.
  await page.getByRole('checkbox', { name: 'Send parameter' }).nth(1).uncheck();
  assert.equal(await url(page).inputValue(), base + '?a=a%26b%3Dc&empty=&sp=x%20y&plus=1+1');
  await url(page).fill(base + '?a=z');
  assert.deepEqual(await inputValues(parameterNames(page)), ['a', 'a']);
  assert.deepEqual(await inputValues(parameterValues(page)), ['z', '2']);

  await page.getByRole('button', { name: 'Add parameter' }).click();
  await parameterNames(page).last().fill('caf\u00e9');
  await parameterValues(page).last().fill('\u00fcber #1');
  assert.equal(await url(page).inputValue(), base + '?a=z&caf%C3%A9=%C3%BCber%20%231');

  await page.getByRole('button', { name: 'Remove parameter' }).first().click();
  assert.equal(await url(page).inputValue(), base + '?caf%C3%A9=%C3%BCber%20%231');

  // The URL the table made is the one dialled.
  await connectButton(page).click();
  await handshake(page).filter({ hasText: 'caf%C3%A9=%C3%BCber%20%231' }).waitFor();
  await waitForState(page, 'Open');
  assert.deepEqual(page.errors, []);
});

test('bad subprotocols are flagged as they are typed', async () => {
  const page = await env.open();
  const protocols = subprotocols(page);
  await protocols.fill('chat, json, chat');
  await page.getByRole('alert').filter({ hasText: 'listed twice' }).waitFor();
  assert.equal(await protocols.getAttribute('aria-invalid'), 'true');
  await protocols.fill('chat;v=1');
  await page.getByRole('alert').filter({ hasText: 'cannot contain' }).waitFor();
  await protocols.fill('chat, json');
  assert.equal(await protocols.getAttribute('aria-invalid'), 'false');
  assert.deepEqual(page.errors, []);
});

test('a saved request survives a reload and opens as it was saved', async () => {
  const page = await env.open();
  const request = { address: env.server.ws + '/echo?room=7', protocols: 'chat, json', message: '{"hello": 1}' };
  await fillRequest(page, request);
  await saveAs(page, 'Echo room 7');
  await fillRequest(page, { address: env.server.ws + '/other' });
  await saveAs(page, 'Other');

  await page.reload();
  await savedRequest(page, 'Echo room 7').click();
  assert.deepEqual(await editor(page), { url: request.address, protocols: request.protocols, message: request.message });
  assert.equal(await requestName(page).inputValue(), 'Echo room 7');
  await queryParameters(page).waitFor();
  assert.deepEqual(await inputValues(parameterValues(page)), ['7']);

  // A name another request has is refused, not overwritten.
  await saveRequest(page, 'Other');
  await page.getByText('already called \u201cOther\u201d').waitFor();
  await savedRequest(page, 'Other').click();
  assert.equal((await editor(page)).url, env.server.ws + '/other');
  assert.deepEqual(page.errors, []);
});

test('saved requests can be renamed, duplicated, and deleted with undo', async () => {
  const page = await env.open();
  await fillRequest(page, { address: env.server.ws + '/echo', message: 'draft' });
  await saveAs(page, 'Echo');
  await page.getByRole('button', { name: 'Rename' }).click();
  const newName = page.getByRole('textbox', { name: 'New name' });
  await newName.fill('Echo renamed');
  await newName.press('Enter');
  await savedRequest(page, 'Echo renamed').waitFor();

  await page.getByRole('button', { name: 'Duplicate' }).click();
  await savedRequest(page, 'Echo renamed (2)').waitFor();

  await page.getByRole('button', { name: 'Delete' }).click();
  assert.equal(await savedRequest(page, 'Echo renamed').count(), 0);
  await page.getByRole('button', { name: 'Undo' }).click();
  await savedRequest(page, 'Echo renamed').waitFor();

  await page.reload();
  // Saved requests is a lazily loaded panel: read it once it is there.
  await savedRequests(page).waitFor();
  assert.deepEqual(await savedRequests(page).getByRole('button').allInnerTexts(), ['Echo renamed', 'Echo renamed (2)']);
  await savedRequest(page, 'Echo renamed').click();
  assert.equal((await editor(page)).message, 'draft');
  assert.deepEqual(page.errors, []);
});

test('history lists connections with their outcome, reopens them and clears', async () => {
  const page = await env.open();
  await connect(page, env.server.ws + '/echo?from=history');
  await disconnectButton(page).click();
  await history(page).filter({ hasText: 'opened, closed 1000' }).waitFor();

  await dial(page, `ws://127.0.0.1:${await closedPort()}/nothing-listens`);
  await history(page).filter({ hasText: 'failed (1006)' }).waitFor();
  const entries = history(page).getByRole('button');
  assert.equal(await entries.count(), 2);
  assert.match(await entries.first().innerText(), /nothing-listens/, 'most recent first');

  await page.reload();
  await history(page).getByRole('button', { name: /from=history/ }).click();
  assert.equal((await editor(page)).url, env.server.ws + '/echo?from=history');
  await page.getByRole('button', { name: 'Clear history' }).click();
  assert.equal(await history(page).getByRole('button').count(), 0);
  await page.reload();
  // The history is a lazy part: counting before it is there would prove nothing.
  await page.getByText('Connections you make are listed here.').waitFor();
  assert.equal(await history(page).getByRole('button').count(), 0);
  assert.deepEqual(page.errors, []);
});

test('a share link opens the request in a fresh browser, secrets left out unless chosen', async () => {
  const page = await env.open();
  const address = env.server.ws + '/echo?room=7&token=s3cret';
  await fillRequest(page, { address, protocols: 'chat, json', message: 'hello {"x": 1}' });
  const link = await shareLink(page);
  assert.ok(link.startsWith(env.site.url + '#share=1.'), link);

  // Someone else, who has saved a request of their own.
  const other = await env.open();
  await fillRequest(other, { address: env.server.ws + '/mine', message: 'my draft' });
  await saveAs(other, 'Mine');
  await other.goto(link);
  await other.getByText('Opened a shared request').waitFor();
  assert.deepEqual(await editor(other), {
    url: env.server.ws + '/echo?room=7&token=',
    protocols: 'chat, json',
    message: 'hello {"x": 1}',
  });
  await other.getByText('left out the value of token').waitFor();
  assert.match(await connectionState(other).innerText(), /Idle/);
  await other.reload();
  await savedRequest(other, 'Mine').click();
  assert.equal((await editor(other)).url, env.server.ws + '/mine');

  await page.getByRole('checkbox', { name: /Include secret values/ }).check();
  const withSecrets = await shareLinkBox(page).inputValue();
  assert.notEqual(withSecrets, link);
  const third = await env.open({ hash: withSecrets.slice(withSecrets.indexOf('#')) });
  await third.getByText('Opened a shared request').waitFor();
  assert.equal((await editor(third)).url, address);
  for (const p of [page, other, third]) assert.deepEqual(p.errors, []);
});

test('a broken share link opens the page with a message about the link', async () => {
  const page = await env.open();
  await fillRequest(page, { address: env.server.ws + '/echo', message: 'x'.repeat(300) });
  const link = await shareLink(page);
  const fragment = link.slice(link.indexOf('#'));
  // The last characters hold the checksum.
  const tampered = fragment.slice(0, -3) + (fragment.at(-3) === 'A' ? 'B' : 'A') + fragment.slice(-2);
  const cases = [
    [fragment.slice(0, fragment.length - 10), /incomplete/],
    [tampered, /damaged/],
    ['#share=7.AAAA', /newer wsprobe/],
    ['#share=1.%%%%', /damaged/],
    ['#just-some-anchor', /not a wsprobe share link/],
  ];
  for (const [hash, complaint] of cases) {
    const opened = await env.open({ hash });
    await opened.getByRole('alert').filter({ hasText: complaint }).waitFor();
    // The page still works: it connects and echoes.
    await connect(opened, env.server.ws + '/echo');
    assert.deepEqual(opened.errors, [], hash);
    await opened.context().close();
  }
});

test('corrupt saved data is kept as a backup and the page starts with what it can read', async () => {
  const page = await env.open();
  const damaged = JSON.stringify({
    version: 1,
    requests: [{ id: 'a', name: 'Readable', request: { url: 'ws://127.0.0.1:1/ok' } }, { name: 42 }],
  });
  await page.evaluate((raw) => {
    localStorage.setItem('wsprobe.requests', raw);
    localStorage.setItem('wsprobe.history', 'this is {not json');
  }, damaged);
  await page.reload();
  await savedRequest(page, 'Readable').waitFor();
  await page.getByRole('alert').filter({ hasText: 'Saved requests could not be read in full: one entry in it is damaged' }).waitFor();
  await page.getByRole('alert').filter({ hasText: 'History could not be read in full: it is not valid JSON' }).waitFor();

  const backups = await page.evaluate(() =>
    Object.fromEntries(Object.keys(localStorage).filter((k) => k.includes('.backup.')).map((k) => [k.split('.backup.')[0], localStorage.getItem(k)])));
  assert.deepEqual(backups, { 'wsprobe.requests': damaged, 'wsprobe.history': 'this is {not json' });

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('alert').filter({ hasText: 'History' }).getByRole('button', { name: 'Download it' }).click(),
  ]);
  assert.equal(await readFile(await download.path(), 'utf8'), 'this is {not json');

  // Saving works, keeps what was readable, and leaves the backups alone.
  await fillRequest(page, { address: env.server.ws + '/echo' });
  await saveAs(page, 'New');
  await page.reload();
  // Saved requests is a lazily loaded panel: read it once it is there.
  await savedRequests(page).waitFor();
  assert.deepEqual(await savedRequests(page).getByRole('button').allInnerTexts(), ['New', 'Readable']);
  const keys = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('.backup.')).length);
  assert.equal(keys, 2);
  assert.deepEqual(page.errors, []);
});

test('two tabs see each other\'s saves and never erase them', async () => {
  const one = await env.open();
  const two = await env.open({ context: one.context() });
  await fillRequest(one, { address: env.server.ws + '/one' });
  await saveAs(one, 'From one');
  await savedRequest(two, 'From one').waitFor();

  await fillRequest(two, { address: env.server.ws + '/two' });
  await saveAs(two, 'From two');
  await savedRequest(one, 'From two').waitFor();
  assert.deepEqual(await savedRequests(one).getByRole('button').allInnerTexts(), ['From one', 'From two']);
  const stored = await one.evaluate(() => JSON.parse(localStorage.getItem('wsprobe.requests')).requests.map((r) => r.name));
  assert.deepEqual(stored, ['From one', 'From two']);
  assert.deepEqual([...one.errors, ...two.errors], []);
});

test('a full storage refuses the save, keeps what was saved and the edit', async () => {
  const page = await env.open();
  await fillRequest(page, { address: env.server.ws + '/first' });
  await saveAs(page, 'First');
  // Fill the origin's real quota with other data.
  await page.evaluate(() => {
    let i = 0;
    for (let size = 1 << 20; size >= 1; size >>= 1) {
      const chunk = 'x'.repeat(size);
      for (;;) {
        try { localStorage.setItem('filler' + i++, chunk); } catch { break; }
      }
    }
  });
  await fillRequest(page, { address: env.server.ws + '/second', message: 'unsaved edit '.repeat(100) });
  await saveRequest(page, 'Second');
  await page.getByText(/storage for this page is full/).waitFor();
  assert.equal(await savedRequest(page, 'Second').count(), 0);
  assert.equal((await editor(page)).url, env.server.ws + '/second');

  await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('filler')).forEach((k) => localStorage.removeItem(k)));
  await page.reload();
  // Saved requests is a lazily loaded panel: read it once it is there.
  await savedRequests(page).waitFor();
  assert.deepEqual(await savedRequests(page).getByRole('button').allInnerTexts(), ['First']);
  assert.deepEqual(page.errors, []);
});

test('everything saved exports to a file that imports elsewhere without overwriting', async () => {
  const page = await env.open();
  await fillRequest(page, { address: env.server.ws + '/a' });
  await saveAs(page, 'A');
  await fillRequest(page, { address: env.server.ws + '/b' });
  await saveAs(page, 'B');
  const download = await exportSavedRequests(page);
  const file = await download.path();
  const exported = JSON.parse(await readFile(file, 'utf8'));
  assert.deepEqual(exported.requests.map((r) => r.name), ['A', 'B']);

  const other = await env.open();
  await fillRequest(other, { address: env.server.ws + '/different' });
  await saveAs(other, 'A');
  await importSavedRequests(other).setInputFiles(file);
  await other.getByText(/Imported 2 requests; .A. saved as .A \(2\)./).waitFor();
  assert.deepEqual(await savedRequests(other).getByRole('button').allInnerTexts(), ['A', 'A (2)', 'B']);
  await savedRequest(other, 'A').click();
  assert.equal((await editor(other)).url, env.server.ws + '/different');

  await importSavedRequests(other).setInputFiles(file);
  await other.getByText('Imported 0 requests; 2 requests already saved.').waitFor();
  await importSavedRequests(other).setInputFiles({ name: 'x.json', mimeType: 'application/json', buffer: Buffer.from('{"nope": 1}') });
  await other.getByText(/Not imported: .*not a wsprobe export/).waitFor();
  assert.deepEqual([...page.errors, ...other.errors], []);
});

test('with site data blocked the page works for the visit and says nothing will be remembered', async () => {
  const profile = await mkdtemp(path.join(tmpdir(), 'wsprobe-blocked-'));
  await mkdir(path.join(profile, 'Default'));
  // What "Block all site data" in Chromium's settings writes.
  await writeFile(path.join(profile, 'Default', 'Preferences'),
    JSON.stringify({ profile: { default_content_setting_values: { cookies: 2 } } }));
  const context = await launchPersistentChromium(profile);
  try {
    const page = await env.open({ context });
    const blocked = await page.evaluate(() => { try { return localStorage.length < 0; } catch { return true; } });
    assert.ok(blocked, 'the browser blocks localStorage');
    await page.getByRole('alert').filter({ hasText: 'nothing you save will be remembered' }).waitFor();

    await fillRequest(page, { address: env.server.ws + '/echo', message: 'kept for the visit' });
    await saveAs(page, 'For this visit');
    await connectButton(page).click();
    await history(page).filter({ hasText: 'opened' }).waitFor();
    await fillRequest(page, { address: env.server.ws + '/elsewhere' });
    await savedRequest(page, 'For this visit').click();
    assert.equal((await editor(page)).message, 'kept for the visit');
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
});
