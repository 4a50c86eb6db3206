// AudioWorklet: downmixes the microphone to mono, low-pass filters and resamples it to 16 kHz, and
// posts signed 16-bit little-endian PCM in blocks of `blockMs` (default 100 ms) to the main thread,
// with the block's peak level so the page can show a speaking indicator.

const TARGET_RATE = 16000;

class PcmResampler extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const opts = (options && options.processorOptions) || {};
    this.ratio = sampleRate / TARGET_RATE;
    this.blockSamples = Math.round(TARGET_RATE * (opts.blockMs || 100) / 1000);
    this.out = new Int16Array(this.blockSamples);
    this.outLength = 0;
    this.peak = 0;
    this.pos = 0; // position of the next output sample, in input samples, relative to `prev`
    this.prev = 0; // last filtered input sample of the previous quantum
    // Two cascaded one-pole low-pass filters at ~7 kHz keep the aliasing of a 48 kHz input down.
    const cutoff = Math.min(7000, sampleRate / 2.2);
    this.alpha = 1 - Math.exp(-2 * Math.PI * cutoff / sampleRate);
    this.lp1 = 0;
    this.lp2 = 0;
  }

  process(inputs) {
    const input = inputs[0];
    if (!input || input.length === 0) return true;
    const frames = input[0].length;
    const filtered = new Float32Array(frames);
    for (let i = 0; i < frames; i++) {
      let s = 0;
      for (let c = 0; c < input.length; c++) s += input[c][i];
      s /= input.length;
      if (this.ratio > 1) {
        this.lp1 += this.alpha * (s - this.lp1);
        this.lp2 += this.alpha * (this.lp1 - this.lp2);
        s = this.lp2;
      }
      filtered[i] = s;
    }
    // Linear interpolation between consecutive filtered samples; index -1 is `prev`.
    while (this.pos < frames - 1 + 1e-9) {
      const i = Math.floor(this.pos);
      const frac = this.pos - i;
      const a = i < 0 ? this.prev : filtered[i];
      const b = filtered[Math.min(i + 1, frames - 1)];
      this.push(a + (b - a) * frac);
      this.pos += this.ratio;
    }
    this.pos -= frames;
    this.prev = filtered[frames - 1];
    return true;
  }

  push(sample) {
    const clamped = Math.max(-1, Math.min(1, sample));
    const abs = Math.abs(clamped);
    if (abs > this.peak) this.peak = abs;
    this.out[this.outLength++] = clamped < 0 ? clamped * 0x8000 : clamped * 0x7fff;
    if (this.outLength === this.blockSamples) {
      const buffer = this.out.buffer.slice(0); // Int16Array is little-endian on every platform browsers run on
      this.port.postMessage({pcm: buffer, peak: this.peak}, [buffer]);
      this.outLength = 0;
      this.peak = 0;
    }
  }
}

registerProcessor('pcm-resampler', PcmResampler);
