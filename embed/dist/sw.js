/* nyxCore service worker: keeps the app shell available offline.
   Generated at build time from ui/scripts/sw-template.js. */
const VERSION = "6b5687f63b524b47"
const CACHE = 'nyx-shell-' + VERSION
const PRECACHE = [
  "/",
  "/assets/Account-AueL6oJq.js",
  "/assets/Badge-DplaeqX6.js",
  "/assets/Button-BZSPj-n7.js",
  "/assets/Card-CMspk2Fk.js",
  "/assets/Dialog-Ftvu_Qe3.js",
  "/assets/DiscussionPage-CwpLTGwa.js",
  "/assets/DiscussionPage-DzLZK9_U.css",
  "/assets/DiscussionsPage-C9dWYRp7.js",
  "/assets/EmptyState-CGilxoZk.js",
  "/assets/Field-C84dw4mk.js",
  "/assets/Home-C2vMpSBt.js",
  "/assets/Members-zn_K0-6N.js",
  "/assets/ModelsPage-DiHBrkls.js",
  "/assets/NewTenant-DZqBFrOt.js",
  "/assets/OAuthButtons-DbuQUU7_.js",
  "/assets/Overview-yHRSGkJS.js",
  "/assets/PersonaEditorPage-7ngUIvnZ.js",
  "/assets/PersonasPage-D4FTwJNI.js",
  "/assets/ProvidersPage-b1eplqWj.js",
  "/assets/QueryError-Z_sVAvb_.js",
  "/assets/Settings-BdQtl4A3.js",
  "/assets/SignIn-DcfBOwDD.js",
  "/assets/SignUp-BIIzTq9E.js",
  "/assets/arrow-right-DI4j7r-L.js",
  "/assets/download--6k2qcLq.js",
  "/assets/eye-DampLnd5.js",
  "/assets/form-BH4GSovC.js",
  "/assets/index-BSfISlmE.js",
  "/assets/index-DvIfOMQs.css",
  "/assets/inter-latin-ext-wght-normal-DO1Apj_S.woff2",
  "/assets/inter-latin-wght-normal-Dx4kXJAl.woff2",
  "/assets/kinds-CBeMkYep.js",
  "/assets/pencil-CpxbRDNE.js",
  "/assets/queries-1utgMA7W.js",
  "/assets/queries-CP6TLDZu.js",
  "/assets/schemas-C-AfF6ZF.js",
  "/assets/selectClass-4MFTqhPG.js",
  "/assets/sparkles-BBTfsbry.js",
  "/assets/square-D1uWoai5.js",
  "/assets/trash-DVMLXYoX.js",
  "/assets/useEventStream-Bye8HMCv.js",
  "/assets/user-plus-C14uQRMO.js",
  "/assets/x-Dovlkx4v.js",
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
