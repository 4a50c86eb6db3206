// WebRTC peer-to-peer mesh with "perfect negotiation" (the polite peer yields on glare).
// Signaling goes over the bridge: signal.send {meetingId, to, kind: offer|answer|ice|bye, data}
// and arrives on meeting.{id}.signal.{me} as {from, fromName, kind, data}.
// Each connection has a session id (`sid`): a peer that comes back with a new connection (after a
// reload or a network drop) sends an offer with a new sid, and the old connection is replaced
// rather than renegotiated (a new DTLS identity cannot be renegotiated into an old session).
//
// Joining fast: a page calls only once its own signaling address is live (it sends itself a
// `probe` and waits for it to come back: until then an answer sent to it would be lost), and an
// impolite peer that ignores a colliding offer sends its own offer again (the other side is
// evidently listening now, and may never have heard the first). A call that still has not
// connected after SETUP_MS is placed again.
// Screen sharing: a second stream on every connection; offers say which stream id is the camera
// and which the screen (`data.streams`), so the other side shows each in its own tile.

const SETUP_MS = 6000;
const PROBE_EVERY_MS = 250;
const PROBE_GIVE_UP_MS = 5000;

export class Mesh {
  /**
   * @param {{meetingId: string, me: string, bridge: import('./bridge.js').Bridge, iceServers: RTCIceServer[],
   *          localStream: () => MediaStream | null,
   *          onTrack: (peerId: string, stream: MediaStream, kind: 'camera'|'screen') => void,
   *          onTrackGone?: (peerId: string, kind: 'camera'|'screen') => void,
   *          onPeerState: (peerId: string, state: string) => void,
   *          onPeerGone: (peerId: string) => void}} options
   */
  constructor(options) {
    this.options = options;
    this.peers = new Map(); // peerId -> Peer
    this.chains = new Map(); // peerId -> Promise: signals handled in order
    this.early = new Map(); // peerId -> candidates that came before any connection
    this.screen = null; // the shared screen's stream, sent on every connection
    this.live = null; // resolves once our own signaling address delivers (see ready())
    this.probeId = null;
  }

  /**
   * Resolves once a `probe` we send to ourselves comes back: our signaling address is registered
   * with the server, so answers and candidates sent to us are delivered. Gives up (resolves)
   * after PROBE_GIVE_UP_MS: the renewal after SETUP_MS still catches up then.
   */
  ready() {
    if (this.live) return this.live;
    this.live = new Promise((resolve) => {
      this.probeDone = resolve;
      const started = Date.now();
      const send = () => {
        if (!this.probeDone) return;
        if (Date.now() - started > PROBE_GIVE_UP_MS) {
          this.probeDone();
          this.probeDone = null;
          return;
        }
        this.probeId = crypto.randomUUID();
        this.options.bridge.request('signal.send', {meetingId: this.options.meetingId, to: this.options.me, kind: 'probe',
          data: {probe: this.probeId}}).catch(() => {});
        setTimeout(send, PROBE_EVERY_MS);
      };
      send();
    });
    return this.live;
  }

  /** The bridge reconnected: registrations are made again, so wait for our address to deliver again. */
  reconnected() {
    if (this.probeDone) this.probeDone();
    this.probeDone = null;
    this.live = null;
  }

  /**
   * Calls `peerId` unless a connection is up or still being set up; with `renew`, starts over
   * anyway. A call that has not connected after SETUP_MS is started over (an offer can be lost:
   * signaling is not delivered to a participant who is not listening yet). Both sides may call at
   * once: perfect negotiation sorts it out.
   */
  async connect(peerId, renew = false) {
    if (peerId === this.options.me) return;
    await this.ready();
    const existing = this.peers.get(peerId);
    if (existing && !renew) {
      const state = existing.pc.connectionState;
      if (state === 'connected') return;
      if (!['failed', 'closed'].includes(state) && Date.now() - existing.createdAt < SETUP_MS) return;
    }
    if (existing) this.close(peerId, false);
    this.create(peerId, null);
  }

