import { Bot, Pencil, Plus } from 'lucide-react'
import { Link } from 'react-router'
import type { Persona, Provider } from '../../lib/api'
import { useTenant } from '../../lib/queries'
import { atLeast } from '../../lib/roles'
import { Page } from '../../components/shell/Page'
import { LinkButton } from '../../components/ui/Button'
import { EmptyState } from '../../components/ui/EmptyState'
import { QueryProblem } from '../../components/ui/QueryError'
import { Skeleton } from '../../components/ui/Skeleton'
import { useSlug } from '../../routes/TenantLayout'
import { useProviders } from '../providers/queries'
import { PersonaAvatar, personaColor } from './PersonaAvatar'
import { usePersonas } from './queries'

/** PersonasPage shows the workspace's personas as cards; members create and edit them. */
export default function PersonasPage() {
  const slug = useSlug()
  const personas = usePersonas(slug)
  const providers = useProviders(slug)
  const canWrite = atLeast(useTenant(slug).data?.role, 'member')
  const byId = new Map<string, Provider>((providers.data ?? []).map((p) => [p.id, p]))
  const list = personas.data ? [...personas.data].sort((a, b) => a.name.localeCompare(b.name)) : undefined
  return (
    <Page
      wide
      title="Personas"
      description="Reusable assistants: a model, a system prompt and a style."
      actions={
        canWrite && (
          <LinkButton to={`/t/${slug}/personas/new`} variant="primary">
            <Plus className="h-4 w-4" aria-hidden="true" /> New persona
          </LinkButton>
        )
      }
    >
      <QueryProblem error={personas.error} paused={personas.isPaused && !list} onRetry={() => void personas.refetch()} />
      {!list && !personas.error && (
        <ul aria-busy="true" aria-label="Loading personas" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {[0, 1, 2].map((i) => (
            <li key={i} className="h-[146px] rounded-xl border border-line bg-surface p-4">
              <div className="flex items-center gap-3">
                <Skeleton className="h-12 w-12 rounded-full" />
                <span className="flex-1 space-y-2">
                  <Skeleton className="h-4 w-28" />
                  <Skeleton className="h-3 w-36" />
                </span>
              </div>
              <Skeleton className="mt-4 h-3 w-full" />
            </li>
          ))}
        </ul>
      )}
      {list?.length === 0 && (
        <EmptyState
          icon={Bot}
          title="No personas yet"
          action={
            canWrite && (
              <LinkButton to={`/t/${slug}/personas/new`} variant="primary">
                <Plus className="h-4 w-4" aria-hidden="true" /> Create your first persona
              </LinkButton>
            )
          }
        >
          A persona picks a model and gives it a voice. Discussions speak through them.
        </EmptyState>
      )}
      {list && list.length > 0 && (
        <ul aria-label="Personas" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {list.map((p) => (
            <PersonaCard key={p.id} slug={slug} p={p} provider={byId.get(p.provider_id)} canWrite={canWrite} />
          ))}
        </ul>
      )}
    </Page>
  )
}

function PersonaCard({ slug, p, provider, canWrite }: { slug: string; p: Persona; provider: Provider | undefined; canWrite: boolean }) {
  return (
    <li>
      <Link
        to={`/t/${slug}/personas/${p.id}`}
        data-testid={`persona-${p.name}`}
        style={{ borderTopColor: personaColor(p) }}
        className="group flex h-full flex-col rounded-xl border border-t-[3px] border-line bg-surface p-4 shadow-xs outline-none transition hover:shadow-md focus-visible:ring-3 focus-visible:ring-accent/25"
      >
        <div className="flex items-center gap-3">
          <PersonaAvatar persona={p} size="lg" />
          <span className="min-w-0 flex-1">
            <span className="block truncate font-semibold">{p.name}</span>
            <span className="block truncate font-mono text-[12px] text-fg-muted" title={p.model}>
              {p.model}
            </span>
            <span className="block truncate text-[12px] text-fg-subtle">{provider?.name ?? 'Missing provider'}</span>
          </span>
          {canWrite && <Pencil className="h-4 w-4 text-fg-subtle opacity-0 transition group-hover:opacity-100 group-focus-visible:opacity-100" aria-hidden="true" />}
        </div>
        <p className="mt-3 line-clamp-2 text-[13px] text-fg-muted">{p.system_prompt || 'No system prompt: the model’s own manner.'}</p>
        <p className="mt-auto pt-3 text-[12px] text-fg-subtle tabular-nums">Temperature {p.temperature === null ? 'default' : p.temperature.toFixed(2)}</p>
      </Link>
    </li>
  )
}
