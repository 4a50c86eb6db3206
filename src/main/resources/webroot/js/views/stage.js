// The stage: everyone's video tiles. Two layouts: a grid that pages beyond what fits, and a
// speaker view (one large tile, the others in a strip) that follows the active speaker and shows a
// shared screen large, with a label. A tile without video shows the person's initials ("camera
// off"); remote tiles have their own volume. The layout picks, per tile, how large it is drawn:
// the SFU sends each subscriber the simulcast layer that size needs (onLayout).

import {el} from '../dom.js';

const MIN_TILE_PX = 220;
const GRID_ROWS = 3;
const SPEAKER_HOLD_MS = 1500;

export function initials(name) {
  const words = String(name || '?').replace(/\(you\)/, '').trim().split(/\s+/).filter(Boolean);
  const letters = words.length === 1 ? words[0].slice(0, 2) : words[0][0] + words[words.length - 1][0];
  return (letters || '?').toUpperCase();
}

export class Stage {
  /**
   * @param {HTMLElement} root the tiles' container (#videos)
   * @param {{onLayout?: (sizes: Map<string, number>) => void}} hooks sizes: tile key -> drawn height in px (0 when off-page)
   */
  constructor(root, hooks = {}) {
    this.root = root;
    this.hooks = hooks;
    this.tiles = new Map(); // key (userId:kind) -> {el, userId, kind, self, feedId}
    this.volumes = new Map(); // userId -> 0..1, kept across streams
    this.view = 'grid';
    this.viewChosen = false;
    this.page = 0;
    this.speaker = null; // userId of the active speaker
    this.speakerAt = 0;
    this.talkingNow = new Set();
    this.bar = el('div', {class: 'stage-bar', role: 'toolbar', 'aria-label': 'Layout'},
      el('button', {type: 'button', class: 'stage-view', 'aria-pressed': 'false', onclick: () => this.setView(this.view === 'grid' ? 'speaker' : 'grid', true)},
        'Speaker view'),
      el('button', {type: 'button', class: 'stage-prev', 'aria-label': 'Previous page of videos', onclick: () => this.turn(-1)}, '‹ Previous'),
      el('span', {class: 'stage-page', role: 'status', 'aria-live': 'polite'}),
      el('button', {type: 'button', class: 'stage-next', 'aria-label': 'Next page of videos', onclick: () => this.turn(1)}, 'Next ›'));
    root.after(this.bar);
    root.classList.add('stage-grid');
    this.observer = typeof ResizeObserver === 'function' ? new ResizeObserver(() => this.layout()) : null;
    if (this.observer) this.observer.observe(root);
    this.layout();
  }

  static key(userId, kind = 'camera') {
    return `${userId}:${kind}`;
  }

  /** Adds or updates the tile of `userId`'s camera or screen. */
  upsert({userId, name, kind = 'camera', self = false, stream = null, feedId = null}) {
    const key = Stage.key(userId, kind);
    let tile = this.tiles.get(key);
    if (!tile) {
      const video = el('video', {autoplay: true, playsinline: true});
      const volume = self ? null : el('input', {type: 'range', min: '0', max: '100', value: '100', class: 'volume',
        oninput: (e) => this.setVolume(userId, Number(e.target.value) / 100)});
      const node = el('div', {class: `tile${kind === 'screen' ? ' screen' : ''}`, dataset: {user: userId, kind, tile: key}},
        video,
        el('div', {class: 'placeholder', 'aria-hidden': 'true'}, el('span', {class: 'initials'}), el('span', {class: 'off-text'}, 'Camera off')),
        el('span', {class: 'label'}),
        el('span', {class: 'mic-off', hidden: true}, 'muted'),
        el('span', {class: 'badge', 'aria-hidden': 'true'}),
        volume);
      tile = {el: node, userId, kind, self, feedId: null};
      this.tiles.set(key, tile);
      this.root.append(node);
      if (kind === 'screen' && !this.viewChosen) this.setView('speaker', false);
    }
    const video = tile.el.querySelector('video');
    video.muted = self; // never play your own microphone back
    if (!self) video.volume = this.volumes.has(userId) ? this.volumes.get(userId) : 1;
    if (stream && video.srcObject !== stream) video.srcObject = stream;
    if (feedId !== null) tile.feedId = feedId;
    if (name !== undefined) this.setName(key, name);
    if (kind === 'camera') this.setCamera(key, !!stream && stream.getVideoTracks().length > 0 && tile.cameraOn !== false);
    this.layout();
    return tile.el;
  }

  setName(key, name) {
    const tile = this.tiles.get(key);
    if (!tile) return;
    const label = tile.kind === 'screen' ? `${name}'s screen${tile.self ? ' (you are presenting)' : ''}` : name;
    tile.name = name;
    tile.el.querySelector('.label').textContent = label;
    tile.el.querySelector('.initials').textContent = initials(name);
    tile.el.querySelector('video').setAttribute('aria-label', `${label}: video`);
    const volume = tile.el.querySelector('.volume');
    if (volume) volume.setAttribute('aria-label', `Volume for ${name}`);
  }

  /** Camera on, or off (the tile shows initials instead of video). */
  setCamera(key, on) {
    const tile = this.tiles.get(key);
    if (!tile) return;
    tile.cameraOn = on;
    tile.el.classList.toggle('cam-off', !on);
  }

  setMic(key, on) {
    const tile = this.tiles.get(key);
    if (tile) tile.el.querySelector('.mic-off').hidden = on;
  }

