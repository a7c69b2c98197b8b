/* nyxCore service worker: keeps the app shell available offline.
   Generated at build time from ui/scripts/sw-template.js. */
const VERSION = "55f4d07ba9efd4e8"
const CACHE = 'nyx-shell-' + VERSION
const PRECACHE = [
  "/",
  "/assets/Account-DUNjE79P.js",
  "/assets/Badge-BJrkqKMp.js",
  "/assets/Button-CIrhTWTb.js",
  "/assets/Card-PD-MTi14.js",
  "/assets/Dialog-BtR35pev.js",
  "/assets/DiscussionPage-BmI1ibqI.js",
  "/assets/DiscussionPage-DzLZK9_U.css",
  "/assets/DiscussionsPage-BCR4mwsM.js",
  "/assets/EmptyState-KQpJetOs.js",
  "/assets/Field-PvymD50Z.js",
  "/assets/Home-rdLMtIL9.js",
  "/assets/Members-UwaokXPy.js",
  "/assets/ModelsPage-DcywNhUj.js",
  "/assets/NewTenant-DHq4y8A8.js",
  "/assets/OAuthButtons-CLUGt-U8.js",
  "/assets/Overview-BRPjxByE.js",
  "/assets/PersonaEditorPage-DwcoOjVQ.js",
  "/assets/PersonasPage-CjzW6Kes.js",
  "/assets/ProvidersPage-B67DObA9.js",
  "/assets/QueryError-CeExaMf7.js",
  "/assets/Settings-kAz_6ME1.js",
  "/assets/SignIn-CJUJIiRo.js",
  "/assets/SignUp-DWhrn-2O.js",
  "/assets/arrow-right-C4HdF5GZ.js",
  "/assets/download-BIyzgJ1k.js",
  "/assets/eye-Dej9GApc.js",
  "/assets/form-Bf_Lb3u7.js",
  "/assets/index-CUBxYhhv.js",
  "/assets/index-DvIfOMQs.css",
  "/assets/inter-latin-ext-wght-normal-DO1Apj_S.woff2",
  "/assets/inter-latin-wght-normal-Dx4kXJAl.woff2",
  "/assets/kinds-DvdXtfzG.js",
  "/assets/pencil-DHIWCggi.js",
  "/assets/queries-BHsS8JLy.js",
  "/assets/queries-I_QPqtgt.js",
  "/assets/schemas-C-AfF6ZF.js",
  "/assets/selectClass-DnNiZqus.js",
  "/assets/sparkles-jFPi7hl-.js",
  "/assets/square-_P9lNDNJ.js",
  "/assets/trash-D1GOLV_8.js",
  "/assets/useEventStream-TI2XC2HS.js",
  "/assets/user-plus-Buf2KTke.js",
  "/assets/x-CRCpMT34.js",
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
