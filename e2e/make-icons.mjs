// Renders the web app's PNG icons from vector drawings with the machine's Chromium (run once,
// the PNGs are committed): node e2e/make-icons.mjs src/main/resources/webroot/icons
import {chromium} from 'playwright-core';
import {mkdirSync} from 'node:fs';

const out = process.argv[2] || 'src/main/resources/webroot/icons';
mkdirSync(out, {recursive: true});
const bubble = 'M8 9h16a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2h-9l-5 4v-4H8a2 2 0 0 1-2-2v-9a2 2 0 0 1 2-2z';
// "any": the rounded tile of favicon.svg. "full": the whole square blue, the bubble inside the
// central 80% (the safe zone of maskable icons; iOS rounds the corners of apple-touch-icon itself).
const svg = (kind) => kind === 'any'
  ? `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#2456d6"/><path d="${bubble}" fill="#fff"/></svg>`
  : `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" fill="#2456d6"/><g transform="translate(16 16) scale(.7) translate(-16 -17)"><path d="${bubble}" fill="#fff"/></g></svg>`;
const icons = [
  ['icon-192.png', 192, 'any'], ['icon-512.png', 512, 'any'],
  ['icon-maskable-512.png', 512, 'full'], ['apple-touch-icon.png', 180, 'full'],
];
const browser = await chromium.launch({executablePath: process.env.CHROMIUM || '/usr/bin/chromium'});
const page = await browser.newPage();
for (const [name, size, kind] of icons) {
  await page.setViewportSize({width: size, height: size});
  await page.setContent(`<html><body style="margin:0;background:transparent">`
    + `<img src="data:image/svg+xml,${encodeURIComponent(svg(kind))}" width="${size}" height="${size}" style="display:block"></body></html>`);
  await page.screenshot({path: `${out}/${name}`, omitBackground: true});
  console.log(`${out}/${name} ${size}x${size}`);
}
await browser.close();
