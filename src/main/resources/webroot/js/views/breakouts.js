// Breakout rooms: for the host and co-hosts a panel (open N rooms, shared out automatically or
// chosen per person, an optional timer; the rooms and who is in each; visit; broadcast; close all),
// and for everyone in a room a banner with its name, the time left and "Return to main room".
// A room is a meeting of its own: moving there leaves this room's media, chat and captions and
// joins the other meeting as any join does (room.js's leaveRoom and enterRoom).

import {api, get, post} from '../api.js';
import {$, el, notice} from '../dom.js';
import {app} from '../state.js';
import {setPanel} from './controls.js';
import {enterRoom, leaveRoom} from './room.js';

const REFRESH_MS = 5000;

export function wireBreakouts() {
  $('breakout-form').addEventListener('submit', openRooms);
  $('breakout-assign').addEventListener('change', () => renderChoices(app.room));
  $('breakout-count').addEventListener('input', () => renderChoices(app.room));
  $('breakout-broadcast-form').addEventListener('submit', broadcast);
  $('breakout-close').addEventListener('click', closeAll);
  $('breakout-return').addEventListener('click', () => {
    const room = app.room;
    if (room && room.meeting.parentId) moveTo(room.meeting.parentId, true);
  });
}

function runsRoom(room) {
  return room && room.meeting && (room.meeting.role === 'host' || room.meeting.role === 'cohost');
}

/** The meeting the rooms belong to: this one, or the one this breakout room was opened from. */
function mainOf(room) {
  return room.meeting.parentId || room.meetingId;
}

/** Called on entering any room: the banner in a breakout room, the panel for those who run the meeting. */
export async function loadBreakouts(room) {
  room.breakouts = {rooms: [], main: [], message: null, closesAt: null};
  $('breakout-banner').hidden = true;
  $('breakout-broadcast').textContent = '';
  $('breakout-status').textContent = '';
  $('toggle-breakouts').hidden = !runsRoom(room);
  if (!runsRoom(room) && !$('panel-breakouts').hidden) setPanel('breakouts', false);
  room.timers.push(setInterval(() => tick(room), 1000));
  if (runsRoom(room)) room.timers.push(setInterval(() => refresh(room), REFRESH_MS));
  await refresh(room);
}

async function refresh(room) {
  if (app.room !== room) return;
  try {
    const listing = await get(`/meetings/${mainOf(room)}/breakouts`);
    if (app.room !== room) return;
    room.breakouts.rooms = listing.rooms;
    room.breakouts.main = listing.main;
    render(room);
  } catch (e) {
    $('breakout-status').textContent = `Could not load the breakout rooms: ${e.message}`;
  }
}

function openRoomsOf(room) {
  return room.breakouts.rooms.filter((r) => r.status !== 'ended');
}

function render(room) {
  const open = openRoomsOf(room);
  const here = room.meeting.parentId ? room.breakouts.rooms.find((r) => r.id === room.meetingId) : null;
  if (here) {
    $('breakout-banner').hidden = false;
    $('breakout-where').textContent = runsRoom(room) && !here.assigned.some((p) => p.userId === app.me.userId)
      ? `Visiting breakout room ${here.name}` : `Breakout room: ${here.name}`;
  } else if (!room.meeting.parentId) {
    $('breakout-banner').hidden = !room.breakouts.closesAt && !room.breakouts.message;
    $('breakout-where').textContent = open.length ? `${open.length} breakout room${open.length === 1 ? '' : 's'} open` : '';
  }
  $('breakout-return').hidden = !room.meeting.parentId;
  tick(room);
  if (!runsRoom(room)) return;
  $('breakout-form').hidden = open.length > 0;
  $('breakout-broadcast-form').hidden = open.length === 0;
  $('breakout-close').hidden = open.length === 0;
  $('breakout-rooms').replaceChildren(...open.map((r) => el('li', {class: 'breakout-room', 'data-room': r.id, 'data-name': r.name},
    el('span', {class: 'breakout-name'}, r.name),
    el('span', {class: 'muted breakout-people'}, r.present.length ? r.present.map((p) => p.name).join(', ')
      : `nobody yet (sent: ${r.assigned.map((p) => p.name).join(', ') || 'nobody'})`),
    r.id === room.meetingId ? el('span', {class: 'muted'}, 'you are here')
      : el('button', {type: 'button', class: 'breakout-visit', onclick: () => moveTo(r.id, true)}, 'Visit'))));
  if (room.meeting.parentId) {
    $('breakout-rooms').append(el('li', {class: 'breakout-room'}, el('span', {class: 'breakout-name'}, 'Main room'),
      el('button', {type: 'button', class: 'breakout-visit', onclick: () => moveTo(room.meeting.parentId, true)}, 'Back')));
  }
  renderChoices(room);
}

