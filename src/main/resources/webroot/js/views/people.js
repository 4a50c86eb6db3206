// The people list: everyone present with their role (host, co-host), whether their microphone is
// muted, their raised hand (in the order hands went up) and who is speaking; for the host and
// co-hosts, the room's controls: mute, remove, co-host, mute all, lock, the lobby and who waits in it.

import {api, get, post} from '../api.js';
import {$, el, notice, setPressed} from '../dom.js';
import {app} from '../state.js';
import {showReaction} from './controls.js';
import {Stage} from './stage.js';

const SPEAKING_LEVEL = 0.02;

export function wirePeople() {
  $('btn-mute-all').addEventListener('click', () => control('/mute-all', {audio: true}, 'Everyone else is muted.'));
  $('btn-lock').addEventListener('click', () => {
    const room = app.room;
    control('', {locked: !room.meeting.locked}, null, 'PATCH');
  });
  $('btn-lobby').addEventListener('click', () => {
    const room = app.room;
    control('', {lobby: !room.meeting.lobby}, null, 'PATCH');
  });
}

/** Whether I run this room (host or co-host). */
export function runsRoom(room) {
  return room.role === 'host' || room.role === 'cohost';
}

/** Starts the list for a room just joined: roles from the meeting, the lobby, the speaking indicator. */
export function startPeople(room) {
  room.role = room.meeting.role;
  room.roles = new Map((room.meeting.participants || []).map((p) => [p.userId, p.role]));
  room.roles.set(room.meeting.hostId, 'host');
  room.waiting = new Map();
  room.speaking = new Set();
  room.reactions = [];
  room.meters = new Map(); // userId -> {stream, analyser}
  room.timers.push(setInterval(() => detectSpeaking(room), 250));
  renderSettings(room);
  refreshLobby(room);
  renderPeople(room);
}

export function stopPeople(room) {
  if (room.audioContext) room.audioContext.close().catch(() => {});
}

/** Tells everyone whether my microphone and camera are on. */
export function reportMedia(room) {
  if (!room.bridge || room.bridge.state !== 'connected') return;
  const audio = room.local ? room.local.getAudioTracks().some((t) => t.enabled) : false;
  const video = room.local ? room.local.getVideoTracks().some((t) => t.enabled) : false;
  room.bridge.request('meeting.media', {meetingId: room.meetingId, audio, video}).catch((e) => console.warn('meeting.media', e));
}

/**
 * The room's own events (knock, admitted, denied, removed of others, mute, role, settings, reaction,
 * media, hand); `setLocal(kind, on)` turns my microphone or camera on or off.
 */
export function onRoomEvent(room, event, setLocal) {
  const me = app.me.userId;
  switch (event.type) {
    case 'knock':
      room.waiting.set(event.userId, {userId: event.userId, name: event.name, at: event.ts});
      renderLobby(room);
      if (runsRoom(room)) $('people-status').textContent = `${event.name || 'Someone'} is waiting to join.`;
      return;
    case 'admitted':
    case 'denied':
      room.waiting.delete(event.userId);
      renderLobby(room);
      return;
    case 'removed':
      room.participants.delete(event.userId);
      room.waiting.delete(event.userId);
      $('people-status').textContent = `${event.name || 'Someone'} was removed from the meeting.`;
      renderLobby(room);
      break;
    case 'mute':
      if (event.userId === me) {
        const what = [];
        if (event.audio) {
          setLocal('audio', false);
          what.push('microphone');
        }
        if (event.video) {
          setLocal('video', false);
          what.push('camera');
        }
        notice(`A host turned off your ${what.join(' and ')}. You can turn it back on when you need to speak.`);
      }
      return;
    case 'role':
      room.roles.set(event.userId, event.role);
      if (event.userId === me) {
        room.role = event.role;
        notice(event.role === 'cohost' ? 'You are now a co-host: you can admit, mute and remove people.'
          : 'You are no longer a co-host.');
        renderSettings(room);
        refreshLobby(room);
      }
      break;
    case 'settings':
      Object.assign(room.meeting, {title: event.title, lobby: event.lobby, locked: event.locked});
      $('room-title').textContent = event.title || 'Meeting';
      renderSettings(room);
      return;
    case 'reaction':
      showReaction(room, event);
      return;
    case 'media': {
      const p = room.participants.get(event.userId);
      if (p) Object.assign(p, {audio: event.audio, video: event.video});
      break;
    }
    case 'hand': {
      const p = room.participants.get(event.userId);
      if (p) p.handRaisedAt = event.raised ? (p.handRaisedAt || event.ts) : null;
      break;
    }
    default:
      return;
  }
  renderPeople(room);
}

