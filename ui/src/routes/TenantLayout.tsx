import { useEffect } from 'react'
import { Outlet, useParams } from 'react-router'
import { lastTenant, rememberTenant } from '../lib/last'
import { isMissing, useTenant } from '../lib/queries'
import { NotFound } from './NotFound'

/**
 * TenantLayout loads the workspace named in the URL. A workspace that does
 * not exist and one the person is not in look the same: not found.
 */
export function TenantLayout() {
  const { slug = '' } = useParams()
  const tenant = useTenant(slug)
  const missing = isMissing(tenant.error)
  useEffect(() => {
    if (tenant.data) rememberTenant(tenant.data.slug)
    else if (missing && lastTenant() === slug) rememberTenant(null)
  }, [tenant.data, missing, slug])
  if (missing) return <NotFound kind="workspace" />
  return <Outlet />
}

/** useSlug is the workspace slug of the current URL. */
export function useSlug(): string {
  return useParams().slug ?? ''
}
