// Renders web/icon.svg to the PNG icons the web app manifest lists (run by hand after
// changing the SVG: node e2e/icons.js).

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './harness.js';

const web = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../web');
const svg = await readFile(path.join(web, 'icon.svg'), 'utf8');
const browser = await launchChromium();
try {
  for (const size of [192, 512]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(`<style>html,body{margin:0;background:transparent}svg{width:${size}px;height:${size}px;display:block}</style>${svg}`);
    await page.screenshot({ path: path.join(web, `icon-${size}.png`), omitBackground: true });
    await page.close();
  }
} finally {
  await browser.close();
}
