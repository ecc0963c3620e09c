// Pairing the page with the relay: the link the relay prints fills the page's relay settings in
// one click, the page shows the command that starts a relay for it and the relay's status
// (checked when the panel opens and before each dial), and the token stays in the tab's keeping
// unless the person asks otherwise.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocketServer } from 'ws';
import { closedPort, launchChromium, setUp, startRelay, watchErrors } from '../harness.js';
import {
  addHeader, entryDetail, handshake, messageLog, showHeadersCookiesAndRelay, dial, waitForState,
} from '../page.js';

let env;
let relay;
before(async () => {
  env = await setUp();
  relay = await startRelay(['--page', env.site.url]);
});
after(async () => {
  relay?.close();
  await env?.close();
});

const relayToken = (page) => page.getByLabel('Relay token', { exact: true });
const relayAddress = (page) => page.getByLabel('Relay address', { exact: true });
const remember = (page) => page.getByRole('checkbox', { name: 'Remember the relay token on this device' });
const relayCommand = (page) => page.getByLabel('Relay command');
const relayStatus = (page) => page.getByRole('status', { name: 'Relay status' });

/** The pairing link among the lines the relay printed. */
function pairingLink(printed) {
  const link = printed.map((line) => line.trim()).find((line) => line.includes('#relay='));
  assert.ok(link, printed.join('\n'));
  return link;
}

/** Opens `link` in a fresh page of `context` and waits for the app. */
async function openLink(context, link) {
  const page = watchErrors(await context.newPage());
  await page.goto(link);
  await page.getByRole('button', { name: 'Connect', exact: true }).waitFor();
  return page;
}

/** Connects to the test server's /headers through the relay with a header, and checks the
 *  server received it. */
async function headerGoesThrough(page, server) {
  await showHeadersCookiesAndRelay(page);
  await addHeader(page, 'X-Paired', 'yes');
  await dial(page, server + '/headers');
  await waitForState(page, 'Open');
  await messageLog(page).locator('.entry.received').first().click();
  assert.match(await entryDetail(page).innerText(), /"x-paired": "yes"/);
  assert.match(await handshake(page).locator('.raw-handshake').innerText(), /X-Paired: yes/);
}

