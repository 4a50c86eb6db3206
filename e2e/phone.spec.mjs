// The web client on a phone: Chromium with a phone's viewport, touch and user agent, against a
// running Parley server. Usage: node e2e/phone.spec.mjs <baseUrl>
//
// Checks: the install criteria (manifest fields and icons, a service worker controlling the page,
// Chromium's own installability errors empty), touch-sized controls, the room one-handed in portrait
// (stage, control bar at the bottom, chat and captions as sheets), the screen kept awake, rejoining
// after going offline and after the page was hidden a while (a phone asleep), an axe-core accessibility audit
// of each screen, and at the end the service worker serving the shell while the server is down: the
// script prints "@@STOP_SERVER" and waits for a line "stopped" on its standard input.
//
// Environment: CHROMIUM (default /usr/bin/chromium), E2E_SCREENSHOTS (default target/e2e-screenshots).
// Exits non-zero on the first failed step.

import {chromium} from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import {createRequire} from 'node:module';

const base = (process.argv[2] || 'http://localhost:8080').replace(/\/$/, '');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const shots = process.env.E2E_SCREENSHOTS || 'target/e2e-screenshots';
const tenant = `phone-${Math.random().toString(36).slice(2, 10)}`;
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const PHONE = {
  viewport: {width: 390, height: 844}, deviceScaleFactor: 3, isMobile: true, hasTouch: true,
  userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36',
};

const t0 = Date.now();
const log = (...args) => console.log(`[phone ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s]`, ...args);
const problems = [];
const stdin = readline.createInterface({input: process.stdin});
const lines = [];
let lineWaiter = null;
stdin.on('line', (line) => {
  lines.push(line);
  if (lineWaiter) lineWaiter();
});
fs.mkdirSync(shots, {recursive: true});

async function step(name, fn) {
  log(`STEP ${name}`);
  const started = Date.now();
  await fn();
  log(`  ok ${name} (${Date.now() - started} ms)`);
}

async function shot(page, name) {
  await page.screenshot({path: path.join(shots, `${name}.png`)});
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

/** axe-core's WCAG 2.1 A/AA rules on the page as it is; fails listing every violation. */
async function audit(page, what) {
  if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(axeSource); // evaluated by the test, not a page script
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  });
  expect(violations.length === 0, `accessibility violations on ${what}:\n  ${violations.join('\n  ')}`);
  log(`  axe: no WCAG 2.1 A/AA violations on ${what}`);
}

/** Every visible button, input and select in `selector` is at least 44 by 44 CSS pixels. */
async function touchSized(page, selector) {
  const small = await page.evaluate((sel) => [...document.querySelectorAll(`${sel} button, ${sel} select, ${sel} input`)]
    .filter((e) => e.offsetParent !== null && e.type !== 'file')
    .map((e) => ({id: e.id || e.textContent.trim(), r: e.getBoundingClientRect()}))
    .filter(({r}) => r.height < 44 || r.width < 44)
    .map(({id, r}) => `${id} ${Math.round(r.width)}x${Math.round(r.height)}`), selector);
  expect(small.length === 0, `controls under 44x44 px in ${selector}: ${small.join(', ')}`);
}

async function noSidewaysScroll(page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width <= PHONE.viewport.width, `the page scrolls sideways: ${width} px wide`);
}

async function visibleInViewport(page, selector) {
  return page.evaluate((sel) => {
    const e = document.querySelector(sel);
    if (!e || e.offsetParent === null && getComputedStyle(e).position !== 'fixed') return false;
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= innerHeight + 1;
  }, selector);
}

async function bridgeUp(page, timeout = 20000) {
  await page.waitForFunction(() => window.__parley.room && window.__parley.room.bridge
    && window.__parley.room.bridge.state === 'connected', null, {timeout});
}

/** The remote video is decoding new frames. */
async function remoteFramesFlow(page, timeout = 45000) {
  await page.waitForFunction(async () => {
    const v = [...document.querySelectorAll('.tile video')].find((x) => !x.muted);
    if (!v || v.videoWidth === 0) return false;
    const before = v.getVideoPlaybackQuality().totalVideoFrames;
    await new Promise((r) => setTimeout(r, 700));
    return v.getVideoPlaybackQuality().totalVideoFrames > before;
  }, null, {timeout, polling: 500});
}

function waitLine(expected, timeoutMs) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${expected}" on stdin within ${timeoutMs} ms`)), timeoutMs);
    const check = () => {
      if (lines.includes(expected)) {
        clearTimeout(timer);
        lineWaiter = null;
        resolve();
      }
    };
    lineWaiter = check;
    check();
  });
}

