/* nyxCore service worker: keeps the app shell available offline.
   Generated at build time from ui/scripts/sw-template.js. */
const VERSION = "ab65541c3d0c9495"
const CACHE = 'nyx-shell-' + VERSION
const PRECACHE = [
  "/",
  "/assets/Account-B2dZrkPx.js",
  "/assets/AuditPage-DTmDOWzV.js",
  "/assets/Badge-CH2DJK3K.js",
  "/assets/Button-QQbIiiA2.js",
  "/assets/Card-F2sy1nlQ.js",
  "/assets/Dialog-BAGHaDOX.js",
  "/assets/DiscussionPage-BBIX-Gvy.js",
  "/assets/DiscussionPage-DzLZK9_U.css",
  "/assets/DiscussionsPage-BHnpvZ-k.js",
  "/assets/EmptyState-EsMTDtYr.js",
  "/assets/Field-5gxya6Oo.js",
  "/assets/Home-BLKEDdaF.js",
  "/assets/Members-D71bcsFz.js",
  "/assets/ModelsPage-CvhO35Fp.js",
  "/assets/NewTenant-IMExDWMo.js",
  "/assets/OAuthButtons-D6XWImga.js",
  "/assets/Overview-COZ8lzmO.js",
  "/assets/PersonaEditorPage-CLl7FlcX.js",
  "/assets/PersonasPage-Dz8uoygi.js",
  "/assets/ProvidersPage-CK0nSruA.js",
  "/assets/QueryError-BSFcbgLO.js",
  "/assets/Settings-BmOLe1FG.js",
  "/assets/SignIn-B-rCkPzj.js",
  "/assets/SignUp-HXeXAHBT.js",
  "/assets/arrow-right-hSEhMW69.js",
  "/assets/download-Bnu2uBsT.js",
  "/assets/eye-yNNfhjDd.js",
  "/assets/form-YBSjq-SN.js",
  "/assets/index-C-kLEtNy.css",
  "/assets/index-DIF7JTY-.js",
  "/assets/inter-latin-ext-wght-normal-DO1Apj_S.woff2",
  "/assets/inter-latin-wght-normal-Dx4kXJAl.woff2",
  "/assets/kinds-CUrV9GNc.js",
  "/assets/pencil-BSfpfz1Y.js",
  "/assets/queries-D_utC-i-.js",
  "/assets/queries-k4XIWWL5.js",
  "/assets/schemas-C-AfF6ZF.js",
  "/assets/selectClass-Ctrb38mX.js",
  "/assets/sparkles-DPmJ1Q0u.js",
  "/assets/square-CoebUrOO.js",
  "/assets/trash-D1x3sbrq.js",
  "/assets/useEventStream-DjAvpheG.js",
  "/assets/user-plus-Bjq5cbZU.js",
  "/assets/x-d0Zz8hTO.js",
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
