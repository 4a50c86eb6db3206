// A real WebRTC publisher for server-side tests and benches: headless Chromium (the machine's,
// through playwright-core) whose microphone track is a WAV file played by Web Audio when asked
// (so that the speech starts once the PeerConnection is up), offering that audio on a
// PeerConnection. Signalling is left to the caller, as JSON lines:
//   out {"offer": sdp}              once ICE gathering is complete (candidates in the SDP)
//   in  {"answer": sdp}             Janus's answer, as Parley's media.publish returned it
//   out {"state": "connected"}      the PeerConnection is up (and every later state change)
//   in  {"play": true}              plays the WAV once from its start
//   in  {"enabled": false|true}     switches the microphone track off or on
//   out {"stats": {...}}            after {"stats": true}: outbound audio packets and bytes
// Usage: node e2e/publisher.mjs <origin> <wav> [count] [video]   (count publishers, each its own page;
//        "video" adds Chromium's fake camera (its test pattern) as a second track)
import {chromium} from 'playwright-core';
import readline from 'node:readline';
import {readFileSync} from 'node:fs';

const [origin, wav, countArg, videoArg] = process.argv.slice(2);
const withVideo = videoArg === 'video';
const count = Number(countArg || 1);
const send = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--allow-loopback-in-peer-connection',
    '--autoplay-policy=no-user-gesture-required', '--disable-dev-shm-usage'],
});
const pages = [];
for (let i = 0; i < count; i++) {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${origin}/health/live`);
  await page.exposeFunction('__state', (state) => send({index: i, state}));
  const offer = await page.evaluate(async ([wavBase64, withVideo]) => {
    // a granted microphone makes Chromium offer its real host addresses (not mDNS names Janus cannot resolve)
    (await navigator.mediaDevices.getUserMedia({audio: true})).getTracks().forEach((t) => t.stop());
    const audio = new AudioContext({sampleRate: 48000});
    const bytes = Uint8Array.from(atob(wavBase64), (c) => c.charCodeAt(0));
    window.speech = await audio.decodeAudioData(bytes.buffer);
    const destination = audio.createMediaStreamDestination();
    // silence until the speech plays, so that the track sends from the start
    const hush = audio.createConstantSource();
    hush.offset.value = 0;
    hush.connect(destination);
    hush.start();
    window.play = () => {
      const source = audio.createBufferSource();
      source.buffer = window.speech;
      source.connect(destination);
      source.start();
    };
    await audio.resume();
    const stream = destination.stream;
    const pc = new RTCPeerConnection();
    window.pc = pc;
    window.track = stream.getAudioTracks()[0];
    pc.addTransceiver(window.track, {direction: 'sendonly', streams: [stream]});
    if (withVideo) {
      const camera = (await navigator.mediaDevices.getUserMedia({video: {width: 640, height: 360, frameRate: 15}})).getVideoTracks()[0];
      pc.addTransceiver(camera, {direction: 'sendonly', streams: [stream]});
    }
    pc.onconnectionstatechange = () => window.__state(pc.connectionState);
    await pc.setLocalDescription(await pc.createOffer());
    await new Promise((resolve) => {
      if (pc.iceGatheringState === 'complete') resolve();
      pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && resolve();
      setTimeout(resolve, 3000);
    });
    return pc.localDescription.sdp;
  }, [readFileSync(wav).toString('base64'), withVideo]);
  pages.push(page);
  send({index: i, offer});
}

const lines = readline.createInterface({input: process.stdin});
lines.on('line', async (line) => {
  const m = JSON.parse(line);
  const page = pages[m.index || 0];
  try {
    if (m.answer) {
      await page.evaluate((sdp) => window.pc.setRemoteDescription({type: 'answer', sdp}), m.answer);
    } else if (m.play) {
      await page.evaluate(() => window.play());
    } else if (m.enabled !== undefined) {
      await page.evaluate((on) => { window.track.enabled = on; }, m.enabled);
    } else if (m.stats) {
      const stats = await page.evaluate(async () => {
        let out = {};
        (await window.pc.getStats()).forEach((r) => { if (r.type === 'outbound-rtp') out = {packets: r.packetsSent, bytes: r.bytesSent}; });
        return out;
      });
      send({index: m.index || 0, stats});
    }
  } catch (e) {
    send({index: m.index || 0, error: String(e)});
  }
});
lines.on('close', async () => {
  await browser.close();
  process.exit(0);
});
