// End-to-end test of signing in through a real OpenID Connect provider (Keycloak, started by
// webclient.OidcSignInBrowserTest with src/test/resources/keycloak/parley-realm.json: ada and ben in
// "acme", zoe in "globex", 15 s access tokens, consent asked).
// Usage: node e2e/signin.spec.mjs <baseUrl> <issuer>   (CHROMIUM, E2E_SCREENSHOTS as in meeting.spec.mjs;
// E2E_LEEWAY: the server's auth.leewaySeconds, default 30)
//
// Ada signs in on Keycloak's own page (Authorization Code + PKCE), creates a meeting and stays in it
// while her access token is renewed without a reload (the old one is refused by then, the new ones
// work, chat still flows); Ben declines the consent and is told so; with the provider unreachable
// the page says so; Zoe (another organisation) sees none of acme's meetings; Ada signs out and
// Keycloak's session ends with it.

import {elapsed, inRoom, launch, log, person, pressJoin, problems, shot, step} from './common.mjs';

const base = (process.argv[2] || 'http://localhost:8080').replace(/\/$/, '');
const issuer = (process.argv[3] || '').replace(/\/$/, '');
const idp = new URL(issuer).origin;
// the server's auth.leewaySeconds: an expired token is refused once this much past its exp
const leeway = Number(process.env.E2E_LEEWAY || 30);

/** From Parley's sign-in page to Keycloak's login form, filled in; resolves on the page after it. */
async function keycloakLogin(page, username, password) {
  await page.waitForSelector('#signin-oidc-button:visible');
  await page.click('#signin-oidc-button');
  await page.waitForURL((url) => url.origin === idp, {timeout: 20000});
  await page.waitForSelector('#username');
  const url = new URL(page.url());
  for (const [key, want] of [['response_type', 'code'], ['code_challenge_method', 'S256'], ['client_id', 'parley-web']]) {
    if (url.searchParams.get(key) !== want) throw new Error(`authorisation request ${key}=${url.searchParams.get(key)}, not ${want}`);
  }
  if (!url.searchParams.get('code_challenge') || !url.searchParams.get('state')) throw new Error('no PKCE challenge or state');
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('#kc-login');
}

/** Keycloak asks for consent the first time a person uses the client (a remembered one is not asked again). */
async function consent(page, accept) {
  // after the password: Keycloak's consent page (login-actions/...), or straight back to Parley
  await page.waitForURL((url) => url.origin !== idp || url.pathname.includes('/login-actions/'), {timeout: 30000});
  if (new URL(page.url()).origin === idp) {
    const button = accept ? '#kc-login' : '#kc-cancel';
    await page.waitForSelector(button, {timeout: 20000});
    await page.click(button);
  } else if (!accept) {
    throw new Error('no consent screen to decline');
  }
}

async function signedIn(page) {
  await page.waitForURL((url) => url.origin === new URL(base).origin && !url.pathname.startsWith('/callback'), {timeout: 20000});
  await page.waitForSelector('#view-lobby:not([hidden]), #view-prejoin:not([hidden])');
  return page.evaluate(() => window.__parley.me);
}

const expOf = (token) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).exp;

