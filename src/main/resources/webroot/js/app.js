// Parley web client: sign-in, meetings, and the meeting room (video mesh, chat, captions,
// recordings and files). Plain ES modules, no build step, nothing loaded from elsewhere.

import {api, ApiError, get, post, session} from './api.js';
import {Bridge} from './bridge.js';
import {MicStreamer} from './mic-streamer.js';
import {Mesh} from './mesh.js';
import {MeetingRecorder} from './recorder.js';

const $ = (id) => document.getElementById(id);
const el = (tag, props = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') node.className = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined) node.append(c);
  return node;
};

const app = {
  config: {iceServers: [], devSignIn: true},
  me: null, // {userId, tenant, name, roles}
  room: null,
};
// For the end-to-end test and for debugging from the console.
window.__parley = app;
app.refreshStorage = () => (app.room ? refreshStorage(app.room) : Promise.resolve());

// ---------------------------------------------------------------- views and routing

function show(view) {
  for (const id of ['view-signin', 'view-lobby', 'view-room']) $(id).hidden = id !== view;
}

function notice(text) {
  $('notice').textContent = text || '';
  $('notice').hidden = !text;
}

function setConn(state) {
  const pill = $('conn');
  pill.dataset.state = state;
  pill.textContent = {
    idle: 'not connected', connecting: 'connecting…', connected: 'connected',
    reconnecting: 'reconnecting…', closed: 'not connected',
  }[state] || state;
}

function meetingIdFromHash() {
  const m = location.hash.match(/^#\/m\/([0-9a-fA-F-]{36})/);
  return m ? m[1] : null;
}

async function route() {
  notice('');
  const meetingId = meetingIdFromHash();
  if (app.room && app.room.meetingId !== meetingId) await leaveRoom(false);
  if (!app.me) {
    showSignIn(meetingId ? 'Sign in to join the meeting you were invited to.' : '');
    return;
  }
  if (meetingId) {
    if (!app.room) await enterRoom(meetingId);
  } else {
    showLobby();
  }
}

// ---------------------------------------------------------------- sign-in

function showSignIn(hint) {
  show('view-signin');
  $('signin-hint').textContent = hint || '';
  $('signin-name').focus();
}

async function signIn(event) {
  event.preventDefault();
  $('signin-error').textContent = '';
  const name = $('signin-name').value.trim();
  const tenant = $('signin-tenant').value.trim();
  try {
    const {token} = await post('/auth/dev-token', {name, tenant});
    session.token = token;
    await loadMe();
    await route();
  } catch (e) {
    $('signin-error').textContent = e instanceof ApiError && e.status === 404
      ? 'Development sign-in is switched off on this server (it answers 404): it expects tokens from its OIDC '
        + 'provider, and this web client cannot sign in through OIDC yet.'
      : `Sign-in failed: ${e.message}`;
  }
}

async function loadMe() {
  if (!session.token) return;
  try {
    app.me = await get('/me');
    app.config = await get('/client-config').catch((e) => {
      console.warn('no client configuration', e);
      return app.config;
    });
    $('who').textContent = `${app.me.name || app.me.userId} · ${app.me.tenant}`;
    $('signout').hidden = false;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) session.token = null;
    app.me = null;
  }
}

async function signOut() {
  await leaveRoom(true);
  session.token = null;
  app.me = null;
  $('who').textContent = '';
  $('signout').hidden = true;
  location.hash = '#/';
  await route();
}

// ---------------------------------------------------------------- lobby

async function showLobby() {
  show('view-lobby');
  setConn('idle');
  await refreshMeetings();
}

async function refreshMeetings() {
  const list = $('meeting-list');
  try {
    const {items} = await get('/meetings?limit=50');
    list.replaceChildren(...items.map((m) => el('li', {},
      el('span', {}, el('strong', {}, m.title || 'Untitled'), ' ',
        el('span', {class: 'status'}, `${m.status}${m.participantsPresent ? ` · ${m.participantsPresent} here` : ''}`)),
      m.status === 'ended' ? el('span', {class: 'status'}, 'ended')
        : el('a', {href: `#/m/${m.id}`, class: 'join', 'aria-label': `Join ${m.title || 'meeting'}`}, 'Join'))));
    if (items.length === 0) list.replaceChildren(el('li', {class: 'muted'}, 'No meetings yet.'));
  } catch (e) {
    list.replaceChildren(el('li', {class: 'error'}, `Could not load meetings: ${e.message}`));
  }
}

