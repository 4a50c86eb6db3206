// End-to-end test of the web client: two Chromium contexts (Ada and Ben) hold a meeting on a
// running Parley server. Usage: node e2e/meeting.spec.mjs <baseUrl>
//
// Environment:
//   CHROMIUM               browser binary (default /usr/bin/chromium); never downloaded
//   E2E_AUDIO              a 16-bit PCM WAV of English speech for Ada's fake microphone
//                          (default src/test/resources/audio/fox.wav); padded here with silence
//   E2E_SCREENSHOTS        where screenshots go (default target/e2e-screenshots)
//   E2E_TRANSLATION=none   the server translates nothing: the Spanish step is skipped
//   E2E_EXPECT             a word the recogniser must produce from E2E_AUDIO (default "fox")
// Exits non-zero on the first failed step.

import {chromium} from 'playwright-core';
import fs from 'node:fs';
import {harness, paddedWav, signIn as signInAs} from './support.mjs';

const base = (process.argv[2] || 'http://localhost:8080').replace(/\/$/, '');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const shots = process.env.E2E_SCREENSHOTS || 'target/e2e-screenshots';
const audioIn = process.env.E2E_AUDIO || 'src/test/resources/audio/fox.wav';
const translation = process.env.E2E_TRANSLATION !== 'none';
const expectWord = process.env.E2E_EXPECT || 'fox';
const tenant = `e2e-${Math.random().toString(36).slice(2, 10)}`;

const {t0, log, problems, shot, step, watch} = harness(shots);
const skipped = [];
const signIn = (page, name) => signInAs(page, name, tenant);

/** From the pre-join screen (camera preview, devices) into the room. */
async function joinFromPrejoin(page) {
  await page.waitForSelector('#view-prejoin:not([hidden])');
  await page.waitForFunction(() => document.getElementById('prejoin-video').srcObject !== null);
  await page.click('#prejoin-join');
  await page.waitForSelector('#view-room:not([hidden])');
}

/** The remote peer's connection is up and its video has decoded frames. */
async function remoteVideoPlaying(page, timeout = 45000) {
  const deadline = Date.now() + timeout;
  let last = null;
  while (Date.now() < deadline) {
    last = await page.evaluate(async () => {
      const room = window.__parley.room;
      if (!room || !room.mesh) return {why: 'no room'};
      const out = [];
      for (const [peerId, peer] of room.mesh.peers) {
        let frames = 0;
        (await peer.pc.getStats()).forEach((r) => {
          if (r.type === 'inbound-rtp' && r.kind === 'video') frames += r.framesDecoded || 0;
        });
        const video = document.querySelector(`.tile[data-user="${peerId}"] video`);
        out.push({peerId, state: peer.pc.connectionState, frames, videoWidth: video ? video.videoWidth : -1});
      }
      return {peers: out};
    });
    if (last.peers && last.peers.some((p) => p.state === 'connected' && p.frames > 0 && p.videoWidth > 0)) return last.peers;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`no remote video: ${JSON.stringify(last)}`);
}

/**
 * The first remote peer's video as this page shows it: frames decoded so far and the mean luma
 * (0-255) of the picture, drawn small into a canvas. A disabled camera sends black frames.
 */
async function remoteLook(page) {
  return page.evaluate(async () => {
    const [peerId, peer] = [...window.__parley.room.mesh.peers][0];
    let frames = 0;
    (await peer.pc.getStats()).forEach((r) => {
      if (r.type === 'inbound-rtp' && r.kind === 'video') frames += r.framesDecoded || 0;
    });
    const video = document.querySelector(`.tile[data-user="${peerId}"] video`);
    const canvas = document.createElement('canvas');
    canvas.width = 32;
    canvas.height = 24;
    const g = canvas.getContext('2d');
    g.drawImage(video, 0, 0, canvas.width, canvas.height);
    const px = g.getImageData(0, 0, canvas.width, canvas.height).data;
    let sum = 0;
    for (let i = 0; i < px.length; i += 4) sum += 0.299 * px[i] + 0.587 * px[i + 1] + 0.114 * px[i + 2];
    return {frames, luma: Math.round(sum / (px.length / 4))};
  });
}

