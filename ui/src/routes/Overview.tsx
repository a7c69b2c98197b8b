import { ArrowRight, Settings, UserPlus } from 'lucide-react'
import { Link } from 'react-router'
import { useTenant } from '../lib/queries'
import { canManageMembers } from '../lib/roles'
import { comingSoon } from '../components/shell/nav'
import { Page } from '../components/shell/Page'
import { RoleBadge } from '../components/ui/Badge'
import { QueryProblem } from '../components/ui/QueryError'
import { Skeleton } from '../components/ui/Skeleton'
import { UsageMeters } from '../features/usage/UsageMeters'
import { useSlug } from './TenantLayout'

const blurbs: Record<string, string> = {
  Discussions: 'Talk with one persona, several in parallel, or let them debate to consensus.',
  Workflows: 'Chain prompts, tools and reviews into repeatable pipelines.',
  Dashboards: 'Drag-and-drop views of usage, cost and results.',
  Providers: 'Connect Ollama hosts and cloud models; keys stay encrypted.',
  Personas: 'Reusable assistants with their own model, prompt and style.',
}

/** Overview is the workspace's home; discussions will take this place. */
export default function Overview() {
  const slug = useSlug()
  const tenant = useTenant(slug)
  const t = tenant.data
  return (
    <Page
      wide
      title={t ? t.name : <Skeleton className="h-7 w-56" />}
      description={
        t ? (
          <span className="flex items-center gap-2">
            You are {t.role === 'owner' || t.role === 'admin' ? 'an' : 'a'} {t.role && <RoleBadge role={t.role} />} in this workspace.
          </span>
        ) : (
          <Skeleton className="h-4 w-64" />
        )
      }
    >
      <QueryProblem error={tenant.error} paused={tenant.isPaused && !t} onRetry={() => void tenant.refetch()} />
      <div className="grid gap-3 sm:grid-cols-2">
        <QuickLink
          to={`/t/${slug}/members`}
          icon={UserPlus}
          title={t && canManageMembers(t.role) ? 'Invite your team' : 'See who’s here'}
          text={t && canManageMembers(t.role) ? 'Add people by email and choose their role.' : 'Members of this workspace and their roles.'}
        />
        <QuickLink to={`/t/${slug}/settings`} icon={Settings} title="Workspace settings" text="Name, address and custom domain." />
      </div>
      <div className="mt-10">
        <UsageMeters slug={slug} />
      </div>
      <h2 className="mt-10 mb-3 text-sm font-semibold">Coming soon to this workspace</h2>
      <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        {comingSoon.map(({ label, icon: Icon }) => (
          <li key={label} className="rounded-xl border border-dashed border-line-strong p-4">
            <div className="flex items-center gap-2.5">
              <span className="inline-flex h-8 w-8 items-center justify-center rounded-lg bg-subtle text-fg-muted">
                <Icon className="h-4 w-4" aria-hidden="true" />
              </span>
              <span className="font-medium">{label}</span>
              <span className="ml-auto rounded-full border border-line px-1.5 text-[10px] font-medium tracking-wide text-fg-subtle uppercase">
                Soon
              </span>
            </div>
            <p className="mt-2.5 text-[13px] text-fg-muted">{blurbs[label]}</p>
          </li>
        ))}
      </ul>
    </Page>
  )
}

function QuickLink({ to, icon: Icon, title, text }: { to: string; icon: typeof Settings; title: string; text: string }) {
  return (
    <Link
      to={to}
      className="group flex items-center gap-4 rounded-xl border border-line bg-surface p-4 shadow-xs transition hover:border-line-strong hover:shadow-md focus-visible:ring-3 focus-visible:ring-accent/25"
    >
      <span className="inline-flex h-10 w-10 shrink-0 items-center justify-center rounded-xl bg-accent-soft text-accent-text">
        <Icon className="h-5 w-5" aria-hidden="true" />
      </span>
      <span className="min-w-0 flex-1">
        <span className="block font-medium">{title}</span>
        <span className="block text-[13px] text-fg-muted">{text}</span>
      </span>
      <ArrowRight className="h-4 w-4 text-fg-subtle transition group-hover:translate-x-0.5 group-hover:text-fg" aria-hidden="true" />
    </Link>
  )
}
