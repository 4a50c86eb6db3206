// The meeting room: entering (after the pre-join screen) and leaving, camera and microphone,
// presence, the raised hand, screen sharing and the invitation link. Video tiles are the stage's
// (stage.js); media goes through the SFU or the mesh (../media/session.js). The people list and the
// host's controls are people.js; the control bar and panels controls.js.

import {post, session} from '../api.js';
import {Bridge} from '../bridge.js';
import {$, el, notice, setConn, setPressed, show} from '../dom.js';
import {startMedia} from '../media/session.js';
import {app, nameOf} from '../state.js';
import {followBreakout, loadBreakouts, moveTo, onBreakoutEvent} from './breakouts.js';
import {loadBudget, showBudget} from './budget.js';
import {loadCaptionLanguages, onCaption, showCaptionMode} from './captions.js';
import {addChat, loadChatHistory, replayChat} from './chat.js';
import {restorePanels, setPanel, wireControls} from './controls.js';
import {openDevice} from './devices.js';
import {showLobby} from './lobby.js';
import {onRoomEvent, renderPeople, reportMedia, startPeople, stopPeople, wirePeople} from './people.js';
import {loadPolls, onPollEvent} from './polls.js';
import {Stage} from './stage.js';
import {onRecordingEvent, refreshStorage} from './storage.js';
import {loadBoard, onBoardMessage, replayBoard} from './whiteboard.js';
import {loadNotes, onNotesMessage, replayNotes} from './notes.js';

export function wireRoom() {
  $('btn-mic').addEventListener('click', () => toggleTrack('audio'));
  $('btn-cam').addEventListener('click', () => toggleTrack('video'));
  $('btn-hand').addEventListener('click', toggleHand);
  $('btn-screen').addEventListener('click', toggleScreen);
  $('btn-leave').addEventListener('click', async () => {
    await leaveRoom(true);
    location.hash = '#/';
  });
  $('copy-link').addEventListener('click', copyLink);
  wireControls(switchDevice);
  wirePeople();
}

/**
 * Enters a meeting already joined: {@code prepared} is {meeting (the join's answer), stream (from
 * the pre-join screen, or null), audio, video (on or off)}.
 */
