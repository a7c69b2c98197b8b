/* nyxCore service worker: keeps the app shell available offline.
   Generated at build time from ui/scripts/sw-template.js. */
const VERSION = "7683366c720bc214"
const CACHE = 'nyx-shell-' + VERSION
const PRECACHE = [
  "/",
  "/assets/Account-BaysZqML.js",
  "/assets/Button-CbrQHvd2.js",
  "/assets/Card-gal_rcHR.js",
  "/assets/Dialog-BbVSMqCf.js",
  "/assets/EmptyState-OnxFEO94.js",
  "/assets/Field-BWHvs6eV.js",
  "/assets/Home-oKHRyg0K.js",
  "/assets/Members-CBEM7lLN.js",
  "/assets/NewTenant-DZMOgPgR.js",
  "/assets/OAuthButtons-CKmvwhRQ.js",
  "/assets/Overview-C8OeARbg.js",
  "/assets/QueryError-D1s4NtOz.js",
  "/assets/Settings-D-QXh3Xu.js",
  "/assets/SignIn-ClDGiOYc.js",
  "/assets/SignUp-KhREvXRJ.js",
  "/assets/arrow-right-CV-gIEci.js",
  "/assets/index-C0_wV3Go.js",
  "/assets/index-CNzIPjCJ.css",
  "/assets/inter-latin-ext-wght-normal-DO1Apj_S.woff2",
  "/assets/inter-latin-wght-normal-Dx4kXJAl.woff2",
  "/assets/user-plus-Cup4fgsK.js",
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
