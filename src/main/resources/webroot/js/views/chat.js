// Chat: the history, live messages kept in seq order without duplicates, the replay after a
// reconnect, and sending.

import {get} from '../api.js';
import {$, el} from '../dom.js';
import {app} from '../state.js';

export function wireChat() {
  $('chat-form').addEventListener('submit', sendChat);
}

export async function loadChatHistory(room, after) {
  let cursor = after;
  for (let page = 0; page < 100; page++) {
    const body = await get(`/meetings/${room.meetingId}/chat?after=${cursor}&limit=200`);
    if (app.room !== room) return;
    body.messages.forEach((m) => addChat(room, m));
    if (!body.more || body.messages.length === 0) break;
    cursor = body.lastSeq;
  }
}

/**
 * After a reconnect: everything after the last message seen, deduplicated by seq. A failed fetch
 * (the network still settling after a wake or a new network) is tried again, 2, 4, 8 and 16 s
 * later, while the page is in that room: otherwise what was missed would stay missing until the
 * next reconnect.
 */
export async function replayChat(room, attempt = 0) {
  try {
    await loadChatHistory(room, room.lastSeq);
    $('chat-status').textContent = '';
  } catch (e) {
    const again = attempt < 4 && app.room === room;
    $('chat-status').textContent = `Could not fetch missed messages: ${e.message}${again ? '; trying again' : ''}`;
    if (again) setTimeout(() => replayChat(room, attempt + 1), 2000 * 2 ** attempt);
  }
}

export function addChat(room, message) {
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
  // The box is free for the next message at once: clearing it when the reply comes would wipe
  // whatever was typed meanwhile. A message that is not sent comes back into the box.
  input.value = '';
  try {
    const reply = await room.bridge.request('chat.send', {meetingId: room.meetingId, text, clientId: crypto.randomUUID()});
    if (reply.moderation && reply.moderation.action === 'redact') {
      status.textContent = `Your message was redacted by the meeting's safety policy${
        reply.moderation.categories && reply.moderation.categories.length ? ` (${reply.moderation.categories.join(', ')})` : ''}.`;
    }
    addChat(room, {seq: reply.seq, id: reply.id, senderId: app.me.userId, senderName: app.me.name,
      text: reply.text ?? text, moderation: reply.moderation, ts: new Date().toISOString()});
  } catch (e) {
    const restored = input.value.trim() === '';
    if (restored) input.value = text;
    const why = e.code === 422 ? e.message
      : e.code === 429 ? 'you are sending too fast; wait a moment.'
        : e.message;
    status.textContent = restored ? `Not sent: ${why}` : `Not sent ("${text}"): ${why}`;
  }
}