/** Polls `remoteLook` until `test` holds; throws after `timeout` ms with the last look. */
async function waitRemoteLook(page, test, what, timeout = 15000) {
  const deadline = Date.now() + timeout;
  let last = null;
  while (Date.now() < deadline) {
    last = await remoteLook(page);
    if (test(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what}: not within ${timeout} ms; last ${JSON.stringify(last)}`);
}

async function chatTexts(page) {
  return page.$$eval('#chat-log li', (items) => items.map((li) => ({seq: Number(li.dataset.seq), text: li.textContent})));
}

async function sendChat(page, text) {
  await page.fill('#chat-input', text);
  await page.press('#chat-input', 'Enter');
}

async function waitChat(page, text, timeout = 15000) {
  await page.waitForFunction((t) => [...document.querySelectorAll('#chat-log li')].some((li) => li.textContent.includes(t)),
    text, {timeout});
}

async function statusText(page, id) {
  return page.$eval(`#${id}`, (e) => e.textContent);
}

async function main() {
  const mic = paddedWav(audioIn, 3, shots);
  log(`base ${base}, tenant ${tenant}, browser ${executablePath}, fake microphone ${mic.file} (${mic.speechSeconds.toFixed(2)} s of speech)`);
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${mic.file}`,
      '--autoplay-policy=no-user-gesture-required',
      '--disable-dev-shm-usage',
    ],
  });
  log('chromium', browser.version());
  const ctxA = await browser.newContext({viewport: {width: 1280, height: 860}, acceptDownloads: true});
  const ctxB = await browser.newContext({viewport: {width: 1280, height: 860}, acceptDownloads: true});
  const a = await ctxA.newPage();
  const b = await ctxB.newPage();
  watch(a, 'Ada');
  watch(b, 'Ben');
  let meetingId;

  try {
    await step('the page is served with a Content-Security-Policy of self only', async () => {
      const response = await a.goto(`${base}/`);
      const csp = response.headers()['content-security-policy'] || '';
      if (!/default-src 'self'/.test(csp) || /unsafe-inline|https?:/.test(csp)) throw new Error(`unexpected CSP: ${csp}`);
      await a.waitForSelector('body[data-ready="true"]');
      await shot(a, '01-sign-in');
    });

    await step('Ada signs in with the development issuer and creates a meeting', async () => {
      await signIn(a, 'Ada');
      await a.waitForSelector('#view-lobby:not([hidden])');
      await a.fill('#create-title', 'E2E standup');
      await shot(a, '02-lobby');
      await a.click('#create-form button[type=submit]');
      await joinFromPrejoin(a);
      await a.waitForFunction(() => window.__parley.room && window.__parley.room.bridge && window.__parley.room.bridge.state === 'connected');
      meetingId = a.url().match(/#\/m\/([0-9a-f-]{36})/)[1];
      log('meeting', meetingId);
    });

    await step('Ben opens the invite link (?m=), signs in and joins', async () => {
      await b.goto(`${base}/?m=${meetingId}`);
      await signIn(b, 'Ben');
      await joinFromPrejoin(b);
      await b.waitForFunction(() => window.__parley.room && window.__parley.room.bridge && window.__parley.room.bridge.state === 'connected');
    });

    await step('each sees the other: peer connection up, remote video decoding frames', async () => {
      const [pa, pb] = await Promise.all([remoteVideoPlaying(a), remoteVideoPlaying(b)]);
      log(`  Ada receives ${JSON.stringify(pa)}; Ben receives ${JSON.stringify(pb)}`);
      await a.waitForFunction(() => document.querySelectorAll('#people li').length === 2);
      await b.waitForFunction(() => document.querySelectorAll('#people li').length === 2);
      await shot(a, '03-video-ada');
      await shot(b, '03-video-ben');
    });

    await step('chat flows both ways; a redacted message tells its sender', async () => {
      await sendChat(a, 'Hello from Ada');
      await waitChat(b, 'Hello from Ada');
      await sendChat(b, 'Hi Ada, Ben here');
      await waitChat(a, 'Hi Ada, Ben here');
      await sendChat(a, 'mail me at ada@example.com');
      await waitChat(b, '[EMAIL]');
      await a.waitForFunction(() => /redacted/.test(document.getElementById('chat-status').textContent));
      await sendChat(b, 'I will kill you');
      await b.waitForFunction(() => /Not sent/.test(document.getElementById('chat-status').textContent));
      const texts = (await chatTexts(a)).map((m) => m.text).join(' | ');
      if (/kill/.test(texts)) throw new Error(`a blocked message reached Ada: ${texts}`);
      const kept = await b.inputValue('#chat-input');
      if (kept !== 'I will kill you') throw new Error(`the refused message did not come back to Ben's box: "${kept}"`);
    });

    await step('what Ada types while her last message is on its way stays in the box', async () => {
      // the server's reply to her next message is held in the page, as a slow network would hold it
      await a.evaluate(() => {
        const bridge = window.__parley.room.bridge;
        const request = bridge.request.bind(bridge);
        window.__heldSends = [];
        bridge.request = (address, body) => (address === 'chat.send'
          ? new Promise((resolve, reject) => window.__heldSends.push(() => request(address, body).then(resolve, reject)))
          : request(address, body));
        window.__unholdSends = () => { bridge.request = request; };
      });
      await sendChat(a, 'first of two');
      await a.fill('#chat-input', 'second, typed meanwhile');
      await a.evaluate(() => { window.__unholdSends(); window.__heldSends.splice(0).forEach((go) => go()); });
      await waitChat(a, 'first of two');
      await waitChat(b, 'first of two');
      const box = await a.inputValue('#chat-input');
      if (box !== 'second, typed meanwhile') throw new Error(`the reply to the first message wiped the box: "${box}"`);
      await a.press('#chat-input', 'Enter');
      await waitChat(b, 'second, typed meanwhile');
    });

    await step('Ben raises his hand (Ada sees it), mutes and turns his camera off and on again', async () => {
      await b.click('#btn-hand');
      await a.waitForFunction(() => /hand raised/.test(document.getElementById('people').textContent));
      await b.click('#btn-mic');
      await b.click('#btn-cam');
      const off = await b.evaluate(() => ({
        mic: document.getElementById('btn-mic').getAttribute('aria-pressed'),
        cam: document.getElementById('btn-cam').getAttribute('aria-pressed'),
        audio: window.__parley.room.local.getAudioTracks()[0].enabled,
        video: window.__parley.room.local.getVideoTracks()[0].enabled,
        tile: document.querySelector('.tile').classList.contains('cam-off'),
      }));
      if (off.mic !== 'true' || off.cam !== 'true' || off.audio || off.video || !off.tile) throw new Error(`mute/camera off: ${JSON.stringify(off)}`);
      const dark = await waitRemoteLook(a, (l) => l.luma < 16, 'Ada sees Ben\'s camera go dark');
      await b.click('#btn-mic');
      await b.click('#btn-cam');
      const on = await b.evaluate(() => ({
        mic: document.getElementById('btn-mic').getAttribute('aria-pressed'),
        cam: document.getElementById('btn-cam').getAttribute('aria-pressed'),
        audio: window.__parley.room.local.getAudioTracks()[0].enabled,
        video: window.__parley.room.local.getVideoTracks()[0].enabled,
        tile: document.querySelector('.tile').classList.contains('cam-off'),
      }));
      if (on.mic !== 'false' || on.cam !== 'false' || !on.audio || !on.video || on.tile) throw new Error(`unmute/camera on: ${JSON.stringify(on)}`);
      // Back on at Ada's end: the picture is no longer black, and frames come at the camera's rate
      // again (a disabled track sends about one black frame a second).
      const lit = await waitRemoteLook(a, (l) => l.luma > 40, 'Ada sees Ben\'s camera back on');
      const later = await waitRemoteLook(a, (l) => l.frames >= lit.frames + 10, 'Ben\'s video frames advance again', 5000);
      log(`  Ben's camera at Ada's end: off luma ${dark.luma}; on luma ${lit.luma}, frames ${lit.frames} -> ${later.frames}`);
      await shot(a, '04-chat-hand-ada');
    });

    let latency = null;
    await step(`Ada captions her speech; Ben sees partial then final captions ("${expectWord}")`, async () => {
      const captionsOnAt = await a.evaluate(() => {
        document.getElementById('btn-captions').click();
        return Date.now();
      });
      await a.waitForFunction(() => window.__parley.room.captionStreamer && window.__parley.room.captionStreamer.state === 'connected',
        null, {timeout: 15000});
      // Wait for a whole utterance that began after captioning started (the looped file may have
      // been mid-sentence when it did), and for its final caption in Ben's page.
      const result = await waitForUtterance(a, b, captionsOnAt + 300, 60000);
      latency = result;
      log(`  caption latency: speech start -> first partial in Ben's page ${result.partialMs} ms; `
        + `speech end -> final in Ben's page ${result.finalMs} ms; final text "${result.text}"`);
      if (!result.text.toLowerCase().includes(expectWord)) throw new Error(`the final caption lacks "${expectWord}": ${result.text}`);
      const shown = await b.$$eval('#captions .caption', (lines) => lines.map((l) => l.textContent).join(' / '));
      if (!/Ada:/.test(shown)) throw new Error(`captions do not name the speaker: ${shown}`);
      await shot(b, '05-captions-en-ben');
    });

    await step('Ben picks Spanish and sees translated captions', async () => {
      if (!translation) {
        skipped.push('Spanish captions: the server has no translation (install apertium-apy apertium-eng-spa)');
        log('  SKIPPED: no translation on this server (install apertium-apy apertium-eng-spa)');
        return;
      }
      const pickedAt = await b.evaluate(() => Date.now());
      await b.selectOption('#caption-lang', 'es');
      await b.waitForFunction((after) => window.__parley.room.captionLog.some((c) => c.final && c.at > after && c.translations && c.translations.es),
        pickedAt, {timeout: 40000, polling: 200});
      await b.waitForSelector('#captions .caption[data-lang="es"][data-final="true"]');
      const es = await b.$eval('#captions .caption[data-lang="es"][data-final="true"] .text', (e) => e.textContent);
      log(`  Spanish caption: "${es}"`);
      if (!/zorro|perro|marrón|rápido/i.test(es)) throw new Error(`does not look like Spanish for the fox sentence: ${es}`);
      await shot(b, '06-captions-es-ben');
    });

    await step('an admin sets a budget under what the captions have cost: Ben sees translation paused; raising it clears the notice', async () => {
      if (!translation) {
        skipped.push('AI budget notice: the server has no translation to price (install apertium-apy apertium-eng-spa)');
        log('  SKIPPED: no translation on this server, nothing priced is spent');
        return;
      }
      // An admin of the same tenant (the dev issuer gives the role); the translated characters
      // the meeting has used are priced by the test server (ai.prices.translation.apertium).
      const putBudget = (usd) => a.evaluate(async ({tenant, usd}) => {
        const issued = await fetch('/api/v1/auth/dev-token', {method: 'POST', headers: {'Content-Type': 'application/json'},
          body: JSON.stringify({name: 'Admin', tenant, roles: ['admin']})}).then((r) => r.json());
        const response = await fetch('/api/v1/tenant', {method: 'PUT',
          headers: {'Content-Type': 'application/json', Authorization: `Bearer ${issued.token}`},
          body: JSON.stringify({languages: ['en'], aiBudgetUsd: usd})});
        return response.status;
      }, {tenant, usd});
      const lowered = await putBudget(0.0001);
      if (lowered !== 200) throw new Error(`PUT /api/v1/tenant answered ${lowered}`);
      await b.waitForSelector('#ai-budget:not([hidden])', {timeout: 15000});
      const text = await b.$eval('#ai-budget', (e) => e.textContent);
      log(`  Ben's captions area: "${text}"`);
      if (!/Translation is paused/.test(text) || !/Captions continue/.test(text)) throw new Error(`unexpected budget notice: ${text}`);
      await shot(b, '06b-budget-spent-ben');
      const raised = await putBudget(100);
      if (raised !== 200) throw new Error(`PUT /api/v1/tenant answered ${raised}`);
      await b.waitForSelector('#ai-budget[hidden]', {state: 'attached', timeout: 15000});
    });

    await step('Ben downloads the transcript (WebVTT, fetched with his token)', async () => {
      const [download] = await Promise.all([b.waitForEvent('download'), b.click('#download-transcript')]);
      const text = fs.readFileSync(await download.path(), 'utf8');
      if (!text.startsWith('WEBVTT') || !text.toLowerCase().includes(expectWord)) throw new Error(`bad transcript: ${text.slice(0, 200)}`);
      log(`  transcript ${download.suggestedFilename()}: ${text.split('\n').length} lines`);
    });

    await step('Ada records a few seconds; the recording is uploaded in chunks, listed and plays back', async () => {
      await a.click('#toggle-files'); // the recordings and files panel
      await a.evaluate(() => { document.getElementById('record-status').textContent = ''; });
      await a.click('#btn-record');
      await a.waitForFunction(() => {
        const s = document.getElementById('record-status').textContent;
        return /Recording…|Recording is not available|Cannot record/.test(s);
      }, null, {timeout: 15000});
      let state = await statusText(a, 'record-status');
      if (/not available/.test(state)) throw new Error(`the recordings API is missing: ${state}`);
      if (/Cannot record/.test(state)) throw new Error(state);
      await a.waitForFunction(() => /uploaded/.test(document.getElementById('record-status').textContent), null, {timeout: 20000});
      await a.waitForTimeout(2500);
      await a.click('#btn-record');
      await a.waitForFunction(() => /Recording saved/.test(document.getElementById('record-status').textContent), null, {timeout: 30000});
      await a.waitForSelector('#recordings li button');
      await a.click('#recordings li button');
      await a.waitForFunction(() => {
        const v = document.getElementById('playback');
        return !v.hidden && v.readyState >= 1 && v.videoWidth > 0;
      }, null, {timeout: 20000});
      const listed = await a.$eval('#recordings', (e) => e.textContent);
      log(`  recordings: ${listed}`);
      await shot(a, '07-recording-ada');
    });

    await step('Ada shares a file; Ben sees it', async () => {
      await a.setInputFiles('#file-input', {name: 'agenda.txt', mimeType: 'text/plain', buffer: Buffer.from('1. captions\n2. recordings\n')});
      await a.evaluate(() => { document.getElementById('file-status').textContent = ''; });
      await a.click('#file-form button[type=submit]');
      await a.waitForFunction(() => /Shared |Sharing files is not available|Could not|too large|cannot/.test(document.getElementById('file-status').textContent),
        null, {timeout: 15000});
      const state = await statusText(a, 'file-status');
      if (/not available/.test(state)) throw new Error(`the files API is missing: ${state}`);
      if (!/Shared/.test(state)) throw new Error(state);
      await b.evaluate(() => window.__parley.refreshStorage());
      await b.waitForFunction(() => /agenda\.txt/.test(document.getElementById('files').textContent), null, {timeout: 10000});
    });

    await step('Ben\'s bridge drops; while he is away Ada chats; he reconnects and gets every missed message once', async () => {
      const before = await chatTexts(b);
      await b.evaluate(() => window.__parley.room.bridge.drop(4000));
      await b.waitForFunction(() => window.__parley.room.bridge.state === 'reconnecting');
      await b.waitForFunction(() => document.getElementById('conn').textContent.includes('reconnecting'));
      await shot(b, '08-reconnecting-ben');
      // Ada's audio socket drops too, and comes back by itself
      await a.evaluate(() => window.__parley.room.captionStreamer.drop());
      await sendChat(a, 'missed one');
      await waitChat(a, 'missed one');
      await sendChat(a, 'missed two');
      await waitChat(a, 'missed two');
      await b.waitForFunction(() => window.__parley.room.bridge.state === 'connected', null, {timeout: 30000});
      await waitChat(b, 'missed two');
      await sendChat(a, 'after the reconnect');
      await waitChat(b, 'after the reconnect');
      const after = await chatTexts(b);
      const seqs = after.map((m) => m.seq);
      const unique = new Set(seqs);
      if (unique.size !== seqs.length) throw new Error(`duplicates after replay: ${seqs}`);
      for (let i = 1; i < seqs.length; i++) {
        if (seqs[i] !== seqs[i - 1] + 1) throw new Error(`a gap or disorder after replay: ${seqs}`);
      }
      for (const t of ['missed one', 'missed two', 'after the reconnect']) {
        if (after.filter((m) => m.text.includes(t)).length !== 1) throw new Error(`"${t}" shown ${after.filter((m) => m.text.includes(t)).length} times`);
      }
      log(`  Ben's chat: ${before.length} messages before the drop, ${after.length} after; seqs ${seqs[0]}..${seqs[seqs.length - 1]}`);
      await a.waitForFunction(() => window.__parley.room.captionStreamer.state === 'connected', null, {timeout: 20000});
      const [ra, rb] = await Promise.all([remoteVideoPlaying(a), remoteVideoPlaying(b)]);
      log(`  after the reconnect: Ada receives ${JSON.stringify(ra)}; Ben receives ${JSON.stringify(rb)}`);
      await shot(b, '09-reconnected-ben');
    });

    await step('on a phone-sized screen the room stacks into one column', async () => {
      await b.setViewportSize({width: 390, height: 844});
      const width = await b.evaluate(() => document.documentElement.scrollWidth);
      if (width > 400) throw new Error(`the page scrolls sideways at 390 px: ${width} px wide`);
      await shot(b, '10-phone-ben');
      // back to the desk: at phone size the chat is a sheet behind a tab (see e2e/phone.spec.mjs)
      await b.setViewportSize({width: 1280, height: 860});
    });

    await step('Ben takes an action item in chat before he goes', async () => {
      await sendChat(b, 'I will update the release notes by Friday');
      await waitChat(a, 'release notes');
    });

    await step('Ben leaves; Ada sees him go', async () => {
      await b.click('#btn-leave');
      await b.waitForSelector('#view-lobby:not([hidden])');
      await a.waitForFunction(() => document.querySelectorAll('#people li').length === 1, null, {timeout: 15000});
      await a.waitForFunction(() => document.querySelectorAll('.tile').length === 1, null, {timeout: 15000});
      await shot(a, '11-after-leave-ada');
    });

    await step('Ada ends the meeting; her page turns to its recap with Ben\'s action item and the recording', async () => {
      const ended = await a.evaluate(async (id) => (await fetch(`/api/v1/meetings/${id}/end`, {method: 'POST',
        headers: {Authorization: `Bearer ${sessionStorage.getItem('parley.token')}`}})).status, meetingId);
      if (ended !== 200) throw new Error(`ending the meeting answered ${ended}`);
      await a.waitForSelector('#view-recap:not([hidden])', {timeout: 15000});
      if (!a.url().includes(`#/m/${meetingId}/recap`)) throw new Error(`the recap page is not at its address: ${a.url()}`);
      await a.waitForFunction(() => [...document.querySelectorAll('#recap-actions li')]
        .some((li) => li.dataset.owner === 'Ben' && /release notes/.test(li.textContent) && /Friday/.test(li.textContent)),
      null, {timeout: 30000});
      await a.waitForSelector('#recap-recordings li button');
      log(`  action items: ${await statusText(a, 'recap-actions')}`);
      await shot(a, '12-recap-ada');
    });

    await step(translation ? 'Ada reads the recap in Spanish' : 'Ada asks for the recap in Spanish (no translator: it says so)', async () => {
      await a.selectOption('#recap-lang', 'es');
      await a.click('#recap-lang-form button[type=submit]');
      await a.waitForFunction(() => /Translated from|Not translated/.test(document.getElementById('recap-status').textContent),
        null, {timeout: 30000});
      const state = await statusText(a, 'recap-status');
      if (translation && !/Translated from en/.test(state)) throw new Error(`the recap was not translated: ${state}`);
      log(`  ${state} ${await statusText(a, 'recap-actions')}`);
    });

    await step('Ada searches her meetings from the lobby and opens a hit on the recap page', async () => {
      await a.goto(`${base}/#/`);
      await a.waitForSelector('#view-lobby:not([hidden])');
      await a.fill('#search-q', '"release notes" & (Friday');
      await a.click('#search-form button[type=submit]');
      await a.waitForSelector('#search-results li a', {timeout: 15000});
      const hits = await a.$$eval('#search-results li', (lis) => lis.map((li) => ({kind: li.dataset.kind, text: li.textContent})));
      if (!hits.some((h) => h.kind === 'chat' && /E2E standup/.test(h.text) && /Ben/.test(h.text))) {
        throw new Error(`no chat hit for Ben's message: ${JSON.stringify(hits)}`);
      }
      await shot(a, '13-search-ada');
      await a.click('#search-results li a');
      await a.waitForSelector('#view-recap:not([hidden])');
      await a.waitForSelector('#recap-actions li[data-owner="Ben"]', {timeout: 15000});
    });

    if (problems.length > 0) throw new Error(`browser problems:\n  ${problems.join('\n  ')}`);
    log(`PASSED in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    if (latency) log(`caption latency: partial ${latency.partialMs} ms after speech start, final ${latency.finalMs} ms after speech end`);
    for (const s of skipped) log(`skipped: ${s}`);
  } catch (e) {
    console.error(`[e2e] FAILED: ${e.stack || e.message}`);
    await shot(a, 'failure-ada').catch(() => {});
    await shot(b, 'failure-ben').catch(() => {});
    for (const [who, page] of [['Ada', a], ['Ben', b]]) {
      const state = await page.evaluate(() => {
        const r = window.__parley && window.__parley.room;
        return r ? {bridge: r.bridge && r.bridge.state, peers: r.mesh && r.mesh.stats(),
          captions: r.captionStreamer && r.captionStreamer.state, lastCaptions: r.captionLog.slice(-5), voice: r.voice.slice(-6)} : null;
      }).catch(() => null);
      console.error(`[e2e] ${who}: ${JSON.stringify(state)}`);
    }
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}
/**
 * Finds the first whole utterance after `after` in Ada's speech detector (one that starts after a
 * silence the detector saw: when captioning starts mid-sentence, its first "speaking" is that
 * sentence's tail, which a busy machine can put past `after`), then the final that follows its end
 * in Ben's page and the first partial of that segment; all clocks are the same machine's.
 */
async function waitForUtterance(a, b, after, timeout) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const voice = await a.evaluate(() => window.__parley.room.voice);
    const start = voice.find((v, i) => v.speaking && v.at >= after && i > 0 && !voice[i - 1].speaking);
    const end = start && voice.find((v) => !v.speaking && v.at > start.at);
    if (start && end) {
      const captions = await b.evaluate(() => window.__parley.room.captionLog);
      // A partial is a caption with final === false, of the same segment as the final, before it.
      const final = captions.find((c) => c.final && c.text && c.at >= end.at);
      const partial = final && captions.find((c) => c.final === false && c.text && c.segmentId === final.segmentId
        && c.at >= start.at && c.at <= final.at);
      if (partial && final) {
        return {partialMs: partial.at - start.at, finalMs: final.at - end.at, text: final.text};
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('no complete utterance was captioned in time');
}

main();