async function main() {
  const launch = {
    executablePath, headless: true,
    args: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--autoplay-policy=no-user-gesture-required',
      '--disable-dev-shm-usage'],
  };
  // The phone is a persistent profile: Chromium does not offer to install from an incognito context.
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-phone-'));
  const ctx = await chromium.launchPersistentContext(profile, {...launch, ...PHONE});
  const browser = await chromium.launch(launch); // the colleague at a desk
  log('chromium', browser.version(), 'base', base, 'tenant', tenant);
  const page = ctx.pages()[0] || await ctx.newPage();
  page.on('console', (msg) => {
    if (/Content Security Policy|Refused to/i.test(msg.text())) problems.push(`CSP: ${msg.text()}`);
    if (msg.type() === 'error' || process.env.E2E_DEBUG) console.log(`  [phone console.${msg.type()}] ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`uncaught ${err.message}`));
  const cdp = await ctx.newCDPSession(page);
  const desk = await (await browser.newContext({viewport: {width: 1024, height: 700}})).newPage();
  let meetingId;

  try {
    await step('the page names its manifest, theme colour and apple-touch-icon; the manifest makes it installable', async () => {
      await page.goto(`${base}/`);
      await page.waitForSelector('body[data-ready="true"]');
      const head = await page.evaluate(() => ({
        manifest: document.querySelector('link[rel=manifest]')?.href,
        theme: document.querySelector('meta[name=theme-color]')?.content,
        touchIcon: document.querySelector('link[rel=apple-touch-icon]')?.href,
        viewport: document.querySelector('meta[name=viewport]')?.content,
      }));
      expect(head.manifest && head.theme && head.touchIcon, `head: ${JSON.stringify(head)}`);
      expect(/width=device-width/.test(head.viewport), `viewport: ${head.viewport}`);
      const facts = await page.evaluate(async ({manifestUrl, touchIcon}) => {
        const res = await fetch(manifestUrl);
        const m = await res.json();
        const size = async (url) => {
          const bytes = new DataView(await (await fetch(url)).arrayBuffer());
          const png = bytes.getUint32(0) === 0x89504e47;
          return png ? `${bytes.getUint32(16)}x${bytes.getUint32(20)}` : 'not a PNG';
        };
        const icons = [];
        for (const icon of m.icons) icons.push({...icon, actual: icon.type === 'image/png' ? await size(icon.src) : 'svg'});
        return {type: res.headers.get('content-type'), m, icons, touch: await size(touchIcon)};
      }, {manifestUrl: head.manifest, touchIcon: head.touchIcon});
      log('  manifest', facts.type, JSON.stringify({name: facts.m.name, short_name: facts.m.short_name, start_url: facts.m.start_url,
        display: facts.m.display, icons: facts.icons.map((i) => `${i.sizes}=${i.actual} ${i.purpose || ''}`)}));
      expect(facts.type.startsWith('application/manifest+json'), `manifest served as ${facts.type}`);
      expect(facts.m.name && facts.m.short_name && facts.m.start_url === '/' && facts.m.display === 'standalone', 'manifest fields');
      for (const need of ['192x192', '512x512']) {
        expect(facts.icons.some((i) => i.sizes === need && i.actual === need), `a ${need} PNG icon`);
      }
      expect(facts.icons.every((i) => i.actual === 'svg' || i.actual === i.sizes), `icon sizes match: ${JSON.stringify(facts.icons)}`);
      expect(facts.touch === '180x180', `apple-touch-icon is ${facts.touch}`);
    });

    await step('the service worker installs and controls the page; Chromium reports no installability errors', async () => {
      await page.evaluate(() => navigator.serviceWorker.ready);
      await page.reload();
      await page.waitForSelector('body[data-ready="true"]');
      await page.waitForFunction(() => !!navigator.serviceWorker.controller);
      const {installabilityErrors} = await cdp.send('Page.getInstallabilityErrors');
      expect(installabilityErrors.length === 0, `installability errors: ${JSON.stringify(installabilityErrors)}`);
      const cached = await page.evaluate(async () => (await (await caches.open('parley-shell-v1')).keys()).map((r) => new URL(r.url).pathname));
      expect(cached.includes('/') && cached.includes('/js/app.js') && cached.includes('/css/app.css'), `cached: ${cached}`);
      expect(!cached.some((p) => /^\/(api|eventbus|ws|health|metrics)/.test(p)), `the API is never cached: ${cached}`);
      await shot(page, 'phone-01-sign-in');
      await audit(page, 'the sign-in page');
    });

    await step('sign-in and the lobby by touch, with touch-sized controls', async () => {
      await touchSized(page, '#view-signin');
      await page.tap('#signin-name');
      await page.fill('#signin-name', 'Pia');
      await page.fill('#signin-tenant', tenant);
      await page.tap('#signin-form button[type=submit]');
      await page.waitForSelector('#view-lobby:not([hidden])');
      await touchSized(page, '#view-lobby');
      await noSidewaysScroll(page);
      await audit(page, 'the lobby');
      await page.fill('#create-title', 'On the train');
      await page.tap('#create-form button[type=submit]');
      await page.waitForSelector('#view-prejoin:not([hidden])'); // camera preview and devices first
      await touchSized(page, '#view-prejoin');
      await page.tap('#prejoin-join');
      await page.waitForSelector('#view-room:not([hidden])');
      await bridgeUp(page);
      meetingId = page.url().match(/#\/m\/([0-9a-f-]{36})/)[1];
    });

    await step('a colleague at a desk joins; each sees the other', async () => {
      await desk.goto(`${base}/?m=${meetingId}`);
      await desk.waitForSelector('#view-signin:not([hidden])');
      await desk.fill('#signin-name', 'Dev');
      await desk.fill('#signin-tenant', tenant);
      await desk.click('#signin-form button[type=submit]');
      await desk.waitForSelector('#view-prejoin:not([hidden])');
      await desk.click('#prejoin-join');
      await bridgeUp(desk);
      await Promise.all([remoteFramesFlow(page), remoteFramesFlow(desk)]);
    });

    await step('the room in portrait: stage on top, control bar along the bottom, touch-sized, nothing sideways', async () => {
      const layout = await page.evaluate(() => {
        const r = (sel) => document.querySelector(sel).getBoundingClientRect();
        return {controls: r('#view-room .controls'), tabs: r('.sheet-tabs'), videos: r('#videos'), height: innerHeight};
      });
      expect(Math.abs(layout.controls.bottom - layout.height) <= 1, `control bar bottom ${layout.controls.bottom} of ${layout.height}`);
      expect(layout.tabs.bottom <= layout.controls.top + 1, 'the sheet tabs sit above the control bar');
      expect(layout.videos.top < layout.tabs.top && layout.videos.height > 100, `the stage shows: ${JSON.stringify(layout.videos)}`);
      expect(await page.evaluate(() => getComputedStyle(document.querySelector('#view-room .side')).display === 'none'),
        'no panel covers the stage until asked for');
      await touchSized(page, '#view-room .controls');
      await touchSized(page, '.sheet-tabs');
      await noSidewaysScroll(page);
      await shot(page, 'phone-02-room');
      await audit(page, 'the room');
    });

    await step('chat opens as a sheet by touch; a message goes both ways', async () => {
      await page.tap('#sheet-chat');
      expect(await page.getAttribute('#sheet-chat', 'aria-expanded') === 'true', 'the Chat tab says it is open');
      expect(await visibleInViewport(page, '#chat-input'), 'the chat input is on screen');
      await page.tap('#chat-input');
      await page.fill('#chat-input', 'typing with one thumb');
      await page.tap('#chat-form button[type=submit]');
      await desk.waitForFunction(() => document.querySelector('#chat-log').textContent.includes('typing with one thumb'));
      await desk.fill('#chat-input', 'read you');
      await desk.click('#chat-form button[type=submit]');
      await page.waitForFunction(() => document.querySelector('#chat-log').textContent.includes('read you'));
      await touchSized(page, '.chat-panel');
      await shot(page, 'phone-03-chat-sheet');
      await audit(page, 'the chat sheet');
    });

    await step('captions open as a sheet with their language choice; tapping the tab again closes it', async () => {
      await page.tap('#sheet-captions');
      expect(await visibleInViewport(page, '#caption-lang'), 'the caption language choice is on screen');
      expect(await page.evaluate(() => getComputedStyle(document.querySelector('#panel-chat')).display === 'none'),
        'the chat sheet closed when captions opened');
      await touchSized(page, '.captions-box');
      await shot(page, 'phone-04-captions-sheet');
      await audit(page, 'the captions sheet');
      await page.tap('#sheet-captions');
      expect(await page.getAttribute('#sheet-captions', 'aria-expanded') === 'false', 'closed again');
    });

    await step('the screen is kept awake during the meeting', async () => {
      const held = await page.evaluate(() => window.__parley.pwa.wakeLock);
      expect(held === 'held', `wake lock: ${held}`);
    });

    await step('the network goes away and comes back (a new network): the page says so, then rejoins with media', async () => {
      const before = await page.evaluate(() => window.__parley.pwa.rejoins);
      await ctx.setOffline(true);
      await page.waitForSelector('#offline:not([hidden])');
      await shot(page, 'phone-05-offline');
      await ctx.setOffline(false);
      await page.waitForFunction((n) => window.__parley.pwa.rejoins > n && window.__parley.pwa.lastRejoin === 'online', before);
      await bridgeUp(page);
      await page.waitForSelector('#offline', {state: 'hidden'});
      await remoteFramesFlow(page);
      await desk.fill('#chat-input', 'still there?');
      await desk.click('#chat-form button[type=submit]');
      await page.waitForFunction(() => document.querySelector('#chat-log').textContent.includes('still there?'));
    });

    await step('the phone sleeps (the page hidden for 11 s) and wakes: it rejoins, with the chat sent meanwhile and video flowing', async () => {
      // Headless Chromium neither hides a page nor fires freeze/resume for Page.setWebLifecycleState, so the
      // page's visibility is emulated: document.visibilityState reports hidden and visibilitychange fires.
      const before = await page.evaluate(() => window.__parley.pwa.rejoins);
      const setVisibility = (state) => page.evaluate((v) => {
        Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => v});
        Object.defineProperty(document, 'hidden', {configurable: true, get: () => v === 'hidden'});
        document.dispatchEvent(new Event('visibilitychange'));
      }, state);
      await setVisibility('hidden');
      await desk.fill('#chat-input', 'while you slept');
      await desk.click('#chat-form button[type=submit]');
      await new Promise((r) => setTimeout(r, 11000));
      await setVisibility('visible');
      await page.waitForFunction((n) => window.__parley.pwa.rejoins > n && window.__parley.pwa.lastRejoin === 'visible', before);
      await bridgeUp(page);
      await page.waitForFunction(() => document.querySelector('#chat-log').textContent.includes('while you slept'));
      await remoteFramesFlow(page);
      await remoteFramesFlow(desk);
      await shot(page, 'phone-06-after-sleep');
    });

    await step('with the server down, the installed app still opens from the service worker and says the server is unreachable', async () => {
      console.log('@@STOP_SERVER');
      await waitLine('stopped', 60000);
      const response = await page.reload();
      expect(response && response.fromServiceWorker(), 'the page came from the service worker');
      await page.waitForSelector('#offline:not([hidden])', {timeout: 15000});
      const text = await page.textContent('#offline');
      expect(/cannot be reached/.test(text), `banner: ${text}`);
      expect(await page.evaluate(() => !!document.querySelector('link[rel=stylesheet]').sheet), 'the styles came with it');
      await shot(page, 'phone-07-server-down');
      await audit(page, 'the page with the server down');
    });

    expect(problems.length === 0, `browser problems:\n  ${problems.join('\n  ')}`);
    log(`PASSED in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } catch (e) {
    console.error(`[phone] FAILED: ${e.stack || e.message}`);
    await shot(page, 'phone-failure').catch(() => {});
    const state = await page.evaluate(() => ({pwa: window.__parley.pwa, bridge: window.__parley.room?.bridge?.state,
      lastSeq: window.__parley.room?.lastSeq, chatStatus: document.querySelector('#chat-status')?.textContent,
      chat: [...document.querySelectorAll('#chat-log li')].map((li) => `${li.dataset.seq}:${li.textContent}`)}))
      .catch(() => null);
    console.error(`[phone] state: ${JSON.stringify(state)}`);
    const deskState = await desk.evaluate(() => ({bridge: window.__parley.room?.bridge?.state,
      input: document.querySelector('#chat-input')?.value, chatStatus: document.querySelector('#chat-status')?.textContent,
      chat: [...document.querySelectorAll('#chat-log li')].map((li) => `${li.dataset.seq}:${li.textContent}`)}))
      .catch(() => null);
    console.error(`[phone] desk: ${JSON.stringify(deskState)}`);
    process.exitCode = 1;
  } finally {
    stdin.close();
    await ctx.close();
    await browser.close();
    fs.rmSync(profile, {recursive: true, force: true});
  }
}

main();
