// Sign-in: through the organisation's OpenID Connect provider when the server has one (auth/oidc.js),
// or the development issuer on the embedded defaults (auth/dev.js); who is signed in; sign-out
// (ending the provider's session too where it can). Tokens are renewed before they expire
// (auth/tokens.js).

import {ApiError, get, session} from '../api.js';
import {devSignIn, forgetDev, resumeDev} from '../auth/dev.js';
import {discover, oidcSignIn, oidcSignOut, resumeOidc, SignInError, takeSignInError} from '../auth/oidc.js';
import {forget, kind} from '../auth/tokens.js';
import {$, show} from '../dom.js';
import {app} from '../state.js';
import {leaveRoom} from './room.js';

/** `route` shows the view the address asks for, once signed in or out. */
export function wireSignIn(route) {
  $('signin-form').addEventListener('submit', (event) => signIn(event, route));
  $('signin-oidc-button').addEventListener('click', startOidc);
  $('signout').addEventListener('click', () => signOut(route));
}

/** What the server says about signing in (no token needed): dev sign-in, or the OIDC provider. */
export async function loadPublicConfig() {
  try {
    app.config = {...app.config, ...await get('/client-config', {noRenew: true})};
  } catch (e) {
    console.warn('no client configuration', e);
  }
}

export function showSignIn(hint) {
  show('view-signin');
  const oidc = app.config.oidc;
  $('signin-oidc').hidden = !oidc;
  $('signin-form').hidden = !app.config.devSignIn;
  $('signin-hint').textContent = hint || '';
  const left = takeSignInError();
  $('signin-error').textContent = left
    || (!oidc && !app.config.devSignIn ? 'This server has no way to sign in from the browser configured '
      + '(auth.clientId and auth.issuer, or development sign-in).' : '');
  if (app.config.devSignIn) $('signin-name').focus();
  else if (oidc) {
    $('signin-oidc-button').focus();
    // Say at once when the provider cannot be reached, rather than after the click.
    discover(oidc).catch((e) => {
      if (e instanceof SignInError && !$('signin-error').textContent) $('signin-error').textContent = e.message;
    });
  }
}

async function startOidc() {
  $('signin-error').textContent = '';
  try {
    await oidcSignIn(app.config.oidc, location.hash || '#/');
  } catch (e) {
    $('signin-error').textContent = e instanceof SignInError ? e.message : `Sign-in failed: ${e.message}`;
  }
}

async function signIn(event, route) {
  event.preventDefault();
  $('signin-error').textContent = '';
  const name = $('signin-name').value.trim();
  const tenant = $('signin-tenant').value.trim();
  try {
    await devSignIn(name, tenant);
    await loadMe();
    await route();
  } catch (e) {
    $('signin-error').textContent = e instanceof ApiError && e.status === 404
      ? 'Development sign-in is switched off on this server (it answers 404): sign in with your organisation instead.'
      : `Sign-in failed: ${e.message}`;
  }
}

export async function loadMe() {
  const token = session.token;
  if (!token) return;
  if (!kind() || kind() === 'oidc') resumeOidc(token) || resumeDev(token);
  else resumeDev(token);
  try {
    app.me = await get('/me');
    app.config = await get('/client-config').catch((e) => {
      console.warn('no client configuration', e);
      return app.config;
    });
    $('who').textContent = `${app.me.name || app.me.userId} · ${app.me.tenant}`;
    $('signout').hidden = false;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) forget();
    app.me = null;
  }
}

async function signOut(route) {
  await leaveRoom(true);
  const wasOidc = kind() === 'oidc';
  forget();
  forgetDev();
  app.me = null;
  $('who').textContent = '';
  $('signout').hidden = true;
  location.hash = '#/';
  if (wasOidc) await oidcSignOut(); // leaves for the provider's sign-out page when it has one
  await route();
}
