// The shared notes: one text per meeting that everyone present edits at once, an Automerge
// document (the vendored js/vendor/automerge, Rust compiled to wasm; the server runs the same code).
// The page loads the whole document (GET .../notes/state), binds the textarea to its text, and turns
// each local edit into Automerge changes sent over the bridge (notes.update), one update in flight
// at a time and retried with the same clientId after a drop. Updates published on
// meeting.{id}.notes (everyone's, ours included) are merged into the document, keeping the caret
// where it was in the text; a gap in their seq is filled with ?after=<last seq>.

import {get} from '../api.js';
import {$} from '../dom.js';
import {app} from '../state.js';

const TEXT = ['text'];
/** Changes sent in one update at most (the server's collab.notes.maxUpdateBytes is 32 KiB by default). */
const UPDATE_BYTES = 16 * 1024;

let automerge = null;

/** The Automerge module, loaded and its wasm compiled once per page. */
async function loadAutomerge() {
  if (!automerge) {
    automerge = import('../vendor/automerge/entrypoints/slim.js').then(async (A) => {
      await A.initializeWasm(new URL('../vendor/automerge/wasm_bindgen_output/web/automerge_wasm_bg.wasm', import.meta.url));
      return A;
    });
  }
  return automerge;
}

export function wireNotes() {
  $('notes-text').addEventListener('input', () => localEdit(app.room));
}

/** Called on entering a room: the notes as they are now, then live. */
export async function loadNotes(room) {
  room.notes = {A: null, doc: null, seq: 0, early: [], outbox: [], inFlight: null, retry: null};
  const box = $('notes-text');
  box.value = '';
  box.disabled = true;
  status('Loading the notes...');
  try {
    const A = await loadAutomerge();
    const body = await get(`/meetings/${room.meetingId}/notes/state`);
    if (app.room !== room) return;
    const notes = room.notes;
    notes.A = A;
    notes.doc = A.load(fromBase64(body.state));
    notes.seq = body.seq;
    const early = notes.early;
    notes.early = [];
    early.forEach((message) => onNotesMessage(room, message));
    render(room);
    box.disabled = false;
    status('');
  } catch (e) {
    status(`Could not load the notes: ${e.message}`);
  }
}

/** A message on meeting.{id}.notes: a stored update. */
export function onNotesMessage(room, message) {
  const notes = app.room === room ? room.notes : null;
  if (!notes || message.kind !== 'update' || typeof message.seq !== 'number') return;
  if (!notes.doc) {
    notes.early.push(message);
    return;
  }
  if (message.seq <= notes.seq) return;
  merge(room, [message.update]);
  if (message.seq === notes.seq + 1) notes.seq = message.seq;
  else replayNotes(room); // it overtook updates not seen yet
}

/** Everything after the last update seen (after a reconnect, or a gap); then what is still to send. */
export async function replayNotes(room, reconnected = false) {
  const notes = room.notes;
  if (!notes || !notes.doc) return;
  try {
    for (let page = 0; page < 100; page++) {
      const body = await get(`/meetings/${room.meetingId}/notes?after=${notes.seq}&limit=1000`);
      if (app.room !== room) return;
      merge(room, body.updates.map((u) => u.update));
      notes.seq = Math.max(notes.seq, body.lastSeq);
      if (!body.more || body.updates.length === 0) break;
    }
  } catch (e) {
    status(`Could not load the latest notes: ${e.message}`);
  }
  // after a drop, the update that was under way goes again (same clientId: stored once)
  if (reconnected && notes.inFlight) send(room, notes.inFlight);
  else flush(room);
}

/** Applies updates (base64 Automerge changes; repeats change nothing) and shows the text, the caret kept. */
function merge(room, updates) {
  const notes = room.notes;
  const {A} = notes;
  const box = $('notes-text');
  const focused = document.activeElement === box;
  const caret = focused ? [anchor(notes, box.selectionStart), anchor(notes, box.selectionEnd)] : null;
  for (const update of updates) notes.doc = A.loadIncremental(notes.doc, fromBase64(update));
  render(room);
  if (caret) box.setSelectionRange(position(notes, caret[0]), position(notes, caret[1]));
}

/**
 * Where a caret is, as the character just before it (so that what someone else types at the same
 * place goes before or after, never between the caret and what I just typed); null: the start.
 */
function anchor(notes, index) {
  return index > 0 ? notes.A.getCursor(notes.doc, TEXT, index - 1, 'before') : null;
}

function position(notes, cursor) {
  return cursor === null ? 0 : notes.A.getCursorPosition(notes.doc, TEXT, cursor) + 1;
}

function render(room) {
  const box = $('notes-text');
  const text = room.notes.doc.text || '';
  if (box.value !== text) box.value = text;
}

/** The textarea changed: the difference becomes an Automerge change to send. */
function localEdit(room) {
  const notes = room && room.notes;
  if (!notes || !notes.doc) return;
  const {A} = notes;
  const value = $('notes-text').value;
  if (value === (notes.doc.text || '')) return;
  notes.doc = A.change(notes.doc, (d) => A.updateText(d, TEXT, value));
  const change = A.getLastLocalChange(notes.doc);
  if (change) notes.outbox.push(change);
  flush(room);
}

/** Sends what is waiting, one update at a time (each acknowledged before the next). */
function flush(room) {
  const notes = room && room.notes;
  if (!notes || notes.inFlight || notes.outbox.length === 0 || app.room !== room || room.bridge.state !== 'connected') return;
  let count = 0;
  let size = 0;
  while (count < notes.outbox.length && (count === 0 || size + notes.outbox[count].length <= UPDATE_BYTES)) {
    size += notes.outbox[count].length;
    count++;
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  notes.outbox.slice(0, count).forEach((c) => {
    bytes.set(c, at);
    at += c.length;
  });
  notes.inFlight = {clientId: `n-${crypto.randomUUID()}`, update: toBase64(bytes), count};
  send(room, notes.inFlight);
}

async function send(room, inFlight) {
  const notes = room.notes;
  try {
    await room.bridge.request('notes.update', {meetingId: room.meetingId, clientId: inFlight.clientId, update: inFlight.update});
    if (notes.inFlight !== inFlight) return;
    notes.outbox.splice(0, inFlight.count);
    notes.inFlight = null;
    status('');
    flush(room);
  } catch (e) {
    if (notes.inFlight !== inFlight || app.room !== room) return;
    if (e.code === 429 || !e.code || e.code >= 500) {
      // too fast, or the bridge dropped: the same update again (same clientId: stored once)
      clearTimeout(notes.retry);
      notes.retry = setTimeout(() => {
        if (notes.inFlight === inFlight && room.bridge.state === 'connected') send(room, inFlight);
      }, e.code === 429 ? 1000 : 3000);
      return;
    }
    notes.inFlight = null;
    notes.outbox = [];
    if (e.code === 409) {
      $('notes-text').disabled = true;
      status('The meeting has ended: the notes are saved with its files.');
      return;
    }
    // refused (too long, or not accepted): back to the notes as the server has them
    status(`Your last edit was not saved: ${e.message}`);
    const message = $('notes-status').textContent;
    await loadNotes(room);
    status(message);
  }
}

function status(text) {
  $('notes-status').textContent = text;
}

function fromBase64(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

function toBase64(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