async function createMeeting(event) {
  event.preventDefault();
  try {
    const meeting = await post('/meetings', {title: $('create-title').value.trim()});
    $('create-title').value = '';
    location.hash = `#/m/${meeting.id}`;
  } catch (e) {
    notice(`Could not create the meeting: ${e.message}`);
  }
}

function joinByLink(event) {
  event.preventDefault();
  const value = $('link-input').value.trim();
  const m = value.match(/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})/);
  if (!m) {
    notice('That does not look like a meeting link or id.');
    return;
  }
  location.hash = `#/m/${m[1]}`;
}

// ---------------------------------------------------------------- the room

async function enterRoom(meetingId) {
  show('view-room');
  const room = {
    meetingId,
    participants: new Map(), // userId -> {userId, name, handRaised}
    tiles: new Map(), // userId -> tile element
    chatSeqs: new Set(),
    lastSeq: 0,
    captions: new Map(), // segmentId -> element
    captionLog: [], // for the test: {at, segmentId, final, text, translations}
    voice: [], // for the test: {speaking, at}
    lang: '',
    hand: false,
    timers: [],
    storage: {recordings: null, files: null},
  };
  app.room = room;
  $('chat-log').replaceChildren();
  $('captions').replaceChildren();
  $('people').replaceChildren();
  $('videos').replaceChildren();
  $('recordings').replaceChildren();
  $('files').replaceChildren();
  $('playback').hidden = true;
  $('caption-lang').value = '';
  $('storage-status').textContent = '';
  $('record-status').textContent = '';
  $('file-status').textContent = '';
  setPressed('btn-mic', false, 'Mute', 'Unmute');
  setPressed('btn-cam', false, 'Camera off', 'Camera on');
  setPressed('btn-hand', false, 'Raise hand', 'Lower hand');
  setPressed('btn-captions', false, 'Caption my speech', 'Stop captioning');
  setPressed('btn-record', false, 'Record', 'Stop recording');

  let meeting;
  try {
    meeting = await post(`/meetings/${meetingId}/join`, {});
  } catch (e) {
    app.room = null;
    notice(e.status === 404 ? 'There is no such meeting (or it belongs to another organisation).'
      : e.status === 409 ? 'This meeting has ended.' : `Could not join: ${e.message}`);
    showLobby();
    return;
  }
  if (app.room !== room) return;
  room.meeting = meeting;
  $('room-title').textContent = meeting.title || 'Meeting';
  document.title = `${meeting.title || 'Meeting'} · Parley`;

  room.local = await openCamera();
  if (app.room !== room) return;
  addTile(app.me.userId, `${app.me.name || 'You'} (you)`, room.local, true);

  room.bridge = new Bridge(() => session.token, {
    onState: (state) => {
      setConn(state);
      if (state === 'connected') onBridgeUp(room);
    },
    onReconnect: () => replayChat(room),
    onError: (frame) => console.warn('bridge error', frame),
  });
  room.mesh = new Mesh({
    meetingId,
    me: app.me.userId,
    bridge: room.bridge,
    iceServers: app.config.iceServers || [],
    localStream: () => room.local,
    onTrack: (peerId, stream) => addTile(peerId, nameOf(room, peerId), stream, false),
    onPeerState: (peerId, state) => {
      const tile = room.tiles.get(peerId);
      if (tile) tile.querySelector('.badge').textContent = state === 'connected' ? '' : state;
    },
    onPeerGone: (peerId) => removeTile(room, peerId),
  });
  const base = `meeting.${meetingId}`;
  // Signaling first: registering for meeting events announces us, and offers may follow at once.
  room.bridge.register(`${base}.signal.${app.me.userId}`, (message) => room.mesh.onSignal(message));
  room.bridge.register(base, (event) => onMeetingEvent(room, event));
  room.bridge.register(`${base}.chat`, (message) => addChat(room, message));
  room.bridge.register(`${base}.captions`, (caption) => onCaption(room, caption));
  room.bridge.connect();
  await loadChatHistory(room, 0);
  room.timers.push(setInterval(() => ping(room), 10000));
  room.timers.push(setInterval(() => refreshStorage(room), 20000));
  refreshStorage(room);
  $('chat-input').focus();
}

