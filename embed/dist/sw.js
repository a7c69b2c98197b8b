/* nyxCore service worker: keeps the app shell available offline.
   Generated at build time from ui/scripts/sw-template.js. */
const VERSION = "724f079a8068cfaa"
const CACHE = 'nyx-shell-' + VERSION
const PRECACHE = [
  "/",
  "/assets/Account-NTjPX_D3.js",
  "/assets/Button-cZAZ95MY.js",
  "/assets/Card-DDmJC8BK.js",
  "/assets/Dialog-r9HaN1cB.js",
  "/assets/EmptyState-B06yV9gz.js",
  "/assets/Field-CNAAVFng.js",
  "/assets/Home-M51nYWDs.js",
  "/assets/Members-DOloXwII.js",
  "/assets/NewTenant-h0nDMQQI.js",
  "/assets/OAuthButtons-C_LWshJI.js",
  "/assets/Overview-DfTFKNuD.js",
  "/assets/QueryError-L4b-VF2f.js",
  "/assets/Settings-U1eohGMU.js",
  "/assets/SignIn-DpesyKBc.js",
  "/assets/SignUp-D7eToQXi.js",
  "/assets/arrow-right-CYTi5RWO.js",
  "/assets/index-CNzIPjCJ.css",
  "/assets/index-DQ8Kl9ax.js",
  "/assets/inter-latin-ext-wght-normal-DO1Apj_S.woff2",
  "/assets/inter-latin-wght-normal-Dx4kXJAl.woff2",
  "/assets/user-plus-7iGiyeLu.js",
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
