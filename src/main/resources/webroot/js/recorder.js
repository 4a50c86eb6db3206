// Recording: every video tile drawn into one canvas, every audio track mixed, encoded by
// MediaRecorder with a timeslice; each chunk is uploaded, in order, through the chunked recording
// API (POST .../recordings/chunked, PUT /recordings/{rid}/content?offset=N, POST .../complete).

import {api, post} from './api.js';

const TIMESLICE_MS = 2000;

export class MeetingRecorder {
  /**
   * @param {{meetingId: string, videos: () => HTMLVideoElement[], streams: () => MediaStream[],
   *          onState: (state: string, detail?: any) => void}} options
   */
  constructor(options) {
    this.options = options;
    this.recorder = null;
    this.item = null;
    this.offset = 0;
    this.queue = Promise.resolve();
    this.failed = null;
  }

  get recording() {
    return this.recorder !== null;
  }

  async start() {
    const type = ['video/webm;codecs=vp8,opus', 'video/webm'].find((t) => MediaRecorder.isTypeSupported(t));
    if (!type) throw new Error('this browser cannot record WebM');
    const name = `meeting-${new Date().toISOString().replace(/[:.]/g, '-')}.webm`;
    // Created first so that a server without the recording API says so before anything is captured.
    this.item = await post(`/meetings/${this.options.meetingId}/recordings/chunked`, {contentType: 'video/webm', name});
    this.offset = 0;
    this.failed = null;

    const canvas = document.createElement('canvas');
    canvas.width = 1280;
    canvas.height = 720;
    const g = canvas.getContext('2d');
    const draw = () => {
      const videos = this.options.videos().filter((v) => v.videoWidth > 0);
      g.fillStyle = '#111';
      g.fillRect(0, 0, canvas.width, canvas.height);
      const n = Math.max(1, videos.length);
      const cols = Math.ceil(Math.sqrt(n));
      const rows = Math.ceil(n / cols);
      const w = canvas.width / cols;
      const h = canvas.height / rows;
      videos.forEach((v, i) => {
        const scale = Math.min(w / v.videoWidth, h / v.videoHeight);
        const dw = v.videoWidth * scale;
        const dh = v.videoHeight * scale;
        g.drawImage(v, (i % cols) * w + (w - dw) / 2, Math.floor(i / cols) * h + (h - dh) / 2, dw, dh);
      });
    };
    draw();
    this.drawTimer = setInterval(draw, 1000 / 15);
    const canvasStream = canvas.captureStream(15);

    this.audio = new AudioContext();
    const mix = this.audio.createMediaStreamDestination();
    for (const stream of this.options.streams()) {
      if (stream.getAudioTracks().length > 0) this.audio.createMediaStreamSource(stream).connect(mix);
    }
    const tracks = [...canvasStream.getVideoTracks(), ...mix.stream.getAudioTracks()];
    this.recorder = new MediaRecorder(new MediaStream(tracks), {mimeType: type, videoBitsPerSecond: 1_000_000});
    this.recorder.ondataavailable = (event) => {
      if (event.data && event.data.size > 0) this.enqueue(event.data);
    };
    this.recorder.start(TIMESLICE_MS);
    this.options.onState('recording', this.item);
  }

  enqueue(blob) {
    this.queue = this.queue.then(async () => {
      if (this.failed) return;
      try {
        const item = await api('PUT', `/recordings/${this.item.id}/content?offset=${this.offset}`,
          {body: blob, headers: {'Content-Type': 'application/octet-stream'}});
        this.offset = item && typeof item.size === 'number' ? item.size : this.offset + blob.size;
        this.options.onState('uploading', {bytes: this.offset});
      } catch (e) {
        this.failed = e;
        this.options.onState('error', e);
      }
    });
  }

  /** Stops, uploads what is left and completes the recording; resolves with the stored item. */
  async stop() {
    if (!this.recorder) return null;
    const recorder = this.recorder;
    const stopped = new Promise((resolve) => recorder.addEventListener('stop', resolve, {once: true}));
    recorder.stop();
    await stopped; // the last dataavailable comes before stop
    this.recorder = null;
    clearInterval(this.drawTimer);
    recorder.stream.getTracks().forEach((t) => t.stop());
    if (this.audio) this.audio.close();
    this.options.onState('finishing');
    await this.queue;
    if (this.failed) throw this.failed;
    const item = await post(`/recordings/${this.item.id}/complete`, {});
    this.options.onState('saved', item);
    return item;
  }
}