  setBadge(key, text) {
    const tile = this.tiles.get(key);
    if (tile) tile.el.querySelector('.badge').textContent = text || '';
  }

  setVolume(userId, volume) {
    this.volumes.set(userId, volume);
    for (const tile of this.tiles.values()) {
      if (tile.userId === userId && !tile.self) tile.el.querySelector('video').volume = volume;
    }
  }

  remove(key) {
    const tile = this.tiles.get(key);
    if (!tile) return;
    tile.el.querySelector('video').srcObject = null;
    tile.el.remove();
    this.tiles.delete(key);
    if (tile.kind === 'screen' && !this.viewChosen && ![...this.tiles.values()].some((t) => t.kind === 'screen')) {
      this.setView('grid', false);
    }
    this.layout();
  }

  removeUser(userId) {
    for (const [key, tile] of [...this.tiles]) if (tile.userId === userId) this.remove(key);
    this.talkingNow.delete(userId);
  }

  has(key) {
    return this.tiles.has(key);
  }

  /** Someone started or stopped talking (Janus's audio levels, or the mesh's own meter). */
  talking(userId, on) {
    if (on) this.talkingNow.add(userId);
    else this.talkingNow.delete(userId);
    for (const tile of this.tiles.values()) {
      if (tile.userId === userId && tile.kind === 'camera') tile.el.classList.toggle('speaking', on);
    }
    const self = [...this.tiles.values()].find((t) => t.userId === userId && t.self);
    if (on && !self && userId !== this.speaker && Date.now() - this.speakerAt > SPEAKER_HOLD_MS) {
      this.speaker = userId;
      this.speakerAt = Date.now();
      if (this.view === 'speaker') this.layout();
    }
  }

  setView(view, chosen) {
    this.view = view;
    if (chosen) this.viewChosen = true;
    this.root.classList.toggle('stage-grid', view === 'grid');
    this.root.classList.toggle('stage-speaker', view === 'speaker');
    const button = this.bar.querySelector('.stage-view');
    button.textContent = view === 'grid' ? 'Speaker view' : 'Grid view';
    button.setAttribute('aria-pressed', String(view === 'speaker'));
    this.page = 0;
    this.layout();
  }

  turn(delta) {
    this.page += delta;
    this.layout();
  }

  /** The large tile of the speaker view: a shared screen, else the active speaker, else the first other person. */
  mainKey() {
    const all = [...this.tiles.entries()];
    const screen = all.find(([, t]) => t.kind === 'screen' && !t.self) || all.find(([, t]) => t.kind === 'screen');
    if (screen) return screen[0];
    if (this.speaker && this.tiles.has(Stage.key(this.speaker))) return Stage.key(this.speaker);
    const other = all.find(([, t]) => !t.self);
    return other ? other[0] : all.length ? all[0][0] : null;
  }

  perPage() {
    const width = this.root.clientWidth || 960;
    const columns = Math.max(1, Math.floor(width / MIN_TILE_PX));
    return Math.max(4, columns * GRID_ROWS);
  }

  layout() {
    const keys = [...this.tiles.keys()];
    const main = this.view === 'speaker' ? this.mainKey() : null;
    const ordered = main ? [main, ...keys.filter((k) => k !== main)] : keys;
    const perPage = this.view === 'speaker' ? Math.max(1, this.perPage() / GRID_ROWS) + 1 : this.perPage();
    const pages = Math.max(1, Math.ceil(ordered.length / perPage));
    this.page = Math.min(Math.max(0, this.page), pages - 1);
    const onPage = new Set(ordered.slice(this.page * perPage, (this.page + 1) * perPage));
    if (main) onPage.add(main);
    ordered.forEach((key, i) => {
      const tile = this.tiles.get(key).el;
      tile.hidden = !onPage.has(key);
      tile.classList.toggle('main', key === main);
      tile.style.order = String(i);
    });
    this.bar.querySelector('.stage-page').textContent = pages > 1 ? `Page ${this.page + 1} of ${pages}` : '';
    this.bar.querySelector('.stage-prev').hidden = pages <= 1;
    this.bar.querySelector('.stage-next').hidden = pages <= 1;
    this.bar.querySelector('.stage-prev').disabled = this.page === 0;
    this.bar.querySelector('.stage-next').disabled = this.page >= pages - 1;
    this.root.style.setProperty('--columns', String(Math.max(1, Math.min(Math.ceil(Math.sqrt(onPage.size)),
      Math.floor((this.root.clientWidth || 960) / MIN_TILE_PX)))));
    if (this.hooks.onLayout) {
      // after the browser has laid the tiles out
      requestAnimationFrame(() => this.hooks.onLayout(this.sizes()));
    }
  }

  /** Each tile's drawn height in px; 0 when it is off-page or hidden. */
  sizes() {
    const sizes = new Map();
    for (const [key, tile] of this.tiles) {
      sizes.set(key, tile.el.hidden ? 0 : Math.round(tile.el.getBoundingClientRect().height));
    }
    return sizes;
  }

  /** The feed shown by each tile (SFU), for the layer choice. */
  feedOf(key) {
    const tile = this.tiles.get(key);
    return tile ? tile.feedId : null;
  }

  clear() {
    for (const key of [...this.tiles.keys()]) this.remove(key);
    if (this.observer) this.observer.disconnect();
    this.bar.remove();
  }
}

/** The simulcast layer a tile of `height` px needs: 0 (lowest) to 2 (highest). */
export function layerFor(height) {
  if (height >= 300) return 2;
  if (height >= 140) return 1;
  return 0;
}