async function openCamera() {
  const attempts = [
    {audio: true, video: {width: {ideal: 640}, height: {ideal: 360}}},
    {audio: true, video: false},
  ];
  for (const constraints of attempts) {
    try {
      const stream = await navigator.mediaDevices.getUserMedia(constraints);
      $('media-status').textContent = constraints.video ? '' : 'No camera: audio only.';
      return stream;
    } catch (e) {
      console.warn('getUserMedia', constraints, e);
    }
  }
  $('media-status').textContent = 'No microphone or camera: you can watch and chat.';
  return null;
}

function nameOf(room, userId) {
  const p = room.participants.get(userId);
  return (p && p.name) || 'Guest';
}

function addTile(userId, label, stream, self) {
  const room = app.room;
  let tile = room.tiles.get(userId);
  if (!tile) {
    const video = el('video', {autoplay: true, playsinline: true, 'aria-label': `${label}'s video`});
    tile = el('div', {class: 'tile', dataset: {user: userId}}, video,
      el('span', {class: 'label'}, label), el('span', {class: 'badge', 'aria-hidden': 'true'}));
    room.tiles.set(userId, tile);
    $('videos').append(tile);
  }
  const video = tile.querySelector('video');
  video.muted = self; // never play your own microphone back
  if (stream && video.srcObject !== stream) video.srcObject = stream;
  tile.querySelector('.label').textContent = label;
  tile.classList.toggle('cam-off', !stream || stream.getVideoTracks().length === 0);
}

function removeTile(room, userId) {
  const tile = room.tiles.get(userId);
  if (tile) tile.remove();
  room.tiles.delete(userId);
}

/**
 * Who calls whom: whoever arrives (or comes back after a drop) calls everyone present, with a
 * fresh connection each time; the others answer. Calls that do not connect are retried by ping().
 */
async function onBridgeUp(room) {
  if (app.room !== room) return;
  const comeback = room.bridgeUpOnce === true;
  room.bridgeUpOnce = true;
  await ping(room, comeback);
}

async function ping(room, renew = false) {
  if (app.room !== room || room.bridge.state !== 'connected') return;
  try {
    const {participants} = await room.bridge.request('presence.ping', {meetingId: room.meetingId});
    const present = new Set();
    for (const p of participants) {
      present.add(p.userId);
      room.participants.set(p.userId, {...room.participants.get(p.userId), ...p});
      if (p.userId !== app.me.userId) room.mesh.connect(p.userId, renew);
    }
    for (const userId of [...room.participants.keys()]) {
      if (!present.has(userId)) room.participants.delete(userId);
    }
    const mine = room.participants.get(app.me.userId);
    if (renew && room.hand && mine && !mine.handRaised) {
      // away long enough to be counted out: the server forgot the raised hand
      room.bridge.request('meeting.hand', {meetingId: room.meetingId, raised: true}).catch(() => {});
    }
    renderPeople(room);
  } catch (e) {
    if (e.code === 409) meetingEnded(room);
    else console.warn('presence.ping failed', e);
  }
}

function onMeetingEvent(room, event) {
  if (app.room !== room) return;
  switch (event.type) {
    case 'joined':
      room.participants.set(event.userId, {...room.participants.get(event.userId), userId: event.userId, name: event.name});
      break; // the newcomer calls us (see onBridgeUp)
    case 'left':
      if (event.userId !== app.me.userId) {
        room.participants.delete(event.userId);
        room.mesh.close(event.userId, false);
      }
      break;
    case 'hand': {
      const p = room.participants.get(event.userId) || {userId: event.userId, name: event.name};
      p.handRaised = event.raised;
      room.participants.set(event.userId, p);
      break;
    }
    case 'ended':
      meetingEnded(room);
      return;
    default:
      return;
  }
  renderPeople(room);
}

