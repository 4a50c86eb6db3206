// Live captions: showing everyone's captions (partial, then final; translated when a language is
// chosen), captioning my speech through the microphone streamer, and the transcript download.

import {api, get, session} from '../api.js';
import {$, clickDownload, el, setPressed} from '../dom.js';
import {MicStreamer} from '../mic-streamer.js';
import {captionSaysPaused} from './budget.js';
import {app, nameOf} from '../state.js';

export function wireCaptions() {
  $('btn-captions').addEventListener('click', toggleCaptions);
  $('caption-lang').addEventListener('change', chooseCaptionLanguage);
  $('download-transcript').addEventListener('click', downloadTranscript);
}

/**
 * In meetings on the SFU the server captions everyone who speaks (from the audio Janus forwards):
 * no one needs to stream their microphone, so the button goes and the heading says so. On the
 * mesh each person chooses "Caption my speech".
 */
export function showCaptionMode() {
  const server = Boolean(app.config && app.config.media && app.config.media.mode === 'sfu' && app.config.media.serverCaptions !== false);
  $('btn-captions').hidden = server;
  $('captions-title').textContent = server ? 'Live captions (everyone, by the server)' : 'Live captions';
}

export function onCaption(room, caption) {
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
  if (caption.translationPaused) captionSaysPaused(room);
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

/**
 * The caption languages on offer: those this server translates English captions into
 * (GET /api/v1/languages), instead of the page's built-in list; kept as it is if that fails.
 */
export async function loadCaptionLanguages() {
  let offered;
  try {
    offered = await get('/languages');
  } catch (e) {
    console.warn('caption languages unknown', e);
    return;
  }
  const select = $('caption-lang');
  const chosen = select.value;
  const targets = offered.languages.filter((l) => l.code !== 'en' && l.translation.some((t) => t.from === 'en'))
    .map((l) => el('option', {value: l.code}, l.name));
  select.replaceChildren(el('option', {value: ''}, 'Original language'), ...targets);
  select.value = [...select.options].some((o) => o.value === chosen) ? chosen : '';
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
  clickDownload(url, name);
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