  create(peerId, remoteSid) {
    const {iceServers, me} = this.options;
    const pc = new RTCPeerConnection({iceServers});
    const peer = {
      pc,
      sid: crypto.randomUUID(),
      remoteSid,
      kinds: {}, // the other side's stream ids -> camera | screen
      shown: new Set(), // kinds we have shown a tile for
      polite: me > peerId, // any fixed total order works: exactly one side of each pair is polite
      makingOffer: false,
      ignoreOffer: false,
      stream: new MediaStream(),
      pendingIce: [],
      createdAt: Date.now(),
    };
    this.peers.set(peerId, peer);
    const local = this.options.localStream();
    if (local) {
      for (const track of local.getTracks()) pc.addTrack(track, local);
    } else {
      pc.addTransceiver('audio', {direction: 'recvonly'});
      pc.addTransceiver('video', {direction: 'recvonly'});
    }
    if (this.screen) {
      peer.screenSenders = this.screen.getTracks().map((t) => pc.addTrack(t, this.screen));
    }
    pc.ontrack = ({track, streams}) => {
      const stream = streams[0] || peer.stream;
      const kind = peer.kinds[stream.id] || 'camera';
      if (kind === 'camera') peer.stream = stream;
      if (!stream.getTracks().includes(track)) stream.addTrack(track);
      stream.onremovetrack = () => {
        if (stream.getTracks().length === 0 && this.peers.get(peerId) === peer) this.trackGone(peerId, peer, kind);
      };
      peer.shown.add(kind);
      this.options.onTrack(peerId, stream, kind);
    };
    pc.onicecandidate = ({candidate}) => {
      if (candidate) this.signal(peerId, peer, 'ice', {candidate: candidate.toJSON()});
    };
    pc.onnegotiationneeded = async () => {
      try {
        peer.makingOffer = true;
        await pc.setLocalDescription();
        this.signal(peerId, peer, 'offer', {description: pc.localDescription.toJSON()});
      } catch (e) {
        console.warn('offer to', peerId, 'failed', e);
      } finally {
        peer.makingOffer = false;
      }
    };
    pc.onconnectionstatechange = () => {
      if (this.peers.get(peerId) !== peer) return;
      this.options.onPeerState(peerId, pc.connectionState);
      if (pc.connectionState === 'failed') pc.restartIce();
    };
    this.options.onPeerState(peerId, pc.connectionState);
    return peer;
  }

  trackGone(peerId, peer, kind) {
    if (!peer.shown.delete(kind)) return;
    if (this.options.onTrackGone) this.options.onTrackGone(peerId, kind);
  }

  /** Starts (a stream) or stops (null) sharing the screen with everyone: each connection renegotiates. */
  setScreen(stream) {
    this.screen = stream;
    for (const peer of this.peers.values()) {
      if (peer.screenSenders) {
        for (const sender of peer.screenSenders) {
          try {
            peer.pc.removeTrack(sender);
          } catch (e) {
            console.debug('removeTrack', e.message);
          }
        }
        peer.screenSenders = null;
      }
      if (stream) peer.screenSenders = stream.getTracks().map((t) => peer.pc.addTrack(t, stream));
    }
  }

  streamKinds() {
    const kinds = {};
    const local = this.options.localStream();
    if (local) kinds[local.id] = 'camera';
    if (this.screen) kinds[this.screen.id] = 'screen';
    return kinds;
  }

  signal(peerId, peer, kind, payload) {
    const data = {...payload, sid: peer.sid, rsid: peer.remoteSid};
    if (kind === 'offer' || kind === 'answer') data.streams = this.streamKinds();
    console.debug('signal ->', peerId.slice(0, 8), kind, 'sid', peer.sid.slice(0, 8), 'rsid', peer.remoteSid && peer.remoteSid.slice(0, 8));
    this.options.bridge.request('signal.send', {meetingId: this.options.meetingId, to: peerId, kind, data})
      .catch((e) => console.warn('signal', kind, 'to', peerId, 'failed:', e.message));
  }

  /**
   * A message from meeting.{id}.signal.{me}. Messages from one peer are handled one at a time, in
   * arrival order. The server may deliver a candidate before the offer it follows (each
   * signal.send is its own request), so candidates wait until their description is in place.
   */
  onSignal(message) {
    const from = message && message.from;
    if (from && from === this.options.me && message.kind === 'probe') {
      if (this.probeDone && message.data && message.data.probe) {
        this.probeDone();
        this.probeDone = null;
      }
      return Promise.resolve();
    }
    if (!from || from === this.options.me) return Promise.resolve();
    const previous = this.chains.get(from) || Promise.resolve();
    const next = previous.then(() => this.handleSignal(message)).catch((e) => console.warn('signal from', from, 'failed', e));
    this.chains.set(from, next);
    return next;
  }

