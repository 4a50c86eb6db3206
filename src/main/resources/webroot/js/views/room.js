// The meeting room: joining and leaving, camera and microphone, the video tiles (the WebRTC mesh),
// presence and the people list, the raised hand, and the invitation link.

import {post, session} from '../api.js';
import {Bridge} from '../bridge.js';
import {$, el, notice, setConn, setPressed, show} from '../dom.js';
import {Mesh} from '../mesh.js';
import {app, nameOf} from '../state.js';
import {onCaption} from './captions.js';
import {addChat, loadChatHistory, replayChat} from './chat.js';
import {showLobby} from './lobby.js';
import {refreshStorage} from './storage.js';

export function wireRoom() {
  $('btn-mic').addEventListener('click', () => toggleTrack('audio'));
  $('btn-cam').addEventListener('click', () => toggleTrack('video'));
  $('btn-hand').addEventListener('click', toggleHand);
  $('btn-leave').addEventListener('click', async () => {
    await leaveRoom(true);
    location.hash = '#/';
  });
  $('copy-link').addEventListener('click', copyLink);
}

export async function enterRoom(meetingId) {
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

export async function leaveRoom(tellServer) {
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

async function copyLink() {
  const link = `${location.origin}/#/m/${app.room.meetingId}`;
  try {
    await navigator.clipboard.writeText(link);
    $('copy-status').textContent = 'Link copied.';
  } catch (e) {
    $('copy-status').textContent = link;
  }
}