function order(room, p) {
  const role = room.roles.get(p.userId);
  return role === 'host' ? 0 : role === 'cohost' ? 1 : 2;
}

/** Raised hands first, in the order they went up, then the host, co-hosts and everyone else by name. */
export function renderPeople(room) {
  const items = [...room.participants.values()];
  const hands = items.filter((p) => p.handRaised).sort((a, b) => Date.parse(a.handRaisedAt || 0) - Date.parse(b.handRaisedAt || 0));
  const others = items.filter((p) => !p.handRaised)
    .sort((a, b) => order(room, a) - order(room, b) || (a.name || '').localeCompare(b.name || ''));
  room.handOrder = hands.map((p) => p.userId);
  const mine = runsRoom(room);
  $('people').replaceChildren(...[...hands, ...others].map((p) => {
    const role = room.roles.get(p.userId);
    const you = p.userId === app.me.userId;
    const actions = mine && !you && role !== 'host' ? el('span', {class: 'actions'},
      p.audio !== false ? el('button', {type: 'button', 'aria-label': `Mute ${p.name}`,
        onclick: () => control(`/participants/${encodeURIComponent(p.userId)}/mute`, {audio: true}, `${p.name} is muted.`)}, 'Mute') : null,
      room.role === 'host' ? el('button', {type: 'button', 'aria-label': `${role === 'cohost' ? 'Remove co-host from' : 'Make co-host'} ${p.name}`,
        onclick: () => control(`/participants/${encodeURIComponent(p.userId)}/role`, {role: role === 'cohost' ? 'participant' : 'cohost'})},
      role === 'cohost' ? 'Remove co-host' : 'Make co-host') : null,
      room.role === 'host' || role !== 'cohost' ? el('button', {type: 'button', class: 'danger', 'aria-label': `Remove ${p.name}`,
        onclick: () => {
          if (confirm(`Remove ${p.name} from the meeting? They cannot come back unless a host lets them in.`)) {
            control(`/participants/${encodeURIComponent(p.userId)}/remove`, {}, `${p.name} was removed.`);
          }
        }}, 'Remove') : null) : null;
    const place = p.handRaised ? room.handOrder.indexOf(p.userId) + 1 : 0;
    return el('li', {dataset: {user: p.userId}, class: room.speaking.has(p.userId) ? 'speaking' : ''},
      el('span', {class: 'who'}, p.name || p.userId, you ? ' (you)' : ''),
      role === 'host' ? el('span', {class: 'role'}, 'Host') : role === 'cohost' ? el('span', {class: 'role'}, 'Co-host') : null,
      p.audio === false ? el('span', {class: 'muted-tag', 'aria-label': 'microphone off'}, 'Muted') : null,
      p.handRaised ? el('span', {class: 'hand', title: `raised ${place}${place === 1 ? 'st' : place === 2 ? 'nd' : place === 3 ? 'rd' : 'th'}`},
        `✋ ${place} · hand raised`) : null,
      actions);
  }));
  $('people-count').textContent = `(${items.length})`;
  for (const p of items) { // the stage's labels follow the list
    if (p.userId === app.me.userId || !room.stage) continue;
    room.stage.setName(Stage.key(p.userId), `${p.name}${p.handRaised ? ' · hand raised' : ''}${p.audio === false ? ' · muted' : ''}`);
    room.stage.setName(Stage.key(p.userId, 'screen'), p.name);
  }
}

