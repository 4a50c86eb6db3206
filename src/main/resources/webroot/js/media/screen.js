// Screen sharing: the browser's picker (getDisplayMedia), and the end of the share whichever way it
// comes: the page's own button, or the browser's "Stop sharing" (the track ends).

/**
 * Asks the browser for a screen, window or tab; `onEnded` runs once when the browser stops the
 * share. Rejects when the person cancels the picker (NotAllowedError) or the browser cannot share.
 */
export async function captureScreen(onEnded) {
  if (!navigator.mediaDevices || !navigator.mediaDevices.getDisplayMedia) {
    throw new Error('this browser cannot share its screen');
  }
  const stream = await navigator.mediaDevices.getDisplayMedia({
    video: {frameRate: {ideal: 15, max: 30}, width: {max: 1920}, height: {max: 1080}},
    audio: false,
  });
  const [track] = stream.getVideoTracks();
  if ('contentHint' in track) track.contentHint = 'detail'; // text stays sharp rather than smooth
  let ended = false;
  track.addEventListener('ended', () => {
    if (!ended) {
      ended = true;
      onEnded();
    }
  });
  return stream;
}

export function stopScreen(stream) {
  if (stream) stream.getTracks().forEach((t) => t.stop());
}
