// Sign-in through the organisation's OpenID Connect provider: Authorization Code with PKCE (S256)
// as a public client, against the issuer the server validates (`auth.issuer`, discovery) and with
// the client id the server hands out (`/api/v1/client-config`). The provider sends the browser
// back to /callback.html (auth/callback.js), which trades the code for tokens. The access token is
// renewed with the refresh token before it expires; signing out ends the provider's session where
// it advertises an end_session_endpoint.

import {adopt} from './tokens.js';

const PENDING_KEY = 'parley.oidc.pending';
const TOKENS_KEY = 'parley.oidc.tokens';
const ERROR_KEY = 'parley.signin.error';

export class SignInError extends Error {}

let discovered = null;

/** The provider's metadata; a SignInError saying the provider cannot be reached when it cannot. */
export async function discover(oidc) {
  if (discovered && discovered.issuer === oidc.issuer) return discovered.metadata;
  let response;
  try {
    response = await fetch(`${oidc.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, {cache: 'no-store'});
  } catch (e) {
    throw new SignInError(`The sign-in service (${new URL(oidc.issuer).host}) cannot be reached right now. `
      + 'Check your connection, or try again in a minute.');
  }
  if (!response.ok) {
    throw new SignInError(`The sign-in service (${new URL(oidc.issuer).host}) is not answering properly `
      + `(HTTP ${response.status}). Try again in a minute.`);
  }
  const metadata = await response.json();
  discovered = {issuer: oidc.issuer, metadata};
  return metadata;
}

function randomString(bytes) {
  const a = new Uint8Array(bytes);
  crypto.getRandomValues(a);
  return base64url(a);
}

function base64url(bytes) {
  let s = '';
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function redirectUri() {
  return `${location.origin}/callback.html`;
}

/** Goes to the provider's sign-in page; comes back to `returnTo` (a #/ route) once signed in. */
export async function oidcSignIn(oidc, returnTo) {
  const metadata = await discover(oidc);
  const verifier = randomString(32);
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const state = randomString(16);
  const nonce = randomString(16);
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({verifier, state, nonce, returnTo, issuer: oidc.issuer,
    clientId: oidc.clientId}));
  const url = new URL(metadata.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code', client_id: oidc.clientId, redirect_uri: redirectUri(), scope: oidc.scopes || 'openid profile email',
    state, nonce, code_challenge: challenge, code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

async function tokenRequest(metadata, params) {
  let response;
  try {
    response = await fetch(metadata.token_endpoint, {
      method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'}, body: new URLSearchParams(params),
    });
  } catch (e) {
    throw new SignInError('The sign-in service cannot be reached right now. Try again in a minute.');
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok || !body.access_token) {
    throw new SignInError(body.error_description || body.error || `The sign-in service refused (HTTP ${response.status}).`);
  }
  return body;
}

/**
 * The callback: checks the state, trades the code (with the PKCE verifier) for tokens, checks the
 * ID token's nonce, and keeps the tokens in this tab. Resolves to the route to go back to.
 */
export async function completeSignIn(query) {
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) || 'null');
  sessionStorage.removeItem(PENDING_KEY);
  const error = query.get('error');
  if (error) {
    throw new SignInError(error === 'access_denied'
      ? 'You declined to sign in (or to let Parley use your account), so you are not signed in.'
      : `Sign-in did not complete: ${query.get('error_description') || error}.`);
  }
  if (!pending || pending.state !== query.get('state')) {
    throw new SignInError('This sign-in answer does not belong to a sign-in started here; start again.');
  }
  const metadata = await discover({issuer: pending.issuer});
  const tokens = await tokenRequest(metadata, {
    grant_type: 'authorization_code', code: query.get('code'), redirect_uri: redirectUri(), client_id: pending.clientId,
    code_verifier: pending.verifier,
  });
  if (tokens.id_token) {
    const claims = JSON.parse(atob(tokens.id_token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    if (claims.nonce !== pending.nonce) throw new SignInError('The sign-in answer failed its check (nonce); start again.');
  }
  keep(pending.issuer, pending.clientId, tokens);
  return pending.returnTo || '#/';
}

function keep(issuer, clientId, tokens) {
  const previous = JSON.parse(sessionStorage.getItem(TOKENS_KEY) || '{}');
  sessionStorage.setItem(TOKENS_KEY, JSON.stringify({
    issuer, clientId,
    refreshToken: tokens.refresh_token || previous.refreshToken || null,
    idToken: tokens.id_token || previous.idToken || null,
  }));
  sessionStorage.setItem('parley.token', tokens.access_token);
}

async function renew() {
  const stored = JSON.parse(sessionStorage.getItem(TOKENS_KEY) || 'null');
  if (!stored || !stored.refreshToken) throw new SignInError('Your sign-in cannot be renewed; sign in again.');
  const metadata = await discover({issuer: stored.issuer});
  const tokens = await tokenRequest(metadata, {grant_type: 'refresh_token', refresh_token: stored.refreshToken,
    client_id: stored.clientId});
  keep(stored.issuer, stored.clientId, tokens);
  return tokens.access_token;
}

/** The page holds OIDC tokens from an earlier load: keep renewing them. */
export function resumeOidc(token) {
  if (!sessionStorage.getItem(TOKENS_KEY)) return false;
  adopt(token, 'oidc', renew);
  return true;
}

/** Forgets the tokens and, where the provider offers it, ends its session too (a redirect). */
export async function oidcSignOut() {
  const stored = JSON.parse(sessionStorage.getItem(TOKENS_KEY) || 'null');
  sessionStorage.removeItem(TOKENS_KEY);
  if (!stored) return;
  let metadata = null;
  try {
    metadata = await discover({issuer: stored.issuer});
  } catch (e) {
    return; // the provider is unreachable: signed out here, its session ends by itself
  }
  if (metadata.end_session_endpoint) {
    const url = new URL(metadata.end_session_endpoint);
    url.search = new URLSearchParams({
      client_id: stored.clientId, post_logout_redirect_uri: `${location.origin}/`,
      ...(stored.idToken ? {id_token_hint: stored.idToken} : {}),
    }).toString();
    location.assign(url.toString());
  }
}

/** A message the callback left for the sign-in page (declined, provider down...), once. */
export function takeSignInError() {
  const message = sessionStorage.getItem(ERROR_KEY);
  sessionStorage.removeItem(ERROR_KEY);
  return message;
}

export function leaveSignInError(message) {
  sessionStorage.setItem(ERROR_KEY, message);
}
