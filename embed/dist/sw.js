/* nyxCore service worker: keeps the app shell available offline.
   Generated at build time from ui/scripts/sw-template.js. */
const VERSION = "7ad0a531cc8308cd"
const CACHE = 'nyx-shell-' + VERSION
const PRECACHE = [
  "/",
  "/assets/Account-CVgbnU3a.js",
  "/assets/Button-CWpOX2wQ.js",
  "/assets/Card-TGfhh6wR.js",
  "/assets/Dialog-DL3Yizwm.js",
  "/assets/EmptyState-BYuG8u_Q.js",
  "/assets/Field-D7Zth298.js",
  "/assets/Home-CT0VkH8E.js",
  "/assets/Members-FOTsJXs-.js",
  "/assets/NewTenant-BRuIHVnR.js",
  "/assets/OAuthButtons-JncH8i09.js",
  "/assets/Overview-DdsTFkfT.js",
  "/assets/QueryError-BKYd3Bm5.js",
  "/assets/Settings-kfDIop9m.js",
  "/assets/SignIn-5WA1M3xV.js",
  "/assets/SignUp-sWlJKNj_.js",
  "/assets/arrow-right-D2Lp5uN2.js",
  "/assets/index-CC9WqJhz.js",
  "/assets/index-DSoTX9EP.css",
  "/assets/inter-latin-ext-wght-normal-DO1Apj_S.woff2",
  "/assets/inter-latin-wght-normal-Dx4kXJAl.woff2",
  "/assets/user-plus-BPkHggkZ.js",
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
