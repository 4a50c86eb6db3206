// /callback.html: where the identity provider sends the browser back after sign-in. Trades the
// code for tokens (auth/oidc.js), then returns to the page the sign-in started from; a refusal
// (declined, expired, provider down) goes back to the sign-in page with a message saying so.

import {completeSignIn, leaveSignInError} from './oidc.js';

const status = document.getElementById('callback-status');
completeSignIn(new URLSearchParams(location.search))
  .then((returnTo) => location.replace(`/${returnTo.startsWith('#') ? returnTo : '#/'}`))
  .catch((e) => {
    leaveSignInError(e.message);
    status.textContent = e.message;
    location.replace('/#/');
  });
