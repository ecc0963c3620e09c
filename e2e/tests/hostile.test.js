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
import {
  addBearerToken, addSecretVariable, connect, connectButton, connectionState, copyReportButton, cookies,
  disconnectButton, exportSavedRequests, exportWithSecrets, handshake, importSavedRequests, message, messageLog,
  openHeadersCookiesAndRelay, parameterNames, queryParameters, received, saveAs, saveRequest, savedRequest, savedRequests, send,
  sendButton, shareLink, subprotocols, url, waitForState,
} from '../page.js';

let env;
before(async () => { env = await setUp(); });
after(async () => { await env?.close(); });

/** A link made the way the page makes them, around any request JSON. */
function linkFor(request) {
  const packed = deflateSync(Buffer.from(JSON.stringify(request)));
  return `#share=1.${packed.toString('base64url')}`;
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
  await connectButton(receiver).click();
  const host = new URL(env.server.ws.replace('ws:', 'http:')).host;
  const prompt = receiver.getByRole('alertdialog', { name: 'Send secrets to this host?' });
  await prompt.getByText(`secret variable apiKey to ${host}`).waitFor();
  assert.doesNotMatch(await connectionState(receiver).innerText(), /Open|Connecting/);
  const log = await messageLog(receiver).innerText();
  assert.doesNotMatch(log, /Connecting to/, 'nothing was dialled');
  assert.doesNotMatch(log, /rec3iver-secret/);
  assert.doesNotMatch(await handshake(receiver).innerText(), /rec3iver-secret/, 'not even shown on the page');

  await prompt.getByRole('button', { name: `Allow for this link: send to ${host}` }).click();
  await waitForState(receiver, 'Open');
  await handshake(receiver).filter({ hasText: 'x=rec3iver-secret' }).waitFor();
  // Agreed for this host: the message with the same secret goes too.
  await sendButton(receiver).click();
  await received(receiver, 1);

  // The person's own requests are theirs: no question.
  await disconnectButton(receiver).click();
  await url(receiver).fill(env.server.ws + '/echo?x={{apiKey}}');
  await saveRequest(receiver, 'Mine');
  await savedRequest(receiver, 'Mine').click();
  await connectButton(receiver).click();
  await waitForState(receiver, 'Open');
  assert.deepEqual([...sender.errors, ...receiver.errors], []);
});

test('a linked request brought back by Undo is still someone else\u2019s', async () => {
  const sender = await env.open();
  await url(sender).fill(env.server.ws + '/echo?x={{apiKey}}');
  const first = await shareLink(sender);
  await url(sender).fill(env.server.ws + '/second');
  const second = await shareLink(sender);

  const receiver = await env.open();
  await addSecretVariable(receiver, 'apiKey', 'rec3iver-secret');
  await receiver.goto(first);
  await receiver.getByText('Opened a shared request').waitFor();
  await receiver.evaluate((hash) => { location.hash = hash; }, second.slice(second.indexOf('#')));
  await receiver.getByRole('button', { name: 'Undo' }).click();
  assert.equal(await url(receiver).inputValue(), env.server.ws + '/echo?x={{apiKey}}');
  await connectButton(receiver).click();
  await receiver.getByRole('alertdialog', { name: 'Send secrets to this host?' }).waitFor();
  assert.doesNotMatch(await messageLog(receiver).innerText(), /Connecting to/);
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
  await queryParameters(page).waitFor();
  assert.equal(await parameterNames(page).count(), 0);
  assert.deepEqual(page.errors, []);
});

test('tokens sent as subprotocols stay out of share links, reports and exports', async () => {
  const page = await env.open();
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await url(page).fill(env.server.ws + '/echo');
  await subprotocols(page).fill('access_token, tok3n-in-subprotocol');
  const link = await shareLink(page);
  const other = await env.open({ hash: link.slice(link.indexOf('#')) });
  await other.getByText('left out the value of a token sent as a subprotocol').waitFor();
  assert.equal(await subprotocols(other).inputValue(), 'access_token, ');

  await connectButton(page).click();
  await waitForState(page, /Failed|Open/);
  await copyReportButton(page).click();
  await page.getByText('Connection report copied.').waitFor();
  const report = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(report, /access_token, \*\*\*/);
  assert.doesNotMatch(report, /tok3n-in-subprotocol/);

  await saveRequest(page, 'With token');
  const download = await exportSavedRequests(page);
  const text = await readFile(await download.path(), 'utf8');
  assert.doesNotMatch(text, /tok3n-in-subprotocol/, 'neither the request nor the history keeps it');
  assert.deepEqual([...page.errors, ...other.errors], []);
});

test('an export without secrets leaves out credential headers, cookies and token parameters', async () => {
  const page = await env.open();
  await url(page).fill(env.server.ws + '/echo?room=1&token=t0ken-in-url');
  await openHeadersCookiesAndRelay(page);
  await addBearerToken(page, 'b3arer-value');
  await cookies(page).fill('sid=c00kie-value');
  await saveRequest(page, 'Credentials');
  await savedRequests(page).getByRole('button', { name: 'Credentials' }).waitFor();
  const exportText = async () => {
    const download = await exportSavedRequests(page);
    return readFile(await download.path(), 'utf8');
  };
  const without = await exportText();
  for (const secret of ['t0ken-in-url', 'b3arer-value', 'c00kie-value']) assert.ok(!without.includes(secret), secret);
  assert.equal(JSON.parse(without).requests[0].request.url, env.server.ws + '/echo?room=1&token=');
  await exportWithSecrets(page).check();
  const withSecrets = await exportText();
  for (const secret of ['t0ken-in-url', 'b3arer-value', 'c00kie-value']) assert.ok(withSecrets.includes(secret), secret);
  assert.deepEqual(page.errors, []);
});

test('an import over the size limit is refused with its size, and the page goes on', async () => {
  const page = await env.open();
  await importSavedRequests(page).setInputFiles({
    name: 'huge.json', mimeType: 'application/json', buffer: Buffer.alloc(17 << 20, 0x20),
  });
  await page.getByText(/Not imported: The file is 17\.0 MiB; wsprobe imports files of up to 16 MiB/).waitFor();
  await connect(page, env.server.ws + '/echo');
  assert.deepEqual(page.errors, []);
});

test('Alt+Up after switching to a request with fewer sent messages recalls, not crashes', async () => {
  const page = await env.open();
  await url(page).fill(env.server.ws + '/echo');
  await saveAs(page, 'Few');
  await connectButton(page).click();
  await waitForState(page, 'Open');
  await send(page, 'only');
  // A new name saves a new request, with five messages of its own.
  await saveAs(page, 'Many');
  for (const text of ['one', 'two', 'three', 'four', 'five']) {
    await send(page, text);
  }
  await received(page, 6);
  await message(page).press('Alt+ArrowUp');
  assert.equal(await message(page).inputValue(), 'five');
  await savedRequest(page, 'Few').click();
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
    assert.equal(await connectButton(frame).count(), 0);
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
      await connectButton(page).waitFor();
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
    await connectButton(a).waitFor();
    await context.setOffline(false);
    assert.deepEqual([...a.errors, ...b.errors], []);
  } finally {
    await context.close();
    server.close();
  }
});