function renderPeople(room) {
  const items = [...room.participants.values()].sort((a, b) => (a.name || '').localeCompare(b.name || ''));
  $('people').replaceChildren(...items.map((p) => el('li', {},
    el('span', {}, p.name || p.userId, p.userId === app.me.userId ? ' (you)' : ''),
    p.handRaised ? el('span', {class: 'hand'}, 'hand raised') : null)));
  $('people-count').textContent = `(${items.length})`;
  for (const p of items) {
    const tile = room.tiles.get(p.userId);
    if (tile && p.userId !== app.me.userId) tile.querySelector('.label').textContent = `${p.name}${p.handRaised ? ' · hand raised' : ''}`;
  }
}

function meetingEnded(room) {
  notice('The meeting has ended.');
  leaveRoom(false).then(() => {
    location.hash = '#/';
  });
}

async function leaveRoom(tellServer) {
  const room = app.room;
  if (!room) return;
  app.room = null;
  room.timers.forEach(clearInterval);
  if (room.recorder && room.recorder.recording) {
    try {
      await room.recorder.stop();
    } catch (e) {
      console.warn('recording could not be saved', e);
    }
  }
  if (room.captionStreamer) room.captionStreamer.stop();
  if (room.mesh) room.mesh.closeAll();
  if (room.bridge) setTimeout(() => room.bridge.close(), 200); // let the byes go out
  if (room.local) room.local.getTracks().forEach((t) => t.stop());
  if (tellServer) {
    try {
      await post(`/meetings/${room.meetingId}/leave`, {});
    } catch (e) {
      console.warn('leave failed', e);
    }
  }
  document.title = 'Parley';
  setConn('idle');
}

function setPressed(id, pressed, offLabel, onLabel) {
  const button = $(id);
  button.setAttribute('aria-pressed', String(pressed));
  button.textContent = pressed ? onLabel : offLabel;
}

function toggleTrack(kind) {
  const room = app.room;
  const tracks = room && room.local ? (kind === 'audio' ? room.local.getAudioTracks() : room.local.getVideoTracks()) : [];
  if (tracks.length === 0) {
    $('media-status').textContent = kind === 'audio' ? 'No microphone.' : 'No camera.';
    return;
  }
  const off = tracks[0].enabled;
  tracks.forEach((t) => {
    t.enabled = !off;
  });
  if (kind === 'audio') setPressed('btn-mic', off, 'Mute', 'Unmute');
  else {
    setPressed('btn-cam', off, 'Camera off', 'Camera on');
    room.tiles.get(app.me.userId).classList.toggle('cam-off', off);
  }
}

async function toggleHand() {
  const room = app.room;
  const raised = !room.hand;
  try {
    await room.bridge.request('meeting.hand', {meetingId: room.meetingId, raised});
    room.hand = raised;
    setPressed('btn-hand', raised, 'Raise hand', 'Lower hand');
  } catch (e) {
    $('media-status').textContent = `Could not ${raised ? 'raise' : 'lower'} your hand: ${e.message}`;
  }
}

// ---------------------------------------------------------------- chat

async function loadChatHistory(room, after) {
  let cursor = after;
  for (let page = 0; page < 100; page++) {
    const body = await get(`/meetings/${room.meetingId}/chat?after=${cursor}&limit=200`);
    if (app.room !== room) return;
    body.messages.forEach((m) => addChat(room, m));
    if (!body.more || body.messages.length === 0) break;
    cursor = body.lastSeq;
  }
}

/** After a reconnect: everything after the last message seen, deduplicated by seq. */
async function replayChat(room) {
  try {
    await loadChatHistory(room, room.lastSeq);
    $('chat-status').textContent = '';
  } catch (e) {
    $('chat-status').textContent = `Could not fetch missed messages: ${e.message}`;
  }
}