  async handleSignal({from, kind, data}) {
    data = data || {};
    if (kind === 'probe') return; // only ours come back to us (see onSignal)
    console.debug('signal <-', from.slice(0, 8), kind, 'sid', data.sid && data.sid.slice(0, 8), 'rsid', data.rsid && data.rsid.slice(0, 8));
    if (kind === 'bye') {
      const peer = this.peers.get(from);
      if (peer && (!data.sid || !peer.remoteSid || peer.remoteSid === data.sid)) this.close(from, false);
      return;
    }
    let peer = this.peers.get(from);
    // `rsid` names the connection of ours the sender is talking to; another one is gone
    if (data.rsid && (peer ? data.rsid !== peer.sid : true)) return;
    if (kind === 'offer' && peer && peer.remoteSid && data.sid && peer.remoteSid !== data.sid) {
      // the other side started over: replace our connection
      this.close(from, false);
      peer = null;
    }
    if (!peer) {
      if (kind === 'ice') {
        // may be ahead of its offer: keep a few for the connection that offer will create
        const early = this.early.get(from) || [];
        early.push(data);
        this.early.set(from, early.slice(-50));
        return;
      }
      if (kind !== 'offer') return; // an answer for a connection we no longer have
      peer = this.create(from, data.sid);
    }
    if (data.sid && peer.remoteSid && peer.remoteSid !== data.sid) {
      // an old session's message, or a new session's candidate ahead of its offer
      if (kind === 'ice') this.early.set(from, [...(this.early.get(from) || []), data].slice(-50));
      return;
    }
    if (data.sid && !peer.remoteSid) peer.remoteSid = data.sid;
    const early = this.early.get(from);
    if (early) {
      this.early.delete(from);
      peer.pendingIce.push(...early.filter((c) => !c.sid || c.sid === peer.remoteSid));
    }
    const pc = peer.pc;
    if (kind === 'offer' || kind === 'answer') {
      const description = data.description;
      if (data.streams) this.learnKinds(from, peer, data.streams);
      const offerCollision = description.type === 'offer' && (peer.makingOffer || pc.signalingState !== 'stable');
      peer.ignoreOffer = !peer.polite && offerCollision;
      if (peer.ignoreOffer) {
        // Glare: the polite side yields to our offer, if it heard it; it is listening now, so say it again.
        if (pc.localDescription && pc.localDescription.type === 'offer') {
          this.signal(from, peer, 'offer', {description: pc.localDescription.toJSON()});
        }
        return;
      }
      await pc.setRemoteDescription(description);
      if (description.type === 'offer') {
        await pc.setLocalDescription();
        this.signal(from, peer, 'answer', {description: pc.localDescription.toJSON()});
      }
      await this.drainIce(peer);
    } else if (kind === 'ice') {
      peer.pendingIce.push(data);
      if (pc.remoteDescription) await this.drainIce(peer);
    }
  }

  /** The other side's stream ids and kinds; a kind it no longer sends loses its tile. */
  learnKinds(peerId, peer, kinds) {
    peer.kinds = kinds;
    const sent = new Set(Object.values(kinds));
    for (const kind of [...peer.shown]) {
      if (!sent.has(kind)) this.trackGone(peerId, peer, kind);
    }
  }

  async drainIce(peer) {
    const pending = peer.pendingIce.splice(0);
    for (const data of pending) {
      try {
        await peer.pc.addIceCandidate(data.candidate);
      } catch (e) {
        if (!peer.ignoreOffer) console.warn('candidate refused', e.message);
      }
    }
  }

  close(peerId, notify) {
    const peer = this.peers.get(peerId);
    if (!peer) return;
    console.debug('closing connection to', peerId.slice(0, 8));
    this.peers.delete(peerId);
    if (notify === 'send') this.signal(peerId, peer, 'bye', {});
    peer.pc.close();
    this.options.onPeerGone(peerId);
  }

  /** Leaving: says bye to everyone and closes every connection. */
  closeAll() {
    for (const peerId of [...this.peers.keys()]) this.close(peerId, 'send');
  }

  stats() {
    return [...this.peers.entries()].map(([peerId, peer]) => ({peerId, state: peer.pc.connectionState, polite: peer.polite}));
  }
}
