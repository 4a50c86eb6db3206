// End-to-end test of the host's controls in the web client: Ada hosts, Ben and Cleo come through the
// lobby, Dan finds the meeting locked. Usage: node e2e/room.spec.mjs <baseUrl>
// (CHROMIUM, E2E_SCREENSHOTS as in meeting.spec.mjs; E2E_DEV_TTL: the server's auth.devTokenTtlSeconds,
// when short, checks the pages renewed their tokens). Exits non-zero on the first failed step.
//
// Lobby on, Ben admitted, Cleo denied then admitted by Ben once he is a co-host; Ada mutes Ben (his
// page turns his microphone off and says so; the people list shows him muted) and mutes everyone;
// raised hands listed in the order raised; a reaction seen by the others; Ada locks the meeting
// (Dan's join: locked) and removes Cleo (her page leaves; her join again: refused).

import {elapsed, inRoom, launch, log, noticeSays, person, press, pressJoin, problems, shot, step} from './common.mjs';

const base = (process.argv[2] || 'http://localhost:8080').replace(/\/$/, '');
const tenant = `room-${Math.random().toString(36).slice(2, 10)}`;

async function signIn(page, name, path = '/') {
  await page.goto(`${base}${path}`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector('#view-signin:not([hidden])');
  await page.fill('#signin-name', name);
  await page.fill('#signin-tenant', tenant);
  await page.click('#signin-form button[type=submit]');
}

/** The people list as `page` shows it: [{name, text}] in order. */
async function people(page) {
  return page.$$eval('#people li', (items) => items.map((li) => ({user: li.dataset.user, text: li.textContent})));
}

async function waitPeople(page, predicate, arg, timeout = 15000) {
  await page.waitForFunction(predicate, arg, {timeout});
}

async function main() {
  const browser = await launch();
  const ada = await person(browser, 'Ada');
  const ben = await person(browser, 'Ben');
  const cleo = await person(browser, 'Cleo');
  const dan = await person(browser, 'Dan');
  // Removing someone asks first.
  ada.on('dialog', (dialog) => dialog.accept());
  let meetingId;
  const ids = {};

  try {
    await step('Ada creates a meeting and joins it as its host', async () => {
      await signIn(ada, 'Ada');
      await ada.waitForSelector('#view-lobby:not([hidden])');
      await ada.fill('#create-title', 'Board meeting');
      await ada.click('#create-form button[type=submit]');
      await pressJoin(ada);
      await inRoom(ada);
      meetingId = ada.url().match(/#\/m\/([0-9a-f-]{36})/)[1];
      ids.ada = await ada.evaluate(() => window.__parley.me.userId);
      await ada.waitForSelector('#host-tools:not([hidden])');
      log('meeting', meetingId);
    });

    await step('Ada turns the lobby on', async () => {
      await ada.click('#btn-lobby');
      await ada.waitForSelector('#room-lobby:not([hidden])');
      await ada.waitForFunction(() => document.getElementById('btn-lobby').getAttribute('aria-pressed') === 'true');
    });

    await step('Ben knocks: he waits, Ada sees him in the lobby and admits him', async () => {
      await signIn(ben, 'Ben', `/?m=${meetingId}`);
      await pressJoin(ben);
      await ben.waitForSelector('#view-waiting:not([hidden])');
      ids.ben = await ben.evaluate(() => window.__parley.me.userId);
      await ada.waitForSelector('#lobby-box:not([hidden])');
      await ada.waitForSelector(`#lobby-list li[data-user="${ids.ben}"]`);
      await shot(ada, 'room-01-lobby-ada');
      await shot(ben, 'room-01-waiting-ben');
      await press(ada, 'button[aria-label="Admit Ben"]');
      await inRoom(ben); // the answer arrives on his lobby address; his page joins at once
      await waitPeople(ada, (id) => !!document.querySelector(`#people li[data-user="${id}"]`), ids.ben);
      await ada.waitForSelector('#lobby-box', {state: 'hidden'});
    });

    await step('Cleo knocks and Ada turns her away; she is told so', async () => {
      await signIn(cleo, 'Cleo', `/?m=${meetingId}`);
      await pressJoin(cleo);
      await cleo.waitForSelector('#view-waiting:not([hidden])');
      ids.cleo = await cleo.evaluate(() => window.__parley.me.userId);
      await ada.waitForSelector(`#lobby-list li[data-user="${ids.cleo}"]`);
      await press(ada, 'button[aria-label="Deny Cleo"]');
      await cleo.waitForFunction(() => document.getElementById('waiting-title').textContent === 'Not let in');
      await cleo.waitForSelector('#waiting-again:not([hidden])');
      await ada.waitForSelector('#lobby-box', {state: 'hidden'});
    });

    await step('Ada mutes Ben: his microphone goes off, he is told, and everyone sees him muted', async () => {
      await press(ada, 'button[aria-label="Mute Ben"]');
      await ben.waitForFunction(() => document.getElementById('btn-mic').getAttribute('aria-pressed') === 'true');
      const enabled = await ben.evaluate(() => window.__parley.room.local.getAudioTracks().map((t) => t.enabled));
      if (enabled.length === 0 || enabled.some((on) => on)) throw new Error(`Ben's microphone is still on: ${enabled}`);
      await noticeSays(ben, 'turned off your microphone');
      await waitPeople(ada, (id) => /Muted/.test(document.querySelector(`#people li[data-user="${id}"]`).textContent), ids.ben);
      await shot(ada, 'room-02-muted-ada');
    });

    await step('Ada makes Ben a co-host: he gets the host tools and the lobby', async () => {
      await press(ada, 'button[aria-label="Make co-host Ben"]');
      await ben.waitForSelector('#host-tools:not([hidden])');
      await noticeSays(ben, 'co-host');
      await waitPeople(ada, (id) => /Co-host/.test(document.querySelector(`#people li[data-user="${id}"]`).textContent), ids.ben);
      await waitPeople(ben, (id) => /Host/.test(document.querySelector(`#people li[data-user="${id}"]`).textContent), ids.ada);
      // a co-host has no remove or mute control over the host
      const hostActions = await ben.$$(`#people li[data-user="${ids.ada}"] .actions button`);
      if (hostActions.length !== 0) throw new Error('a co-host is offered controls over the host');
    });

    await step('Cleo asks again; Ben, now a co-host, lets her in', async () => {
      await cleo.click('#waiting-again');
      await ben.waitForSelector(`#lobby-list li[data-user="${ids.cleo}"]`);
      await press(ben, 'button[aria-label="Admit Cleo"]');
      await inRoom(cleo);
      for (const page of [ada, ben, cleo]) await waitPeople(page, () => document.querySelectorAll('#people li').length === 3);
    });

    await step('hands go up in the order raised; a reaction bursts on everyone\'s stage', async () => {
      await cleo.click('#btn-hand');
      log('  Cleo raised her hand');
      await waitPeople(ada, (id) => /hand raised/.test(document.querySelector(`#people li[data-user="${id}"]`).textContent), ids.cleo);
      log('  Ada sees it');
      await ben.click('#btn-hand');
      await waitPeople(ada, (id) => /hand raised/.test(document.querySelector(`#people li[data-user="${id}"]`).textContent), ids.ben);
      const list = await people(ada);
      if (list[0].user !== ids.cleo || !/✋ 1/.test(list[0].text) || list[1].user !== ids.ben || !/✋ 2/.test(list[1].text)) {
        throw new Error(`hands not in the order raised: ${JSON.stringify(list)}`);
      }
      log('  hands in order');
      await ada.click('#btn-react');
      await press(ada, 'button[aria-label="React 🎉"]');
      // each page keeps the reactions it showed (a burst leaves the stage after 3 s)
      for (const page of [ben, cleo]) {
        await page.waitForFunction((id) => window.__parley.room.reactions.some((r) => r.userId === id && r.emoji === '🎉'), ids.ada);
      }
      await shot(cleo, 'room-03-hands-reaction-cleo');
    });

    await step('Ben unmutes; Ada mutes everyone: Cleo is muted, the host and the co-host are not', async () => {
      await ben.click('#btn-mic');
      await ben.waitForFunction(() => document.getElementById('btn-mic').getAttribute('aria-pressed') === 'false');
      await ada.click('#btn-mute-all');
      await cleo.waitForFunction(() => document.getElementById('btn-mic').getAttribute('aria-pressed') === 'true');
      await noticeSays(cleo, 'turned off your microphone');
      await waitPeople(ada, (id) => /Muted/.test(document.querySelector(`#people li[data-user="${id}"]`).textContent), ids.cleo);
      for (const page of [ada, ben]) {
        const on = await page.evaluate(() => window.__parley.room.local.getAudioTracks().some((t) => t.enabled));
        if (!on) throw new Error('mute-all muted a host or co-host');
      }
    });

    await step('Ada locks the meeting: everyone sees it, and Dan\'s join is refused as locked', async () => {
      await ada.click('#btn-lock');
      for (const page of [ada, ben, cleo]) await page.waitForSelector('#room-locked:not([hidden])');
      await signIn(dan, 'Dan', `/?m=${meetingId}`);
      await pressJoin(dan);
      await noticeSays(dan, 'locked');
      await dan.waitForSelector('#view-lobby:not([hidden])');
      await shot(dan, 'room-04-locked-dan');
    });

    await step('Ada removes Cleo: her page leaves the meeting, the others see her go, and she cannot rejoin', async () => {
      await press(ada, 'button[aria-label="Remove Cleo"]');
      await noticeSays(cleo, 'removed you');
      await cleo.waitForSelector('#view-lobby:not([hidden])');
      for (const page of [ada, ben]) await waitPeople(page, () => document.querySelectorAll('#people li').length === 2);
      await cleo.goto(`${base}/#/m/${meetingId}`);
      await cleo.waitForSelector('body[data-ready="true"]');
      await pressJoin(cleo);
      await noticeSays(cleo, 'removed you');
      await shot(ada, 'room-05-after-remove-ada');
    });

    if (process.env.E2E_DEV_TTL) {
      await step(`the development tokens (${process.env.E2E_DEV_TTL} s) were renewed before they expired, without a reload`, async () => {
        for (const [who, page] of [['Ada', ada], ['Ben', ben]]) {
          // on a quick run the steps above may end before the first renewal is due: wait for it (bounded)
          await page.waitForFunction(() => window.__parley.auth.renewals >= 1 || window.__parley.auth.lastError,
            null, {timeout: Number(process.env.E2E_DEV_TTL) * 1000 + 15000}).catch(() => {});
          const auth = await page.evaluate(() => window.__parley.auth);
          if (auth.renewals < 1 || auth.lastError) throw new Error(`${who}: ${JSON.stringify(auth)}`);
          log(`  ${who}: ${auth.renewals} renewals`);
        }
      });
    }

    if (problems.length > 0) throw new Error(`browser problems:\n  ${problems.join('\n  ')}`);
    log(`PASSED in ${elapsed()} s`);
  } catch (e) {
    console.error(`[e2e] FAILED: ${e.stack || e.message}`);
    for (const [who, page] of [['ada', ada], ['ben', ben], ['cleo', cleo], ['dan', dan]]) await shot(page, `room-failure-${who}`);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

main();