function addChat(room, message) {
  if (app.room !== room || typeof message.seq !== 'number' || room.chatSeqs.has(message.seq)) return;
  const gap = message.seq > room.lastSeq + 1 && room.lastSeq > 0;
  room.chatSeqs.add(message.seq);
  const log = $('chat-log');
  const time = message.ts ? new Date(message.ts).toLocaleTimeString([], {hour: '2-digit', minute: '2-digit'}) : '';
  const moderation = message.moderation && message.moderation.action && message.moderation.action !== 'allow'
    ? el('span', {class: 'note'}, `(${message.moderation.action === 'redact' ? 'redacted' : message.moderation.action})`) : null;
  const item = el('li', {dataset: {seq: String(message.seq)}, title: time},
    el('span', {class: 'from'}, message.senderName || 'Someone'), message.text, moderation);
  // keep seq order even when a replayed page and live messages interleave
  const after = [...log.children].find((li) => Number(li.dataset.seq) > message.seq);
  log.insertBefore(item, after || null);
  const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 80;
  if (atBottom || !after) log.scrollTop = log.scrollHeight;
  room.lastSeq = Math.max(room.lastSeq, message.seq);
  if (gap) replayChat(room); // a live message overtook ones we have not seen: fill the gap
}

async function sendChat(event) {
  event.preventDefault();
  const room = app.room;
  const input = $('chat-input');
  const text = input.value.trim();
  if (!room || !text) return;
  const status = $('chat-status');
  status.textContent = '';
  try {
    const reply = await room.bridge.request('chat.send', {meetingId: room.meetingId, text, clientId: crypto.randomUUID()});
    input.value = '';
    if (reply.moderation && reply.moderation.action === 'redact') {
      status.textContent = `Your message was redacted by the meeting's safety policy${
        reply.moderation.categories && reply.moderation.categories.length ? ` (${reply.moderation.categories.join(', ')})` : ''}.`;
    }
    addChat(room, {seq: reply.seq, id: reply.id, senderId: app.me.userId, senderName: app.me.name,
      text: reply.text ?? text, moderation: reply.moderation, ts: new Date().toISOString()});
  } catch (e) {
    status.textContent = e.code === 422 ? `Not sent: ${e.message}`
      : e.code === 429 ? 'Not sent: you are sending too fast; wait a moment.'
        : `Not sent: ${e.message}`;
  }
}

// ---------------------------------------------------------------- captions

function onCaption(room, caption) {
  if (app.room !== room) return;
  room.captionLog.push({at: Date.now(), ...caption});
  if (room.captionLog.length > 500) room.captionLog.shift();
  const box = $('captions');
  let line = room.captions.get(caption.segmentId);
  if (caption.final && !caption.text) {
    // a final the safety policy blocked: it replaces the partial with nothing
    if (line) line.remove();
    room.captions.delete(caption.segmentId);
    return;
  }
  if (!line) {
    line = el('p', {class: 'caption'}, el('span', {class: 'speaker'}), el('span', {class: 'text'}), el('span', {class: 'original'}));
    room.captions.set(caption.segmentId, line);
    box.append(line);
    while (box.children.length > 30) {
      const first = box.firstElementChild;
      for (const [k, v] of room.captions) if (v === first) room.captions.delete(k);
      first.remove();
    }
  }
  line.caption = caption;
  renderCaption(room, line);
  box.scrollTop = box.scrollHeight;
}

function renderCaption(room, line) {
  const caption = line.caption;
  const translated = room.lang && caption.translations && caption.translations[room.lang];
  line.classList.toggle('partial', !caption.final);
  line.dataset.final = String(!!caption.final);
  line.dataset.lang = translated ? room.lang : (caption.lang || '');
  line.querySelector('.speaker').textContent = `${caption.speakerName || nameOf(room, caption.speakerId)}:`;
  line.querySelector('.text').textContent = translated || caption.text;
  line.querySelector('.original').textContent = translated ? caption.text : '';
  if (caption.final) line.setAttribute('aria-busy', 'false');
  else line.setAttribute('aria-busy', 'true'); // screen readers wait for the final wording
}

async function chooseCaptionLanguage() {
  const room = app.room;
  room.lang = $('caption-lang').value;
  for (const line of $('captions').children) if (line.caption) renderCaption(room, line);
  if (!room.lang) return;
  try {
    await room.bridge.request('captions.language', {meetingId: room.meetingId, lang: room.lang});
    $('media-status').textContent = '';
  } catch (e) {
    $('media-status').textContent = `Captions in that language are not available: ${e.message}`;
  }
}

