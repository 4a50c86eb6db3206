// Before the room: the pre-join screen (camera and microphone preview, device choice, joining with
// either off) and, in a meeting with a lobby, waiting to be let in (the answer arrives on
// meeting.{id}.lobby.{me}; the join is asked again every 20 s in case it was missed).

import {api, get, session} from '../api.js';
import {Bridge} from '../bridge.js';
import {$, notice, setPressed, show} from '../dom.js';
import {app} from '../state.js';
import {chosenDevices, deviceOf, fillDeviceSelect, initialsOf, levelMeter, openDevices, rememberDevice} from './devices.js';
import {showLobby} from './lobby.js';
import {enterRoom} from './room.js';

const RETRY_WAITING_MS = 20000;
let prep = null; // {meetingId, stream, audio, video, stopMeter, waiting: {bridge, timer}}

export function wirePrejoin() {
  $('prejoin-join').addEventListener('click', () => join());
  $('prejoin-cancel').addEventListener('click', () => cancel());
  $('waiting-cancel').addEventListener('click', () => cancel());
  $('waiting-again').addEventListener('click', () => join());
  $('prejoin-mic-toggle').addEventListener('click', () => toggle('audio'));
  $('prejoin-cam-toggle').addEventListener('click', () => toggle('video'));
  $('prejoin-camera').addEventListener('change', () => switchPreview('video', $('prejoin-camera').value));
  $('prejoin-mic').addEventListener('change', () => switchPreview('audio', $('prejoin-mic').value));
}

/** True while the pre-join screen or the lobby is up for `meetingId`. */
export function preparing(meetingId) {
  return prep !== null && prep.meetingId === meetingId;
}

export async function showPrejoin(meetingId) {
  if (prep) stopPreparing();
  prep = {meetingId, stream: null, audio: true, video: true, stopMeter: null, waiting: null};
  const mine = prep;
  show('view-prejoin');
  $('prejoin-meeting').textContent = '';
  $('prejoin-status').textContent = 'Opening your camera and microphone…';
  $('prejoin-initials').textContent = initialsOf(app.me && app.me.name);
  setToggle('audio', true);
  setToggle('video', true);
  get(`/meetings/${meetingId}`).then((meeting) => {
    if (prep === mine) $('prejoin-meeting').textContent = `${meeting.title || 'Meeting'}${meeting.locked ? ' · locked' : ''}`;
  }).catch((e) => {
    if (prep !== mine) return;
    stopPreparing();
    notice(e.status === 404 ? 'There is no such meeting (or it belongs to another organisation).' : `Could not open the meeting: ${e.message}`);
    showLobby();
  });
  const stream = await openDevices();
  if (prep !== mine) {
    if (stream) stream.getTracks().forEach((t) => t.stop());
    return;
  }
  usePreview(stream);
  $('prejoin-status').textContent = stream ? '' : 'No microphone or camera: you can watch and chat.';
  $('prejoin-join').focus();
}

function usePreview(stream) {
  if (prep.stopMeter) prep.stopMeter();
  prep.stream = stream;
  $('prejoin-video').srcObject = stream;
  const audio = stream && stream.getAudioTracks()[0];
  const video = stream && stream.getVideoTracks()[0];
  if (audio) audio.enabled = prep.audio;
  if (video) video.enabled = prep.video;
  $('prejoin-preview').classList.toggle('cam-off', !video || !prep.video);
  prep.stopMeter = audio ? levelMeter(audio, (level) => {
    const percent = Math.round((prep && prep.audio ? level : 0) * 100);
    $('prejoin-level').style.width = `${percent}%`;
    $('prejoin-level').parentElement.setAttribute('aria-valuenow', String(percent));
  }) : null;
  fillDeviceSelect($('prejoin-camera'), 'video', deviceOf(video));
  fillDeviceSelect($('prejoin-mic'), 'audio', deviceOf(audio));
}

