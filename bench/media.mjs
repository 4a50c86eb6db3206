// Media figures in Chromium (fake cameras), for bench/media.sh (bench.MediaBench starts the servers).
//   node bench/media.mjs join <baseUrl> <people>
//     n people: the first creates a meeting, the others open its link at once; prints, as JSON,
//     each page's time from opening the link (and pressing Join on the pre-join screen at once) to every
//     remote video playing, then its PeerConnections
//     and upstream kbps (all its outbound RTP) over 6 s once everyone plays.
//   node bench/media.mjs capacity <baseUrl> <janusPid> <maxSubscribers>
//     one publisher, then subscriber pages added two at a time; after each step, over 6 s: video
//     packet loss and frame rate at the subscribers, and Janus's CPU (from /proc/<pid>/stat). Stops
//     when loss passes 1 %, frames drop (under 80 % of the publisher's rate), or at the maximum.
// The result is the last line, `RESULT {json}`.

import fs from 'node:fs';
import {createRequire} from 'node:module';
import {signIn} from '../e2e/support.mjs';
import {pressJoin} from '../e2e/common.mjs';

// playwright-core is e2e's dependency (e2e/package-lock.json)
const {chromium} = createRequire(new URL('../e2e/package.json', import.meta.url))('playwright-core');

const [what, baseArg, ...rest] = process.argv.slice(2);
const base = (baseArg || 'http://localhost:8080').replace(/\/$/, '');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
// Every page's fake camera, in frames per second: all pages share this machine's cores (a real
// person's page has its own), so the default is a light 10 fps; MEDIA_BENCH_FPS=30 for a full one.
const fps = Number(process.env.MEDIA_BENCH_FPS || 10);
const tenant = `bench-${Math.random().toString(36).slice(2, 10)}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const t0 = Date.now();
const log = (...a) => console.log(`[media ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s]`, ...a);

async function waitFor(fn, what, timeout) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await fn()) return;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeout} ms`);
    await sleep(100);
  }
}

/** Remote camera tiles playing (a decoded frame with a size) in a page. */
const playing = (page) => page.evaluate(() => [...document.querySelectorAll('#videos .tile')]
  .filter((t) => t.dataset.kind === 'camera' && t.dataset.user !== window.__parley.me.userId && t.querySelector('video').videoWidth > 0).length);

/** Sums of the page's RTP counters: bytes sent, video packets received and lost, frames decoded. */
const counters = (page) => page.evaluate(async () => {
  const out = {sent: 0, received: 0, lost: 0, frames: 0, pcs: 0, layers: {}};
  const room = window.__parley.room;
  for (const pc of room && room.media ? room.media.peerConnections() : []) {
    out.pcs++;
    (await pc.getStats()).forEach((r) => {
      if (r.type === 'outbound-rtp') out.sent += r.bytesSent || 0;
      if (r.type === 'inbound-rtp' && r.kind === 'video') {
        out.received += r.packetsReceived || 0;
        out.lost += Math.max(0, r.packetsLost || 0);
        out.frames += r.framesDecoded || 0;
        out.layers[r.frameWidth || 0] = (out.layers[r.frameWidth || 0] || 0) + 1;
      }
    });
  }
  return out;
});

async function launch() {
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--use-fake-ui-for-media-stream', `--use-fake-device-for-media-stream=fps=${fps}`, '--autoplay-policy=no-user-gesture-required',
      '--allow-loopback-in-peer-connection', '--disable-dev-shm-usage', '--mute-audio'],
  });
}

async function person(browser, name, viewport = {width: 1280, height: 800}) {
  const page = await (await browser.newContext({viewport})).newPage();
  page.on('pageerror', (e) => log(`${name} pageerror ${e.message}`));
  await page.goto(`${base}/`);
  await signIn(page, name, tenant);
  await page.waitForSelector('#view-lobby:not([hidden])');
  return page;
}

