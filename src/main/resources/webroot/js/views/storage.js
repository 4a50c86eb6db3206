// Recordings and shared files: the two lists, playing and downloading through short-lived links,
// sharing a file, and recording the meeting.

import {api, ApiError, get, post} from '../api.js';
import {$, clickDownload, el, setPressed} from '../dom.js';
import {MeetingRecorder} from '../recorder.js';
import {app} from '../state.js';

// For the end-to-end test: list the recordings and files now rather than at the next 20 s tick.
app.refreshStorage = () => (app.room ? refreshStorage(app.room) : Promise.resolve());

export function wireStorage() {
  $('btn-record').addEventListener('click', toggleRecording);
  $('file-form').addEventListener('submit', shareFile);
}

function storageUnavailable(e) {
  return e instanceof ApiError && e.noSuchEndpoint;
}

export async function refreshStorage(room) {
  if (app.room !== room) return;
  const status = $('storage-status');
  const [recordings, files] = await Promise.allSettled([
    get(`/meetings/${room.meetingId}/recordings`), get(`/meetings/${room.meetingId}/files`)]);
  if (app.room !== room) return;
  const problems = [];
  for (const [result, list, what, empty, action] of [
    [recordings, $('recordings'), 'Recordings', 'No recordings yet.', (item) => recordingAction(room, item)],
    [files, $('files'), 'Shared files', 'No shared files yet.', (item) =>
      el('button', {type: 'button', onclick: () => download(item), 'aria-label': `Download ${item.name}`}, 'Download')]]) {
    if (result.status === 'fulfilled') {
      renderItems(list, result.value.items, empty, action);
      if (list === $('recordings')) {
        const running = (result.value.items || []).find((i) => i.source === 'server' && i.status === 'recording');
        showServerRecording(room, running ? running.id : null);
      }
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
    clickDownload(url, item.name);
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

/** A recording's button: Play once it can be played; a server recording's progress, or Retry when it failed. */
function recordingAction(room, item) {
  if (item.source !== 'server' || item.status === 'ready') {
    return el('button', {type: 'button', onclick: () => play(item), 'aria-label': `Play ${item.name}`}, 'Play');
  }
  if (item.status === 'failed') {
    return el('span', {class: 'muted'}, ` failed: ${item.reason || 'unknown'} `,
      el('button', {type: 'button', onclick: () => retryRecording(room, item), 'aria-label': `Retry ${item.name}`}, 'Retry'));
  }
  return el('span', {class: 'muted'}, item.status === 'processing' ? ` processing ${item.percent || 0}%` : ' recording…');
}

async function retryRecording(room, item) {
  try {
    await post(`/recordings/${item.id}/retry`, {});
    await refreshStorage(room);
  } catch (e) {
    $('record-status').textContent = `Cannot retry it: ${e.message}`;
  }
}

/** The red "Recording" indicator everyone sees, and the host's button, while the server records. */
function showServerRecording(room, recordingId) {
  if (app.room !== room) return;
  room.serverRecording = recordingId;
  $('rec-indicator').hidden = !recordingId;
  if (room.media && room.media.mode === 'sfu') setPressed('btn-record', Boolean(recordingId), 'Record', 'Stop recording');
}

/** {type: recording, status, recordingId} on meeting.{id}: the server's recording started, progressed, is ready or failed. */
export function onRecordingEvent(room, event) {
  if (event.status === 'recording') showServerRecording(room, event.recordingId);
  else if (room.serverRecording === event.recordingId) showServerRecording(room, null);
  const status = $('record-status');
  if (event.status === 'processing') status.textContent = `Processing the recording… ${event.percent || 0}%`;
  else if (event.status === 'ready') status.textContent = 'The recording is ready.';
  else if (event.status === 'failed') status.textContent = `The recording failed: ${event.reason || 'unknown'}`;
  else if (event.status === 'recording') status.textContent = `${event.byName || 'A host'} started recording this meeting.`;
  if (event.status !== 'processing' || !event.percent) refreshStorage(room);
}

/** On the SFU the server records (host or co-host); on the mesh this page records what it shows. */
async function toggleServerRecording(room) {
  const status = $('record-status');
  try {
    if (room.serverRecording) {
      await post(`/recordings/${room.serverRecording}/stop`, {});
      showServerRecording(room, null);
    } else {
      const started = await post(`/meetings/${room.meetingId}/recordings/start`, {});
      showServerRecording(room, started.recordingId);
    }
  } catch (e) {
    status.textContent = e.status === 403 ? 'Only the host or a co-host can record this meeting.' : `Cannot record: ${e.message}`;
  }
}

async function toggleRecording() {
  const room = app.room;
  if (room.media && room.media.mode === 'sfu') {
    await toggleServerRecording(room);
    return;
  }
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