export async function enterRoom(meetingId, prepared) {
  show('view-room');
  restorePanels();
  const room = {
    meetingId,
    openedAt: performance.now(),
    participants: new Map(), // userId -> {userId, name, handRaised}
    names: new Map(), // userId -> name, kept when someone leaves the list (see nameOf)
    chatSeqs: new Set(),
    lastSeq: 0,
    captions: new Map(), // segmentId -> element
    captionLog: [], // for the test: {at, segmentId, final, text, translations}
    voice: [], // for the test: {speaking, at}
    lang: '',
    hand: false,
    timers: [],
    storage: {recordings: null, files: null},
    streams: new Map(), // userId -> MediaStream, for who is speaking
  };
  app.room = room;
  $('chat-log').replaceChildren();
  $('captions').replaceChildren();
  $('ai-budget').hidden = true;
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
  showCaptionMode();
  setPressed('btn-record', false, 'Record', 'Stop recording');
  $('rec-indicator').hidden = true;
  setPressed('btn-screen', false, 'Share screen', 'Stop sharing');

  const meeting = prepared.meeting;
  room.meeting = meeting;
  $('room-title').textContent = meeting.title || 'Meeting';
  document.title = `${meeting.title || 'Meeting'} · Parley`;
  startPeople(room);

  room.local = prepared.stream || await openCamera();
  if (app.room !== room) {
    if (room.local) room.local.getTracks().forEach((t) => t.stop());
    return;
  }
  room.stage = new Stage($('videos'));
  room.stage.upsert({userId: app.me.userId, name: `${app.me.name || 'You'} (you)`, self: true, stream: room.local});
  if (room.local) room.streams.set(app.me.userId, room.local);
  if (prepared.audio === false) setLocal('audio', false);
  if (prepared.video === false) setLocal('video', false);

  room.bridge = new Bridge(() => session.token, {
    onState: (state) => {
      setConn(state);
      if (state === 'connected') onBridgeUp(room);
    },
    onReconnect: () => {
      replayChat(room);
      replayBoard(room);
      replayNotes(room, true);
    },
    onError: (frame) => {
      if (frame.failureCode === 401) {
        notice(`The server refused your sign-in (${frame.message || 'unauthorized'}); retrying. If it keeps failing, sign in again.`);
      }
      console.warn('bridge error', frame);
    },
    onSignedIn: () => notice(''),
  });
  room.media = startMedia({
    meetingId, me: app.me, bridge: room.bridge, config: app.config, stage: room.stage, openedAt: room.openedAt,
    local: () => room.local,
    nameOf: (userId) => nameOf(room, userId),
    notice: (text) => {
      $('media-status').textContent = text;
    },
    onScreen: (sharing) => setPressed('btn-screen', sharing, 'Share screen', 'Stop sharing'),
  });
  room.mesh = room.media.mesh; // the mesh's connections (mesh meetings), or the SFU client:
  room.sfu = room.media.sfu;
  const base = `meeting.${meetingId}`;
  // Signaling first: registering for meeting events announces us, and offers may follow at once.
  room.bridge.register(`${base}.signal.${app.me.userId}`, (message) => room.media.onSignal(message));
  if (room.media.mode === 'sfu') room.bridge.register(`${base}.media`, (event) => room.media.onEvent(event));
  room.bridge.register(base, (event) => onMeetingEvent(room, event));
  room.bridge.register(`${base}.chat`, (message) => addChat(room, message));
  room.bridge.register(`${base}.captions`, (caption) => {
    if (!room.captionsShown) {
      room.captionsShown = true; // someone is captioning: show the captions (once; the panel can be closed)
      setPanel('captions', true);
    }
    onCaption(room, caption);
  });
  room.bridge.register(`${base}.whiteboard`, (message) => onBoardMessage(room, message));
  room.bridge.register(`${base}.notes`, (message) => onNotesMessage(room, message));
  room.bridge.connect();
  await Promise.all([loadChatHistory(room, 0), loadPolls(room), loadBoard(room), loadBreakouts(room), loadNotes(room)]);
  loadBudget(room);
  loadCaptionLanguages();
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

/**
 * Who calls whom: whoever arrives (or comes back after a drop) calls everyone present, with a
 * fresh connection each time; the others answer. Calls that do not connect are retried by ping().
 */
async function onBridgeUp(room) {
  if (app.room !== room) return;
  const comeback = room.bridgeUpOnce === true;
  room.bridgeUpOnce = true;
  room.media.onBridgeUp(comeback);
  reportMedia(room);
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
      if (p.name) room.names.set(p.userId, p.name);
      if (p.userId !== app.me.userId) room.media.onPresent(p.userId, renew);
    }
    room.media.onCount(participants.length);
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
    else if (e.code === 403) checkStillIn(room); // out of the meeting: removed, or the event was missed
    else console.warn('presence.ping failed', e);
  }
}

/**
 * The bridge says I am not in the meeting any more. The "removed" or "ended" event may not have
 * reached this page (revocation can overtake it): ask the server, which says why.
 */
async function checkStillIn(room) {
  if (app.room !== room || room.checkingMembership) return;
  room.checkingMembership = true;
  try {
    if (await followBreakout(room)) return; // a host sent me to a breakout room
    await post(`/meetings/${room.meetingId}/join`, {}); // a drop counted me out: back in
  } catch (e) {
    if (app.room !== room) return;
    if (e.status === 409) meetingEnded(room);
    else if (e.status === 403) {
      leaveSaying(/remov/i.test(e.message) ? 'A host removed you from the meeting.' : `You are no longer in the meeting: ${e.message}`);
    }
    else console.warn('rejoin failed', e);
  } finally {
    room.checkingMembership = false;
  }
}

