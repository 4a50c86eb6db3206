// Sign-in (the server's development tokens), who is signed in, and sign-out.

import {ApiError, get, post, session} from '../api.js';
import {$, show} from '../dom.js';
import {app} from '../state.js';
import {leaveRoom} from './room.js';

/** `route` shows the view the address asks for, once signed in or out. */
export function wireSignIn(route) {
  $('signin-form').addEventListener('submit', (event) => signIn(event, route));
  $('signout').addEventListener('click', () => signOut(route));
}

export function showSignIn(hint) {
  show('view-signin');
  $('signin-hint').textContent = hint || '';
  $('signin-name').focus();
}

async function signIn(event, route) {
  event.preventDefault();
  $('signin-error').textContent = '';
  const name = $('signin-name').value.trim();
  const tenant = $('signin-tenant').value.trim();
  try {
    const {token} = await post('/auth/dev-token', {name, tenant});
    session.token = token;
    await loadMe();
    await route();
  } catch (e) {
    $('signin-error').textContent = e instanceof ApiError && e.status === 404
      ? 'Development sign-in is switched off on this server (it answers 404): it expects tokens from its OIDC '
        + 'provider, and this web client cannot sign in through OIDC yet.'
      : `Sign-in failed: ${e.message}`;
  }
}

export async function loadMe() {
  if (!session.token) return;
  try {
    app.me = await get('/me');
    app.config = await get('/client-config').catch((e) => {
      console.warn('no client configuration', e);
      return app.config;
    });
    $('who').textContent = `${app.me.name || app.me.userId} · ${app.me.tenant}`;
    $('signout').hidden = false;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) session.token = null;
    app.me = null;
  }
}

async function signOut(route) {
  await leaveRoom(true);
  session.token = null;
  app.me = null;
  $('who').textContent = '';
  $('signout').hidden = true;
  location.hash = '#/';
  await route();
}
