// A meeting's media, whichever way it travels: through the SFU (sfu.js, when the server says
// media.mode is "sfu") or browser to browser (../mesh.js). The room calls the same few methods
// either way; tiles go to the stage (../views/stage.js).

import {Mesh} from '../mesh.js';
import {Stage, layerFor} from '../views/stage.js';
import {captureScreen, stopScreen} from './screen.js';
import {SfuClient} from './sfu.js';

const TALK_LEVEL = 0.02;
const RESYNC_MS = 15000;

/**
 * @param {{meetingId: string, me: {userId: string, name: string}, bridge, config, stage: Stage,
 *          local: () => MediaStream | null, nameOf: (userId: string) => string,
 *          notice: (text: string) => void, onScreen: (sharing: boolean) => void}} o
 */
export function startMedia(o) {
  const mode = o.config.media && o.config.media.mode === 'sfu' ? 'sfu' : 'mesh';
  const meshMax = (o.config.media && o.config.media.meshMax) || 4;
  const media = mode === 'sfu' ? new SfuMedia(o) : new MeshMedia(o, meshMax);
  media.mode = mode;
  return media;
}

/** Reports, once, how long it took from opening the meeting to the first remote video frame. */
function firstFrameReporter(o, video) {
  if (o.reported || !video) return;
  const report = () => {
    if (o.reported || video.videoWidth === 0) return;
    o.reported = true;
    const firstFrameMs = Math.round(performance.now() - o.openedAt);
    o.firstFrameMs = firstFrameMs;
    o.bridge.request('media.report', {meetingId: o.meetingId, firstFrameMs}).catch(() => {});
  };
  if ('requestVideoFrameCallback' in video) video.requestVideoFrameCallback(report);
  else video.addEventListener('loadeddata', report, {once: true});
}

class BaseMedia {
  constructor(o) {
    this.o = o;
    this.screen = null;
  }

  async shareScreen() {
    if (this.screen) return;
    const stream = await captureScreen(() => this.stopScreen());
    this.screen = stream;
    this.o.stage.upsert({userId: this.o.me.userId, name: this.o.me.name, kind: 'screen', self: true, stream});
    this.o.onScreen(true);
    this.startScreen(stream);
  }

  stopScreen() {
    if (!this.screen) return;
    const stream = this.screen;
    this.screen = null;
    stopScreen(stream);
    this.o.stage.remove(Stage.key(this.o.me.userId, 'screen'));
    this.o.onScreen(false);
    this.endScreen();
  }

  showRemote(userId, kind, stream, feedId = null, name = null) {
    const el = this.o.stage.upsert({userId, name: name || this.o.nameOf(userId), kind, stream, feedId});
    if (kind === 'camera') firstFrameReporter(this.o, el.querySelector('video'));
  }
}

class SfuMedia extends BaseMedia {
  constructor(o) {
    super(o);
    this.resyncedAt = Date.now();
    this.sfu = new SfuClient({
      meetingId: o.meetingId, me: o.me.userId, bridge: o.bridge, iceServers: o.config.iceServers || [],
      onFeeds: (feeds) => this.onFeeds(feeds),
      onRemoteStream: (feed, stream) => {
        this.showRemote(feed.userId, feed.kind, stream, feed.feedId, feed.name);
        this.applySwitches(feed);
      },
      onRemoteGone: (feed) => {
        if (feed.kind === 'screen') this.o.stage.remove(Stage.key(feed.userId, 'screen'));
        else this.o.stage.setCamera(Stage.key(feed.userId), false);
      },
      onTalking: (userId, talking) => this.o.stage.talking(userId, talking),
      onProblem: (text) => this.o.notice(text),
      onStopped: (kind, reason) => this.onStopped(kind, reason),
    });
    o.stage.hooks.onLayout = (sizes) => this.onLayout(sizes);
  }

  onFeeds(feeds) {
    this.o.notice('');
    for (const feed of feeds) {
      if (feed.userId === this.o.me.userId) continue;
      if (!this.o.stage.has(Stage.key(feed.userId, feed.kind))) {
        this.o.stage.upsert({userId: feed.userId, name: feed.name || this.o.nameOf(feed.userId), kind: feed.kind, feedId: feed.feedId});
      }
      this.applySwitches(feed);
    }
  }

  applySwitches(feed) {
    const key = Stage.key(feed.userId, feed.kind);
    if (feed.kind === 'camera') {
      const stream = this.sfu.remote.get(feed.feedId);
      this.o.stage.setCamera(key, feed.video && !feed.videoModerated && !!stream && stream.getVideoTracks().length > 0);
    }
    this.o.stage.setMic(key, feed.audio && !feed.audioModerated);
  }

  onLayout(sizes) {
    const layers = new Map();
    for (const [key, height] of sizes) {
      const feedId = this.o.stage.feedOf(key);
      if (feedId !== null) layers.set(feedId, layerFor(height));
    }
    this.sfu.setLayers(layers);
  }

  onStopped(kind, reason) {
    if (reason === 'replaced') this.o.notice('This meeting is open in another tab or window: media continues there.');
    else if (reason === 'removed') this.o.notice('You were removed from the meeting.');
    if (kind === 'screen') this.stopScreen();
  }

