// Hostile links, files and frames: a share link cannot carry the receiver's secrets away or
// overwrite their edits for good, nor freeze the tab; a file cannot exhaust the page; exports
// and reports keep credentials in; a frame from another site gets nothing; nothing crashes.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { dist, serveStatic, setUp, watchErrors } from '../harness.js';

let env;
before(async () => { env = await setUp(); });
after(async () => { await env?.close(); });

const url = (page) => page.getByRole('textbox', { name: 'URL' });
const message = (page) => page.getByRole('textbox', { name: 'Message' });
const state = (page) => page.getByRole('status', { name: 'Connection state' });
const handshake = (page) => page.getByRole('region', { name: 'Handshake' });
const received = (page, n) =>
  page.getByLabel('Messages received', { exact: true }).filter({ hasText: new RegExp(`^${n}$`) }).waitFor();

async function shareLink(page) {
  await page.getByRole('button', { name: 'Copy share link' }).click();
  return page.getByRole('textbox', { name: 'Share link' }).inputValue();
}

/** A link made the way the page makes them, around any request JSON. */
function linkFor(request) {
  const packed = deflateSync(Buffer.from(JSON.stringify(request)));
  return `#share=1.${packed.toString('base64url')}`;
}

async function addSecretVariable(page, name, value) {
  await page.getByRole('button', { name: 'New environment' }).click();
  await page.getByRole('textbox', { name: 'Variable name' }).fill(name);
  await page.getByRole('textbox', { name: 'Variable value' }).fill(value);
  await page.getByRole('checkbox', { name: 'Secret variable' }).check();
}

test('a share link sends none of the receiver\u2019s secret variables to its host until they agree', async () => {
  const sender = await env.open();
  // A parameter not named like a credential, so the sender's link keeps its value.
  await url(sender).fill(env.server.ws + '/echo?x={{apiKey}}');
  await message(sender).fill('{{apiKey}}');
  const link = await shareLink(sender);

  const receiver = await env.open();
  await addSecretVariable(receiver, 'apiKey', 'rec3iver-secret');
  await receiver.goto(link);
  await receiver.getByText('Opened a shared request').waitFor();
  await receiver.getByRole('button', { name: 'Connect' }).click();
  const host = new URL(env.server.ws.replace('ws:', 'http:')).host;
  const prompt = receiver.getByRole('alertdialog', { name: 'Send secrets to this host?' });
  await prompt.getByText(`secret variable apiKey to ${host}`).waitFor();
  assert.doesNotMatch(await state(receiver).innerText(), /Open|Connecting/);
  const log = await receiver.getByRole('log', { name: 'Message log' }).innerText();
  assert.doesNotMatch(log, /Connecting to/, 'nothing was dialled');
  assert.doesNotMatch(log, /rec3iver-secret/);

  await prompt.getByRole('button', { name: `Allow for this link: send to ${host}` }).click();
  await state(receiver).filter({ hasText: 'Open' }).waitFor();
  await handshake(receiver).filter({ hasText: 'x=rec3iver-secret' }).waitFor();
  // Agreed for this host: the message with the same secret goes too.
  await receiver.getByRole('button', { name: 'Send', exact: true }).click();
  await received(receiver, 1);

  // The person's own requests are theirs: no question.
  await receiver.getByRole('button', { name: 'Disconnect' }).click();
  await url(receiver).fill(env.server.ws + '/echo?x={{apiKey}}');
  await receiver.getByRole('textbox', { name: 'Request name' }).fill('Mine');
  await receiver.getByRole('button', { name: 'Save request' }).click();
  await receiver.getByRole('navigation', { name: 'Saved requests' }).getByRole('button', { name: 'Mine', exact: true }).click();
  await receiver.getByRole('button', { name: 'Connect' }).click();
  await state(receiver).filter({ hasText: 'Open' }).waitFor();
  assert.deepEqual([...sender.errors, ...receiver.errors], []);
});

test('a link that arrives over unsaved edits can be undone', async () => {
  const sender = await env.open();
  await url(sender).fill(env.server.ws + '/from-the-link');
  const link = await shareLink(sender);

  const page = await env.open();
  await url(page).fill(env.server.ws + '/my-own-work');
  await message(page).fill('my unsaved draft');
  // Any window that opened the page can change its fragment.
  await page.evaluate((hash) => { location.hash = hash; }, link.slice(link.indexOf('#')));
  await page.getByText('Opened a shared request').waitFor();
  assert.equal(await url(page).inputValue(), env.server.ws + '/from-the-link');
  await page.getByRole('button', { name: 'Undo' }).click();
  assert.equal(await url(page).inputValue(), env.server.ws + '/my-own-work');
  assert.equal(await message(page).inputValue(), 'my unsaved draft');
  assert.deepEqual([...sender.errors, ...page.errors], []);
});

