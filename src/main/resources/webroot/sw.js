// Parley's service worker: keeps the app shell (the page, its styles, scripts and icons) so the
// installed app opens, and says the server is unreachable, when the server or the network is down.
// Never the API, the sockets or media: /api/, /eventbus, /ws/, /metrics and /health always go to
// the network (as do other origins, and anything but GET). The shell is network-first: a reachable
// server always serves the current version, and each answer refreshes the copy kept here.

const CACHE = 'parley-shell-v1';
const SHELL = [
  '/', '/index.html', '/css/app.css', '/favicon.svg', '/manifest.webmanifest',
  '/icons/icon-192.png', '/icons/icon-512.png', '/icons/apple-touch-icon.png',
  '/js/app.js', '/js/api.js', '/js/bridge.js', '/js/dom.js', '/js/mesh.js', '/js/mic-streamer.js',
  '/js/pcm-worklet.js', '/js/pwa.js', '/js/recorder.js', '/js/state.js',
  '/js/views/captions.js', '/js/views/chat.js', '/js/views/lobby.js', '/js/views/recap.js', '/js/views/room.js',
  '/js/views/search.js', '/js/views/signin.js', '/js/views/storage.js', '/js/views/prejoin.js', '/js/views/people.js',
  '/js/views/controls.js', '/js/views/devices.js', '/js/views/polls.js', '/js/views/whiteboard.js',
  '/js/auth/tokens.js', '/js/auth/dev.js', '/js/auth/oidc.js',
];
const NEVER = /^\/(api\/|eventbus|ws\/|metrics|health)/;

self.addEventListener('install', (event) => {
  // Modules another version adds are cached when first fetched; a missing one must not stop the install.
  event.waitUntil(caches.open(CACHE)
    .then((cache) => Promise.allSettled(SHELL.map((path) => cache.add(path))))
    .then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith('parley-shell-') && k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin || NEVER.test(url.pathname)
      || request.headers.has('range')) {
    return; // the browser's own fetch, untouched
  }
  event.respondWith(shell(request, url));
});

async function shell(request, url) {
  const cache = await caches.open(CACHE);
  // One copy of the page whatever its query or hash (/?m=<id> invite links are the same shell);
  // other pages (the sign-in callback) are kept under their own path.
  const key = request.mode === 'navigate' && (url.pathname === '/' || url.pathname === '/index.html') ? '/' : url.pathname;
  try {
    const response = await fetch(request);
    if (response.ok && response.type === 'basic') await cache.put(key, response.clone());
    return response;
  } catch (e) {
    const cached = await cache.match(key);
    if (cached) return cached;
    throw e;
  }
}
