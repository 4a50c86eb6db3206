// Live captions, the speaking side: the microphone track goes through an AudioWorklet that makes
// 16 kHz mono s16le PCM, sent in binary frames (well under 64 KiB each) on
// /ws/audio?meetingId=ID&lang=xx&access_token=JWT. Reconnects by itself while switched on.
// A simple level detector marks when speech starts and ends (`voice` events), for the speaking
// indicator and for measuring caption latency.

const SPEECH_LEVEL = 0.04;
const SILENCE_BLOCKS_TO_END = 5; // 5 x 100 ms

export class MicStreamer {
  /**
   * @param {{meetingId: string, lang: string, token: () => string,
   *          onState?: (s: string) => void, onVoice?: (e: {speaking: boolean, at: number}) => void,
   *          onLevel?: (peak: number) => void}} options
   */
  constructor(options) {
    this.options = options;
    this.state = 'off';
    this.ws = null;
    this.context = null;
    this.node = null;
    this.source = null;
    this.on = false;
    this.speaking = false;
    this.quietBlocks = 0;
    this.attempt = 0;
    this.everConnected = false;
    this.sentBytes = 0;
  }

  setState(state) {
    if (this.state === state) return;
    this.state = state;
    if (this.options.onState) this.options.onState(state);
  }

  /** @param {MediaStreamTrack} track the microphone track */
  async start(track) {
    if (this.on) return;
    this.on = true;
    this.context = new AudioContext();
    await this.context.audioWorklet.addModule('/js/pcm-worklet.js');
    this.source = this.context.createMediaStreamSource(new MediaStream([track]));
    this.node = new AudioWorkletNode(this.context, 'pcm-resampler', {processorOptions: {blockMs: 100}});
    this.node.port.onmessage = (event) => this.onBlock(event.data);
    this.source.connect(this.node);
    // A worklet only runs when connected towards the destination; a muted gain keeps it silent.
    const mute = this.context.createGain();
    mute.gain.value = 0;
    this.node.connect(mute).connect(this.context.destination);
    if (this.context.state === 'suspended') await this.context.resume();
    this.openSocket();
  }

  openSocket() {
    if (!this.on) return;
    this.setState(this.everConnected ? 'reconnecting' : 'connecting');
    const {meetingId, lang, token} = this.options;
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const url = `${proto}//${location.host}/ws/audio?meetingId=${encodeURIComponent(meetingId)}`
      + `&lang=${encodeURIComponent(lang)}&access_token=${encodeURIComponent(token())}`;
    const ws = new WebSocket(url);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.attempt = 0;
      this.everConnected = true;
      this.setState('connected');
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.ws = null;
      if (!this.on) {
        this.setState('off');
        return;
      }
      if (event.code === 1008) {
        // not allowed (not a participant, meeting over, language not spoken): retrying will not help
        this.setState(`refused: ${event.reason || 'not allowed'}`);
        this.stopAudio();
        this.on = false;
        return;
      }
      this.setState('reconnecting');
      // 1001 "going away": the server is restarting; another node takes the stream at once
      if (event.code === 1001) this.attempt = 0;
      const delay = event.code === 1001 ? Math.random() * 250 : Math.min(10000, 500 * 2 ** Math.min(this.attempt++, 5));
      this.retryTimer = setTimeout(() => this.openSocket(), delay);
    };
  }

  onBlock({pcm, peak}) {
    const now = Date.now();
    if (this.options.onLevel) this.options.onLevel(peak);
    if (peak >= SPEECH_LEVEL) {
      this.quietBlocks = 0;
      if (!this.speaking) {
        this.speaking = true;
        // the block holds the last 100 ms: speech began at most that long ago
        if (this.options.onVoice) this.options.onVoice({speaking: true, at: now - 100});
      }
    } else if (this.speaking && ++this.quietBlocks >= SILENCE_BLOCKS_TO_END) {
      this.speaking = false;
      if (this.options.onVoice) this.options.onVoice({speaking: false, at: now - SILENCE_BLOCKS_TO_END * 100});
    }
    const ws = this.ws;
    // While disconnected the audio is dropped: captions resume with what is said after the reconnect.
    if (ws && ws.readyState === WebSocket.OPEN && ws.bufferedAmount < 1 << 20) {
      ws.send(pcm);
      this.sentBytes += pcm.byteLength;
    }
  }

  stopAudio() {
    if (this.source) this.source.disconnect();
    if (this.node) this.node.disconnect();
    if (this.context) this.context.close();
    this.source = this.node = this.context = null;
  }

  stop() {
    this.on = false;
    clearTimeout(this.retryTimer);
    this.stopAudio();
    const ws = this.ws;
    if (ws && ws.readyState === WebSocket.OPEN) {
      ws.send(JSON.stringify({type: 'end'}));
      // the server closes with 1000 once the last caption is out
    } else if (ws) {
      ws.close();
    }
    this.speaking = false;
    this.setState('off');
  }

  /** Drops the socket as a network failure would (used by the end-to-end test). */
  drop() {
    if (this.ws) this.ws.close(4000, 'dropped');
  }
}