test('a link of a million parameters is refused at once and never reopened', async () => {
  const page = await env.open();
  const hash = linkFor({ url: 'ws://127.0.0.1:9/?' + 'x&'.repeat(1_000_000) });
  await page.goto(env.site.url + hash);
  await page.getByText('This share link holds 1000000 query parameters').waitFor();
  assert.equal(await page.evaluate(() => location.hash), '', 'the fragment is gone before any work');
  assert.equal(await url(page).inputValue(), 'ws://127.0.0.1:9001/echo', 'the editor is as it was');
  assert.equal(await page.getByRole('textbox', { name: 'Parameter name' }).count(), 0);
  assert.deepEqual(page.errors, []);
});

test('tokens sent as subprotocols stay out of share links, reports and exports', async () => {
  const page = await env.open();
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await url(page).fill(env.server.ws + '/echo');
  await page.getByRole('textbox', { name: 'Subprotocols' }).fill('access_token, tok3n-in-subprotocol');
  const link = await shareLink(page);
  const other = await env.open({ hash: link.slice(link.indexOf('#')) });
  await other.getByText('left out the value of a token sent as a subprotocol').waitFor();
  assert.equal(await other.getByRole('textbox', { name: 'Subprotocols' }).inputValue(), 'access_token, ');

  await page.getByRole('button', { name: 'Connect' }).click();
  await state(page).filter({ hasText: /Failed|Open/ }).waitFor();
  await page.getByRole('button', { name: 'Copy report' }).click();
  const report = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(report, /access_token, \*\*\*/);
  assert.doesNotMatch(report, /tok3n-in-subprotocol/);

  await page.getByRole('textbox', { name: 'Request name' }).fill('With token');
  await page.getByRole('button', { name: 'Save request' }).click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export saved requests' }).click(),
  ]);
  const text = await readFile(await download.path(), 'utf8');
  assert.doesNotMatch(text, /tok3n-in-subprotocol/, 'neither the request nor the history keeps it');
  assert.deepEqual([...page.errors, ...other.errors], []);
});

test('an export without secrets leaves out credential headers, cookies and token parameters', async () => {
  const page = await env.open();
  await url(page).fill(env.server.ws + '/echo?room=1&token=t0ken-in-url');
  await page.getByText('Headers, cookies and relay').click();
  await page.getByRole('textbox', { name: 'Bearer token' }).fill('b3arer-value');
  await page.getByRole('button', { name: 'Add Bearer token' }).click();
  await page.getByLabel('Cookies', { exact: true }).fill('sid=c00kie-value');
  await page.getByRole('textbox', { name: 'Request name' }).fill('Credentials');
  await page.getByRole('button', { name: 'Save request' }).click();
  await page.getByRole('navigation', { name: 'Saved requests' }).getByRole('button', { name: 'Credentials' }).waitFor();
  const exportText = async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export saved requests' }).click(),
    ]);
    return readFile(await download.path(), 'utf8');
  };
  const without = await exportText();
  for (const secret of ['t0ken-in-url', 'b3arer-value', 'c00kie-value']) assert.ok(!without.includes(secret), secret);
  assert.equal(JSON.parse(without).requests[0].request.url, env.server.ws + '/echo?room=1&token=');
  await page.getByRole('checkbox', { name: 'with secrets' }).check();
  const withSecrets = await exportText();
  for (const secret of ['t0ken-in-url', 'b3arer-value', 'c00kie-value']) assert.ok(withSecrets.includes(secret), secret);
  assert.deepEqual(page.errors, []);
});

test('an import over the size limit is refused with its size, and the page goes on', async () => {
  const page = await env.open();
  await page.getByLabel('Import saved requests').setInputFiles({
    name: 'huge.json', mimeType: 'application/json', buffer: Buffer.alloc(17 << 20, 0x20),
  });
  await page.getByText(/Not imported: The file is 17\.0 MiB; wsprobe imports files of up to 16 MiB/).waitFor();
  await url(page).fill(env.server.ws + '/echo');
  await page.getByRole('button', { name: 'Connect' }).click();
  await state(page).filter({ hasText: 'Open' }).waitFor();
  assert.deepEqual(page.errors, []);
});

