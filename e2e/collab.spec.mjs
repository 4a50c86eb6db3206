// End-to-end test of the meeting's collaboration in the browser: three Chromium contexts (Hana the
// host, Ann and Ben). Two draw on the whiteboard and Ben, who joins late, sees the same board; a
// poll with three voters. Usage: node e2e/collab.spec.mjs <baseUrl>
//
// Environment (see common.mjs): CHROMIUM (default /usr/bin/chromium; never downloaded),
// E2E_SCREENSHOTS (default target/e2e-screenshots). Exits non-zero on the first failed step.

import {inRoom, launch, log, person, pressJoin, problems, shot, step} from './common.mjs';

const base = (process.argv[2] || 'http://localhost:8080').replace(/\/$/, '');
const tenant = `e2e-collab-${Math.random().toString(36).slice(2, 10)}`;

async function signIn(page, name) {
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector('#view-signin:not([hidden])');
  await page.fill('#signin-name', name);
  await page.fill('#signin-tenant', tenant);
  await page.click('#signin-form button[type=submit]');
}

/** Through the pre-join screen into the room, with the polls and whiteboard panels open. */
async function enter(page) {
  await pressJoin(page);
  await inRoom(page);
  await page.waitForFunction(() => window.__parley.room.board && window.__parley.room.polls);
  for (const panel of ['polls', 'board']) {
    if (await page.locator(`#panel-${panel}`).isHidden()) await page.click(`#toggle-${panel}`);
  }
}

async function joinByLink(page, name, meetingId) {
  await page.goto(`${base}/?m=${meetingId}`);
  await signIn(page, name);
  await enter(page);
}

/** Drags on the board canvas from (x1, y1) to (x2, y2) in board units, through a few points. */
async function drag(page, x1, y1, x2, y2) {
  await page.locator('#board').scrollIntoViewIfNeeded();
  const box = await page.locator('#board').boundingBox();
  const sx = box.width / 1600;
  const sy = box.height / 900;
  await page.mouse.move(box.x + x1 * sx, box.y + y1 * sy);
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) {
    await page.mouse.move(box.x + (x1 + ((x2 - x1) * i) / 8) * sx, box.y + (y1 + ((y2 - y1) * i) / 8) * sy);
  }
  await page.mouse.up();
}

/** What the page's board holds: the visible operations' seqs and the canvas's pixels, hashed. */
async function boardState(page) {
  return page.evaluate(async () => {
    const room = window.__parley.room;
    const seqs = [...room.board.ops.keys()].sort((a, b) => a - b);
    const {redraw, visible} = await import('/js/views/whiteboard.js');
    room.board.pointers.clear(); // others' pointers are live decoration, not the board
    redraw(room);
    // keys sorted: a replayed op comes from PostgreSQL's jsonb, which orders keys its own way
    const drawn = visible(room.board).map((d) => JSON.stringify(d.op, Object.keys(d.op).sort()));
    const canvas = document.getElementById('board');
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let hash = 0;
    let inked = 0;
    for (let i = 0; i < data.length; i += 4) {
      const white = data[i] === 255 && data[i + 1] === 255 && data[i + 2] === 255;
      if (!white) inked++;
      hash = (hash * 31 + data[i] * 7 + data[i + 1] * 3 + data[i + 2]) >>> 0;
    }
    return {seqs, drawn, hash, inked};
  });
}

