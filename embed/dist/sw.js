/* nyxCore service worker: keeps the app shell available offline.
   Generated at build time from ui/scripts/sw-template.js. */
const VERSION = "fb54e738f11dc5b9"
const CACHE = 'nyx-shell-' + VERSION
const PRECACHE = [
  "/",
  "/assets/Account-pfDDAtdK.js",
  "/assets/AuditPage-D_tn49Gz.js",
  "/assets/Badge-D0Vg4BSx.js",
  "/assets/Button-DCbynV7S.js",
  "/assets/Card-CvkO_OTm.js",
  "/assets/CopyButton-COh0PvFv.js",
  "/assets/Dialog-DKnhEv9l.js",
  "/assets/DiscussionPage-CrVMWx_r.js",
  "/assets/DiscussionPage-DzLZK9_U.css",
  "/assets/DiscussionsPage-DZXCN0Ms.js",
  "/assets/EmptyState-NE3qHnTV.js",
  "/assets/Field-C6xtahD3.js",
  "/assets/Home-BcO5hFPu.js",
  "/assets/Invite-B940KF3z.js",
  "/assets/Members-DWIJfS7M.js",
  "/assets/ModelsPage-CGTfhJGn.js",
  "/assets/MyInvitations-QeRb6tAB.js",
  "/assets/NewTenant-BW6E6TsX.js",
  "/assets/OAuthButtons-Bp9O9O93.js",
  "/assets/Overview-RL6dqpHb.js",
  "/assets/PersonaEditorPage-D7n5tFRF.js",
  "/assets/PersonasPage-CjDM9tF3.js",
  "/assets/ProvidersPage-Dm18zoFm.js",
  "/assets/QueryError-FRVPUstC.js",
  "/assets/Settings-DCNqhu8B.js",
  "/assets/SignIn-Bp0h4M-P.js",
  "/assets/SignUp-WQOl30gh.js",
  "/assets/arrow-right-DLcCU_6W.js",
  "/assets/download-B3f3ybDJ.js",
  "/assets/eye-Du8R57CN.js",
  "/assets/form-EvRWslwk.js",
  "/assets/index-9-R0ltqr.js",
  "/assets/index-CeEnIXP2.css",
  "/assets/inter-latin-ext-wght-normal-DO1Apj_S.woff2",
  "/assets/inter-latin-wght-normal-Dx4kXJAl.woff2",
  "/assets/kinds-CnjUVihq.js",
  "/assets/mail-open-DZ4w8Jwf.js",
  "/assets/pencil-BhkPJjlX.js",
  "/assets/queries-CAFGMTX2.js",
  "/assets/queries-DoK-MbzI.js",
  "/assets/schemas-C-AfF6ZF.js",
  "/assets/selectClass-DoFck1HQ.js",
  "/assets/sparkles-DC2poU2o.js",
  "/assets/square-moBavce8.js",
  "/assets/trash-BLvwuQg_.js",
  "/assets/useEventStream-zv4WVplI.js",
  "/assets/user-plus-D-97imqO.js",
  "/assets/x-BiP_tHdx.js",
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