function onMeetingEvent(room, event) {
  if (app.room !== room) return;
  switch (event.type) {
    case 'joined':
      room.participants.set(event.userId, {...room.participants.get(event.userId), userId: event.userId, name: event.name});
      if (event.name) room.names.set(event.userId, event.name);
      break; // the newcomer calls us (see onBridgeUp)
    case 'left':
      if (event.userId !== app.me.userId) {
        room.participants.delete(event.userId);
        room.media.onLeft(event.userId);
      }
      break;
    case 'hand': {
      const p = room.participants.get(event.userId) || {userId: event.userId, name: event.name};
      p.handRaised = event.raised;
      room.participants.set(event.userId, p);
      break;
    }
    case 'role':
      if (event.userId === app.me.userId) room.meeting.role = event.role;
      break;
    case 'ended':
      meetingEnded(room);
      return;
    case 'poll':
      onPollEvent(room, event);
      return;
    case 'breakouts':
      onBreakoutEvent(room, event);
      return;
    case 'removed':
      if (event.userId === app.me.userId) {
        leaveSaying('A host removed you from the meeting.');
        return;
      }
      room.media.onLeft(event.userId);
      break;
    case 'aiBudget':
      showBudget(room, event);
      return;
    case 'recording':
      onRecordingEvent(room, event);
      return;
    default:
      break;
  }
  onRoomEvent(room, event, setLocal);
}

function meetingEnded(room) {
  if (room.meeting.parentId) { // a breakout room is over: back to the main meeting
    moveTo(room.meeting.parentId, false);
    return;
  }
  leaveSaying('The meeting has ended; its recap follows.', `#/m/${room.meetingId}/recap`);
}

/** Out of the room (to `to`: the meetings list by default), with a notice that stays up there. */
function leaveSaying(text, to = '#/') {
  notice(text);
  app.pendingNotice = text; // the route clears notices: this one it shows
  leaveRoom(false).then(() => {
    location.hash = to;
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
  stopPeople(room);
  if (room.media) room.media.close();
  if (room.stage) room.stage.clear();
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
  setLocal(kind, !tracks[0].enabled);
}

/** Turns my microphone or camera on or off (a button, or a host's mute), and tells everyone. */
function setLocal(kind, on) {
  const room = app.room;
  const tracks = room && room.local ? (kind === 'audio' ? room.local.getAudioTracks() : room.local.getVideoTracks()) : [];
  if (tracks.length === 0) return;
  tracks.forEach((t) => {
    t.enabled = on;
  });
  if (kind === 'audio') {
    setPressed('btn-mic', !on, 'Mute', 'Unmute');
    if (room.stage) room.stage.setMic(Stage.key(app.me.userId), on);
  } else {
    setPressed('btn-cam', !on, 'Camera off', 'Camera on');
    if (room.stage) room.stage.setCamera(Stage.key(app.me.userId), on);
  }
  if (room.media) room.media.switched(kind, on);
  reportMedia(room);
}

/** Shares the screen (the browser asks which), or stops sharing it. */
async function toggleScreen() {
  const room = app.room;
  if (!room || !room.media) return;
  if (room.media.screen) {
    room.media.stopScreen();
    return;
  }
  try {
    await room.media.shareScreen();
  } catch (e) {
    $('media-status').textContent = e.name === 'NotAllowedError' ? 'Screen sharing was cancelled.' : `Cannot share the screen: ${e.message}`;
  }
  reportMedia(room);
}

/**
 * Uses another camera or microphone during the meeting: the new track replaces the old one in my
 * stream, on every connection, and for captions; it keeps the old one's on or off.
 */
async function switchDevice(kind, deviceId) {
  const room = app.room;
  if (!room) return false;
  const track = await openDevice(kind, deviceId);
  if (!track || app.room !== room) {
    if (track) track.stop();
    return false;
  }
  if (!room.local) room.local = new MediaStream();
  const old = (kind === 'audio' ? room.local.getAudioTracks() : room.local.getVideoTracks())[0];
  track.enabled = old ? old.enabled : true;
  if (old) {
    room.local.removeTrack(old);
    old.stop();
  }
  room.local.addTrack(track);
  // the sender that carried the old track (a camera's, never a screen share's), on every connection
  for (const pc of room.media.peerConnections()) {
    const sender = old ? pc.getSenders().find((s) => s.track === old) : null;
    if (sender) await sender.replaceTrack(track).catch((e) => console.warn('replaceTrack', e));
  }
  if (kind === 'audio' && room.captionStreamer && room.captionStreamer.on) {
    room.captionStreamer.stop();
    await room.captionStreamer.start(track);
  }
  room.stage.upsert({userId: app.me.userId, name: `${app.me.name || 'You'} (you)`, self: true, stream: room.local});
  room.streams.set(app.me.userId, room.local);
  return true;
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
