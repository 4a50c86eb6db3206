// The web client's bridge (src/main/resources/webroot/js/bridge.js) signs in with its first frame's
// `authorization` header, not with a token in the URL, against a real Parley server (started by
// webclient.BridgeSignInTest). Runs under Node's WebSocket (`--experimental-websocket` on Node 20).
// Usage: node --experimental-websocket e2e/bridge-signin.mjs <baseUrl> <annToken> <benToken> <meetingId>
//
// 1. Ann's first token is forged: the server refuses the sign-in (401), the client reports it once,
//    closes the socket and opens another, asking for a token again; with a good one it signs in,
//    its registration is restored and a message from Ben reaches it.
// 2. A chat send written right behind the signing-in frame is not refused: it waits for the check.
// 3. No socket URL carries a token.
// Prints PASSED; exits 1 on any failure.

import assert from 'node:assert/strict';

const [base, annToken, benToken, meetingId] = process.argv.slice(2);
if (!meetingId) {
  console.error('usage: node --experimental-websocket e2e/bridge-signin.mjs <baseUrl> <annToken> <benToken> <meetingId>');
  process.exit(2);
}
if (typeof WebSocket !== 'function') {
  console.error('no WebSocket in this Node: run it with --experimental-websocket (Node 20) or Node 22+');
  process.exit(2);
}
const target = new URL(base);
globalThis.location = {protocol: target.protocol, host: target.host};
const urls = [];
const NodeWebSocket = globalThis.WebSocket;
globalThis.WebSocket = class extends NodeWebSocket {
  constructor(url, ...rest) {
    urls.push(String(url));
    super(url, ...rest);
  }
};

const {Bridge} = await import('../src/main/resources/webroot/js/bridge.js');

const started = Date.now();
function log(text) {
  console.log(`[bridge-signin +${((Date.now() - started) / 1000).toFixed(1)}s] ${text}`);
}

async function until(check, what, ms = 15000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const chat = `meeting.${meetingId}.chat`;
let annSupplies = 'forged.token.here';
const asked = [];
const errors = [];
const states = [];
let signedIn = 0;
const ann = new Bridge(() => {
  asked.push(annSupplies);
  return annSupplies;
}, {
  onError: (frame) => errors.push(frame),
  onState: (state) => states.push(state),
  onSignedIn: () => signedIn++,
});
const annGot = [];
ann.register(chat, (body) => annGot.push(body));
ann.connect();

try {
  // 1. the forged token: refused with 401, reported once, the socket closed
  await until(() => errors.length > 0, "the server's refusal of the forged token");
  assert.equal(errors[0].failureCode, 401, `refused with 401: ${JSON.stringify(errors[0])}`);
  log(`refused: ${errors[0].message}`);
  const refusedSocket = urls.length;
  annSupplies = annToken; // what the page does when its token is renewed
  await until(() => urls.length > refusedSocket && ann.state === 'connected', 'a new socket after the refusal');
  assert.equal(errors.length, 1, `one refusal reported, not one per waiting frame: ${JSON.stringify(errors)}`);
  assert.ok(states.includes('reconnecting'), `the refusal closed the socket: states ${states.join(' -> ')}`);

  // 2. right behind the registration that signs in: a chat send, answered, not refused
  const reply = await ann.request('chat.send', {meetingId, text: 'hello after a refused sign-in', clientId: 'signin-1'});
  assert.ok(reply.seq > 0, `stored: ${JSON.stringify(reply)}`);
  assert.equal(signedIn, 1, 'onSignedIn heard once after the refusal');
  log(`signed in with the second token; chat seq ${reply.seq}`);

  // ... and the registration restored with the good token: Ben's message reaches Ann
  const ben = new Bridge(() => benToken);
  ben.connect();
  await until(() => ben.state === 'connected', "Ben's socket");
  await ben.request('chat.send', {meetingId, text: 'Ben here', clientId: 'signin-ben-1'});
  await until(() => annGot.some((m) => m.text === 'Ben here'), "Ben's message at Ann's registered handler");
  const fromBen = annGot.find((m) => m.text === 'Ben here');
  assert.notEqual(fromBen.senderName, undefined, JSON.stringify(fromBen));
  log(`Ann got "${fromBen.text}" from ${fromBen.senderName}`);
  ben.close();

  // 3. no token in any socket URL
  for (const url of urls) {
    assert.ok(!/token/i.test(url), `no token in the socket URL: ${url}`);
  }
  assert.deepEqual(asked.slice(0, 2), ['forged.token.here', annToken], 'the token is asked for afresh on the new socket');
  ann.close();
  console.log(`PASSED: forged sign-in refused (401) once, the socket reopened with a fresh token and signed in; `
    + `a send right behind it answered; ${urls.length} socket URLs, none with a token`);
  process.exit(0);
} catch (e) {
  console.error(`FAILED: ${e.stack || e}`);
  console.error(`states: ${states.join(' -> ')}; errors: ${JSON.stringify(errors)}; urls: ${urls.join(' ')}`);
  process.exit(1);
}
