/* nyxCore service worker: keeps the app shell available offline.
   Generated at build time from ui/scripts/sw-template.js. */
const VERSION = "43f1622505529693"
const CACHE = 'nyx-shell-' + VERSION
const PRECACHE = [
  "/",
  "/assets/Account-DfmoDlf0.js",
  "/assets/AuditPage-B1ouwjB2.js",
  "/assets/Badge-DI48hehG.js",
  "/assets/Button-BUA9Uyq-.js",
  "/assets/Card-CyPXj9Zd.js",
  "/assets/Dialog-9ZAaZGHx.js",
  "/assets/DiscussionPage-CDgDq1aV.js",
  "/assets/DiscussionPage-DzLZK9_U.css",
  "/assets/DiscussionsPage-CaSCE44y.js",
  "/assets/EmptyState-BLOrfsHK.js",
  "/assets/Field-Da9vHqRS.js",
  "/assets/Home-DMbHExbu.js",
  "/assets/Members-C6Lak1n7.js",
  "/assets/ModelsPage-CiO3kAbY.js",
  "/assets/NewTenant-DlWKObew.js",
  "/assets/OAuthButtons-Dao02Es3.js",
  "/assets/Overview-DS_eegma.js",
  "/assets/PersonaEditorPage-C9-zPxtB.js",
  "/assets/PersonasPage-BdVKiU4-.js",
  "/assets/ProvidersPage-CM_tjDle.js",
  "/assets/QueryError-CULk-cwo.js",
  "/assets/Settings-CBS4lQvj.js",
  "/assets/SignIn-BdZgCciz.js",
  "/assets/SignUp-5Hfvtib8.js",
  "/assets/arrow-right-y3LGDjmv.js",
  "/assets/download-BfqXj4v4.js",
  "/assets/eye-DzTYm8AW.js",
  "/assets/form-BXn65Yp1.js",
  "/assets/index-C-kLEtNy.css",
  "/assets/index-DCtvoLWS.js",
  "/assets/inter-latin-ext-wght-normal-DO1Apj_S.woff2",
  "/assets/inter-latin-wght-normal-Dx4kXJAl.woff2",
  "/assets/kinds-4trKdFjr.js",
  "/assets/pencil-BaBpHQS_.js",
  "/assets/queries-C2fnUjkX.js",
  "/assets/queries-Clotc66s.js",
  "/assets/schemas-C-AfF6ZF.js",
  "/assets/selectClass-BFz2ZeeH.js",
  "/assets/sparkles-BuoIt61-.js",
  "/assets/square-B0rl8jRB.js",
  "/assets/trash-DVSL3nhP.js",
  "/assets/useEventStream-BjYLKeWQ.js",
  "/assets/user-plus-BnwYoX7j.js",
  "/assets/x-BLXHD2Ok.js",
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