async function toggleCaptions() {
  const room = app.room;
  if (room.captionStreamer && room.captionStreamer.on) {
    room.captionStreamer.stop();
    setPressed('btn-captions', false, 'Caption my speech', 'Stop captioning');
    return;
  }
  const track = room.local && room.local.getAudioTracks()[0];
  if (!track) {
    $('media-status').textContent = 'No microphone to caption.';
    return;
  }
  room.captionStreamer = new MicStreamer({
    meetingId: room.meetingId,
    lang: 'en-US',
    token: () => session.token,
    onState: (state) => {
      $('media-status').textContent = state === 'off' ? '' : `Captioning: ${state}`;
      if (state.startsWith('refused')) setPressed('btn-captions', false, 'Caption my speech', 'Stop captioning');
    },
    onVoice: (v) => {
      room.voice.push(v);
      $('speaking').classList.toggle('on', v.speaking);
    },
  });
  setPressed('btn-captions', true, 'Caption my speech', 'Stop captioning');
  try {
    await room.captionStreamer.start(track);
  } catch (e) {
    $('media-status').textContent = `Captioning failed: ${e.message}`;
    setPressed('btn-captions', false, 'Caption my speech', 'Stop captioning');
  }
}

async function downloadTranscript() {
  const room = app.room;
  try {
    const lang = room.lang ? `&lang=${room.lang}` : '';
    const response = await api('GET', `/meetings/${room.meetingId}/transcript?format=vtt${lang}`, {raw: true});
    saveBlob(await response.blob(), `transcript-${room.meetingId}.vtt`);
  } catch (e) {
    $('media-status').textContent = `No transcript: ${e.message}`;
  }
}

function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = el('a', {href: url, download: name});
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// ---------------------------------------------------------------- recordings and files

function storageUnavailable(e) {
  return e instanceof ApiError && e.noSuchEndpoint;
}

async function refreshStorage(room) {
  if (app.room !== room) return;
  const status = $('storage-status');
  const [recordings, files] = await Promise.allSettled([
    get(`/meetings/${room.meetingId}/recordings`), get(`/meetings/${room.meetingId}/files`)]);
  if (app.room !== room) return;
  const problems = [];
  for (const [result, list, what, empty, action] of [
    [recordings, $('recordings'), 'Recordings', 'No recordings yet.', (item) =>
      el('button', {type: 'button', onclick: () => play(item), 'aria-label': `Play ${item.name}`}, 'Play')],
    [files, $('files'), 'Shared files', 'No shared files yet.', (item) =>
      el('button', {type: 'button', onclick: () => download(item), 'aria-label': `Download ${item.name}`}, 'Download')]]) {
    if (result.status === 'fulfilled') {
      renderItems(list, result.value.items, empty, action);
    } else {
      list.replaceChildren();
      problems.push(storageUnavailable(result.reason) ? `${what} are not available on this server.`
        : `${what} could not be loaded: ${result.reason.message}`);
    }
  }
  status.textContent = problems.join(' ');
}

function renderItems(list, items, empty, action) {
  if (!items || items.length === 0) {
    list.replaceChildren(el('li', {class: 'muted'}, empty));
    return;
  }
  list.replaceChildren(...items.map((item) => el('li', {dataset: {id: item.id}},
    el('span', {class: 'name'}, item.name, el('span', {class: 'muted'},
      ` · ${formatSize(item.size)}${item.uploadedByName ? ` · ${item.uploadedByName}` : ''}`)),
    action(item))));
}

function formatSize(bytes) {
  if (typeof bytes !== 'number') return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1 << 20) return `${(bytes / 1024).toFixed(0)} KiB`;
  return `${(bytes / (1 << 20)).toFixed(1)} MiB`;
}

async function play(item) {
  try {
    const {url} = await get(`/recordings/${item.id}/link`);
    const video = $('playback');
    video.hidden = false;
    video.src = url;
    video.setAttribute('aria-label', `Recording ${item.name}`);
    video.focus();
    await video.play().catch(() => {});
  } catch (e) {
    $('storage-status').textContent = e.status === 409
      ? 'That recording is archived; it is being restored, try again in a few minutes.'
      : `Cannot play it: ${e.message}`;
  }
}