/** The time left in this breakout room (its timer), or the countdown once the rooms are closing. */
function tick(room) {
  if (app.room !== room || !room.breakouts) return;
  const here = room.breakouts.rooms.find((r) => r.id === room.meetingId);
  const closesAt = room.breakouts.closesAt || (here && here.closesAt)
    || (!room.meeting.parentId && openRoomsOf(room).map((r) => r.closesAt).find(Boolean));
  const endsAt = here && here.endsAt;
  const left = (at) => Math.max(0, Math.round((Date.parse(at) - Date.now()) / 1000));
  let text = '';
  if (closesAt) {
    text = `Breakout rooms close in ${left(closesAt)} s`;
  } else if (endsAt) {
    const s = left(endsAt);
    text = `Time left ${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  }
  $('breakout-timer').textContent = text;
  $('breakout-timer').dataset.seconds = closesAt ? String(left(closesAt)) : '';
}

/** Manual assignment: each person present (but me) with a choice of room. */
function renderChoices(room) {
  if (!room || !runsRoom(room)) return;
  const manual = $('breakout-assign').value === 'manual';
  const list = $('breakout-choices');
  list.hidden = !manual;
  if (!manual) return;
  const count = Math.max(1, Math.min(50, Number($('breakout-count').value) || 1));
  const kept = new Map([...list.querySelectorAll('select')].map((s) => [s.dataset.user, s.value]));
  const people = [...room.participants.values()].filter((p) => p.userId !== app.me.userId);
  list.replaceChildren(...people.map((p) => {
    const select = el('select', {'data-user': p.userId, 'aria-label': `Room for ${p.name}`},
      el('option', {value: ''}, 'Stays here'),
      ...Array.from({length: count}, (_, i) => el('option', {value: String(i)}, `Room ${i + 1}`)));
    if (kept.has(p.userId) && Number(kept.get(p.userId)) < count) select.value = kept.get(p.userId);
    return el('li', {}, el('span', {}, p.name || 'Guest'), select);
  }));
}

async function openRooms(e) {
  e.preventDefault();
  const room = app.room;
  if (!room) return;
  const count = Number($('breakout-count').value);
  const minutes = $('breakout-minutes').value ? Number($('breakout-minutes').value) : undefined;
  let body;
  if ($('breakout-assign').value === 'auto') {
    body = {count, assign: 'auto'};
  } else {
    const rooms = Array.from({length: count}, (_, i) => ({name: `Room ${i + 1}`, participants: []}));
    for (const select of $('breakout-choices').querySelectorAll('select')) {
      if (select.value !== '') rooms[Number(select.value)].participants.push(select.dataset.user);
    }
    body = {rooms};
  }
  if (minutes) body.durationMinutes = minutes;
  try {
    const listing = await post(`/meetings/${mainOf(room)}/breakouts`, body);
    room.breakouts.rooms = listing.rooms;
    room.breakouts.main = listing.main;
    $('breakout-status').textContent = `${listing.rooms.filter((r) => r.status !== 'ended').length} rooms open.`;
    render(room);
  } catch (err) {
    $('breakout-status').textContent = `Could not open the rooms: ${err.message}`;
  }
}

async function broadcast(e) {
  e.preventDefault();
  const room = app.room;
  const text = $('breakout-message').value.trim();
  if (!room || !text) return;
  try {
    const {rooms} = await post(`/meetings/${mainOf(room)}/breakouts/broadcast`, {text});
    $('breakout-message').value = '';
    $('breakout-status').textContent = `Sent to ${rooms} room${rooms === 1 ? '' : 's'}.`;
  } catch (err) {
    $('breakout-status').textContent = `Could not send: ${err.message}`;
  }
}

async function closeAll() {
  const room = app.room;
  if (!room) return;
  try {
    const {closesAt} = await api('DELETE', `/meetings/${mainOf(room)}/breakouts`);
    room.breakouts.closesAt = closesAt;
    $('breakout-status').textContent = 'The rooms are closing; everyone comes back at the end of the countdown.';
    render(room);
  } catch (err) {
    $('breakout-status').textContent = `Could not close the rooms: ${err.message}`;
  }
}

/** A {type: breakouts} event on meeting.{id}, in the main meeting or in a breakout room. */
export function onBreakoutEvent(room, event) {
  if (app.room !== room || !room.breakouts) return;
  switch (event.action) {
    case 'opened': {
      room.breakouts.rooms = event.rooms;
      room.breakouts.closesAt = null;
      room.breakouts.message = null;
      $('breakout-broadcast').textContent = '';
      const mine = event.rooms.find((r) => r.assigned.some((p) => p.userId === app.me.userId));
      if (mine && !room.meeting.parentId) {
        app.pendingNotice = `A host sent you to the breakout room ${mine.name}.`;
        notice(app.pendingNotice);
        moveTo(mine.id, false);
        return;
      }
      break;
    }
    case 'broadcast':
      room.breakouts.message = event.text;
      $('breakout-banner').hidden = false;
      $('breakout-broadcast').textContent = `Message from ${event.byName || 'the host'}: ${event.text}`;
      break;
    case 'closing':
      room.breakouts.closesAt = event.closesAt;
      $('breakout-banner').hidden = false;
      break;
    case 'closed':
      if (event.roomId && event.roomId === room.meetingId) {
        moveTo(event.meetingId, false); // the room is over: back to the main meeting
        return;
      }
      room.breakouts.closesAt = null;
      refresh(room);
      return;
    default:
      return;
  }
  render(room);
  refresh(room);
}

/**
 * The bridge says I am no longer in this meeting: if a host sent me to a breakout room (the
 * event may not have reached this page), go there; true when moving.
 */
export async function followBreakout(room) {
  if (room.meeting.parentId) return false;
  try {
    const listing = await get(`/meetings/${room.meetingId}/breakouts`);
    const mine = listing.rooms.find((r) => r.status !== 'ended' && r.assigned.some((p) => p.userId === app.me.userId));
    if (!mine || listing.main.some((p) => p.userId === app.me.userId) || app.room !== room) return false;
    moveTo(mine.id, false);
    return true;
  } catch (e) {
    return false;
  }
}

function trackOn(room, kind) {
  const tracks = room.local ? (kind === 'audio' ? room.local.getAudioTracks() : room.local.getVideoTracks()) : [];
  return tracks.length ? tracks[0].enabled : true;
}

/**
 * Out of this room (telling the server when I leave by choice) and into meeting {@code meetingId}:
 * a breakout room, or back to the main meeting; microphone and camera stay as they were.
 */
export async function moveTo(meetingId, tellServer) {
  const from = app.room;
  if (!from || from.moving) return;
  from.moving = true;
  const audio = trackOn(from, 'audio');
  const video = trackOn(from, 'video');
  await leaveRoom(tellServer);
  let meeting;
  try {
    meeting = await post(`/meetings/${meetingId}/join`, {});
  } catch (e) {
    notice(`Could not join ${meetingId === from.meeting.parentId ? 'the main room' : 'the breakout room'}: ${e.message}`);
    location.hash = '#/';
    return;
  }
  if (app.room) return; // the person went somewhere else meanwhile
  if (meeting.status === 'waiting') { // a lobby after all: the usual way in
    location.hash = `#/m/${meetingId}`;
    return;
  }
  const entering = enterRoom(meetingId, {meeting, stream: null, audio, video}); // app.room is set at once
  location.hash = `#/m/${meetingId}`;
  await entering;
}
