/* nyxCore service worker: keeps the app shell available offline.
   Generated at build time from ui/scripts/sw-template.js. */
const VERSION = "5ffb4775bb7319c0"
const CACHE = 'nyx-shell-' + VERSION
const PRECACHE = [
  "/",
  "/assets/Account-DF-Q1y6a.js",
  "/assets/Button-98FJgA0B.js",
  "/assets/Card-CkmKgNCK.js",
  "/assets/Dialog-DT6kEySq.js",
  "/assets/EmptyState-CWzFOYAk.js",
  "/assets/Field-BNiAV04Q.js",
  "/assets/Home-azIUD5_F.js",
  "/assets/Members-DYe6q5td.js",
  "/assets/NewTenant-CBwPA1Vy.js",
  "/assets/OAuthButtons-DpA4UGwi.js",
  "/assets/Overview-DAwfAcQn.js",
  "/assets/QueryError-CupCWsvj.js",
  "/assets/Settings-CCY7R86P.js",
  "/assets/SignIn-BNtuK-a3.js",
  "/assets/SignUp-CWPU9CFx.js",
  "/assets/arrow-right-mCEqrQ-h.js",
  "/assets/index-dfkP8Cto.css",
  "/assets/index-kNxVC-8z.js",
  "/assets/inter-latin-ext-wght-normal-DO1Apj_S.woff2",
  "/assets/inter-latin-wght-normal-Dx4kXJAl.woff2",
  "/assets/user-plus-DR8iJ4cf.js",
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
