// What the newer browser specs (room.spec.mjs, signin.spec.mjs) share: the machine's Chromium with
// a fake camera and microphone, steps that log their time, screenshots, and a watch on each page for
// uncaught errors and Content-Security-Policy refusals (which fail the run at the end).

import {chromium} from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

const t0 = Date.now();
export const shots = process.env.E2E_SCREENSHOTS || 'target/e2e-screenshots';
export const problems = [];
export const log = (...args) => console.log(`[e2e ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s]`, ...args);
export const elapsed = () => ((Date.now() - t0) / 1000).toFixed(1);

fs.mkdirSync(shots, {recursive: true});

export async function launch() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream=fps=10',
      '--autoplay-policy=no-user-gesture-required', '--disable-dev-shm-usage'],
  });
  log('chromium', browser.version());
  return browser;
}

/**
 * A new context and page for one person; their page's errors are collected in `problems` (only
 * while the page is on `origin`, when given: an identity provider's pages are not ours to judge).
 */
export async function person(browser, who, origin) {
  const context = await browser.newContext({viewport: {width: 1280, height: 860}});
  const page = await context.newPage();
  page.setDefaultTimeout(60000); // a shared, busy machine
  page.on('console', (msg) => {
    const text = msg.text();
    if (msg.type() === 'error' || msg.type() === 'warning' || process.env.E2E_DEBUG) console.log(`  [${who} console.${msg.type()}] ${text}`);
    if (/Content Security Policy|Refused to/i.test(text) && ours()) problems.push(`${who}: ${text}`);
  });
  const ours = () => !origin || page.url().startsWith(origin);
  page.on('pageerror', (err) => {
    console.log(`  [${who} pageerror] ${err.message}`);
    if (ours()) problems.push(`${who}: uncaught ${err.message}`);
  });
  return page;
}

export async function shot(page, name) {
  const file = path.join(shots, `${name}.png`);
  await page.screenshot({path: file, fullPage: true}).catch((e) => log('no screenshot', name, e.message));
}

export async function step(name, fn) {
  log(`STEP ${name}`);
  const started = Date.now();
  await fn();
  log(`  ok ${name} (${Date.now() - started} ms)`);
}

/** From the pre-join screen (camera preview) on: the room, the waiting screen, or a notice. */
export async function pressJoin(page) {
  await page.waitForSelector('#view-prejoin:not([hidden])');
  await page.waitForFunction(() => document.getElementById('prejoin-video').srcObject !== null);
  await page.click('#prejoin-join');
}

export async function inRoom(page) {
  await page.waitForSelector('#view-room:not([hidden])');
  await page.waitForFunction(() => window.__parley.room && window.__parley.room.bridge
    && window.__parley.room.bridge.state === 'connected');
}

export async function noticeSays(page, pattern, timeout = 45000) {
  await page.waitForFunction((p) => {
    const n = document.getElementById('notice');
    return !n.hidden && new RegExp(p, 'i').test(n.textContent);
  }, pattern, {timeout});
}

/**
 * Clicks a button of a list the page redraws on every event (people, lobby): found, then clicked
 * in the page, so that a redraw between finding and clicking does not lose the click.
 */
export async function press(page, selector) {
  await page.waitForSelector(selector);
  await page.$eval(selector, (button) => button.click());
}