async function main() {
  const browser = await launch();
  const ada = await person(browser, 'Ada', base);
  const ben = await person(browser, 'Ben', base);
  const zoe = await person(browser, 'Zoe', base);
  let meetingId;

  try {
    await step('the sign-in page offers the organisation\'s sign-in only, and the CSP opens the provider alone', async () => {
      const response = await ada.goto(`${base}/`);
      const csp = response.headers()['content-security-policy'] || '';
      const connect = (csp.match(/connect-src ([^;]*)/) || [])[1] || '';
      if (connect.trim() !== `'self' ${idp}`) throw new Error(`connect-src is "${connect}", not 'self' ${idp}`);
      await ada.waitForSelector('body[data-ready="true"]');
      await ada.waitForSelector('#signin-oidc:not([hidden])');
      if (await ada.isVisible('#signin-form')) throw new Error('the development sign-in form shows on a server without it');
      const config = await ada.evaluate(() => window.__parley.config.oidc);
      if (config.issuer !== issuer || config.clientId !== 'parley-web') throw new Error(`client-config oidc: ${JSON.stringify(config)}`);
      await shot(ada, 'oidc-01-signin');
    });

    await step('Ada signs in on Keycloak\'s login page (code + PKCE) and is back in Parley as herself', async () => {
      await keycloakLogin(ada, 'ada', 'ada-password');
      await shot(ada, 'oidc-02-consent');
      await consent(ada, true);
      const me = await signedIn(ada);
      if (me.tenant !== 'acme' || !/Ada/.test(me.name)) throw new Error(`signed in as ${JSON.stringify(me)}`);
      const who = await ada.textContent('#who');
      if (!/Ada/.test(who) || !/acme/.test(who)) throw new Error(`header says "${who}"`);
    });

    await step('Ada creates a meeting and joins it', async () => {
      await ada.fill('#create-title', 'Acme planning');
      await ada.click('#create-form button[type=submit]');
      await pressJoin(ada);
      await inRoom(ada);
      meetingId = ada.url().match(/#\/m\/([0-9a-f-]{36})/)[1];
      log('meeting', meetingId);
    });

    await step('her 15 s access token is renewed while the meeting goes on, without a reload', async () => {
      const first = await ada.evaluate(() => ({token: sessionStorage.getItem('parley.token'), renewals: window.__parley.auth.renewals,
        loadedAt: performance.timeOrigin}));
      await ada.waitForFunction((n) => window.__parley.auth.renewals >= n + 2, first.renewals, {timeout: 60000});
      // wait until the first token has expired (and the server's leeway passed), then check the
      // server refuses it and takes the new one
      const wait = (expOf(first.token) + leeway) * 1000 - Date.now() + 1500;
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const now = await ada.evaluate(async ([old, id]) => {
        const fresh = sessionStorage.getItem('parley.token');
        const call = async (token) => (await fetch(`/api/v1/meetings/${id}`, {headers: {Authorization: `Bearer ${token}`}})).status;
        return {fresh, oldStatus: await call(old), freshStatus: await call(fresh), loadedAt: performance.timeOrigin,
          bridge: window.__parley.room && window.__parley.room.bridge.state, error: window.__parley.auth.lastError};
      }, [first.token, meetingId]);
      if (now.loadedAt !== first.loadedAt) throw new Error('the page was reloaded');
      if (now.fresh === first.token) throw new Error('the token was not replaced');
      if (now.oldStatus !== 401) throw new Error(`the expired token got ${now.oldStatus}, not 401`);
      if (now.freshStatus !== 200) throw new Error(`the renewed token got ${now.freshStatus} (${now.error})`);
      if (now.bridge !== 'connected') throw new Error(`the bridge is ${now.bridge}`);
      // the page's own REST calls (chat history, presence) keep working: a chat message goes round
      await ada.fill('#chat-input', 'still here after renewal');
      await ada.press('#chat-input', 'Enter');
      await ada.waitForFunction(() => [...document.querySelectorAll('#chat-log li')].some((li) => li.textContent.includes('still here after renewal')),
        null, {timeout: 15000});
      const left = await ada.evaluate(() => JSON.parse(atob(sessionStorage.getItem('parley.token').split('.')[1])).exp - Date.now() / 1000);
      log(`renewals so far: ${await ada.evaluate(() => window.__parley.auth.renewals)}, current token valid ${left.toFixed(1)} s more`);
    });

    await step('Ben declines the consent: back on the sign-in page, told he is not signed in', async () => {
      await ben.goto(`${base}/?m=${meetingId}`);
      await ben.waitForSelector('body[data-ready="true"]');
      await keycloakLogin(ben, 'ben', 'ben-password');
      await consent(ben, false);
      await ben.waitForURL((url) => url.origin === new URL(base).origin && !url.pathname.startsWith('/callback'), {timeout: 20000});
      await ben.waitForSelector('#view-signin:not([hidden])');
      await ben.waitForFunction(() => /declined/i.test(document.getElementById('signin-error').textContent));
      if (await ben.evaluate(() => sessionStorage.getItem('parley.token'))) throw new Error('a token was kept after declining');
      await shot(ben, 'oidc-03-declined');
    });

    await step('with the provider unreachable, the sign-in page says so', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.route(`${idp}/**`, (route) => route.abort('connectionrefused'));
      await page.goto(`${base}/`);
      await page.waitForSelector('body[data-ready="true"]');
      await page.waitForFunction(() => /cannot be reached/i.test(document.getElementById('signin-error').textContent), null, {timeout: 15000});
      await page.click('#signin-oidc-button');
      await page.waitForFunction(() => /cannot be reached/i.test(document.getElementById('signin-error').textContent));
      if (new URL(page.url()).origin !== new URL(base).origin) throw new Error('the page left for an unreachable provider');
      await shot(page, 'oidc-04-idp-down');
      await context.close();
    });

    await step('Zoe, of another organisation, sees none of acme\'s meetings, and not this one by its link', async () => {
      await zoe.goto(`${base}/`);
      await zoe.waitForSelector('body[data-ready="true"]');
      await keycloakLogin(zoe, 'zoe', 'zoe-password');
      await consent(zoe, true);
      const me = await signedIn(zoe);
      if (me.tenant !== 'globex') throw new Error(`Zoe is in ${me.tenant}`);
      await zoe.waitForFunction(() => document.querySelector('#meeting-list li'));
      const listed = await zoe.textContent('#meeting-list');
      if (/Acme planning/.test(listed)) throw new Error('Zoe sees acme\'s meeting');
      const status = await zoe.evaluate(async (id) => (await fetch(`/api/v1/meetings/${id}`,
        {headers: {Authorization: `Bearer ${sessionStorage.getItem('parley.token')}`}})).status, meetingId);
      if (status !== 404) throw new Error(`acme's meeting answers ${status} to Zoe, not 404`);
      await zoe.goto(`${base}/#/m/${meetingId}`);
      await zoe.waitForFunction(() => /no such meeting/i.test(document.getElementById('notice').textContent), null, {timeout: 15000});
    });

    await step('Ada signs out: Keycloak\'s session ends too, so signing in asks for her password again', async () => {
      await ada.click('#signout');
      await ada.waitForURL((url) => url.origin === new URL(base).origin, {timeout: 20000});
      await ada.waitForSelector('#view-signin:not([hidden])', {timeout: 20000});
      if (await ada.evaluate(() => sessionStorage.getItem('parley.token'))) throw new Error('the token is still kept');
      await ada.click('#signin-oidc-button');
      await ada.waitForURL((url) => url.origin === idp, {timeout: 20000});
      await ada.waitForSelector('#username', {timeout: 20000}); // no session: the login form, not straight back
      await shot(ada, 'oidc-05-after-signout');
    });

    if (problems.length > 0) throw new Error(`browser problems:\n  ${problems.join('\n  ')}`);
    log(`PASSED in ${elapsed()} s`);
  } catch (e) {
    console.error(`[e2e] FAILED: ${e.stack || e.message}`);
    for (const [who, page] of [['ada', ada], ['ben', ben], ['zoe', zoe]]) await shot(page, `oidc-failure-${who}`);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}

main();
