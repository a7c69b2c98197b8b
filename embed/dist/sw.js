/* nyxCore service worker: keeps the app shell available offline.
   Generated at build time from ui/scripts/sw-template.js. */
const VERSION = "361450410458c569"
const CACHE = 'nyx-shell-' + VERSION
const PRECACHE = [
  "/",
  "/assets/Account-BSi6L61G.js",
  "/assets/AuditPage-CbFeV1sY.js",
  "/assets/Badge-CDCJSAsC.js",
  "/assets/Button-DU7xEVdh.js",
  "/assets/Card-Bl-jU0Gx.js",
  "/assets/Dialog-_kPMayTc.js",
  "/assets/DiscussionPage-DzLZK9_U.css",
  "/assets/DiscussionPage-ugJODOYF.js",
  "/assets/DiscussionsPage-D68Gjd0W.js",
  "/assets/EmptyState-Cttx-sZt.js",
  "/assets/Field-CVSxJVqX.js",
  "/assets/Home-DOwN0JHt.js",
  "/assets/Members-CVAqsXrx.js",
  "/assets/ModelsPage-D-ArDVVS.js",
  "/assets/NewTenant-IPMWrnsU.js",
  "/assets/OAuthButtons-3YPKdW38.js",
  "/assets/Overview-Bsil871A.js",
  "/assets/PersonaEditorPage-DGvVkJUl.js",
  "/assets/PersonasPage-DPK78ujm.js",
  "/assets/ProvidersPage-DkXMhcsF.js",
  "/assets/QueryError-CO-wGdnt.js",
  "/assets/Settings-CQgwNNi7.js",
  "/assets/SignIn-Dyag78Ty.js",
  "/assets/SignUp-1BaXGqyA.js",
  "/assets/arrow-right-CS3zVqH2.js",
  "/assets/download-DD7burVv.js",
  "/assets/eye-3m61LFnk.js",
  "/assets/form-IqVCFdf-.js",
  "/assets/index-BoSbaHBL.css",
  "/assets/index-R6V9uQNA.js",
  "/assets/inter-latin-ext-wght-normal-DO1Apj_S.woff2",
  "/assets/inter-latin-wght-normal-Dx4kXJAl.woff2",
  "/assets/kinds-Cx8ZXHAJ.js",
  "/assets/pencil-BySTwesE.js",
  "/assets/queries-DR2oRT1V.js",
  "/assets/queries-vcj-QgSg.js",
  "/assets/schemas-C-AfF6ZF.js",
  "/assets/selectClass-Bj1Mnyr8.js",
  "/assets/sparkles-jBGWHqeQ.js",
  "/assets/square-R4b2myEP.js",
  "/assets/trash-DLBzFchl.js",
  "/assets/useEventStream-YKiSzED6.js",
  "/assets/user-plus-CjRQkmUQ.js",
  "/assets/x-D9DQF9lI.js",
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
