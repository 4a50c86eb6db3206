// The control bar along the bottom of the room: the panels (people, chat, captions, files, polls, whiteboard,
// breakout rooms, notes) that open and close, the reactions menu and the bursts of emoji everyone sees, and the devices menu
// that switches camera and microphone during the meeting.

import {$, el} from '../dom.js';
import {app} from '../state.js';
import {deviceOf, fillDeviceSelect, rememberDevice} from './devices.js';

export const PANELS = ['people', 'chat', 'captions', 'files', 'polls', 'board', 'breakouts', 'notes'];
/** The reactions the server accepts (SendReactionHandler.REACTIONS). */
export const REACTIONS = ['👍', '👏', '❤️', '😂', '😮', '🎉', '🙏', '👋'];
const OPEN_KEY = 'parley.panels';

/** @param {(kind: string, deviceId: string) => Promise<boolean>} switchDevice replaces the room's track of a kind */
export function wireControls(switchDevice) {
  for (const name of PANELS) {
    $(`toggle-${name}`).addEventListener('click', () => setPanel(name, $(`panel-${name}`).hidden));
  }
  document.querySelectorAll('[data-close]').forEach((b) => b.addEventListener('click', () => {
    setPanel(b.dataset.close, false);
    $(`toggle-${b.dataset.close}`).focus();
  }));
  const menu = $('react-menu');
  menu.replaceChildren(...REACTIONS.map((emoji) => el('button', {type: 'button', role: 'menuitem', 'aria-label': `React ${emoji}`,
    onclick: () => react(emoji)}, emoji)));
  $('btn-react').addEventListener('click', () => popover('react-menu', 'btn-react'));
  $('btn-devices').addEventListener('click', async () => {
    if (popover('devices-menu', 'btn-devices')) await fillDevices();
  });
  $('room-camera').addEventListener('change', () => changeDevice('video', $('room-camera').value, switchDevice));
  $('room-mic').addEventListener('change', () => changeDevice('audio', $('room-mic').value, switchDevice));
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') closePopovers();
  });
}

/** Opens or closes a panel; the sidebar goes when none is open. Remembered in this browser. */
export function setPanel(name, open) {
  $(`panel-${name}`).hidden = !open;
  $(`toggle-${name}`).setAttribute('aria-expanded', String(open));
  const any = PANELS.some((p) => !$(`panel-${p}`).hidden);
  document.querySelector('#view-room .room').classList.toggle('no-panels', !any);
  localStorage.setItem(OPEN_KEY, JSON.stringify(PANELS.filter((p) => !$(`panel-${p}`).hidden)));
}

/** The panels as this browser left them (people and chat the first time). */
export function restorePanels() {
  let open = ['people', 'chat'];
  try {
    open = JSON.parse(localStorage.getItem(OPEN_KEY)) || open;
  } catch (e) {
    // the default
  }
  PANELS.forEach((p) => setPanel(p, open.includes(p)));
}

/** Toggles a popover under its button; true when it opened. */
function popover(id, buttonId) {
  const box = $(id);
  const opening = box.hidden;
  closePopovers();
  box.hidden = !opening;
  $(buttonId).setAttribute('aria-expanded', String(opening));
  if (opening) {
    const first = box.querySelector('button, select');
    if (first) first.focus();
  }
  return opening;
}

export function closePopovers() {
  for (const [id, button] of [['react-menu', 'btn-react'], ['devices-menu', 'btn-devices']]) {
    $(id).hidden = true;
    $(button).setAttribute('aria-expanded', 'false');
  }
}

async function react(emoji) {
  const room = app.room;
  closePopovers();
  if (!room) return;
  try {
    await room.bridge.request('meeting.reaction', {meetingId: room.meetingId, emoji});
  } catch (e) {
    $('media-status').textContent = e.code === 429 ? 'Easy: one reaction at a time.' : `Could not react: ${e.message}`;
  }
}

/** A reaction everyone sees: the emoji floats up over the stage with the sender's name. */
export function showReaction(room, event) {
  room.reactions.push({at: Date.now(), userId: event.userId, emoji: event.emoji});
  if (room.reactions.length > 100) room.reactions.shift();
  const layer = $('reactions-layer');
  const burst = el('div', {class: 'reaction', dataset: {user: event.userId}, role: 'img',
    'aria-label': `${event.name || 'Someone'} reacted ${event.emoji}`},
    event.emoji, el('span', {class: 'by'}, event.userId === app.me.userId ? 'You' : (event.name || 'Someone')));
  burst.style.left = `${10 + Math.random() * 75}%`;
  layer.append(burst);
  setTimeout(() => burst.remove(), 3200);
}

async function fillDevices() {
  const local = app.room && app.room.local;
  await fillDeviceSelect($('room-camera'), 'video', deviceOf(local && local.getVideoTracks()[0]));
  await fillDeviceSelect($('room-mic'), 'audio', deviceOf(local && local.getAudioTracks()[0]));
  $('devices-status').textContent = '';
}

async function changeDevice(kind, deviceId, switchDevice) {
  $('devices-status').textContent = 'Switching…';
  const ok = await switchDevice(kind, deviceId);
  if (ok) rememberDevice(kind, deviceId);
  $('devices-status').textContent = ok ? `Now using ${$(kind === 'audio' ? 'room-mic' : 'room-camera').selectedOptions[0].textContent}.`
    : 'That device could not be opened.';
}