async function switchPreview(kind, deviceId) {
  rememberDevice(kind, deviceId);
  const old = prep.stream;
  const stream = await openDevices(chosenDevices());
  if (old) old.getTracks().forEach((t) => t.stop());
  if (prep) usePreview(stream);
}

function setToggle(kind, on) {
  if (kind === 'audio') setPressed('prejoin-mic-toggle', on, 'Microphone off', 'Microphone on');
  else setPressed('prejoin-cam-toggle', on, 'Camera off', 'Camera on');
}

function toggle(kind) {
  prep[kind] = !prep[kind];
  setToggle(kind, prep[kind]);
  const tracks = prep.stream ? (kind === 'audio' ? prep.stream.getAudioTracks() : prep.stream.getVideoTracks()) : [];
  tracks.forEach((t) => {
    t.enabled = prep[kind];
  });
  if (kind === 'video') $('prejoin-preview').classList.toggle('cam-off', tracks.length === 0 || !prep.video);
}

/** Asks to join: in (the room), waiting (the lobby), or refused (a notice saying why). */
async function join() {
  const mine = prep;
  if (!mine) return;
  $('prejoin-status').textContent = '';
  $('waiting-again').hidden = true;
  let response;
  try {
    response = await api('POST', `/meetings/${mine.meetingId}/join`, {json: {}, raw: true});
  } catch (e) {
    if (prep !== mine) return;
    const why = e.status === 404 ? 'There is no such meeting (or it belongs to another organisation).'
      : e.status === 409 ? 'This meeting has ended.'
        : e.status === 423 ? 'This meeting is locked: a host has closed it to new arrivals.'
          : e.status === 403 ? 'A host removed you from this meeting; only a host can let you back in.'
            : e.status === 429 ? (mine.waiting ? null : `You cannot join right now: ${e.message}`)
              : `Could not join: ${e.message}`;
    if (why === null) return; // still waiting; the next attempt will be allowed
    stopPreparing();
    notice(why);
    showLobby();
    return;
  }
  const body = await response.json();
  if (prep !== mine) return;
  if (response.status === 202) {
    wait(mine);
    return;
  }
  const prepared = {meeting: body, stream: mine.stream, audio: mine.audio, video: mine.video};
  mine.stream = null; // the room owns it now
  stopPreparing();
  await enterRoom(mine.meetingId, prepared);
}

function wait(mine) {
  show('view-waiting');
  $('waiting-title').textContent = 'Waiting to be let in';
  $('waiting-text').textContent = 'This meeting has a lobby: a host has been told you are here and will let you in.';
  if (mine.waiting) return;
  const bridge = new Bridge(() => session.token, {onError: (frame) => console.warn('lobby bridge', frame)});
  mine.waiting = {bridge, timer: setInterval(() => join(), RETRY_WAITING_MS)};
  bridge.register(`meeting.${mine.meetingId}.lobby.${app.me.userId}`, (answer) => {
    if (prep !== mine) return;
    if (answer.type === 'admitted') {
      $('waiting-text').textContent = 'A host let you in. Joining…';
      join();
    } else if (answer.type === 'denied') {
      clearInterval(mine.waiting.timer);
      $('waiting-title').textContent = 'Not let in';
      $('waiting-text').textContent = 'A host declined your request to join this meeting.';
      $('waiting-again').hidden = false;
      mine.waiting.timer = null;
    }
  });
  bridge.connect();
}

function cancel() {
  stopPreparing();
  location.hash = '#/';
}

/** Leaves the pre-join screen or the lobby: devices released, the lobby's socket closed. */
export function stopPreparing() {
  const mine = prep;
  if (!mine) return;
  prep = null;
  if (mine.stopMeter) mine.stopMeter();
  if (mine.stream) mine.stream.getTracks().forEach((t) => t.stop());
  $('prejoin-video').srcObject = null;
  if (mine.waiting) {
    clearInterval(mine.waiting.timer);
    mine.waiting.bridge.close();
  }
}
