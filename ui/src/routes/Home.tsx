import { ArrowRight, Plus, Sparkles } from 'lucide-react'
import { Link, Navigate, useSearchParams } from 'react-router'
import { lastTenant } from '../lib/last'
import { useTenants } from '../lib/queries'
import { Page } from '../components/shell/Page'
import { Avatar } from '../components/ui/Avatar'
import { RoleBadge } from '../components/ui/Badge'
import { LinkButton } from '../components/ui/Button'
import { EmptyState } from '../components/ui/EmptyState'
import { QueryProblem } from '../components/ui/QueryError'
import { Skeleton } from '../components/ui/Skeleton'
import { MyInvitations } from './MyInvitations'

/** Home goes back to the last workspace; with ?all (or none remembered) it lists them. */
export default function Home() {
  const [params] = useSearchParams()
  const last = lastTenant()
  if (!params.has('all') && last) return <Navigate to={`/t/${last}`} replace />
  return <Workspaces />
}

function Workspaces() {
  const tenants = useTenants()
  return (
    <Page
      wide
      title="Your workspaces"
      description="Each workspace has its own members, discussions and settings."
      actions={
        <LinkButton to="/new" variant="primary">
          <Plus className="h-4 w-4" aria-hidden="true" /> New workspace
        </LinkButton>
      }
    >
      {tenants.isPending && !tenants.isPaused && (
        <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3" aria-busy="true" aria-label="Loading workspaces">
          {[0, 1, 2].map((i) => (
            <li key={i}>
              <Skeleton className="h-[92px] w-full rounded-xl" />
            </li>
          ))}
        </ul>
      )}
      <QueryProblem error={tenants.error} paused={tenants.isPaused && !tenants.data} onRetry={() => void tenants.refetch()} />
      <div className="mb-6 empty:hidden">
        <MyInvitations quiet />
      </div>
      {tenants.data?.length === 0 && (
        <EmptyState
          icon={Sparkles}
          title="Create your first workspace"
          action={
            <LinkButton to="/new" variant="primary">
              <Plus className="h-4 w-4" aria-hidden="true" /> New workspace
            </LinkButton>
          }
        >
          A workspace is where your team’s discussions, personas and workflows live. You can invite people once it exists — or ask
          someone to invite you to theirs.
        </EmptyState>
      )}
      {tenants.data && tenants.data.length > 0 && (
        <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {tenants.data.map((t) => (
            <li key={t.id}>
              <Link
                to={`/t/${t.slug}`}
                className="group flex h-[92px] items-center gap-3.5 rounded-xl border border-line bg-surface p-4 shadow-xs transition hover:border-line-strong hover:shadow-md focus-visible:ring-3 focus-visible:ring-accent/25"
              >
                <Avatar name={t.name} seed={t.slug} size="lg" square />
                <span className="min-w-0 flex-1">
                  <span className="block truncate font-semibold">{t.name}</span>
                  <span className="block truncate text-[13px] text-fg-muted">/t/{t.slug}</span>
                  {t.role && (
                    <span className="mt-1 block">
                      <RoleBadge role={t.role} />
                    </span>
                  )}
                </span>
                <ArrowRight className="h-4 w-4 text-fg-subtle transition group-hover:translate-x-0.5 group-hover:text-fg" aria-hidden="true" />
              </Link>
            </li>
          ))}
        </ul>
      )}
    </Page>
  )
}