test('Alt+Up after switching to a request with fewer sent messages recalls, not crashes', async () => {
  const page = await env.open();
  const saveAs = async (name) => {
    await page.getByRole('textbox', { name: 'Request name' }).fill(name);
    await page.getByRole('button', { name: 'Save request' }).click();
    await page.getByRole('navigation', { name: 'Saved requests' }).getByRole('button', { name, exact: true }).waitFor();
  };
  await url(page).fill(env.server.ws + '/echo');
  await saveAs('Few');
  await page.getByRole('button', { name: 'Connect' }).click();
  await state(page).filter({ hasText: 'Open' }).waitFor();
  await message(page).fill('only');
  await message(page).press('Control+Enter');
  // A new name saves a new request, with five messages of its own.
  await saveAs('Many');
  for (const text of ['one', 'two', 'three', 'four', 'five']) {
    await message(page).fill(text);
    await message(page).press('Control+Enter');
  }
  await received(page, 6);
  await message(page).press('Alt+ArrowUp');
  assert.equal(await message(page).inputValue(), 'five');
  await page.getByRole('navigation', { name: 'Saved requests' }).getByRole('button', { name: 'Few', exact: true }).click();
  await message(page).press('Alt+ArrowUp');
  assert.equal(await message(page).inputValue(), 'only');
  await message(page).press('Alt+ArrowUp');
  assert.equal(await message(page).inputValue(), 'only');
  // The page is alive: it still sends.
  await message(page).press('Control+Enter');
  await received(page, 7);
  assert.deepEqual(page.errors, []);
});

test('inside another site\u2019s frame the page refuses to work', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wsprobe-framer-'));
  await writeFile(path.join(dir, 'index.html'), `<!doctype html><title>framer</title><iframe src="${env.site.url}" width="800" height="400"></iframe>`);
  const framer = await serveStatic(dir);
  try {
    const context = await env.browser.newContext();
    const page = watchErrors(await context.newPage());
    await page.goto(framer.url);
    const frame = page.frameLocator('iframe');
    await frame.getByText('wsprobe does not work inside another site').waitFor();
    assert.equal(await frame.getByRole('button', { name: 'Connect' }).count(), 0);
    await frame.getByRole('link', { name: 'Open wsprobe in its own tab' }).waitFor();
    assert.deepEqual(page.errors, []);
    await context.close();
  } finally {
    framer.close();
    await rm(dir, { recursive: true, force: true });
  }
});

test('two deployments on one origin keep each other\u2019s offline copies', async () => {
  // /a/ and /b/ serve the same build; /b/'s service worker says it is another version.
  const server = createServer(async (req, res) => {
    const { pathname } = new URL(req.url, 'http://x');
    const match = pathname.match(/^\/(a|b)\/(.*)$/);
    if (!match) return res.writeHead(404).end();
    const file = path.join(dist, match[2] || 'index.html');
    if (!file.startsWith(dist)) return res.writeHead(403).end();
    try {
      let body = await readFile(file);
      if (match[1] === 'b' && file.endsWith('sw.js')) {
        body = body.toString().replace(/const VERSION = '([^']*)'/, "const VERSION = '$1-other'");
      }
      const type = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' }[path.extname(file)];
      res.writeHead(200, { 'content-type': type ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  const context = await env.browser.newContext();
  try {
    const controlled = async (where) => {
      const page = watchErrors(await context.newPage());
      await page.goto(`${origin}/${where}/`);
      await page.getByRole('button', { name: 'Connect' }).waitFor();
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
        if (!navigator.serviceWorker.controller) {
          await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
        }
      });
      return page;
    };
    const a = await controlled('a');
    const b = await controlled('b');
    const keys = await b.evaluate(() => caches.keys());
    assert.equal(keys.filter((k) => k.startsWith('wsprobe:/a/:')).length, 1, keys.join(' '));
    assert.equal(keys.filter((k) => k.startsWith('wsprobe:/b/:')).length, 1, keys.join(' '));
    await context.setOffline(true);
    await a.reload();
    await a.getByRole('button', { name: 'Connect' }).waitFor();
    await context.setOffline(false);
    assert.deepEqual([...a.errors, ...b.errors], []);
  } finally {
    await context.close();
    server.close();
  }
});
