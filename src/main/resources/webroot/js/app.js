// Parley web client: sign-in, meetings, and the meeting room (video mesh, chat, captions,
// recordings and files). Plain ES modules, no build step, nothing loaded from elsewhere.
// This entry routes between the views (sign-in, lobby, room) and wires their controls; each view
// is a module in views/, the shared state is state.js and the DOM helpers are dom.js.

import {notice} from './dom.js';
import {startPwa} from './pwa.js';
import {app} from './state.js';
import {wireCaptions} from './views/captions.js';
import {wireChat} from './views/chat.js';
import {showLobby, wireLobby} from './views/lobby.js';
import {enterRoom, leaveRoom, wireRoom} from './views/room.js';
import {loadMe, showSignIn, wireSignIn} from './views/signin.js';
import {wireStorage} from './views/storage.js';

function meetingIdFromHash() {
  const m = location.hash.match(/^#\/m\/([0-9a-fA-F-]{36})/);
  return m ? m[1] : null;
}

async function route() {
  notice('');
  const meetingId = meetingIdFromHash();
  if (app.room && app.room.meetingId !== meetingId) await leaveRoom(false);
  if (!app.me) {
    showSignIn(meetingId ? 'Sign in to join the meeting you were invited to.' : '');
    return;
  }
  if (meetingId) {
    if (!app.room) await enterRoom(meetingId);
  } else {
    showLobby();
  }
}

async function boot() {
  startPwa();
  const params = new URLSearchParams(location.search);
  if (params.get('m')) {
    history.replaceState(null, '', `${location.pathname}#/m/${params.get('m')}`);
  }
  wireSignIn(route);
  wireLobby();
  wireRoom();
  wireChat();
  wireCaptions();
  wireStorage();
  window.addEventListener('hashchange', route);
  await loadMe();
  await route();
  document.body.dataset.ready = 'true';
}

boot();
