// Polls: the meeting's polls with live counts, voting (one changeable vote per person, over the
// bridge), and, for the host and co-hosts, asking and closing.

import {get, post} from '../api.js';
import {$, el} from '../dom.js';
import {app} from '../state.js';

export function wirePolls() {
  $('poll-form').addEventListener('submit', askPoll);
}

/** Called on entering a room: the form for those who run it, and the polls so far. */
export async function loadPolls(room) {
  room.polls = new Map();
  $('polls').replaceChildren();
  $('poll-status').textContent = '';
  $('poll-form').hidden = !runsRoom(room);
  try {
    const {items} = await get(`/meetings/${room.meetingId}/polls`);
    if (app.room !== room) return;
    items.forEach((p) => keep(room, p)); // an event may have brought a newer copy meanwhile
    renderPolls(room);
  } catch (e) {
    $('poll-status').textContent = `Could not load the polls: ${e.message}`;
  }
}

function runsRoom(room) {
  return room.meeting && (room.meeting.role === 'host' || room.meeting.role === 'cohost');
}

/** A {type: poll} event on meeting.{id}: the counts everyone sees (my own choices stay mine). */
export function onPollEvent(room, event) {
  if (app.room !== room || !room.polls || !event.poll) return;
  const known = room.polls.get(event.poll.id);
  if (keep(room, {...event.poll, mine: known ? known.mine : null})) renderPolls(room);
}

/**
 * Stores `poll` unless the copy held is newer: votes cast at once are answered and announced in
 * whatever order their reads finish, so an older count can arrive last. True when stored.
 */
function keep(room, poll) {
  const known = room.polls.get(poll.id);
  if (known && (known.revision ?? -1) > (poll.revision ?? -1)) {
    if (poll.mine !== undefined && poll.mine !== null) known.mine = poll.mine; // my own vote, answered late
    return false;
  }
  room.polls.set(poll.id, poll);
  return true;
}

function renderPolls(room) {
  const list = [...room.polls.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  // Live results re-render the list: a choice ticked but not yet sent must survive that.
  const ticked = new Map(); // input name -> the values ticked now
  for (const input of $('polls').querySelectorAll('input[name^="poll-"]')) {
    if (!ticked.has(input.name)) ticked.set(input.name, new Set());
    if (input.checked) ticked.get(input.name).add(input.value);
  }
  $('polls').replaceChildren(...list.map((poll) => pollItem(room, poll)));
  for (const input of $('polls').querySelectorAll('input[name^="poll-"]:not([disabled])')) {
    if (ticked.has(input.name)) input.checked = ticked.get(input.name).has(input.value);
  }
}

function pollItem(room, poll) {
  const open = poll.status === 'open';
  const mine = new Set(poll.mine || []);
  const total = Math.max(1, poll.voters);
  const options = poll.options.map((option, i) => {
    const input = el('input', {type: poll.multiple ? 'checkbox' : 'radio', name: `poll-${poll.id}`, value: String(i),
      disabled: !open, 'aria-label': option});
    input.checked = mine.has(i);
    return el('li', {class: 'poll-option', dataset: {index: String(i)}},
      el('label', {}, input, ' ', option),
      el('span', {class: 'poll-count', dataset: {count: String(poll.counts[i])}}, ` ${poll.counts[i]}`),
      el('progress', {class: 'poll-bar', max: String(total), value: String(poll.counts[i]), 'aria-hidden': 'true'}));
  });
  const vote = open ? el('button', {type: 'button', class: 'poll-vote', onclick: () => sendVote(room, poll.id)},
    mine.size ? 'Change vote' : 'Vote') : null;
  const close = open && runsRoom(room)
    ? el('button', {type: 'button', class: 'poll-close', onclick: () => closePoll(room, poll.id)}, 'Close poll') : null;
  return el('li', {class: 'poll', dataset: {poll: poll.id, status: poll.status}},
    el('p', {class: 'poll-question'}, poll.question),
    el('p', {class: 'muted'}, `${poll.voters} voted · ${open ? 'open' : 'closed'}${poll.anonymous ? ' · anonymous' : ''}`),
    el('ul', {class: 'poll-options'}, ...options), vote, close);
}

async function sendVote(room, pollId) {
  const choices = [...document.querySelectorAll(`input[name="poll-${pollId}"]:checked`)].map((i) => Number(i.value));
  if (choices.length === 0) {
    $('poll-status').textContent = 'Choose an option first.';
    return;
  }
  try {
    const poll = await room.bridge.request('poll.vote', {meetingId: room.meetingId, pollId, choices});
    keep(room, poll);
    $('poll-status').textContent = 'Vote counted.';
    renderPolls(room);
  } catch (e) {
    $('poll-status').textContent = e.code === 409 ? 'This poll has closed.'
      : e.code === 429 ? 'You are voting too fast; wait a moment.' : `Vote not counted: ${e.message}`;
  }
}

async function closePoll(room, pollId) {
  try {
    const poll = await post(`/meetings/${room.meetingId}/polls/${pollId}/close`, {});
    keep(room, poll);
    renderPolls(room);
  } catch (e) {
    $('poll-status').textContent = `Could not close the poll: ${e.message}`;
  }
}

async function askPoll(event) {
  event.preventDefault();
  const room = app.room;
  const question = $('poll-question').value.trim();
  const options = $('poll-options').value.split('\n').map((o) => o.trim()).filter(Boolean);
  if (!room || !question || options.length < 2) {
    $('poll-status').textContent = 'Write a question and at least two options, one per line.';
    return;
  }
  try {
    const poll = await post(`/meetings/${room.meetingId}/polls`, {question, options,
      anonymous: $('poll-anonymous').checked, multiple: $('poll-multiple').checked});
    keep(room, poll);
    renderPolls(room);
    $('poll-question').value = '';
    $('poll-options').value = '';
    $('poll-status').textContent = 'Poll open.';
  } catch (e) {
    $('poll-status').textContent = `Could not ask: ${e.message}`;
  }
}
