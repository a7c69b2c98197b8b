/* nyxCore service worker: keeps the app shell available offline.
   Generated at build time from ui/scripts/sw-template.js. */
const VERSION = "64fe0ea4f62c67a2"
const CACHE = 'nyx-shell-' + VERSION
const PRECACHE = [
  "/",
  "/assets/Account-EutiG281.js",
  "/assets/AuditPage-DID4reeM.js",
  "/assets/Badge-Chj-0611.js",
  "/assets/Button-DVCY8n6N.js",
  "/assets/Card-CFGZeRmq.js",
  "/assets/CopyButton-CYACNxwK.js",
  "/assets/Dialog-D3fV-EOl.js",
  "/assets/DiscussionPage-D94dLB8Z.js",
  "/assets/DiscussionPage-DzLZK9_U.css",
  "/assets/DiscussionsPage-CBBn5P7h.js",
  "/assets/EmptyState-AfQCOVcJ.js",
  "/assets/Field-DYgCLaGF.js",
  "/assets/Home-Cjk7jGjZ.js",
  "/assets/Invite-7JSUtb8C.js",
  "/assets/Members-ywHOxZUw.js",
  "/assets/ModelsPage-Bcnc3bFS.js",
  "/assets/MyInvitations-DSFIm8X-.js",
  "/assets/NewTenant-K6lDnCh2.js",
  "/assets/OAuthButtons-Cr5_uugX.js",
  "/assets/Overview-DJCYfh3h.js",
  "/assets/PersonaEditorPage-BKNTTTW1.js",
  "/assets/PersonasPage-qE6AtTwc.js",
  "/assets/ProvidersPage-4qYbjIpt.js",
  "/assets/QueryError-COKIszi6.js",
  "/assets/Settings-CAWz1luE.js",
  "/assets/SignIn-CNWa05n8.js",
  "/assets/SignUp-C0ullzFo.js",
  "/assets/arrow-right-juAwX2jM.js",
  "/assets/download-CyjOdXAO.js",
  "/assets/eye-BSFezXdP.js",
  "/assets/form-B38HZwcM.js",
  "/assets/index-CeEnIXP2.css",
  "/assets/index-DceV0tEH.js",
  "/assets/inter-latin-ext-wght-normal-DO1Apj_S.woff2",
  "/assets/inter-latin-wght-normal-Dx4kXJAl.woff2",
  "/assets/kinds-HatuZzjZ.js",
  "/assets/mail-open-CEK-d9t_.js",
  "/assets/pencil-DApNaEu7.js",
  "/assets/queries-B5qXny3W.js",
  "/assets/queries-D8qComyS.js",
  "/assets/schemas-C-AfF6ZF.js",
  "/assets/selectClass-DlcvrZ1Q.js",
  "/assets/sparkles-lNtduSjw.js",
  "/assets/square-C2Qgrvxd.js",
  "/assets/trash-Dp_vMK9C.js",
  "/assets/useEventStream-Cc4R73z7.js",
  "/assets/user-plus-Cz-iSlL5.js",
  "/assets/x-DGiavuQv.js",
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
