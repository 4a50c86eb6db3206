// End-to-end test of breakout rooms in the browser: three Chromium contexts (Hana the host, Ann and
// Ben). Hana opens two rooms and sends Ann to one and Ben to the other; their pages move there and
// show the room and its timer; Hana visits Ann's room (still host), broadcasts to every room, closes
// all; after the countdown everyone is back in the main room. Usage: node e2e/breakouts.spec.mjs <baseUrl>
// (the server's breakouts.countdownSeconds should be short: the test waits for it).
//
// Environment (see common.mjs): CHROMIUM (default /usr/bin/chromium; never downloaded),
// E2E_SCREENSHOTS (default target/e2e-screenshots). Exits non-zero on the first failed step.

import {inRoom, launch, log, person, pressJoin, problems, shot, step} from './common.mjs';

const base = (process.argv[2] || 'http://localhost:8080').replace(/\/$/, '');
const tenant = `e2e-breakouts-${Math.random().toString(36).slice(2, 10)}`;

async function signIn(page, name) {
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector('#view-signin:not([hidden])');
  await page.fill('#signin-name', name);
  await page.fill('#signin-tenant', tenant);
  await page.click('#signin-form button[type=submit]');
}

async function joinByLink(page, name, meetingId) {
  await page.goto(`${base}/?m=${meetingId}`);
  await signIn(page, name);
  await pressJoin(page);
  await inRoom(page);
}

/** The page is in meeting `meetingId`, connected to its bridge. */
async function inMeeting(page, meetingId) {
  await page.waitForFunction((id) => {
    const room = window.__parley.room;
    return room && room.meetingId === id && room.meeting && room.bridge && room.bridge.state === 'connected'
      && location.hash.includes(id) && !document.getElementById('view-room').hidden;
  }, meetingId, {timeout: 30000});
}

const roomOf = (page) => page.evaluate(() => ({
  meetingId: window.__parley.room.meetingId, parentId: window.__parley.room.meeting.parentId,
  role: window.__parley.room.meeting.role,
}));

async function main() {
  const browser = await launch();
  const [h, a, b] = await Promise.all(['Hana', 'Ann', 'Ben'].map((who) => person(browser, who)));
  let meetingId;
  const rooms = {};
  try {
    await step('Hana creates a meeting; Ann and Ben join by the link', async () => {
      await h.goto(`${base}/`);
      await signIn(h, 'Hana');
      await h.waitForSelector('#view-lobby:not([hidden])');
      await h.fill('#create-title', 'E2E breakouts');
      await h.click('#create-form button[type=submit]');
      await pressJoin(h);
      await inRoom(h);
      meetingId = h.url().match(/#\/m\/([0-9a-f-]{36})/)[1];
      await joinByLink(a, 'Ann', meetingId);
      await joinByLink(b, 'Ben', meetingId);
      if (!(await a.locator('#toggle-breakouts').isHidden())) throw new Error('a participant sees the breakout tools');
      await h.waitForFunction(() => window.__parley.room.participants.size >= 3, null, {timeout: 30000});
    });

    await step('Hana opens two rooms with a timer, Ann to Room 1 and Ben to Room 2; their pages move there', async () => {
      if (await h.locator('#panel-breakouts').isHidden()) await h.click('#toggle-breakouts');
      await h.fill('#breakout-count', '2');
      await h.selectOption('#breakout-assign', 'manual');
      const [annId, benId] = await Promise.all([a, b].map((p) => p.evaluate(() => window.__parley.me.userId)));
      await h.selectOption(`#breakout-choices select[data-user="${annId}"]`, '0');
      await h.selectOption(`#breakout-choices select[data-user="${benId}"]`, '1');
      await h.fill('#breakout-minutes', '10');
      await h.click('#breakout-form button[type=submit]');
      await h.waitForSelector('.breakout-room[data-name="Room 1"]');
      rooms.one = await h.getAttribute('.breakout-room[data-name="Room 1"]', 'data-room');
      rooms.two = await h.getAttribute('.breakout-room[data-name="Room 2"]', 'data-room');
      await inMeeting(a, rooms.one);
      await inMeeting(b, rooms.two);
      for (const [page, name] of [[a, 'Room 1'], [b, 'Room 2']]) {
        const where = await roomOf(page);
        if (where.parentId !== meetingId || where.role !== 'participant') throw new Error(`not in a breakout room: ${JSON.stringify(where)}`);
        await page.waitForSelector(`#breakout-where:has-text("Breakout room: ${name}")`);
        await page.waitForFunction(() => /Time left (9|10):\d\d/.test(document.getElementById('breakout-timer').textContent));
        if (await page.locator('#breakout-return').isHidden()) throw new Error('no way back to the main room');
        if (!(await page.locator('#host-tools').isHidden())) throw new Error('a participant sees the host tools in the room');
      }
      const hana = await roomOf(h);
      if (hana.meetingId !== meetingId) throw new Error('Hana was moved too');
      await shot(a, 'breakouts-ann-in-room-1');
    });

    await step('Hana visits Room 1 (still host) and broadcasts; Ann and Ben see the message', async () => {
      await h.click(`.breakout-room[data-room="${rooms.one}"] .breakout-visit`);
      await inMeeting(h, rooms.one);
      const hana = await roomOf(h);
      if (hana.role !== 'host') throw new Error(`Hana visits as ${hana.role}`);
      await h.waitForSelector('#breakout-where:has-text("Visiting breakout room Room 1")');
      const hanaId = await h.evaluate(() => window.__parley.me.userId);
      await a.waitForFunction((id) => window.__parley.room.participants.has(id), hanaId, {timeout: 30000});
      if (await h.locator('#panel-breakouts').isHidden()) await h.click('#toggle-breakouts');
      await h.fill('#breakout-message', 'Two minutes left');
      await h.click('#breakout-broadcast-form button[type=submit]');
      for (const page of [a, b, h]) await page.waitForSelector('#breakout-broadcast:has-text("Message from Hana: Two minutes left")');
      await shot(b, 'breakouts-ben-broadcast');
    });

    await step('Hana closes all rooms; everyone sees the countdown, then is back in the main room', async () => {
      await h.click('#breakout-close');
      for (const page of [a, b]) {
        await page.waitForFunction(() => /Breakout rooms close in \d+ s/.test(document.getElementById('breakout-timer').textContent));
      }
      await shot(a, 'breakouts-ann-countdown');
      for (const page of [a, b, h]) await inMeeting(page, meetingId);
      for (const page of [a, b, h]) {
        const where = await roomOf(page);
        if (where.parentId) throw new Error(`still in a breakout room: ${JSON.stringify(where)}`);
      }
      if ((await roomOf(h)).role !== 'host') throw new Error('Hana is not host in the main room');
      await h.waitForFunction(() => window.__parley.room.participants.size >= 3, null, {timeout: 30000});
      if (!(await a.locator('#breakout-return').isHidden())) throw new Error('"return to main room" in the main room');
      await shot(a, 'breakouts-ann-back');
    });

    if (problems.length) throw new Error(`problems in the pages: ${problems.join('; ')}`);
    log('ALL STEPS PASSED');
  } catch (e) {
    log('FAILED', e.message);
    await Promise.all([shot(h, 'breakouts-failed-hana'), shot(a, 'breakouts-failed-ann'), shot(b, 'breakouts-failed-ben')]);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

main();
