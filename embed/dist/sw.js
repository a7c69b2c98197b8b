/* nyxCore service worker: keeps the app shell available offline.
   Generated at build time from ui/scripts/sw-template.js. */
const VERSION = "314a91ba2f94f462"
const CACHE = 'nyx-shell-' + VERSION
const PRECACHE = [
  "/",
  "/assets/Account-DST8tUha.js",
  "/assets/Button-Dob3wDzK.js",
  "/assets/Card-OePupFdB.js",
  "/assets/Dialog-B0D4xvXe.js",
  "/assets/EmptyState-CAfmIpeR.js",
  "/assets/Field-8Fff0BJY.js",
  "/assets/Home-D3jXAo4_.js",
  "/assets/Members-VF7IRBTV.js",
  "/assets/NewTenant-Hm4Hk6i3.js",
  "/assets/OAuthButtons-scM52EjR.js",
  "/assets/Overview-kKuzmMBQ.js",
  "/assets/QueryError-Ds2Mc588.js",
  "/assets/Settings-p_pe4ZCF.js",
  "/assets/SignIn-BAZZ3hi-.js",
  "/assets/SignUp-blYnfXgG.js",
  "/assets/arrow-right-CBSfqc_t.js",
  "/assets/index-CwQdh2fM.js",
  "/assets/index-dfkP8Cto.css",
  "/assets/inter-latin-ext-wght-normal-DO1Apj_S.woff2",
  "/assets/inter-latin-wght-normal-Dx4kXJAl.woff2",
  "/assets/user-plus-CsGgURax.js",
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
