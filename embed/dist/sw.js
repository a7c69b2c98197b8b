/* nyxCore service worker: keeps the app shell available offline.
   Generated at build time from ui/scripts/sw-template.js. */
const VERSION = "00f68fe529663f89"
const CACHE = 'nyx-shell-' + VERSION
const PRECACHE = [
  "/",
  "/assets/Account-DXYWWaHe.js",
  "/assets/Button-BkzV4L1G.js",
  "/assets/Card-B8_g4B3_.js",
  "/assets/Dialog-DEo4wfKZ.js",
  "/assets/EmptyState-slXVhvkZ.js",
  "/assets/Field-CocvS2Xe.js",
  "/assets/Home-VJ4TkRdM.js",
  "/assets/Members-Di8RJXAs.js",
  "/assets/NewTenant-BDZl7jLv.js",
  "/assets/OAuthButtons-Cme9qNbv.js",
  "/assets/Overview-_fBRQFbB.js",
  "/assets/QueryError-B196S_8Q.js",
  "/assets/Settings-DpEa0txZ.js",
  "/assets/SignIn-ClglgS-A.js",
  "/assets/SignUp-DCfwez4u.js",
  "/assets/arrow-right-C_i4K3QS.js",
  "/assets/index-D-YuB9ND.js",
  "/assets/index-DSoTX9EP.css",
  "/assets/inter-latin-ext-wght-normal-DO1Apj_S.woff2",
  "/assets/inter-latin-wght-normal-Dx4kXJAl.woff2",
  "/assets/user-plus-hSdy5eoZ.js",
  "/favicon.svg",
  "/icons/apple-touch-icon.png",
  "/icons/icon-192.png",
  "/icons/icon-512.png",
  "/icons/maskable-512.png",
  "/manifest.webmanifest"
]

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  )
})

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('nyx-shell-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  )
})

self.addEventListener('fetch', (event) => {
  const req = event.request
  if (req.method !== 'GET') return
  const url = new URL(req.url)
  // The API, the admin console and other origins are never served from here.
  if (url.origin !== self.location.origin) return
  if (url.pathname.startsWith('/api/') || url.pathname === '/_' || url.pathname.startsWith('/_/')) return

  if (req.mode === 'navigate') {
    // Network first so a new deployment shows up at once; the cached shell
    // when the server cannot be reached.
    event.respondWith(fetch(req).catch(() => caches.match('/', { cacheName: CACHE }).then((r) => r || Response.error())))
    return
  }
  if (PRECACHE.includes(url.pathname)) {
    event.respondWith(caches.match(url.pathname, { cacheName: CACHE }).then((r) => r || fetch(req)))
  }
})