  /** The bridge is up: publish the camera (if any) and receive everyone else's. */
  onBridgeUp(comeback) {
    if (!this.started) {
      this.started = true;
      const local = this.o.local();
      if (local) this.sfu.publish('camera', local).catch((e) => this.o.notice(`Could not send your video: ${e.message}`));
      this.sfu.requestSync();
    } else if (comeback) {
      this.sfu.onBridgeUp();
    }
  }

  onEvent(event) {
    this.sfu.onEvent(event);
  }

  onSignal() {}

  onPresent() {}

  onLeft(userId) {
    this.o.stage.removeUser(userId);
  }

  /** On every presence ping: now and then ask for the feeds again, in case an event was lost on the way. */
  onCount() {
    const now = Date.now();
    if (now - (this.resyncedAt || 0) < RESYNC_MS) return;
    this.resyncedAt = now;
    this.sfu.requestSync();
  }

  switched(kind, on) {
    this.sfu.setSwitch('camera', kind === 'audio' ? 'audio' : 'video', on);
  }

  startScreen(stream) {
    this.sfu.publish('screen', stream).catch((e) => this.o.notice(`Could not share your screen: ${e.message}`));
  }

  endScreen() {
    this.sfu.unpublish('screen');
  }

  peerConnections() {
    return this.sfu.peerConnections();
  }

  close() {
    this.stopScreen();
    this.sfu.close();
  }

  stats() {
    return this.sfu.stats();
  }
}

class MeshMedia extends BaseMedia {
  constructor(o, meshMax) {
    super(o);
    this.meshMax = meshMax;
    this.meters = new Map(); // userId -> {analyser, data, talking}
    this.mesh = new Mesh({
      meetingId: o.meetingId, me: o.me.userId, bridge: o.bridge, iceServers: o.config.iceServers || [],
      localStream: o.local,
      onTrack: (peerId, stream, kind) => {
        this.showRemote(peerId, kind, stream);
        if (kind === 'camera') this.meter(peerId, stream);
      },
      onTrackGone: (peerId, kind) => {
        if (kind === 'screen') this.o.stage.remove(Stage.key(peerId, 'screen'));
      },
      onPeerState: (peerId, state) => this.o.stage.setBadge(Stage.key(peerId), state === 'connected' ? '' : state),
      onPeerGone: (peerId) => {
        this.o.stage.removeUser(peerId);
        this.meters.delete(peerId);
      },
    });
  }

  /** The mesh has no Janus to measure voices: a small analyser per remote stream marks who talks. */
  meter(userId, stream) {
    if (this.meters.has(userId) || stream.getAudioTracks().length === 0 || typeof AudioContext !== 'function') return;
    try {
      this.audio = this.audio || new AudioContext();
      const analyser = this.audio.createAnalyser();
      analyser.fftSize = 512;
      this.audio.createMediaStreamSource(stream).connect(analyser);
      this.meters.set(userId, {analyser, data: new Float32Array(analyser.fftSize), talking: false, loud: 0});
      if (!this.meterTimer) this.meterTimer = setInterval(() => this.measure(), 250);
    } catch (e) {
      console.debug('no audio meter', e.message);
    }
  }

  measure() {
    for (const [userId, m] of this.meters) {
      m.analyser.getFloatTimeDomainData(m.data);
      let sum = 0;
      for (const v of m.data) sum += v * v;
      const loud = Math.sqrt(sum / m.data.length) > TALK_LEVEL;
      m.loud = loud ? Math.min(4, m.loud + 1) : Math.max(0, m.loud - 1);
      const talking = m.loud >= 2;
      if (talking !== m.talking) {
        m.talking = talking;
        this.o.stage.talking(userId, talking);
      }
    }
  }

  onBridgeUp(comeback) {
    if (comeback) this.mesh.reconnected();
  }

  onEvent() {}

  onSignal(message) {
    return this.mesh.onSignal(message);
  }

  onPresent(userId, renew) {
    this.mesh.connect(userId, renew);
  }

  onLeft(userId) {
    this.mesh.close(userId, false);
  }

  /** Past media.meshMax people the mesh strains every browser: say why, and what would fix it. */
  onCount(count) {
    if (count > this.meshMax) {
      this.o.notice(`${count} people are here. Without a media server, every browser sends its video to every other one, `
        + `which works for up to ${this.meshMax} people: video may stall. An administrator can install Janus to fix this.`);
      this.warned = true;
    } else if (this.warned) {
      this.warned = false;
      this.o.notice('');
    }
  }

  switched() {}

  startScreen(stream) {
    this.mesh.setScreen(stream);
  }

  endScreen() {
    this.mesh.setScreen(null);
  }

  peerConnections() {
    return [...this.mesh.peers.values()].map((p) => p.pc);
  }

  close() {
    this.stopScreen();
    clearInterval(this.meterTimer);
    if (this.audio) this.audio.close();
    this.mesh.closeAll();
  }

  stats() {
    return this.mesh.stats();
  }
}
