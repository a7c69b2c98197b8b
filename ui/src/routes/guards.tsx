import { Navigate, Outlet, useLocation } from 'react-router'
import { signedOutDeliberately, useUser } from '../lib/auth'

/** RequireUser sends signed-out visitors to sign in, remembering where they were going. */
export function RequireUser() {
  const user = useUser()
  const { pathname, search, hash } = useLocation()
  if (!user) {
    // The hash is kept too: an invitation link carries its token there.
    const next = pathname === '/' || signedOutDeliberately() ? '' : '?next=' + encodeURIComponent(pathname + search + hash)
    return <Navigate to={'/signin' + next} replace />
  }
  return <Outlet />
}

/** safeNext keeps redirects on this site: only same-origin absolute paths. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/_') && !next.startsWith('/api/') ? next : '/'
}

/** GuestOnly sends signed-in people on from the sign-in pages. */
export function GuestOnly() {
  const user = useUser()
  const { search } = useLocation()
  if (user) return <Navigate to={safeNext(new URLSearchParams(search).get('next'))} replace />
  return <Outlet />
}
