// The lobby: the meetings list, creating a meeting, and joining by link or id.

import {get, post} from '../api.js';
import {$, el, notice, setConn, show} from '../dom.js';

export function wireLobby() {
  $('create-form').addEventListener('submit', createMeeting);
  $('link-form').addEventListener('submit', joinByLink);
  $('refresh-meetings').addEventListener('click', refreshMeetings);
}

export async function showLobby() {
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
      m.status === 'ended' ? el('a', {href: `#/m/${m.id}/recap`, class: 'join', 'aria-label': `Recap of ${m.title || 'the meeting'}`}, 'Recap')
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
