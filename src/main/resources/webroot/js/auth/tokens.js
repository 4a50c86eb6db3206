// The signed-in session in this tab: the access token (sessionStorage, as before), how it is
// renewed (development issuer or OIDC), and a timer that renews it before it expires, without a
// page reload. Whatever holds the token reads `session.token` each time (bridge reconnects, the
// audio socket, REST), so a renewed token is picked up everywhere.

import {session} from '../api.js';

const KIND_KEY = 'parley.auth.kind';
let timer = null;
let renewer = null;
let renewing = null;
const listeners = new Set();

/** The claims of a JWT, without checking its signature (the server does). */
export function claimsOf(token) {
  try {
    const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(part + '='.repeat((4 - (part.length % 4)) % 4)), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    return {};
  }
}

/** Seconds until the current token expires (negative once it has), or null without one. */
export function secondsLeft() {
  const token = session.token;
  const exp = token && claimsOf(token).exp;
  return typeof exp === 'number' ? exp - Date.now() / 1000 : null;
}

/**
 * Keeps `token` as the session's, renewed by `renew` (which resolves to a new token, or rejects)
 * a little before each expiry: at three quarters of its lifetime, and at least 10 s before it ends.
 */
export function adopt(token, kind, renew) {
  session.token = token;
  sessionStorage.setItem(KIND_KEY, kind);
  renewer = renew;
  session.renew = renewNow;
  schedule();
  listeners.forEach((fn) => fn(token));
}

export function kind() {
  return sessionStorage.getItem(KIND_KEY);
}

/** Renews now (once at a time); true when a new token is in place. */
export async function renewNow() {
  if (!renewer) return false;
  if (!renewing) {
    renewing = (async () => {
      try {
        const token = await renewer();
        session.token = token;
        window.__parley.auth.renewals += 1;
        schedule();
        listeners.forEach((fn) => fn(token));
        return true;
      } catch (e) {
        console.warn('token renewal failed', e);
        window.__parley.auth.lastError = e.message;
        return false;
      } finally {
        renewing = null;
      }
    })();
  }
  return renewing;
}

function schedule() {
  clearTimeout(timer);
  const token = session.token;
  const {exp, iat} = claimsOf(token || '');
  if (typeof exp !== 'number') return;
  const now = Date.now() / 1000;
  const lifetime = typeof iat === 'number' ? exp - iat : exp - now;
  const at = Math.min(exp - lifetime / 4, exp - 10);
  timer = setTimeout(renewNow, Math.max(1000, (at - now) * 1000));
}

/** Signed out: no token, nothing renewed. */
export function forget() {
  clearTimeout(timer);
  renewer = null;
  session.renew = null;
  session.token = null;
  sessionStorage.removeItem(KIND_KEY);
}

/** Called with each new token (after sign-in and every renewal). */
export function onToken(fn) {
  listeners.add(fn);
}
