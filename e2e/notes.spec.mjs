// End-to-end test of the shared notes in the browser: three Chromium contexts (Hana the host, Ann
// and Ben). Hana and Ann type in the notes at the same time and both texts survive, on both pages
// and on the server; Ben, who joins late, sees the same text. Usage: node e2e/notes.spec.mjs <baseUrl>
//
// Environment (see common.mjs): CHROMIUM (default /usr/bin/chromium; never downloaded),
// E2E_SCREENSHOTS (default target/e2e-screenshots). Exits non-zero on the first failed step.

import {inRoom, launch, log, person, pressJoin, problems, shot, step} from './common.mjs';

const base = (process.argv[2] || 'http://localhost:8080').replace(/\/$/, '');
const tenant = `e2e-notes-${Math.random().toString(36).slice(2, 10)}`;
const HANA = 'Hana: the agenda is short, decisions first.';
const ANN = 'Ann: the budget figures are in the shared folder.';
const HANA_MORE = ' Then questions.';

async function signIn(page, name) {
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector('#view-signin:not([hidden])');
  await page.fill('#signin-name', name);
  await page.fill('#signin-tenant', tenant);
  await page.click('#signin-form button[type=submit]');
}

/** Through the pre-join screen into the room, with the notes panel open and loaded. */
async function enter(page) {
  await pressJoin(page);
  await inRoom(page);
  await page.waitForFunction(() => window.__parley.room.notes && window.__parley.room.notes.doc);
  if (await page.locator('#panel-notes').isHidden()) await page.click('#toggle-notes');
  await page.waitForSelector('#notes-text:not([disabled])');
}

async function joinByLink(page, name, meetingId) {
  await page.goto(`${base}/?m=${meetingId}`);
  await signIn(page, name);
  await enter(page);
}

/** Types like a person (one key at a time) where the caret is. */
async function typeIn(page, text) {
  await page.locator('#notes-text').pressSequentially(text, {delay: 25});
}

/** The page's notes once nothing is waiting to be sent: the textarea's text and the document's. */
async function settled(page) {
  await page.waitForFunction(() => {
    const n = window.__parley.room.notes;
    return n && n.doc && !n.inFlight && n.outbox.length === 0;
  }, null, {timeout: 30000});
  return page.evaluate(() => ({box: document.getElementById('notes-text').value, doc: window.__parley.room.notes.doc.text}));
}

async function serverText(page, meetingId) {
  return page.evaluate(async (id) => {
    const response = await fetch(`/api/v1/meetings/${id}/notes/state`,
      {headers: {authorization: `Bearer ${sessionStorage.getItem('parley.token')}`}});
    return (await response.json()).text;
  }, meetingId);
}

async function main() {
  const browser = await launch();
  const [h, a, b] = await Promise.all(['Hana', 'Ann', 'Ben'].map((who) => person(browser, who)));
  let meetingId;
  try {
    await step('Hana signs in and creates a meeting; Ann joins by the link; both open the notes', async () => {
      await h.goto(`${base}/`);
      await signIn(h, 'Hana');
      await h.waitForSelector('#view-lobby:not([hidden])');
      await h.fill('#create-title', 'E2E notes');
      await h.click('#create-form button[type=submit]');
      await enter(h);
      meetingId = h.url().match(/#\/m\/([0-9a-f-]{36})/)[1];
      await joinByLink(a, 'Ann', meetingId);
    });

    await step('Hana and Ann type in the notes at the same time; both texts survive everywhere', async () => {
      await Promise.all([h.focus('#notes-text'), a.focus('#notes-text')]);
      await Promise.all([typeIn(h, HANA), typeIn(a, ANN)]);
      await h.waitForFunction((want) => want.every((t) => document.getElementById('notes-text').value.includes(t)),
        [HANA, ANN], {timeout: 30000});
      await a.waitForFunction((want) => want.every((t) => document.getElementById('notes-text').value.includes(t)),
        [HANA, ANN], {timeout: 30000});
      // Hana goes on where her caret is (after her own text, whatever Ann's typing did around it)
      await typeIn(h, HANA_MORE);
      const want = HANA + HANA_MORE;
      for (const page of [h, a]) {
        await page.waitForFunction((t) => document.getElementById('notes-text').value.includes(t), want, {timeout: 30000});
      }
      const [sh, sa] = await Promise.all([settled(h), settled(a)]);
      log(`  notes: ${JSON.stringify(sh.box)}`);
      if (sh.box !== sa.box || sh.box !== sh.doc || sa.box !== sa.doc) throw new Error(`the pages differ: ${JSON.stringify([sh, sa])}`);
      if (!sh.box.includes(want) || !sh.box.includes(ANN)) throw new Error(`a text was lost: ${JSON.stringify(sh.box)}`);
      if (sh.box.length !== want.length + ANN.length) throw new Error(`unexpected characters: ${JSON.stringify(sh.box)}`);
      const stored = await serverText(h, meetingId);
      if (stored !== sh.box) throw new Error(`the server holds ${JSON.stringify(stored)}`);
      await shot(h, 'notes-hana');
    });

    await step('Ben joins late and sees the same text', async () => {
      const text = await h.$eval('#notes-text', (box) => box.value);
      await joinByLink(b, 'Ben', meetingId);
      await b.waitForFunction((t) => document.getElementById('notes-text').value === t, text, {timeout: 30000});
      await shot(b, 'notes-ben-late');
    });

    if (problems.length) throw new Error(`problems in the pages: ${problems.join('; ')}`);
    log('ALL STEPS PASSED');
  } catch (e) {
    log('FAILED', e.message);
    await Promise.all([shot(h, 'notes-failed-hana'), shot(a, 'notes-failed-ann'), shot(b, 'notes-failed-ben')]);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

main();
