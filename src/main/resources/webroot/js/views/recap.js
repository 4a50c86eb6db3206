// After a meeting: its recap (key points, decisions, action items with owner and due date,
// keywords), translated on request, with the meeting's recordings; a search hit's link
// (#/m/{id}/recap?r={recording}&t={seconds}) opens the recording at that moment.

import {get} from '../api.js';
import {$, el, show} from '../dom.js';
import {app} from '../state.js';

const PENDING_RETRY_MS = 1500;
const PENDING_TRIES = 40;

export function wireRecap() {
  $('recap-lang-form').addEventListener('submit', (event) => {
    event.preventDefault();
    if (app.recap) loadRecap(app.recap, $('recap-lang').value);
  });
  // The caption languages are the ones the translator offers; the recap offers the same.
  $('recap-lang').replaceChildren(...[...$('caption-lang').options].map((o) => el('option', {value: o.value}, o.textContent)));
}

/** `#/m/{id}/recap?r=&t=` -> {meetingId, recording, seconds}, or null for any other address. */
export function recapRoute(hash) {
  const m = hash.match(/^#\/m\/([0-9a-fA-F-]{36})\/recap(?:\?(.*))?$/);
  if (!m) return null;
  const params = new URLSearchParams(m[2] || '');
  const t = Number.parseInt(params.get('t') || '', 10);
  return {meetingId: m[1], recording: params.get('r'), seconds: Number.isFinite(t) && t >= 0 ? t : null};
}

export async function showRecap(route) {
  show('view-recap');
  const view = {meetingId: route.meetingId, route};
  app.recap = view;
  $('recap-title').textContent = 'Recap';
  for (const id of ['recap-keypoints', 'recap-decisions', 'recap-actions', 'recap-keywords', 'recap-recordings']) {
    $(id).replaceChildren();
  }
  $('recap-playback').hidden = true;
  $('recap-lang').value = '';
  await loadRecordings(view); // first: the recap's items link to the moments they cover
  await loadRecap(view, '');
}

export function leaveRecap() {
  app.recap = null;
  $('recap-playback').pause();
}

async function loadRecap(view, lang) {
  const status = $('recap-status');
  status.textContent = lang ? 'Translating…' : 'Loading the recap…';
  const query = lang ? `?lang=${encodeURIComponent(lang)}` : '';
  for (let tries = 0; tries < PENDING_TRIES; tries++) {
    let recap;
    try {
      recap = await get(`/meetings/${view.meetingId}/recap${query}`);
    } catch (e) {
      if (app.recap !== view) return;
      status.textContent = e.status === 409 ? 'The meeting is still going on: its recap is written when it ends.'
        : e.status === 404 ? 'There is no such meeting (or it belongs to another organisation).'
          : e.status === 403 ? 'Only the meeting\'s participants can read its recap.'
            : `Could not load the recap: ${e.message}`;
      return;
    }
    if (app.recap !== view) return;
    if (recap.status === 'ready') {
      renderRecap(recap);
      status.textContent = recap.translationError ? `Not translated: ${recap.translationError}`
        : recap.translatedFrom ? `Translated from ${recap.translatedFrom}.`
          : isEmpty(recap) ? 'Nothing was said or written in this meeting, so its recap is empty.' : '';
      return;
    }
    status.textContent = 'The recap is being written…';
    await new Promise((resolve) => setTimeout(resolve, PENDING_RETRY_MS));
    if (app.recap !== view) return;
  }
  status.textContent = 'The recap is taking long to write; try again in a minute.';
}

function isEmpty(recap) {
  return ['keyPoints', 'decisions', 'actionItems'].every((k) => !(recap[k] || []).length);
}

function renderRecap(recap) {
  const point = (p) => el('li', {}, p.text, p.speaker ? el('span', {class: 'muted'}, ` — ${p.speaker}`) : null,
    playButton(p.at));
  fill('recap-keypoints', (recap.keyPoints || []).map(point), 'No key points.');
  fill('recap-decisions', (recap.decisions || []).map(point), 'No decisions.');
  fill('recap-actions', (recap.actionItems || []).map((a) => el('li', {dataset: {owner: a.owner || ''}},
    el('strong', {class: 'owner'}, a.owner || 'Unassigned'), ': ', el('span', {class: 'task'}, a.task),
    a.due ? el('span', {class: 'due'}, ` (${a.due}${a.dueDate ? `, ${a.dueDate}` : ''})`) : null,
    a.context ? el('span', {class: 'muted'}, ` — ${a.context}`) : null, playButton(a.at))), 'No action items.');
  fill('recap-keywords', (recap.keywords || []).map((k) => el('li', {}, k)), 'No keywords.');
  if (recap.generatedAt) {
    $('recap-title').textContent = `Recap · ${new Date(recap.generatedAt).toLocaleDateString()}`;
  }
}

function fill(id, items, empty) {
  $(id).replaceChildren(...(items.length ? items : [el('li', {class: 'muted'}, empty)]));
}

/** A "play from here" button when one of the meeting's recordings covers the moment `at`. */
function playButton(at) {
  const view = app.recap;
  if (!at || !view || !view.recordings) return null;
  const when = Date.parse(at);
  const rec = view.recordings.find((r) => Date.parse(r.createdAt) <= when
    && (!r.completedAt || Date.parse(r.completedAt) >= when));
  if (!rec) return null;
  const seconds = Math.max(0, Math.floor((when - Date.parse(rec.createdAt)) / 1000));
  return el('button', {type: 'button', class: 'link', onclick: () => play(rec, seconds),
    'aria-label': `Play the recording from ${clock(seconds)}`}, ` ▶ ${clock(seconds)}`);
}

function clock(seconds) {
  const m = Math.floor(seconds / 60);
  return `${m}:${String(seconds % 60).padStart(2, '0')}`;
}

async function loadRecordings(view) {
  let items = [];
  try {
    ({items} = await get(`/meetings/${view.meetingId}/recordings`));
  } catch (e) {
    items = [];
  }
  if (app.recap !== view) return;
  view.recordings = (items || []).filter((r) => r.status === 'complete' || r.status === 'ready');
  fill('recap-recordings', view.recordings.map((r) => el('li', {dataset: {id: r.id}}, el('span', {class: 'name'}, r.name),
    el('button', {type: 'button', onclick: () => play(r, 0), 'aria-label': `Play ${r.name}`}, 'Play'))), 'No recordings.');
  const wanted = view.route.recording && view.recordings.find((r) => r.id === view.route.recording);
  if (wanted) await play(wanted, view.route.seconds || 0);
}

async function play(recording, seconds) {
  const video = $('recap-playback');
  try {
    const {url} = await get(`/recordings/${recording.id}/link`);
    video.hidden = false;
    video.dataset.recording = recording.id;
    video.dataset.start = String(seconds);
    video.setAttribute('aria-label', `Recording ${recording.name} from ${clock(seconds)}`);
    // The media fragment starts it there; currentTime again once it is known, for players that ignore it.
    video.src = `${url}${url.includes('#') ? '' : `#t=${seconds}`}`;
    video.addEventListener('loadedmetadata', () => {
      if (seconds > 0 && Math.abs(video.currentTime - seconds) > 1) video.currentTime = seconds;
    }, {once: true});
    await video.play().catch(() => {});
  } catch (e) {
    $('recap-status').textContent = e.status === 409
      ? 'That recording is archived; it is being restored, try again in a few minutes.'
      : `Cannot play it: ${e.message}`;
  }
}
