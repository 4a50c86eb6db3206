// A small client of Parley's event-bus bridge: the vertx-eventbus JSON frame protocol spoken over
// SockJS's raw WebSocket transport (/eventbus/websocket). The server sends its frames as binary
// WebSocket messages; they are decoded as UTF-8 text. Reconnects by itself with backoff and
// re-registers every handler; `onState` reports connecting / connected / reconnecting / closed.
// Signs in with the first frame's `authorization` header, not the URL: a token in the URL is kept by
// the server for the socket's life and ends up in access logs. A refused sign-in (an `err` with
// code 401, an expired token) closes the socket; the next attempt asks `tokenSupplier` again.

const PING_MS = 5000;
const REPLY_TIMEOUT_MS = 10000;
/**
 * Requests awaiting their reply, at most; more wait in line here. The server counts each pending
 * reply with the socket's registrations against `bridge.maxHandlersPerSocket` (32) and refuses the
 * rest with an error that names no request: a page that signals many ICE candidates at once on a
 * slow server would lose them, and its registrations after them.
 */
const MAX_IN_FLIGHT = 16;

export class BridgeError extends Error {
  constructor(code, message) {
    super(message || String(code));
    this.code = code;
  }
}

export class Bridge {
  /**
   * @param {() => string} tokenSupplier returns the current bearer token
   * @param {{onState?: (state: string) => void, onReconnect?: () => void, onError?: (frame) => void,
   *   onSignedIn?: () => void}} hooks onSignedIn: the server took the token after refusing one
   */
  constructor(tokenSupplier, hooks = {}) {
    this.tokenSupplier = tokenSupplier;
    this.hooks = hooks;
    this.handlers = new Map(); // address -> Set<fn>
    this.replies = new Map(); // replyAddress -> {resolve, reject, timer}
    this.waiting = []; // requests not sent yet: MAX_IN_FLIGHT are awaiting their replies
    this.state = 'idle';
    this.ws = null;
    this.closedByUser = false;
    this.attempt = 0;
    this.everConnected = false;
    this.pingTimer = null;
    this.retryTimer = null;
    this.decoder = new TextDecoder();
    this.signInSent = false; // this socket's first frame (with the token) has gone
    this.refusals = 0; // sign-ins refused in a row: they back off like failed connections
  }

  connect() {
    this.closedByUser = false;
    this.open();
  }

