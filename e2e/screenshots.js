// Saves docs/screenshot-{light,dark}.png (desktop) and docs/screenshot-phone-{light,dark}.png:
// the built page connected to the echo endpoint with a few messages in the log.
// Run by scripts/screenshots.sh after a release build.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { setUp } from './harness.js';

const docs = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs');
const env = await setUp();
try {
  for (const [colorScheme, phone] of [['light', false], ['dark', false], ['light', true], ['dark', true]]) {
    const context = phone
      ? await env.browser.newContext({ colorScheme, viewport: { width: 360, height: 760 }, isMobile: true, hasTouch: true })
      : undefined;
    const page = await env.open({ colorScheme, context });
    await page.getByRole('textbox', { name: 'URL' }).fill(env.server.ws + '/echo?room=lobby&token=s3cret');
    await page.getByRole('textbox', { name: 'Request name' }).fill('Echo, lobby');
    await page.getByRole('button', { name: 'Save request' }).click();
    await page.getByRole('textbox', { name: 'Request name' }).fill('Echo, trades');
    await page.getByRole('button', { name: 'Save request' }).click();
    await page.getByRole('button', { name: 'Copy share link' }).click();
    await page.getByRole('button', { name: 'Connect' }).click();
    await page.getByRole('status', { name: 'Connection state' }).filter({ hasText: 'Open' }).waitFor();
    const message = page.getByRole('textbox', { name: 'Message' });
    for (const text of ['hello', '{"op":"subscribe","channel":"trades","symbols":["BTC-USD","ETH-USD"]}', 'ping']) {
      await message.fill(text);
      await message.press('Control+Enter');
    }
    await message.fill('{"op":"unsubscribe","channel":"trades"}');
    await page.getByLabel('Messages received', { exact: true }).filter({ hasText: /^3$/ }).waitFor();
    await page.getByRole('log', { name: 'Message log' }).locator('.entry.received', { hasText: '"op"' }).click();
    const file = path.join(docs, `screenshot-${phone ? 'phone-' : ''}${colorScheme}.png`);
    await page.screenshot({ path: file });
    console.log(file);
  }
} finally {
  await env.close();
}
