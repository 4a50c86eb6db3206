// The web client as an installable app on phones: the service worker (sw.js), a banner when the
// server cannot be reached, the screen kept awake during a meeting (Wake Lock API), rejoining after
// the phone slept or switched networks, and, on a phone held upright, chat, captions and the side
// panels as sheets over the stage (opened from a tab bar above the controls).
//
// It watches the page rather than being called by the views: the room is "on" while #view-room
// shows, and the room's bridge is app.room.bridge. Rejoining drops the bridge's socket, which then
// reconnects at once; the room's own reconnect path re-registers, replays missed chat and renews
// every call (mesh.connect with renew), so media comes back too.

import {$, el} from './dom.js';
import {app} from './state.js';

const PROBE_MS = 5000;
const ASLEEP_MS = 10000; // hidden at least this long: the socket is not to be trusted

export const pwa = {
  serviceWorker: 'unsupported', // unsupported | registered | failed
  wakeLock: 'off', // off | held | unsupported | refused
  reachable: true,
  rejoins: 0,
  lastRejoin: null, // why: online | resume | visible
};

export function startPwa() {
  app.pwa = pwa;
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/sw.js', {scope: '/'})
      .then(() => { pwa.serviceWorker = 'registered'; })
      .catch((e) => { pwa.serviceWorker = 'failed'; console.warn('service worker not registered', e); });
  }
  watchServer();
  watchRoom();
  watchWake();
  sheets();
}

// ---- is the server there?

let probing = null;

async function probe() {
  try {
    const res = await fetch('/health/live', {cache: 'no-store'});
    setReachable(res.ok);
  } catch (e) {
    setReachable(false);
  }
}

function setReachable(ok) {
  pwa.reachable = ok;
  const banner = $('offline');
  banner.hidden = ok;
  clearTimeout(probing);
  if (!ok) probing = setTimeout(probe, PROBE_MS); // say so until it is back
}

function watchServer() {
  window.addEventListener('offline', () => setReachable(false));
  window.addEventListener('online', probe);
  probe();
}

// ---- the screen stays on in a meeting

let lock = null;

function inRoom() {
  return !$('view-room').hidden && !!app.room;
}

async function holdWakeLock() {
  if (!('wakeLock' in navigator)) {
    pwa.wakeLock = 'unsupported';
    return;
  }
  if (lock || document.visibilityState !== 'visible') return; // re-taken when the page shows again
  try {
    lock = await navigator.wakeLock.request('screen');
    pwa.wakeLock = 'held';
    lock.addEventListener('release', () => {
      lock = null;
      pwa.wakeLock = 'off';
    });
  } catch (e) {
    pwa.wakeLock = 'refused'; // low battery, or not allowed: the meeting goes on
  }
}

function releaseWakeLock() {
  if (lock) lock.release().catch(() => {});
  lock = null;
  pwa.wakeLock = 'off';
}

function watchRoom() {
  const update = () => (inRoom() ? holdWakeLock() : releaseWakeLock());
  new MutationObserver(update).observe($('view-room'), {attributes: true, attributeFilter: ['hidden']});
  update();
}

// ---- back from sleep, or on another network

let hiddenAt = null;

function rejoin(why) {
  if (!inRoom() || !app.room.bridge) return;
  pwa.rejoins++;
  pwa.lastRejoin = why;
  app.room.bridge.drop(0); // reconnects at once; the room renews calls and replays chat when it is up
}

function watchWake() {
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') {
      hiddenAt = Date.now();
      return;
    }
    const away = hiddenAt === null ? 0 : Date.now() - hiddenAt;
    hiddenAt = null;
    if (inRoom()) holdWakeLock();
    if (away >= ASLEEP_MS) rejoin('visible');
  });
  document.addEventListener('resume', () => rejoin('resume')); // the page was frozen (Page Lifecycle)
  window.addEventListener('online', () => rejoin('online')); // a new network: the old socket is gone
}

// ---- sheets on a phone

const SHEETS = [['sheet-chat', 'Chat', 'chat'], ['sheet-captions', 'Captions', 'captions'], ['sheet-more', 'People and files', 'more']];

function sheets() {
  const room = document.querySelector('#view-room .room');
  const controls = document.querySelector('#view-room .controls');
  if (!room || !controls) return;
  const bar = el('nav', {class: 'sheet-tabs', 'aria-label': 'Panels'});
  for (const [id, label, sheet] of SHEETS) {
    const button = el('button', {id, type: 'button', 'aria-expanded': 'false', 'data-sheet': sheet}, label);
    button.addEventListener('click', () => openSheet(room, room.dataset.sheet === sheet ? '' : sheet));
    bar.append(button);
  }
  controls.before(bar);
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && room.dataset.sheet) openSheet(room, '');
  });
}

function openSheet(room, sheet) {
  if (sheet) room.dataset.sheet = sheet;
  else delete room.dataset.sheet;
  for (const button of document.querySelectorAll('.sheet-tabs button')) {
    button.setAttribute('aria-expanded', String(button.dataset.sheet === sheet));
  }
}
