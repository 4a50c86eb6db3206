// The web client's bridge (src/main/resources/webroot/js/bridge.js) keeps at most 16 requests
// awaiting their reply, whatever the page asks at once: the server counts pending replies against
// bridge.maxHandlersPerSocket (32) with the socket's registrations, and refuses more with an error
// that names no request. Run under Node with a stand-in WebSocket that plays the server: it answers
// each request after a while, counts how many are outstanding, and fails one request on purpose.
// Prints PASSED; exits 1 on any failure. Run by webclient.BridgeRequestWindowTest.

import assert from 'node:assert/strict';

globalThis.location = {protocol: 'http:', host: '127.0.0.1:1'};
const sockets = [];
class FakeSocket {
  static OPEN = 1;
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    this.outstanding = new Map(); // replyAddress -> frame
    this.maxOutstanding = 0;
    sockets.push(this);
    setTimeout(() => {
      this.readyState = FakeSocket.OPEN;
      this.onopen();
    }, 5);
  }

  send(text) {
    const frame = JSON.parse(text);
    this.sent.push(frame);
    if (frame.type !== 'send') return;
    this.outstanding.set(frame.replyAddress, frame);
    this.maxOutstanding = Math.max(this.maxOutstanding, this.outstanding.size);
    if (this.hold) return;
    setTimeout(() => this.answer(frame.replyAddress), 5 + Math.random() * 20);
  }

  answer(replyAddress) {
    const frame = this.outstanding.get(replyAddress);
    if (!frame || this.readyState !== FakeSocket.OPEN) return;
    this.outstanding.delete(replyAddress);
    const reply = frame.body.fail
      ? {type: 'err', address: replyAddress, failureCode: 400, message: 'refused on purpose'}
      : {type: 'rec', address: replyAddress, body: {echo: frame.body.n}};
    this.onmessage({data: JSON.stringify(reply)});
  }

  close() {
    this.readyState = 3;
    this.onclose({code: 1006});
  }
}
globalThis.WebSocket = FakeSocket;

const {Bridge} = await import('../src/main/resources/webroot/js/bridge.js');

const bridge = new Bridge(() => 'token');
bridge.connect();
await new Promise((r) => setTimeout(r, 20));
const ws = sockets[0];
assert.equal(bridge.state, 'connected');

// 1. Sixty at once: all answered, each with its own reply, never more than 16 outstanding.
const asked = Array.from({length: 60}, (_, n) => bridge.request('signal.send', {n, fail: n === 7})
  .then((body) => ({n, body}), (e) => ({n, error: e})));
const pendingNow = bridge.pending();
assert.equal(pendingNow.inFlight, 16, 'sixteen sent at once');
assert.equal(pendingNow.waiting, 44, 'the rest wait in line');
const answers = await Promise.all(asked);
for (const a of answers) {
  if (a.n === 7) {
    assert.equal(a.error.code, 400, 'the refused request is rejected with its code');
  } else {
    assert.deepEqual(a.body, {echo: a.n}, `request ${a.n} got its own reply`);
  }
}
assert.equal(ws.sent.filter((f) => f.type === 'send').length, 60, 'every request was sent once');
assert.ok(ws.maxOutstanding <= 16, `at most 16 outstanding at the server (saw ${ws.maxOutstanding})`);
assert.deepEqual(bridge.pending(), {inFlight: 0, waiting: 0});

// 2. The connection drops with requests outstanding and in line: every one is rejected (503), none is lost silently.
ws.hold = true;
const stuck = Array.from({length: 20}, (_, n) => bridge.request('signal.send', {n}).then(() => 'answered', (e) => e.code));
assert.deepEqual(bridge.pending(), {inFlight: 16, waiting: 4});
ws.close();
assert.deepEqual(await Promise.all(stuck), Array(20).fill(503));
assert.deepEqual(bridge.pending(), {inFlight: 0, waiting: 0});
bridge.closedByUser = true;
clearTimeout(bridge.retryTimer);
console.log('PASSED: 60 requests at once, at most', ws.maxOutstanding, 'outstanding; 20 rejected with 503 when the connection dropped');
process.exit(0);