function renderSettings(room) {
  const mine = runsRoom(room);
  $('host-tools').hidden = !mine;
  $('room-locked').hidden = !room.meeting.locked;
  $('room-lobby').hidden = !room.meeting.lobby;
  setPressed('btn-lock', !!room.meeting.locked, 'Lock meeting', 'Unlock meeting');
  setPressed('btn-lobby', !!room.meeting.lobby, 'Turn lobby on', 'Turn lobby off');
  renderLobby(room);
  renderPeople(room);
}

async function refreshLobby(room) {
  if (!runsRoom(room)) {
    room.waiting.clear();
    renderLobby(room);
    return;
  }
  try {
    const {waiting} = await get(`/meetings/${room.meetingId}/lobby`);
    if (app.room !== room) return;
    room.waiting = new Map(waiting.map((w) => [w.userId, {userId: w.userId, name: w.name, at: w.requestedAt}]));
    renderLobby(room);
  } catch (e) {
    console.warn('lobby', e);
  }
}

function renderLobby(room) {
  const show = runsRoom(room) && room.waiting.size > 0;
  $('lobby-box').hidden = !show;
  const waiting = [...room.waiting.values()].sort((a, b) => Date.parse(a.at || 0) - Date.parse(b.at || 0));
  $('lobby-count').textContent = `(${waiting.length})`;
  $('lobby-list').replaceChildren(...waiting.map((w) => el('li', {dataset: {user: w.userId}},
    el('span', {class: 'who'}, w.name || w.userId),
    el('span', {class: 'actions'},
      el('button', {type: 'button', 'aria-label': `Admit ${w.name}`,
        onclick: () => control(`/participants/${encodeURIComponent(w.userId)}/admit`, {}, `${w.name} was let in.`)}, 'Admit'),
      el('button', {type: 'button', 'aria-label': `Deny ${w.name}`,
        onclick: () => control(`/participants/${encodeURIComponent(w.userId)}/deny`, {}, `${w.name} was turned away.`)}, 'Deny')))));
}

/** Runs a control of the room over REST; the result shows through the events everyone gets. */
async function control(path, body, done, method = 'POST') {
  const room = app.room;
  if (!room) return;
  $('people-status').textContent = '';
  try {
    if (method === 'PATCH') {
      await api('PATCH', `/meetings/${room.meetingId}${path}`, {json: body});
    } else {
      await post(`/meetings/${room.meetingId}${path}`, body);
    }
    if (done) $('people-status').textContent = done;
  } catch (e) {
    $('people-status').textContent = e.status === 403 ? `Not allowed: ${e.message}` : `That did not work: ${e.message}`;
  }
}

/** Who is speaking: the loudness of each person's audio (mine included), a few times a second. */
function detectSpeaking(room) {
  if (app.room !== room || !room.streams) return;
  if (!room.audioContext) {
    try {
      room.audioContext = new AudioContext();
    } catch (e) {
      return;
    }
  }
  const context = room.audioContext;
  if (context.state === 'suspended') context.resume().catch(() => {});
  const samples = new Float32Array(512);
  const speaking = new Set();
  for (const [userId, stream] of room.streams) {
    const track = stream && stream.getAudioTracks()[0];
    if (!track || !track.enabled || track.readyState !== 'live') continue;
    let meter = room.meters.get(userId);
    if (!meter || meter.track !== track) {
      const analyser = context.createAnalyser();
      analyser.fftSize = 512;
      context.createMediaStreamSource(new MediaStream([track])).connect(analyser);
      meter = {track, analyser};
      room.meters.set(userId, meter);
    }
    meter.analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const v of samples) sum += v * v;
    if (Math.sqrt(sum / samples.length) > SPEAKING_LEVEL) speaking.add(userId);
  }
  const changed = speaking.size !== room.speaking.size || [...speaking].some((u) => !room.speaking.has(u));
  room.speaking = speaking;
  if (changed) {
    for (const li of $('people').children) li.classList.toggle('speaking', speaking.has(li.dataset.user));
  }
}