async function main() {
  const browser = await launch();
  const [h, a, b] = await Promise.all(['Hana', 'Ann', 'Ben'].map((who) => person(browser, who)));
  // tall enough that the whole board sits above the control bar
  await Promise.all([h, a, b].map((page) => page.setViewportSize({width: 1280, height: 1400})));
  let meetingId;
  try {
    await step('Hana signs in and creates a meeting; Ann joins by the link', async () => {
      await h.goto(`${base}/`);
      await signIn(h, 'Hana');
      await h.waitForSelector('#view-lobby:not([hidden])');
      await h.fill('#create-title', 'E2E collaboration');
      await h.click('#create-form button[type=submit]');
      await enter(h);
      meetingId = h.url().match(/#\/m\/([0-9a-f-]{36})/)[1];
      await joinByLink(a, 'Ann', meetingId);
    });

    await step('Hana and Ann draw at the same time; each sees both drawings', async () => {
      await a.selectOption('#board-tool', 'rect');
      await Promise.all([drag(h, 100, 100, 700, 500), drag(a, 900, 200, 1400, 700)]);
      await h.fill('#board-text', 'Plan');
      await h.selectOption('#board-tool', 'text');
      await drag(h, 100, 650, 100, 650); // a click, where the text goes
      for (const page of [h, a]) {
        await page.waitForFunction(() => window.__parley.room.board.ops.size === 3, null, {timeout: 15000});
      }
      await a.selectOption('#board-tool', 'pen');
      await drag(a, 200, 800, 600, 850);
      await a.click('#board-undo');
      for (const page of [h, a]) {
        await page.waitForFunction(() => window.__parley.room.board.ops.size === 5, null, {timeout: 15000});
      }
      await shot(h, 'collab-board-hana');
    });

    await step('Ben joins late and sees the same board, pixel for pixel', async () => {
      await joinByLink(b, 'Ben', meetingId);
      await b.waitForFunction(() => window.__parley.room.board.ops.size === 5, null, {timeout: 15000});
      const [sh, sa, sb] = await Promise.all([boardState(h), boardState(a), boardState(b)]);
      log(`  seqs ${JSON.stringify(sb.seqs)}, ${sb.drawn.length} drawings, ${sb.inked} inked pixels`);
      if (JSON.stringify(sb.seqs) !== '[1,2,3,4,5]') throw new Error(`seqs are not 1..5: ${JSON.stringify(sb.seqs)}`);
      if (sb.drawn.length !== 3) throw new Error(`the undone stroke should be gone: ${sb.drawn.length} drawings`);
      for (const s of [sh, sa]) {
        if (JSON.stringify(s.drawn) !== JSON.stringify(sb.drawn)) throw new Error('the boards hold different drawings');
        if (s.hash !== sb.hash) throw new Error(`the canvases differ: ${s.hash} vs ${sb.hash}`);
      }
      if (sb.inked < 1000) throw new Error(`hardly anything is drawn: ${sb.inked} pixels`);
      await shot(b, 'collab-board-ben-late');
    });

    await step('Hana asks a poll; Hana, Ann and Ben vote; everyone sees 2 and 1', async () => {
      await h.fill('#poll-question', 'Ship on Friday?');
      await h.fill('#poll-options', 'Yes\nNo');
      await h.click('#poll-form button[type=submit]');
      for (const page of [h, a, b]) await page.waitForSelector('.poll[data-status="open"]');
      if (!(await a.locator('#poll-form').isHidden())) throw new Error('a participant sees the form for asking');
      const vote = async (page, index) => {
        await page.check(`.poll .poll-option[data-index="${index}"] input`);
        await page.click('.poll .poll-vote');
        await page.waitForSelector('#poll-status:has-text("Vote counted.")');
      };
      await Promise.all([vote(h, 0), vote(a, 0), vote(b, 1)]);
      for (const page of [h, a, b]) {
        await page.waitForFunction(() => {
          const counts = [...document.querySelectorAll('.poll .poll-count')].map((c) => c.dataset.count);
          return counts.join(',') === '2,1';
        }, null, {timeout: 15000});
      }
      await b.check('.poll .poll-option[data-index="0"] input');
      await b.click('.poll .poll-vote');
      await h.waitForFunction(() => [...document.querySelectorAll('.poll .poll-count')].map((c) => c.dataset.count).join(',') === '3,0',
        null, {timeout: 15000});
      await h.click('.poll .poll-close');
      for (const page of [h, a, b]) await page.waitForSelector('.poll[data-status="closed"]');
      await shot(a, 'collab-poll-closed');
    });

    if (problems.length) throw new Error(`problems in the pages: ${problems.join('; ')}`);
    log('ALL STEPS PASSED');
  } catch (e) {
    log('FAILED', e.message);
    await Promise.all([shot(h, 'collab-failed-hana'), shot(a, 'collab-failed-ann'), shot(b, 'collab-failed-ben')]);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

main();
