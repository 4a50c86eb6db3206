// Sign-in with the server's development issuer (embedded mode): a token for a name and an
// organisation, renewed by asking again with the same name and organisation before it expires.

import {post} from '../api.js';
import {adopt} from './tokens.js';

const DEV_KEY = 'parley.dev';

async function issue({name, tenant}) {
  const {token} = await post('/auth/dev-token', {name, tenant}, {noRenew: true});
  return token;
}

export async function devSignIn(name, tenant) {
  const token = await issue({name, tenant});
  sessionStorage.setItem(DEV_KEY, JSON.stringify({name, tenant}));
  adopt(token, 'dev', () => issue(JSON.parse(sessionStorage.getItem(DEV_KEY))));
}

/** After a reload: keep renewing the token this tab already has. */
export function resumeDev(token) {
  const who = sessionStorage.getItem(DEV_KEY);
  if (!who) return false;
  adopt(token, 'dev', () => issue(JSON.parse(who)));
  return true;
}

export function forgetDev() {
  sessionStorage.removeItem(DEV_KEY);
}
