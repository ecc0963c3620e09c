// wsprobe's service worker: keeps one complete copy of the app shell per version, so the page
// opens with no network after the first visit, and an old page never mixes with new files.
// scripts/finish-build.mjs fills in VERSION and FILES for each build.

const VERSION = '__VERSION__';
const FILES = __FILES__;
// Scoped by the deployment's folder: two copies of wsprobe on one origin (say /wsprobe/ and
// /wsprobe-next/) each keep their own cache and never delete the other's.
const SCOPE = new URL(self.registration.scope).pathname;
const PREFIX = `wsprobe:${SCOPE}:`;
const CACHE = PREFIX + VERSION;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      // `wsprobe-<version>` caches are from builds before the scoping, which had no folder.
      .then((keys) => Promise.all(keys.filter((k) => (k.startsWith(PREFIX) && k !== CACHE) || k.startsWith('wsprobe-')).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'activate-update') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  // WebSockets, probes of other hosts and anything but GET are none of the shell's business.
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    // The network first, so a new deployment is seen at once; this version's page when offline.
    event.respondWith(fetch(request).catch(() => caches.open(CACHE).then((cache) => cache.match('./index.html'))));
    return;
  }
  event.respondWith(caches.open(CACHE).then((cache) => cache.match(request).then((hit) => hit || fetch(request))));
});
