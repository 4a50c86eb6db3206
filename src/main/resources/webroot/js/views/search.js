// Search in the lobby: the tenant's transcripts, chat and recaps (the meetings you took part in),
// each hit with its meeting, speaker and time, linking to the recap page at that moment.

import {get} from '../api.js';
import {$, el} from '../dom.js';

export function wireSearch() {
  $('search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    search($('search-q').value);
  });
}

const KIND = {transcript: 'said', chat: 'in chat', recap: 'in the recap'};

async function search(q) {
  const list = $('search-results');
  const status = $('search-status');
  if (!q.trim()) {
    list.replaceChildren();
    status.textContent = '';
    return;
  }
  status.textContent = 'Searching…';
  try {
    const {items} = await get(`/search?q=${encodeURIComponent(q)}&limit=20`);
    list.replaceChildren(...items.map((hit) => el('li', {dataset: {kind: hit.kind}},
      el('a', {href: hit.link}, hit.meetingTitle || 'Untitled meeting'), ' ',
      el('span', {class: 'muted'}, [hit.speakerName, KIND[hit.kind] || hit.kind,
        hit.at ? new Date(hit.at).toLocaleString() : null].filter(Boolean).join(' · ')),
      el('p', {class: 'snippet'}, ...snippet(hit.snippet)))));
    status.textContent = items.length ? '' : 'Nothing found.';
  } catch (e) {
    list.replaceChildren();
    status.textContent = e.status === 413 ? 'That search is too long.' : `Search failed: ${e.message}`;
  }
}

/** The server marks matched words **like this**; they become <mark>, everything else stays text. */
function snippet(text) {
  return (text || '').split('**').map((part, i) => (i % 2 ? el('mark', {}, part) : part));
}
