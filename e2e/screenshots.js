// Saves docs/screenshot-{light,dark}.png (desktop) and docs/screenshot-phone-{light,dark}.png:
// the built page connected to the echo endpoint with a few messages in the log.
// Run by scripts/screenshots.sh after a release build.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setUp } from './harness.js';
import {
  connectButton, copyShareLinkButton, message, messageLog, received, saveRequest, send, url, waitForState,
} from './page.js';

const docs = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs');
const env = await setUp();
try {
  for (const [colorScheme, phone] of [['light', false], ['dark', false], ['light', true], ['dark', true]]) {
    const context = phone
      ? await env.browser.newContext({ colorScheme, viewport: { width: 360, height: 760 }, isMobile: true, hasTouch: true })
      : undefined;
    const page = await env.open({ colorScheme, context });
    await url(page).fill(env.server.ws + '/echo?room=lobby&token=s3cret');
    await saveRequest(page, 'Echo, lobby');
    await saveRequest(page, 'Echo, trades');
    await copyShareLinkButton(page).click();
    await connectButton(page).click();
    await waitForState(page, 'Open');
    for (const text of ['hello', '{"op":"subscribe","channel":"trades","symbols":["BTC-USD","ETH-USD"]}', 'ping']) {
      await send(page, text);
    }
    await message(page).fill('{"op":"unsubscribe","channel":"trades"}');
    await received(page, 3);
    await messageLog(page).locator('.entry.received', { hasText: '"op"' }).click();
    const file = path.join(docs, `screenshot-${phone ? 'phone-' : ''}${colorScheme}.png`);
    await page.screenshot({ path: file });
    console.log(file);
  }
} finally {
  await env.close();
}
