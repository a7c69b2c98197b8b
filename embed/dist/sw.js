/* nyxCore service worker: keeps the app shell available offline.
   Generated at build time from ui/scripts/sw-template.js. */
const VERSION = "9e4814ff63155670"
const CACHE = 'nyx-shell-' + VERSION
const PRECACHE = [
  "/",
  "/assets/Account-BgI6vw7t.js",
  "/assets/AuditPage-D6QIND-w.js",
  "/assets/Badge-Cm6FYNLz.js",
  "/assets/Button-DQV7MD8c.js",
  "/assets/Card-B29Ay6Ty.js",
  "/assets/CopyButton-Ch6pBJH4.js",
  "/assets/Dialog-dalEnqs9.js",
  "/assets/DiscussionPage-DzLZK9_U.css",
  "/assets/DiscussionPage-sKpY1Ne4.js",
  "/assets/DiscussionsPage-04Hfo_0N.js",
  "/assets/EmptyState-BhaTiNi0.js",
  "/assets/Field-DD7JkrA1.js",
  "/assets/Home-DeP8HzQg.js",
  "/assets/Invite-CCicZQ4K.js",
  "/assets/Members-B_6jCy--.js",
  "/assets/ModelsPage-_3zPLt-Q.js",
  "/assets/MyInvitations-DMGFOZSt.js",
  "/assets/NewTenant-BAvdmQps.js",
  "/assets/OAuthButtons-C8RPlpcx.js",
  "/assets/Overview-Cmj_fSRM.js",
  "/assets/PersonaEditorPage-DkHMSGbB.js",
  "/assets/PersonasPage-CApny2c_.js",
  "/assets/ProvidersPage-2JB__MG_.js",
  "/assets/QueryError-BJx0Vfgc.js",
  "/assets/Settings-B1v40v40.js",
  "/assets/SignIn-DzgRMlB_.js",
  "/assets/SignUp-1FGSg7z0.js",
  "/assets/arrow-right-0sQrYKmb.js",
  "/assets/download-CqLO3ABp.js",
  "/assets/eye-BslbN1Y7.js",
  "/assets/form-DoiPXkld.js",
  "/assets/index-CeEnIXP2.css",
  "/assets/index-CldSLfhy.js",
  "/assets/inter-latin-ext-wght-normal-DO1Apj_S.woff2",
  "/assets/inter-latin-wght-normal-Dx4kXJAl.woff2",
  "/assets/kinds-I_c5vjWB.js",
  "/assets/mail-open-0DFSP_xR.js",
  "/assets/pencil-a8_VD4wN.js",
  "/assets/queries-DBcIdXmh.js",
  "/assets/queries-LmLYqCkw.js",
  "/assets/schemas-C-AfF6ZF.js",
  "/assets/selectClass-kFLQvwiC.js",
  "/assets/sparkles-B8m6avz2.js",
  "/assets/square-BUq7ZQPG.js",
  "/assets/trash-D8EiYRso.js",
  "/assets/useEventStream-JmFMLqHf.js",
  "/assets/user-plus-Bp9QENnA.js",
  "/assets/x-B0mYOZ7u.js",
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
