import { Suspense, useEffect, useRef } from 'react'
import { Outlet, useLocation, useMatch } from 'react-router'
import { isMissing, useTenant } from '../../lib/queries'
import { Header } from './Header'
import { OfflineBanner } from './OfflineBanner'
import { PageSkeleton } from './PageSkeleton'
import { Sidebar } from './Sidebar'

/**
 * AppShell is the signed-in frame: sidebar, header and the page. It renders
 * at once from local state (the stored token); data fills in as it arrives.
 */
export function AppShell() {
  const urlSlug = useMatch('/t/:slug/*')?.params.slug
  // A workspace you cannot see gets no workspace navigation either.
  const tenant = useTenant(urlSlug ?? '', Boolean(urlSlug))
  const slug = isMissing(tenant.error) ? undefined : urlSlug
  const { pathname } = useLocation()
  const main = useRef<HTMLElement>(null)
  // A new page starts at its top (the page scrolls inside <main>, not the window).
  useEffect(() => {
    main.current?.scrollTo(0, 0)
  }, [pathname])
  return (
    <div className="flex h-full">
      <a href="#main" className="sr-only z-50 rounded-lg bg-accent px-3 py-2 text-accent-fg focus:not-sr-only focus:fixed focus:top-3 focus:left-3">
        Skip to content
      </a>
      <aside className="hidden w-[260px] shrink-0 border-r border-line bg-surface/70 md:block">
        <Sidebar slug={slug} />
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <OfflineBanner />
        <Header slug={slug} />
        <main ref={main} id="main" tabIndex={-1} className="flex-1 overflow-y-auto outline-none">
          <Suspense fallback={<PageSkeleton />}>
            <Outlet />
          </Suspense>
        </main>
      </div>
    </div>
  )
}
