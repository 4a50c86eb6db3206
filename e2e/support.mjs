// What the browser tests share: a step log with timings, screenshots, console and page-error
// watching (a CSP violation or an uncaught error fails the test), the development sign-in, and
// the fake microphone's speech file padded with silence.

import fs from 'node:fs';
import path from 'node:path';

/** A test's log, screenshots (into `shots`) and the problems its pages showed. */
export function harness(shots) {
  const t0 = Date.now();
  const log = (...args) => console.log(`[e2e ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s]`, ...args);
  const problems = [];
  fs.mkdirSync(shots, {recursive: true});

  async function shot(page, name) {
    const file = path.join(shots, `${name}.png`);
    await page.screenshot({path: file, fullPage: true});
    log('screenshot', file);
  }

  async function step(name, fn) {
    log(`STEP ${name}`);
    const started = Date.now();
    await fn();
    log(`  ok ${name} (${Date.now() - started} ms)`);
  }

  function watch(page, who) {
    page.on('console', (msg) => {
      const text = msg.text();
      if (msg.type() === 'error' || msg.type() === 'warning' || process.env.E2E_DEBUG || /Content Security Policy|Refused to/i.test(text)) {
        console.log(`  [${who} console.${msg.type()}] ${text}`);
        if (/Content Security Policy|Refused to/i.test(text)) problems.push(`${who}: ${text}`);
      }
    });
    page.on('pageerror', (err) => {
      console.log(`  [${who} pageerror] ${err.message}`);
      problems.push(`${who}: uncaught ${err.message}`);
    });
  }

  return {t0, log, problems, shot, step, watch, elapsed: () => ((Date.now() - t0) / 1000).toFixed(1)};
}

/** Signs in with the development issuer as `name` of organisation `tenant`. */
export async function signIn(page, name, tenant) {
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector('#view-signin:not([hidden])');
  await page.fill('#signin-name', name);
  await page.fill('#signin-tenant', tenant);
  await page.click('#signin-form button[type=submit]');
}

/** The speech file with `padSeconds` of silence before and after, written into `dir`: Chromium loops it, so speech recurs. */
export function paddedWav(file, padSeconds, dir) {
  const wav = fs.readFileSync(file);
  if (wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') throw new Error(`${file} is not a WAV file`);
  let offset = 12;
  let fmt = null;
  let data = null;
  while (offset + 8 <= wav.length) {
    const id = wav.toString('ascii', offset, offset + 4);
    const size = wav.readUInt32LE(offset + 4);
    if (id === 'fmt ') fmt = wav.subarray(offset + 8, offset + 8 + size);
    if (id === 'data') data = wav.subarray(offset + 8, offset + 8 + size);
    offset += 8 + size + (size % 2);
  }
  const channels = fmt.readUInt16LE(2);
  const rate = fmt.readUInt32LE(4);
  const bits = fmt.readUInt16LE(14);
  if (fmt.readUInt16LE(0) !== 1 || bits !== 16) throw new Error(`${file} is not 16-bit PCM`);
  const pad = Buffer.alloc(Math.round(padSeconds * rate) * channels * 2);
  const body = Buffer.concat([pad, data, pad]);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + body.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * channels * 2, 28);
  header.writeUInt16LE(channels * 2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(body.length, 40);
  const out = path.join(dir, 'fake-microphone.wav');
  fs.writeFileSync(out, Buffer.concat([header, body]));
  return {file: path.resolve(out), speechSeconds: data.length / (rate * channels * 2)};
}
