/* nyxCore service worker: keeps the app shell available offline.
   Generated at build time from ui/scripts/sw-template.js. */
const VERSION = "278b4a13123ed7c2"
const CACHE = 'nyx-shell-' + VERSION
const PRECACHE = [
  "/",
  "/assets/Account-BW6IbkfU.js",
  "/assets/AuditPage-DqvWOo8B.js",
  "/assets/Badge-B58JpFs1.js",
  "/assets/Button-9nEaqFL5.js",
  "/assets/Card-OOI-ZyYC.js",
  "/assets/Dialog-B12l4MxS.js",
  "/assets/DiscussionPage-B-fINcUU.js",
  "/assets/DiscussionPage-DzLZK9_U.css",
  "/assets/DiscussionsPage-mLaLqJfC.js",
  "/assets/EmptyState-DVeaLsc4.js",
  "/assets/Field-DWvp-6He.js",
  "/assets/Home-BwgFc_XU.js",
  "/assets/Members-DgWWPJlt.js",
  "/assets/ModelsPage-C__rdAIk.js",
  "/assets/NewTenant-C9akkVgR.js",
  "/assets/OAuthButtons-DmaOENmQ.js",
  "/assets/Overview-C4cfs5A7.js",
  "/assets/PersonaEditorPage-mFBYwEe1.js",
  "/assets/PersonasPage-Dx5aIfS-.js",
  "/assets/ProvidersPage-B5237EM6.js",
  "/assets/QueryError-D_48BRWc.js",
  "/assets/Settings-CKDrpccy.js",
  "/assets/SignIn-DNHJzk9n.js",
  "/assets/SignUp-Dw2nXPYF.js",
  "/assets/arrow-right-oHSG78SC.js",
  "/assets/download-BdUW3dgY.js",
  "/assets/eye-DlThMnCu.js",
  "/assets/form-F3krTrg0.js",
  "/assets/index-BCxU5aoy.js",
  "/assets/index-BoSbaHBL.css",
  "/assets/inter-latin-ext-wght-normal-DO1Apj_S.woff2",
  "/assets/inter-latin-wght-normal-Dx4kXJAl.woff2",
  "/assets/kinds-CFNTkM8c.js",
  "/assets/pencil-Q4-yY4zx.js",
  "/assets/queries-BaqHcXX6.js",
  "/assets/queries-BxdoHWsS.js",
  "/assets/schemas-C-AfF6ZF.js",
  "/assets/selectClass-Cm93LW29.js",
  "/assets/sparkles-i_nFdZff.js",
  "/assets/square-DUnIt_Nn.js",
  "/assets/trash-Du2PGhuS.js",
  "/assets/useEventStream-ShMrGQ08.js",
  "/assets/user-plus-B3VTXQvH.js",
  "/assets/x-Cg7uZkzu.js",
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