async function createMeeting(page) {
  await page.fill('#create-title', 'Bench');
  await page.click('#create-form button[type=submit]');
  await pressJoin(page);
  await page.waitForSelector('#view-room:not([hidden])');
  await page.waitForFunction(() => window.__parley.room && window.__parley.room.media, null, {timeout: 30000});
  return page.url().match(/#\/m\/([0-9a-f-]{36})/)[1];
}

/** Opens the meeting's link and goes through the pre-join screen (camera preview) as soon as it shows. */
async function open(page, id) {
  await page.evaluate((m) => {
    location.hash = `#/m/${m}`;
  }, id);
  await pressJoin(page);
}

async function join(people) {
  const browser = await launch();
  try {
    const pages = [];
    for (let i = 0; i < people; i++) pages.push(await person(browser, `P${i + 1}`));
    const id = await createMeeting(pages[0]);
    const mode = await pages[0].evaluate(() => window.__parley.room.media.mode);
    if (mode === 'sfu') await waitFor(async () => (await counters(pages[0])).pcs > 0, 'the host publishes', 30000);
    const opened = Date.now();
    await Promise.all(pages.slice(1).map((p) => open(p, id)));
    const joinMs = await Promise.all(pages.map(async (p, i) => {
      await waitFor(async () => (await playing(p)) === people - 1, `P${i + 1} sees everyone`, 90000);
      return Date.now() - opened;
    }));
    const before = await Promise.all(pages.map(counters));
    await sleep(6000);
    const after = await Promise.all(pages.map(counters));
    const upKbps = after.map((a, i) => Math.round(((a.sent - before[i].sent) * 8) / 6 / 1000));
    return {mode, people, joinMs, joinMaxMs: Math.max(...joinMs.slice(1)), pcs: after.map((a) => a.pcs), upKbps,
      upKbpsMean: Math.round(upKbps.reduce((s, x) => s + x, 0) / people)};
  } finally {
    await browser.close();
  }
}

function cpuTicks(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks (100 per second)
}

async function capacity(janusPid, maxSubscribers) {
  const browser = await launch();
  const steps = [];
  try {
    const publisher = await person(browser, 'Speaker');
    const id = await createMeeting(publisher);
    const subs = [];
    let verdict = `reached ${maxSubscribers} subscribers`;
    while (subs.length < maxSubscribers) {
      const add = [];
      for (let k = 0; k < 2 && subs.length + add.length < maxSubscribers; k++) add.push(await person(browser, `S${subs.length + add.length + 1}`, {width: 480, height: 360}));
      await Promise.all(add.map((p) => open(p, id)));
      await Promise.all(add.map((p) => waitFor(async () => (await playing(p)) === 1, 'a subscriber plays', 60000)));
      subs.push(...add);
      await sleep(2000);
      const c0 = await Promise.all(subs.map(counters));
      const j0 = cpuTicks(janusPid);
      const w0 = Date.now();
      await sleep(6000);
      const c1 = await Promise.all(subs.map(counters));
      const seconds = (Date.now() - w0) / 1000;
      const janusCpu = (cpuTicks(janusPid) - j0) / 100 / seconds;
      const received = c1.reduce((s, c, i) => s + c.received - c0[i].received, 0);
      const lost = c1.reduce((s, c, i) => s + c.lost - c0[i].lost, 0);
      const fps = c1.map((c, i) => (c.frames - c0[i].frames) / seconds);
      const step = {subscribers: subs.length, lossPct: +(100 * lost / Math.max(1, received + lost)).toFixed(2),
        fpsMin: +Math.min(...fps).toFixed(1), fpsMean: +(fps.reduce((s, x) => s + x, 0) / fps.length).toFixed(1),
        janusCpuPct: +(100 * janusCpu).toFixed(1), janusCpuPctPerSubscriber: +(100 * janusCpu / subs.length).toFixed(2),
        widths: c1[0].layers, load: fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')};
      steps.push(step);
      log(JSON.stringify(step));
      if (step.lossPct > 1) {
        verdict = `packet loss passed 1 % at ${subs.length} subscribers`;
        break;
      }
      if (steps.length > 1 && step.fpsMin < 0.8 * steps[0].fpsMean) {
        verdict = `frames dropped (${step.fpsMin} fps against ${steps[0].fpsMean}) at ${subs.length} subscribers`;
        break;
      }
    }
    return {steps, verdict};
  } finally {
    await browser.close();
  }
}

try {
  const result = what === 'join' ? await join(Number(rest[0] || 2))
    : what === 'capacity' ? await capacity(Number(rest[0]), Number(rest[1] || 12))
      : (() => {
        throw new Error('usage: node bench/media.mjs join <base> <people> | capacity <base> <janusPid> <max>');
      })();
  console.log(`RESULT ${JSON.stringify(result)}`);
} catch (e) {
  console.error(`[media] FAILED: ${e.stack || e.message}`);
  process.exitCode = 1;
}
