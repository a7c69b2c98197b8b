/* nyxCore service worker: keeps the app shell available offline.
   Generated at build time from ui/scripts/sw-template.js. */
const VERSION = "62bca6f46fcf3218"
const CACHE = 'nyx-shell-' + VERSION
const PRECACHE = [
  "/",
  "/assets/Account-Bi8lDohL.js",
  "/assets/Button-BGedJeqg.js",
  "/assets/Card-PW-4dqLY.js",
  "/assets/Dialog-euRLtV_Z.js",
  "/assets/EmptyState-Cfjv-9kl.js",
  "/assets/Field-COApQ8FY.js",
  "/assets/Home-CW0cxLZv.js",
  "/assets/Members-CbfGc4rz.js",
  "/assets/NewTenant-DOosLd1K.js",
  "/assets/OAuthButtons-JchVEe-g.js",
  "/assets/Overview-CndLXFxk.js",
  "/assets/QueryError-CUYZ16pK.js",
  "/assets/Settings-4zZ1SMCC.js",
  "/assets/SignIn-DO2pODJ_.js",
  "/assets/SignUp-Di49ygnU.js",
  "/assets/arrow-right-vbY5LtQv.js",
  "/assets/index-DSoTX9EP.css",
  "/assets/index-XrBMif-J.js",
  "/assets/inter-latin-ext-wght-normal-DO1Apj_S.woff2",
  "/assets/inter-latin-wght-normal-Dx4kXJAl.woff2",
  "/assets/user-plus-CrVVjtnB.js",
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