test('the link the relay prints pairs the page: settings filled, address bar cleaned, a header goes through', async () => {
  const link = pairingLink(relay.printed);
  assert.ok(link.startsWith(env.site.url + '#relay='), link);
  const context = await env.browser.newContext();
  const page = await openLink(context, link);
  await page.getByRole('status').filter({ hasText: `Paired with the relay at ${relay.ws}.` }).waitFor();
  // The token leaves the address bar at once, so it is in no reload, bookmark or copied address.
  assert.equal(new URL(page.url()).hash, '');
  await showHeadersCookiesAndRelay(page);
  await relayStatus(page).filter({ hasText: /^Paired with the relay, version \d+\.\d+\.\d+\.$/ }).waitFor();
  assert.equal(await relayAddress(page).inputValue(), relay.ws);
  assert.equal(await relayToken(page).inputValue(), relay.token);
  // Nothing else took the fragment for a share link.
  assert.equal(await page.getByText('not a wsprobe share link').count(), 0);
  await headerGoesThrough(page, env.server.ws);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('the token is kept for the tab, unless the person asks to remember it on this device', async () => {
  const context = await env.browser.newContext();
  const first = await openLink(context, pairingLink(relay.printed));
  await first.getByText('Paired with the relay at').waitFor();
  await showHeadersCookiesAndRelay(first);
  assert.equal(await remember(first).isChecked(), false);
  const stored = (page) => page.evaluate(() => ({
    device: localStorage.getItem('wsprobe.relay-token') ?? '',
    tab: sessionStorage.getItem('wsprobe.relay-token') ?? '',
  }));
  assert.deepEqual(await stored(first), { device: '', tab: relay.token });

  // Another tab of the same browser shares localStorage, not this tab's sessionStorage.
  const second = await openLink(context, env.site.url);
  await showHeadersCookiesAndRelay(second);
  assert.equal(await relayToken(second).inputValue(), '');
  assert.equal(await relayAddress(second).inputValue(), relay.ws, 'the address is no secret');

  await remember(first).check();
  assert.deepEqual(await stored(first), { device: relay.token, tab: relay.token });
  const third = await openLink(context, env.site.url);
  await showHeadersCookiesAndRelay(third);
  assert.equal(await relayToken(third).inputValue(), relay.token);
  assert.equal(await remember(third).isChecked(), true);

  // Unticked, the device forgets it; this tab still has it.
  await remember(third).uncheck();
  assert.equal((await stored(third)).device, '');
  const fourth = await openLink(context, env.site.url);
  await showHeadersCookiesAndRelay(fourth);
  assert.equal(await relayToken(fourth).inputValue(), '');
  await third.reload();
  await showHeadersCookiesAndRelay(third);
  assert.equal(await relayToken(third).inputValue(), relay.token);
  assert.deepEqual([first, second, third, fourth].flatMap((p) => p.errors), []);
  await context.close();
});

test('a pairing link naming a relay on another machine is refused and says why', async () => {
  const context = await env.browser.newContext();
  const page = await openLink(context, `${env.site.url}#relay=ws://relay.example.com:9797&token=stolen`);
  const alert = page.getByRole('alert').filter({ hasText: 'not on this machine' });
  await alert.waitFor();
  assert.match(await alert.innerText(), /relay settings were left as they were/);
  assert.equal(new URL(page.url()).hash, '');
  await showHeadersCookiesAndRelay(page);
  assert.equal(await relayAddress(page).inputValue(), 'ws://127.0.0.1:9797');
  assert.equal(await relayToken(page).inputValue(), '');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('the page shows the command for itself; run as shown for a page on another origin, the relay pairs it', async () => {
  const context = await env.browser.newContext();
  const local = await openLink(context, env.site.url);
  await showHeadersCookiesAndRelay(local);
  assert.equal(await relayCommand(local).innerText(), `wsprobe relay --page ${env.site.url}`);
  await context.close();

  // The same page under a name that is not this machine's (it still resolves to 127.0.0.1).
  const browser = await launchChromium({ args: ['--host-resolver-rules=MAP wsprobe.test 127.0.0.1'] });
  try {
    const hosted = env.site.url.replace('127.0.0.1', 'wsprobe.test');
    const origin = new URL(hosted).origin;
    const page = await openLink(await browser.newContext(), hosted);
    await showHeadersCookiesAndRelay(page);
    const command = await relayCommand(page).innerText();
    assert.equal(command, `wsprobe relay --allow-origin ${origin} --page ${hosted}`);
    // The relay started without it refuses this page, and the status says so.
    await relayAddress(page).fill(relay.ws);
    await relayAddress(page).press('Tab');
    await relayStatus(page).filter({ hasText: `refuses pages from ${origin}` }).waitFor();
    // Run it as a person would paste it (on a free port, as this machine's 9797 may be taken).
    const [, ...args] = command.split(' ').slice(1);
    assert.deepEqual(args.slice(0, 1), ['--allow-origin']);
    const theirs = await startRelay(args);
    try {
      assert.ok(theirs.printed.join('\n').includes(origin), theirs.printed.join('\n'));
      await page.goto(pairingLink(theirs.printed));
      await page.getByText(`Paired with the relay at ${theirs.ws}.`).waitFor();
      await headerGoesThrough(page, env.server.ws);
      assert.deepEqual(page.errors, []);
    } finally {
      theirs.close();
    }
  } finally {
    await browser.close();
  }
});

test('a relay that is not running, at an address the browser will not dial, or with another token, is named before anything is dialled', async () => {
  const context = await env.browser.newContext();
  const page = await openLink(context, env.site.url);
  await showHeadersCookiesAndRelay(page);
  const nowhere = `ws://127.0.0.1:${await closedPort()}`;
  await relayAddress(page).fill(nowhere);
  await relayAddress(page).press('Tab');
  await relayStatus(page).filter({ hasText: `No relay is running at ${nowhere}` }).waitFor();
  await addHeader(page, 'X-Any', '1');
  await dial(page, env.server.ws + '/headers');
  await waitForState(page, 'Failed');
  assert.match(await handshake(page).innerText(), /No relay is running at/);

  // An address the browser would not dial says why, in the browser's terms.
  await relayAddress(page).fill('http://127.0.0.1:9797');
  await relayAddress(page).press('Tab');
  await relayStatus(page).filter({ hasText: 'will not dial the relay at http://127.0.0.1:9797' }).waitFor();
  assert.match(await relayStatus(page).innerText(), /Did you mean ws:\/\/127\.0\.0\.1:9797/);

  await relayAddress(page).fill(relay.ws);
  await relayAddress(page).press('Tab');
  await relayStatus(page).filter({ hasText: 'paste the token it printed' }).waitFor();
  await relayToken(page).fill('not-the-token');
  await relayToken(page).press('Tab');
  await relayStatus(page).filter({ hasText: 'not the one it printed' }).waitFor();
  await relayToken(page).fill(relay.token);
  await relayToken(page).press('Tab');
  await relayStatus(page).filter({ hasText: 'Paired with the relay' }).waitFor();
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a relay of another protocol version is named too old or too new, with what to do', async () => {
  // Only a relay from another release speaks another version; this one answers its status as
  // such a relay would (the real relay's answer is checked in relay/tests/access.rs).
  const answers = [[[0, 0], 'too old for this page'], [[2, 3], 'newer than this page understands']];
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  let protocols;
  server.on('connection', (socket, request) => {
    socket.send(JSON.stringify({
      type: 'status', origin: request.headers.origin, page_allowed: true, version: '9.9.9', protocols, token_ok: true,
    }));
    socket.close(1000);
  });
  try {
    const context = await env.browser.newContext();
    const page = await openLink(context, env.site.url);
    await showHeadersCookiesAndRelay(page);
    await relayToken(page).fill('t');
    await relayToken(page).press('Tab');
    await addHeader(page, 'X-Any', '1');
    for (const [range, says] of answers) {
      protocols = range;
      await relayAddress(page).fill(`ws://127.0.0.1:${server.address().port}`);
      await relayAddress(page).press('Tab');
      await page.getByRole('button', { name: 'Check relay' }).click();
      await relayStatus(page).filter({ hasText: `version 9.9.9, ${says}` }).waitFor();
      await dial(page, env.server.ws + '/headers');
      await handshake(page).getByText(new RegExp(`Not dialled\\. The relay is version 9\\.9\\.9, ${says}`)).waitFor();
    }
    assert.deepEqual(page.errors, []);
    await context.close();
  } finally {
    server.close();
  }
});