async function download(item) {
  try {
    const {url} = await get(`/files/${item.id}/link`);
    const a = el('a', {href: url, download: item.name});
    document.body.append(a);
    a.click();
    a.remove();
  } catch (e) {
    $('storage-status').textContent = e.status === 409
      ? 'That file is archived; it is being restored, try again in a few minutes.'
      : `Cannot download it: ${e.message}`;
  }
}

async function shareFile(event) {
  event.preventDefault();
  const room = app.room;
  const file = $('file-input').files[0];
  if (!room || !file) return;
  const status = $('file-status');
  status.textContent = `Uploading ${file.name}…`;
  const name = /^[\x20-\x7e]*$/.test(file.name) ? file.name : encodeURIComponent(file.name);
  try {
    await api('POST', `/meetings/${room.meetingId}/files`,
      {body: file, headers: {'Content-Type': file.type || 'application/octet-stream', 'X-File-Name': name}});
    status.textContent = `Shared ${file.name}.`;
    $('file-input').value = '';
    await refreshStorage(room);
  } catch (e) {
    status.textContent = storageUnavailable(e) ? 'Sharing files is not available on this server.'
      : e.status === 413 ? 'That file is too large.'
        : e.status === 415 ? 'That kind of file cannot be shared.' : `Could not share it: ${e.message}`;
  }
}

async function toggleRecording() {
  const room = app.room;
  const status = $('record-status');
  if (room.recorder && room.recorder.recording) {
    setPressed('btn-record', false, 'Record', 'Stop recording');
    try {
      await room.recorder.stop();
      await refreshStorage(room);
    } catch (e) {
      status.textContent = `The recording could not be saved: ${e.message}`;
    }
    return;
  }
  room.recorder = new MeetingRecorder({
    meetingId: room.meetingId,
    videos: () => [...$('videos').querySelectorAll('video')],
    streams: () => [...$('videos').querySelectorAll('video')].map((v) => v.srcObject).filter(Boolean),
    onState: (state, detail) => {
      status.textContent = {
        recording: 'Recording…',
        uploading: `Recording… ${formatSize(detail && detail.bytes)} uploaded`,
        finishing: 'Saving the recording…',
        saved: 'Recording saved.',
        error: `Recording upload failed: ${detail && detail.message}`,
      }[state] || state;
    },
  });
  try {
    await room.recorder.start();
    setPressed('btn-record', true, 'Record', 'Stop recording');
  } catch (e) {
    status.textContent = storageUnavailable(e) ? 'Recording is not available on this server.' : `Cannot record: ${e.message}`;
  }
}

async function copyLink() {
  const link = `${location.origin}/#/m/${app.room.meetingId}`;
  try {
    await navigator.clipboard.writeText(link);
    $('copy-status').textContent = 'Link copied.';
  } catch (e) {
    $('copy-status').textContent = link;
  }
}

// ---------------------------------------------------------------- start

async function boot() {
  const params = new URLSearchParams(location.search);
  if (params.get('m')) {
    history.replaceState(null, '', `${location.pathname}#/m/${params.get('m')}`);
  }
  $('signin-form').addEventListener('submit', signIn);
  $('signout').addEventListener('click', signOut);
  $('create-form').addEventListener('submit', createMeeting);
  $('link-form').addEventListener('submit', joinByLink);
  $('refresh-meetings').addEventListener('click', refreshMeetings);
  $('chat-form').addEventListener('submit', sendChat);
  $('btn-mic').addEventListener('click', () => toggleTrack('audio'));
  $('btn-cam').addEventListener('click', () => toggleTrack('video'));
  $('btn-hand').addEventListener('click', toggleHand);
  $('btn-captions').addEventListener('click', toggleCaptions);
  $('btn-record').addEventListener('click', toggleRecording);
  $('btn-leave').addEventListener('click', async () => {
    await leaveRoom(true);
    location.hash = '#/';
  });
  $('caption-lang').addEventListener('change', chooseCaptionLanguage);
  $('download-transcript').addEventListener('click', downloadTranscript);
  $('file-form').addEventListener('submit', shareFile);
  $('copy-link').addEventListener('click', copyLink);
  window.addEventListener('hashchange', route);
  await loadMe();
  await route();
  document.body.dataset.ready = 'true';
}

boot();
