// Parley web client: sign-in (OIDC or the development issuer), meetings, the pre-join screen and
// the lobby, and the meeting room (video mesh, chat, captions, recordings and files, people and
// the host's controls). Plain ES modules, no build step, nothing loaded from elsewhere.
// This entry routes between the views (sign-in, lobby, room) and wires their controls; each view
// is a module in views/, the shared state is state.js and the DOM helpers are dom.js.

import {notice} from './dom.js';
import {startPwa} from './pwa.js';
import {app} from './state.js';
import {wireCaptions} from './views/captions.js';
import {wireChat} from './views/chat.js';
import {showLobby, wireLobby} from './views/lobby.js';
import {preparing, showPrejoin, stopPreparing, wirePrejoin} from './views/prejoin.js';
import {leaveRecap, recapRoute, showRecap, wireRecap} from './views/recap.js';
import {leaveRoom, wireRoom} from './views/room.js';
import {wireSearch} from './views/search.js';
import {loadMe, loadPublicConfig, showSignIn, wireSignIn} from './views/signin.js';
import {wireStorage} from './views/storage.js';
import {wireBreakouts} from './views/breakouts.js';
import {wirePolls} from './views/polls.js';
import {wireWhiteboard} from './views/whiteboard.js';
import {wireNotes} from './views/notes.js';

function meetingIdFromHash() {
  const m = location.hash.match(/^#\/m\/([0-9a-fA-F-]{36})/);
  return m ? m[1] : null;
}

async function route() {
  notice(app.pendingNotice || '');
  app.pendingNotice = null;
  const recap = recapRoute(location.hash);
  const meetingId = recap ? null : meetingIdFromHash();
  if (app.room && app.room.meetingId !== meetingId) await leaveRoom(false);
  if (!preparing(meetingId)) stopPreparing();
  if (app.recap) leaveRecap();
  if (!app.me) {
    showSignIn(meetingId ? 'Sign in to join the meeting you were invited to.'
      : recap ? 'Sign in to read the meeting\'s recap.' : '');
    return;
  }
  if (recap) {
    await showRecap(recap);
  } else if (meetingId) {
    // the pre-join screen first: camera and microphone, then the lobby or the room
    if (!app.room && !preparing(meetingId)) await showPrejoin(meetingId);
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
  wirePrejoin();
  wireLobby();
  wireRoom();
  wireChat();
  wireCaptions();
  wireStorage();
  wirePolls();
  wireBreakouts();
  wireWhiteboard();
  wireNotes();
  wireRecap();
  wireSearch();
  window.addEventListener('hashchange', route);
  await loadPublicConfig();
  await loadMe();
  await route();
  document.body.dataset.ready = 'true';
}

boot();
