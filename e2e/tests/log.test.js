// The message log under load and its tools: limits, filter, detail view, clear, export.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { setUp } from '../harness.js';
import {
  connect, dial, entryDetail, exportLog, filterMessages, logEntries, messageLog, messagesDropped, messagesReceived,
  messagesSent, send,
} from '../page.js';

let env;
before(async () => { env = await setUp(); });
after(async () => { await env?.close(); });

async function expectText(locator, pattern) {
  await locator.filter({ hasText: pattern }).waitFor({ timeout: 15_000 });
}

test('past the limit the log drops the oldest entries and counts them exactly', async () => {
  const page = await env.open();
  await page.getByRole('combobox', { name: 'Log limit in entries' }).selectOption('10000');
  await dial(page, env.server.ws + '/flood?count=30000&size=32');
  await expectText(messagesReceived(page), /^30,000$/);
  // Connecting + Open events and 30,000 messages went in; 10,000 entries stay.
  await expectText(messagesDropped(page), /^20,002$/);
  await expectText(messageLog(page), '00029999 ');
  assert.ok(await logEntries(page).count() < 100);
  assert.deepEqual(page.errors, []);
});

test('the filter covers everything retained, by text and by direction', async () => {
  const page = await env.open();
  await connect(page, env.server.ws + '/flood?count=5000&size=40');
  await expectText(messagesReceived(page), /^5,000$/);
  await send(page, 'needle in the haystack');
  await expectText(messagesReceived(page), /^5,001$/);

  const filter = filterMessages(page);
  // Message 00000007 scrolled out of view long ago; the filter still finds it.
  await filter.fill('00000007 ');
  await expectText(messageLog(page), '00000007 ');
  assert.equal(await logEntries(page).count(), 1);

  await filter.fill('NEEDLE');
  await expectText(logEntries(page).first(), 'needle in the haystack');
  assert.equal(await logEntries(page).count(), 2, 'sent and echoed');
  await page.getByRole('checkbox', { name: 'Received' }).uncheck();
  await expectText(messageLog(page), /sent.*needle/);
  assert.equal(await logEntries(page).count(), 1);

  // Text beyond ASCII is matched ignoring case too (by the browser's own lowercase).
  await send(page, 'CRÈME BRÛLÉE');
  await filter.fill('brûlée');
  await expectText(logEntries(page).first(), 'CRÈME BRÛLÉE');
  assert.equal(await logEntries(page).count(), 1, 'only the sent one: received is unchecked');

  await filter.fill('no such text');
  await expectText(messageLog(page), 'No entry matches the filter.');
  await filter.fill('');
  await page.getByRole('checkbox', { name: 'Received' }).check();
  await expectText(messageLog(page), 'needle in the haystack');
  assert.deepEqual(page.errors, []);
});

test('an entry opens whole: JSON pretty and foldable, binary as a hex dump', async () => {
  const page = await env.open();
  await connect(page, env.server.ws + '/binary?hex=48656c6c6f00ff');
  await logEntries(page).filter({ hasText: '48 65 6c' }).click();
  const detail = entryDetail(page);
  await expectText(detail, '00000000  48 65 6c 6c 6f 00 ff');
  await expectText(detail, '|Hello..|');
  const current = messageLog(page).locator('.entry[aria-current="true"]');
  assert.deepEqual(await current.allTextContents(), [await logEntries(page).filter({ hasText: '48 65 6c' }).textContent()]);

  await send(page, '{"op":"subscribe","args":[1,2,{"deep":true}],"id":null}');
  const json = logEntries(page).filter({ hasText: 'received' }).filter({ hasText: '"op"' });
  // By keyboard: Enter on the focused row opens it, and the row keeps the focus.
  await json.focus();
  await json.press('Enter');
  await expectText(detail, /"args": \[…\] 3 items/);
  assert.equal(await json.evaluate((row) => row === document.activeElement), true, 'the row keeps the focus');
  // Only the open entry is marked, also on rows drawn after it was opened.
  assert.equal(await current.count(), 1);
  assert.equal(await json.getAttribute('aria-current'), 'true');
  await send(page, 'one more');
  await logEntries(page).filter({ hasText: 'one more' }).first().waitFor();
  assert.equal(await current.count(), 1);
  assert.equal(await json.getAttribute('aria-current'), 'true');
  const fold = detail.locator('details', { hasText: '"args"' }).first();
  assert.equal(await fold.getAttribute('open'), '');
  await fold.locator('summary').first().click();
  assert.equal(await fold.getAttribute('open'), null, 'folded');
  await page.getByRole('button', { name: 'Close entry' }).click();
  assert.equal(await entryDetail(page).count(), 0);
  assert.deepEqual(page.errors, []);
});

