// Cameras and microphones: opening them with the chosen devices (remembered in this browser),
// listing them for the pre-join screen and the room's device menu, and a microphone level meter.

const CHOICE_KEY = 'parley.devices';

export function chosenDevices() {
  try {
    return JSON.parse(localStorage.getItem(CHOICE_KEY) || '{}');
  } catch (e) {
    return {};
  }
}

export function rememberDevice(kind, deviceId) {
  localStorage.setItem(CHOICE_KEY, JSON.stringify({...chosenDevices(), [kind]: deviceId || undefined}));
}

function constraint(deviceId, extra) {
  return deviceId ? {...extra, deviceId: {exact: deviceId}} : extra;
}

/**
 * A stream from the chosen (or given) devices: camera and microphone, else the microphone alone,
 * else null. A remembered device that is gone falls back to the default one.
 */
export async function openDevices(choice = chosenDevices()) {
  const video = {width: {ideal: 640}, height: {ideal: 360}};
  const attempts = [
    {audio: constraint(choice.audio, {}), video: constraint(choice.video, video)},
    {audio: true, video},
    {audio: true, video: false},
  ];
  for (const constraints of attempts) {
    try {
      return await navigator.mediaDevices.getUserMedia(constraints);
    } catch (e) {
      console.warn('getUserMedia', constraints, e.name);
    }
  }
  return null;
}

/** Opens one device alone (for switching in the room): a track, or null. */
export async function openDevice(kind, deviceId) {
  try {
    const stream = await navigator.mediaDevices.getUserMedia(kind === 'audio'
      ? {audio: constraint(deviceId, {})} : {video: constraint(deviceId, {width: {ideal: 640}, height: {ideal: 360}})});
    return (kind === 'audio' ? stream.getAudioTracks() : stream.getVideoTracks())[0] || null;
  } catch (e) {
    console.warn('getUserMedia', kind, deviceId, e.name);
    return null;
  }
}

/** Fills a select with the devices of a kind (labels are known once permission was given); selects the one in use. */
export async function fillDeviceSelect(select, kind, currentId) {
  const devices = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === (kind === 'audio' ? 'audioinput' : 'videoinput'));
  select.replaceChildren(...devices.map((d, i) => {
    const option = document.createElement('option');
    option.value = d.deviceId;
    option.textContent = d.label || `${kind === 'audio' ? 'Microphone' : 'Camera'} ${i + 1}`;
    return option;
  }));
  if (devices.length === 0) {
    const none = document.createElement('option');
    none.value = '';
    none.textContent = kind === 'audio' ? 'No microphone' : 'No camera';
    select.append(none);
  }
  select.disabled = devices.length === 0;
  if (currentId && devices.some((d) => d.deviceId === currentId)) select.value = currentId;
  return devices;
}

/** The device id a track comes from. */
export function deviceOf(track) {
  return track && track.getSettings ? track.getSettings().deviceId : undefined;
}

/** Calls `onLevel(0..1)` about ten times a second with the loudness of `track`; returns a stop function. */
export function levelMeter(track, onLevel) {
  const context = new AudioContext();
  const source = context.createMediaStreamSource(new MediaStream([track]));
  const analyser = context.createAnalyser();
  analyser.fftSize = 512;
  source.connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  const timer = setInterval(() => {
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const v of samples) sum += v * v;
    onLevel(Math.min(1, Math.sqrt(sum / samples.length) * 4));
  }, 100);
  return () => {
    clearInterval(timer);
    context.close().catch(() => {});
  };
}

export function initialsOf(name) {
  const parts = (name || '?').trim().split(/\s+/).filter(Boolean);
  return ((parts[0] || '?')[0] + (parts.length > 1 ? parts[parts.length - 1][0] : '')).toUpperCase();
}