  open() {
    clearTimeout(this.retryTimer);
    this.setState(this.everConnected ? 'reconnecting' : 'connecting');
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const url = `${proto}//${location.host}/eventbus/websocket`;
    let ws;
    try {
      ws = new WebSocket(url);
    } catch (e) {
      this.scheduleRetry();
      return;
    }
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    this.signInSent = false;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.attempt = 0;
      const reconnected = this.everConnected;
      this.everConnected = true;
      for (const address of this.handlers.keys()) {
        this.write({type: 'register', address});
      }
      this.pingTimer = setInterval(() => this.write({type: 'ping'}), PING_MS);
      this.setState('connected');
      if (reconnected && this.hooks.onReconnect) this.hooks.onReconnect();
    };
    ws.onmessage = (event) => {
      if (this.ws !== ws) return;
      const text = typeof event.data === 'string' ? event.data : this.decoder.decode(event.data);
      let frame;
      try {
        frame = JSON.parse(text);
      } catch (e) {
        return;
      }
      this.onFrame(frame);
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.ws = null;
      clearInterval(this.pingTimer);
      for (const [address, pending] of this.replies) {
        clearTimeout(pending.timer);
        pending.reject(new BridgeError(503, 'connection lost'));
        this.replies.delete(address);
      }
      if (this.closedByUser) {
        this.setState('closed');
      } else {
        // 1001 "going away": the server is shutting down (a restart, a rolling deploy) and another
        // node, or this one restarted, takes us at once: reconnect now, spread over 250 ms.
        this.scheduleRetry(event && event.code === 1001);
      }
    };
  }

  scheduleRetry(now = false) {
    this.setState(this.everConnected ? 'reconnecting' : 'connecting');
    if (now) this.attempt = 0;
    const tries = Math.max(this.attempt, this.refusals);
    const backoff = now && this.refusals === 0 ? Math.random() * 250
      : Math.min(10000, 500 * 2 ** Math.min(tries, 5)) * (0.75 + Math.random() / 2);
    const delay = Math.max(backoff, (this.holdUntil || 0) - Date.now());
    this.attempt++;
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  setState(state) {
    if (this.state === state) return;
    this.state = state;
    if (this.hooks.onState) this.hooks.onState(state);
  }

  onFrame(frame) {
    const address = frame.address;
    if (frame.type === 'err') {
      const error = new BridgeError(frame.failureCode, frame.message || frame.body);
      const pending = address && this.replies.get(address);
      if (pending) {
        this.replies.delete(address);
        clearTimeout(pending.timer);
        pending.reject(error);
      }
      if (frame.failureCode === 401 && this.ws) {
        this.signInRefused(frame);
      } else if (!pending && this.hooks.onError) {
        this.hooks.onError(frame);
      }
      return;
    }
    if (frame.type !== 'rec') return;
    if (this.refusals > 0) {
      this.refusals = 0;
      if (this.hooks.onSignedIn) this.hooks.onSignedIn();
    }
    const pending = this.replies.get(address);
    if (pending) {
      this.replies.delete(address);
      clearTimeout(pending.timer);
      pending.resolve(frame.body);
      return;
    }
    const set = this.handlers.get(address);
    if (set) {
      for (const fn of set) {
        try {
          fn(frame.body, frame);
        } catch (e) {
          console.error('handler for', address, 'failed', e);
        }
      }
    }
  }

  write(frame) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    if (!this.signInSent && frame.type !== 'ping') {
      // the server checks this token once; the socket's later frames wait for that check
      frame = {...frame, headers: {...(frame.headers || {}), authorization: `Bearer ${this.tokenSupplier()}`}};
      this.signInSent = true;
    }
    this.ws.send(JSON.stringify(frame));
    return true;
  }

  /**
   * The server refused this socket's sign-in (401: the token expired or is not valid here). Every
   * frame that waited for it is refused too; the socket is closed and opened again, with backoff,
   * asking `tokenSupplier` for a token afresh; `onError` hears of it once.
   */
  signInRefused(frame) {
    const ws = this.ws;
    if (ws.signInRefused) return; // another frame that waited for the same sign-in
    ws.signInRefused = true;
    this.refusals++;
    if (this.hooks.onError) this.hooks.onError(frame);
    ws.close(4401, 'sign-in refused');
  }

  /** SEND with a reply; rejects with BridgeError(code, message). At most MAX_IN_FLIGHT at a time are sent. */
  request(address, body) {
    return new Promise((resolve, reject) => {
      const send = () => {
        const replyAddress = crypto.randomUUID();
        if (!this.write({type: 'send', address, body, replyAddress})) {
          this.nextRequest();
          reject(new BridgeError(503, 'not connected'));
          return;
        }
        const settle = (fn) => (value) => {
          this.replies.delete(replyAddress);
          clearTimeout(timer);
          this.nextRequest();
          fn(value);
        };
        const timer = setTimeout(() => settle(reject)(new BridgeError(504, 'no reply')), REPLY_TIMEOUT_MS);
        this.replies.set(replyAddress, {resolve: settle(resolve), reject: settle(reject), timer});
      };
      if (this.replies.size < MAX_IN_FLIGHT && this.waiting.length === 0) send();
      else this.waiting.push(send);
    });
  }

  /** A request has its answer (or none will come): the next one in line goes. */
  nextRequest() {
    while (this.waiting.length > 0 && this.replies.size < MAX_IN_FLIGHT) this.waiting.shift()();
  }

  /** Requests sent and awaiting their reply, and requests waiting to be sent (for tests). */
  pending() {
    return {inFlight: this.replies.size, waiting: this.waiting.length};
  }

  /** Registers a handler; kept across reconnects. Returns a function that unregisters it. */
  register(address, fn) {
    let set = this.handlers.get(address);
    if (!set) {
      set = new Set();
      this.handlers.set(address, set);
      this.write({type: 'register', address});
    }
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0) {
        this.handlers.delete(address);
        this.write({type: 'unregister', address});
      }
    };
  }

  /**
   * Drops the socket as a network failure would (used by the end-to-end test); it reconnects,
   * not before `holdMs` have passed.
   */
  drop(holdMs = 0) {
    this.holdUntil = Date.now() + holdMs;
    if (this.ws) this.ws.close(4000, 'dropped');
  }

  close() {
    this.closedByUser = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    if (this.ws) this.ws.close(1000);
    else this.setState('closed');
  }
}