test('export downloads the retained entries as JSON Lines; clear empties the log', async () => {
  const page = await env.open();
  await connect(page, env.server.ws + '/binary?hex=00ff');
  await send(page, 'line "one"\nwith a newline');
  await expectText(messagesReceived(page), /^2$/);

  const download = await exportLog(page);
  assert.match(download.suggestedFilename(), /\.jsonl$/);
  const lines = (await readFile(await download.path(), 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l));
  const binary = lines.find((l) => l.kind === 'binary');
  assert.equal(binary.direction, 'received');
  assert.equal(binary.payload, 'AP8=');
  assert.equal(binary.size, 2);
  const sent = lines.find((l) => l.direction === 'sent');
  assert.equal(sent.payload, 'line "one"\nwith a newline');
  assert.ok(!Number.isNaN(Date.parse(sent.time)));
  assert.ok(lines.some((l) => l.kind === 'event'));

  await page.getByRole('button', { name: 'Clear log' }).click();
  await expectText(messageLog(page), 'Messages sent and received appear here.');
  assert.equal(await logEntries(page).count(), 0);
  // Counters keep counting the connection's traffic.
  assert.equal(await messagesSent(page).textContent(), '1');
  assert.deepEqual(page.errors, []);
});

test('while the person reads, a capped stream does not move the rows under their eyes', async () => {
  const page = await env.open();
  await dial(page, env.server.ws + '/flood?count=1000000&size=32');
  // Past the default cap of 50,000 entries, every new message drops the oldest one.
  await page.waitForFunction(() => Number(document.querySelector('[aria-label="Messages received"]')?.textContent.replace(/,/g, '')) > 60_000);
  // Scroll up a hundred rows, then watch a few frames: the page is in the middle of a flood, so
  // everything is measured inside the page, where no round trip delays it.
  const watched = await messageLog(page).evaluate(async (el) => {
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
    const dropped = () => Number(document.querySelector('[aria-label="Messages dropped"]').textContent.replace(/,/g, ''));
    const topSeq = () => {
      const top = el.getBoundingClientRect().top;
      const rows = [...el.querySelectorAll('.entry')].filter((r) => r.getBoundingClientRect().bottom > top + 4);
      return Number(rows[0]?.dataset.seq);
    };
    el.scrollTop = el.scrollHeight - el.clientHeight - 100 * 28;
    await frame();
    await frame();
    const before = { seq: topSeq(), dropped: dropped() };
    // At least 6 frames, and until some hundreds were dropped: on a busy machine a stream can
    // pause for a few frames.
    for (let i = 0; i < 6 || (i < 240 && dropped() - before.dropped < 500); i++) await frame();
    return { before, after: { seq: topSeq(), dropped: dropped() } };
  });
  assert.ok(watched.after.dropped > watched.before.dropped, `entries were dropped while reading: ${JSON.stringify(watched)}`);
  // Without anchoring, the top entry moves by every entry dropped. With it, a flood this fast
  // (thousands of entries dropped between two frames) still jitters it by a fraction of that
  // from frame to frame (a known flaw, see the README's benchmark notes); a stream a person can
  // read leaves it in place.
  const moved = Math.abs(watched.after.seq - watched.before.seq);
  const dropped = watched.after.dropped - watched.before.dropped;
  assert.ok(moved < dropped / 2, `the top entry moved ${moved} rows while ${dropped} were dropped`);
  assert.ok(await page.getByRole('button', { name: 'Jump to latest' }).isVisible());
  assert.deepEqual(page.errors, []);
});
