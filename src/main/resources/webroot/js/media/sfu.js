// Media through the SFU (Janus), negotiated over Parley's bridge: the page never speaks Janus's API.
// One sendonly PeerConnection per published feed (the camera with three simulcast layers, the
// screen) and one multistream recvonly PeerConnection for everyone else's feeds, renegotiated as
// people come and go. Requests: media.publish / subscribe / answer / trickle / configure /
// unpublish; events on meeting.{id}.media: feeds, talking, closed, reset.

const RETRY_MIN_MS = 300;
const RETRY_MAX_MS = 5000;
const DISCONNECTED_GRACE_MS = 4000;
const LAYER_SETTLE_MS = 1000; // a tile size must hold this long before its layer is asked for
/** Highest first ("hml", Janus's default rid order); Chromium drops layers a small camera cannot fill. */
const SIMULCAST = [
  {rid: 'h', active: true, maxBitrate: 900000},
  {rid: 'm', active: true, maxBitrate: 300000, scaleResolutionDownBy: 2},
  {rid: 'l', active: true, maxBitrate: 100000, scaleResolutionDownBy: 4},
];

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class SfuClient {
  /**
   * @param {{meetingId: string, me: string, bridge: import('../bridge.js').Bridge, iceServers: RTCIceServer[],
   *          onFeeds: (feeds: object[]) => void,
   *          onRemoteStream: (feed: object, stream: MediaStream) => void,
   *          onRemoteGone: (feed: object) => void,
   *          onTalking: (userId: string, talking: boolean) => void,
   *          onProblem: (text: string) => void,
   *          onStopped: (kind: string, reason: string) => void}} options
   */
  constructor(options) {
    this.o = options;
    this.pubs = new Map(); // kind -> {kind, pc, stream, connection, feedId, ice: [], gen}
    this.sub = null; // {pc, connection, streams: [{mid, type, feedId, userId, kind}]}
    this.feeds = new Map(); // feedId -> feed (from the server)
    this.remote = new Map(); // feedId -> MediaStream shown for that feed
    this.layers = new Map(); // feedId -> substream asked for
    this.gen = 0;
    this.closed = false;
    this.syncing = null;
    this.syncAgain = false;
    this.firstSubscription = true;
    this.log = []; // for the end-to-end test: {at, what}
  }

  request(address, body) {
    return this.o.bridge.request(address, {meetingId: this.o.meetingId, ...body});
  }

  /** Retries `fn` while the media server is unavailable (503), with backoff; other refusals are thrown. */
  async withRetry(what, fn, stillWanted = () => true) {
    let delay = RETRY_MIN_MS;
    for (;;) {
      if (this.closed || !stillWanted()) return null;
      try {
        return await fn();
      } catch (e) {
        if (![503, 504].includes(e.code) || this.closed) throw e;
        this.o.onProblem(`Media server unavailable (${e.message}); retrying…`);
        this.note(`${what} retry: ${e.message}`);
        await sleep(delay);
        delay = Math.min(RETRY_MAX_MS, delay * 2);
      }
    }
  }

  note(what) {
    this.log.push({at: Date.now(), what});
    if (this.log.length > 200) this.log.shift();
  }

  // --- Publishing ---

  /** Publishes `stream` as `kind` (camera or screen), replacing an earlier one of that kind. */
  async publish(kind, stream) {
    const previous = this.pubs.get(kind);
    if (previous) previous.pc.close();
    const gen = ++this.gen;
    // what the page has switched off before publishing (the pre-join screen) is said at once
    const audioTrack = stream.getAudioTracks()[0];
    const videoTrack = stream.getVideoTracks()[0];
    const pub = {kind, stream, pc: null, connection: null, feedId: null, ice: [], gen,
      audio: audioTrack ? audioTrack.enabled : true, video: videoTrack ? videoTrack.enabled : true};
    if (previous) {
      pub.audio = previous.audio;
      pub.video = previous.video;
    }
    this.pubs.set(kind, pub);
    const current = () => this.pubs.get(kind) === pub;
    await this.withRetry(`publish ${kind}`, async () => {
      if (pub.pc) pub.pc.close();
      const pc = new RTCPeerConnection({iceServers: this.o.iceServers, bundlePolicy: 'max-bundle'});
      pub.pc = pc;
      pub.connection = null;
      pub.ice = [];
      const audio = stream.getAudioTracks()[0];
      const video = stream.getVideoTracks()[0];
      if (audio) pc.addTransceiver(audio, {direction: 'sendonly', streams: [stream]});
      if (video) {
        pc.addTransceiver(video, {direction: 'sendonly', streams: [stream],
          sendEncodings: kind === 'camera' ? SIMULCAST.map((e) => ({...e})) : undefined});
      }
      pc.onicecandidate = ({candidate}) => this.trickle(pub, pc, candidate);
      pc.onconnectionstatechange = () => this.watchPublisher(pub, pc);
      await pc.setLocalDescription(await pc.createOffer());
      const reply = await this.request('media.publish', {kind, jsep: {type: 'offer', sdp: pc.localDescription.sdp}});
      if (!current() || pub.pc !== pc) return;
      pub.connection = reply.connection;
      pub.feedId = reply.feedId;
      await pc.setRemoteDescription(reply.jsep);
      this.flushIce(pub);
      this.note(`published ${kind} as feed ${reply.feedId}`);
      if (!pub.audio || !pub.video) this.configure(pub);
    }, current);
  }

  /** Stops publishing `kind` (a screen share ends). */
  async unpublish(kind) {
    const pub = this.pubs.get(kind);
    if (!pub) return;
    this.pubs.delete(kind);
    // tell the server first: a closed PeerConnection makes Janus hang the feed up by itself, after
    // which the connection is already gone
    try {
      if (pub.connection) await this.request('media.unpublish', {connection: pub.connection});
    } catch (e) {
      if (e.code !== 404) console.warn('unpublish failed', e.message);
    } finally {
      pub.pc.close();
    }
  }

  /** The page's own switches: muted, camera off. Others see them on this feed. */
  setSwitch(kind, what, on) {
    const pub = this.pubs.get(kind);
    if (!pub) return;
    pub[what] = on;
    this.configure(pub);
  }

  configure(pub) {
    if (!pub.connection) return; // sent once published
    this.request('media.configure', {connection: pub.connection, audio: pub.audio, video: pub.video})
      .catch((e) => console.warn('configure failed', e.message));
  }

  trickle(pub, pc, candidate) {
    if (pub.pc !== pc) return;
    const item = candidate ? {candidate: candidate.toJSON()} : {completed: true};
    if (!pub.connection) {
      pub.ice.push(item);
      return;
    }
    this.sendIce(pub.connection, item);
  }

  flushIce(pub) {
    const pending = pub.ice.splice(0);
    for (const item of pending) this.sendIce(pub.connection, item);
  }

  sendIce(connection, item) {
    const body = {connection};
    if (item.completed) body.completed = true;
    else {
      const c = item.candidate;
      body.candidate = {candidate: c.candidate, sdpMid: c.sdpMid, sdpMLineIndex: c.sdpMLineIndex};
    }
    this.request('media.trickle', body).catch((e) => console.debug('trickle refused', e.message));
  }

  watchPublisher(pub, pc) {
    if (this.closed || this.pubs.get(pub.kind) !== pub || pub.pc !== pc) return;
    const state = pc.connectionState;
    this.note(`${pub.kind} publisher ${state}`);
    if (state === 'failed' || state === 'closed') {
      this.republish(pub.kind, `publisher ${state}`);
    } else if (state === 'disconnected') {
      setTimeout(() => {
        if (this.pubs.get(pub.kind) === pub && pub.pc === pc && pc.connectionState === 'disconnected') {
          this.republish(pub.kind, 'publisher disconnected');
        }
      }, DISCONNECTED_GRACE_MS);
    }
  }

  republish(kind, why) {
    const pub = this.pubs.get(kind);
    if (!pub || this.closed) return;
    this.note(`republish ${kind}: ${why}`);
    this.publish(kind, pub.stream).catch((e) => this.o.onProblem(`Could not publish your ${kind}: ${e.message}`));
  }

  // --- Subscribing ---

  /** Brings the subscription in line with the published feeds (coalesced: one negotiation at a time). */
  requestSync() {
    if (this.closed) return Promise.resolve();
    if (this.syncing) {
      this.syncAgain = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      try {
        do {
          this.syncAgain = false;
          await this.withRetry('subscribe', () => this.sync());
        } while (this.syncAgain && !this.closed);
      } catch (e) {
        this.note(`subscribe failed: ${e.code} ${e.message}`);
        if (e.code === 409 || e.code === 404) {
          // a feed went meanwhile, or an answer is pending: try again shortly
          setTimeout(() => this.requestSync(), 500);
        } else {
          this.o.onProblem(`Could not receive the others' media: ${e.message}`);
        }
      } finally {
        this.syncing = null;
      }
    })();
    return this.syncing;
  }

  async sync() {
    const restart = this.firstSubscription || !this.sub;
    let reply;
    try {
      reply = await this.request('media.subscribe', restart ? {restart: true} : {});
    } catch (e) {
      // The server still waits for our answer to its last offer (the answer's reply was lost):
      // say it again, then ask again.
      const answer = this.sub && this.sub.pc.localDescription;
      if (e.code !== 409 || !answer || answer.type !== 'answer') throw e;
      await this.request('media.answer', {connection: this.sub.connection, jsep: {type: 'answer', sdp: answer.sdp}}).catch(() => {});
      reply = await this.request('media.subscribe', {});
    }
    this.firstSubscription = false;
    if (reply.feeds) this.updateFeeds(reply.feeds, false);
    if (!reply.connection) {
      if (this.sub) {
        this.sub.pc.close();
        this.sub = null;
      }
      this.mapTracks();
      return;
    }
    if (!this.sub || this.sub.connection !== reply.connection) {
      if (this.sub) this.sub.pc.close();
      const pc = new RTCPeerConnection({iceServers: this.o.iceServers, bundlePolicy: 'max-bundle'});
      const sub = {pc, connection: reply.connection, streams: [], ice: []};
      pc.onicecandidate = ({candidate}) => {
        if (this.sub === sub) this.sendIce(sub.connection, candidate ? {candidate: candidate.toJSON()} : {completed: true});
      };
      pc.ontrack = () => this.mapTracks();
      pc.onconnectionstatechange = () => this.watchSubscriber(sub);
      this.sub = sub;
      this.layers.clear();
    }
    const sub = this.sub;
    sub.streams = reply.streams || [];
    if (reply.jsep) {
      await sub.pc.setRemoteDescription(reply.jsep);
      await sub.pc.setLocalDescription(await sub.pc.createAnswer());
      await this.request('media.answer', {connection: sub.connection, jsep: {type: 'answer', sdp: sub.pc.localDescription.sdp}});
      this.note(`subscribed to ${sub.streams.length} streams`);
    }
    this.mapTracks();
    this.applyLayers();
  }

  watchSubscriber(sub) {
    if (this.closed || this.sub !== sub) return;
    const state = sub.pc.connectionState;
    this.note(`subscriber ${state}`);
    const restart = () => {
      if (this.sub !== sub) return;
      sub.pc.close();
      this.sub = null;
      this.requestSync();
    };
    if (state === 'failed') restart();
    else if (state === 'disconnected') {
      setTimeout(() => {
        if (this.sub === sub && sub.pc.connectionState === 'disconnected') restart();
      }, DISCONNECTED_GRACE_MS);
    }
  }

  /** Puts every received track into the MediaStream of the feed its m-line carries. */
  mapTracks() {
    const wanted = new Map(); // feedId -> tracks
    if (this.sub) {
      const byMid = new Map(this.sub.streams.map((s) => [s.mid, s]));
      for (const t of this.sub.pc.getTransceivers()) {
        const s = t.mid !== null && byMid.get(t.mid);
        if (!s || !t.receiver.track || t.currentDirection === 'inactive' || t.stopped) continue;
        if (!wanted.has(s.feedId)) wanted.set(s.feedId, []);
        wanted.get(s.feedId).push(t.receiver.track);
      }
    }
    for (const [feedId, tracks] of wanted) {
      const feed = this.feeds.get(feedId);
      if (!feed) continue;
      let stream = this.remote.get(feedId);
      const fresh = !stream;
      if (fresh) {
        stream = new MediaStream();
        this.remote.set(feedId, stream);
      }
      for (const old of stream.getTracks()) if (!tracks.includes(old)) stream.removeTrack(old);
      for (const t of tracks) if (!stream.getTracks().includes(t)) stream.addTrack(t);
      this.o.onRemoteStream(feed, stream);
    }
    for (const [feedId, stream] of [...this.remote]) {
      if (!wanted.has(feedId)) {
        this.remote.delete(feedId);
        stream.getTracks().forEach((t) => stream.removeTrack(t));
      }
    }
  }

  updateFeeds(list, resync = true) {
    const next = new Map(list.map((f) => [f.feedId, f]));
    for (const [feedId, feed] of this.feeds) {
      if (!next.has(feedId)) this.o.onRemoteGone(feed);
    }
    const changed = list.some((f) => !this.feeds.has(f.feedId)) || [...this.feeds.keys()].some((id) => !next.has(id));
    this.feeds = next;
    this.o.onFeeds(list);
    for (const feed of list) {
      const stream = this.remote.get(feed.feedId);
      if (stream) this.o.onRemoteStream(feed, stream);
    }
    if (resync && changed) this.requestSync();
  }

  /**
   * Asks for each feed's simulcast layer: `wanted` maps feedId -> substream (0 lowest, 2 highest),
   * chosen by the stage from the size of the tile that shows it.
   */
  setLayers(wanted) {
    this.wantedLayers = wanted;
    clearTimeout(this.layerTimer);
    this.layerTimer = setTimeout(() => this.applyLayers(), LAYER_SETTLE_MS);
  }

  applyLayers() {
    if (!this.sub || !this.wantedLayers) return;
    // one layer change in flight at a time: a busy server is not sent a queue of stale ones
    if (this.layersInFlight) {
      this.layersAgain = true;
      return;
    }
    const inSub = new Set(this.sub.streams.filter((s) => s.type === 'video').map((s) => s.feedId));
    const layers = [];
    for (const [feedId, substream] of this.wantedLayers) {
      const feed = this.feeds.get(feedId);
      if (!inSub.has(feedId) || !feed || !feed.simulcast || this.layers.get(feedId) === substream) continue;
      layers.push({feedId, substream});
    }
    if (layers.length === 0) return;
    const sub = this.sub;
    this.layersInFlight = true;
    this.request('media.configure', {connection: sub.connection, layers})
      .then(() => {
        if (this.sub === sub) layers.forEach((l) => this.layers.set(l.feedId, l.substream));
        this.note(`layers ${JSON.stringify(layers)}`);
      })
      .catch((e) => console.debug('layers refused', e.message))
      .finally(() => {
        this.layersInFlight = false;
        if (this.layersAgain) {
          this.layersAgain = false;
          this.applyLayers();
        }
      });
  }

  // --- Events ---

  /** An event of meeting.{id}.media. */
  onEvent(event) {
    if (this.closed || !event) return;
    switch (event.type) {
      case 'feeds':
        this.updateFeeds(event.feeds || []);
        break;
      case 'talking':
        this.o.onTalking(event.userId, !!event.talking);
        break;
      case 'closed':
        if (event.userId === this.o.me) this.onClosed(event);
        break;
      case 'reset':
        this.note(`reset: ${event.reason}`);
        this.resetAll(event.reason);
        break;
      default:
    }
  }

  onClosed({connection, reason}) {
    for (const [kind, pub] of this.pubs) {
      if (pub.connection !== connection) continue;
      if (reason === 'replaced' || reason === 'removed' || reason === 'left') {
        this.pubs.delete(kind);
        pub.pc.close();
        this.o.onStopped(kind, reason);
      } else {
        this.republish(kind, `closed by the server (${reason})`);
      }
      return;
    }
    if (this.sub && this.sub.connection === connection) {
      const sub = this.sub;
      this.sub = null;
      sub.pc.close();
      if (reason === 'replaced') {
        this.o.onStopped('subscription', reason); // another page of ours took over
      } else if (reason !== 'removed' && reason !== 'left') {
        this.requestSync();
      }
      this.mapTracks();
    }
  }

  /** The room moved (or Janus restarted): every connection is stale; publish and subscribe again. */
  resetAll(reason) {
    for (const pub of this.pubs.values()) pub.connection = null;
    if (this.sub) {
      this.sub.pc.close();
      this.sub = null;
    }
    this.o.onProblem(`Reconnecting media (${reason})…`);
    for (const kind of [...this.pubs.keys()]) this.republish(kind, reason);
    this.firstSubscription = true;
    this.requestSync();
  }

  /** The bridge came back: refresh what the server has (feeds may have changed meanwhile). */
  onBridgeUp() {
    this.requestSync();
  }

  close() {
    this.closed = true;
    for (const pub of this.pubs.values()) pub.pc.close();
    this.pubs.clear();
    if (this.sub) this.sub.pc.close();
    this.sub = null;
  }

  /** Every PeerConnection this page holds (for the end-to-end test: at most two with a camera). */
  peerConnections() {
    const list = [...this.pubs.values()].map((p) => p.pc).filter(Boolean);
    if (this.sub) list.push(this.sub.pc);
    return list;
  }

  stats() {
    return {
      pubs: [...this.pubs.values()].map((p) => ({kind: p.kind, feedId: p.feedId, state: p.pc && p.pc.connectionState})),
      sub: this.sub && {state: this.sub.pc.connectionState, streams: this.sub.streams.length},
      feeds: [...this.feeds.values()].map((f) => `${f.name}:${f.kind}`),
      log: this.log.slice(-12),
    };
  }
}
