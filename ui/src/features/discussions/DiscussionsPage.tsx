import { MessagesSquare, Plus, Search } from 'lucide-react'
import { useEffect, useState } from 'react'
import { Link, useSearchParams } from 'react-router'
import type { Discussion, Persona } from '../../lib/api'
import { useTenant } from '../../lib/queries'
import { atLeast } from '../../lib/roles'
import { Page } from '../../components/shell/Page'
import { ConnectionIndicator } from '../../components/shell/ConnectionIndicator'
import { Badge } from '../../components/ui/Badge'
import { Button, LinkButton } from '../../components/ui/Button'
import { EmptyState } from '../../components/ui/EmptyState'
import { inputClass } from '../../components/ui/Field'
import { QueryProblem } from '../../components/ui/QueryError'
import { Skeleton } from '../../components/ui/Skeleton'
import { cx } from '../../components/ui/cx'
import { useSlug } from '../../routes/TenantLayout'
import { PersonaAvatar } from '../personas/PersonaAvatar'
import { usePersonas } from '../personas/queries'
import { ModeBadge } from './ModeBadge'
import { NewDiscussionDialog } from './NewDiscussionDialog'
import { useDiscussions } from './queries'
import { useActivity } from './useActivity'

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

/** DiscussionsPage lists the workspace's discussions, searchable, with live "answering" status. */
export default function DiscussionsPage() {
  const slug = useSlug()
  const [params, setParams] = useSearchParams()
  const q = params.get('q') ?? ''
  const [text, setText] = useState(q)
  const [creating, setCreating] = useState(params.has('new'))
  const list = useDiscussions(slug, q)
  const personas = usePersonas(slug)
  const role = useTenant(slug).data?.role
  const activity = useActivity(slug)
  const canWrite = atLeast(role, 'member')
  const byId = new Map<string, Persona>((personas.data ?? []).map((p) => [p.id, p]))

  // Search as you type, a moment after the typing stops.
  useEffect(() => {
    const t = setTimeout(() => {
      if (text.trim() === q) return
      setParams(text.trim() ? { q: text.trim() } : {}, { replace: true })
    }, 250)
    return () => clearTimeout(t)
  }, [text, q, setParams])

  const items = list.data
  return (
    <Page
      wide
      title="Discussions"
      description="Ask one persona, several at once, or let them debate to consensus."
      actions={
        canWrite && (
          <Button variant="primary" onClick={() => setCreating(true)}>
            <Plus className="h-4 w-4" aria-hidden="true" /> New discussion
          </Button>
        )
      }
    >
      <div className="mb-4 flex flex-wrap items-center gap-3">
        <div className="relative min-w-60 flex-1">
          <Search className="pointer-events-none absolute top-1/2 left-3 h-4 w-4 -translate-y-1/2 text-fg-subtle" aria-hidden="true" />
          <label htmlFor="discussion-search" className="sr-only">
            Search discussions
          </label>
          <input id="discussion-search" type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder="Search titles and messages" maxLength={200} className={cx(inputClass, 'pl-9')} />
        </div>
        <ConnectionIndicator state={activity.state} retryInMs={activity.retryInMs} />
      </div>
      <QueryProblem error={list.error} paused={list.isPaused && !items} onRetry={() => void list.refetch()} />
      {!items && !list.error && (
        <ul aria-busy="true" aria-label="Loading discussions" className="overflow-hidden rounded-xl border border-line bg-surface">
          {[0, 1, 2, 3].map((i) => (
            <li key={i} className="flex h-[69px] items-center gap-3 border-b border-line px-5 last:border-0">
              <span className="flex-1 space-y-2">
                <Skeleton className="h-3.5 w-56" />
                <Skeleton className="h-3 w-32" />
              </span>
              <Skeleton className="h-6 w-16 rounded-full" />
            </li>
          ))}
        </ul>
      )}
      {items && items.length === 0 && (
        q ? (
          <EmptyState icon={Search} title="Nothing matches" action={<Button onClick={() => setText('')}>Clear the search</Button>}>
            No discussion has “{q}” in its title or messages.
          </EmptyState>
        ) : (
          <EmptyState
            icon={MessagesSquare}
            title="No discussions yet"
            action={
              canWrite &&
              (personas.data?.length === 0 ? (
                <LinkButton to={`/t/${slug}/personas`} variant="primary">Create a persona first</LinkButton>
              ) : (
                <Button variant="primary" onClick={() => setCreating(true)}>
                  <Plus className="h-4 w-4" aria-hidden="true" /> Start a discussion
                </Button>
              ))
            }
          >
            {personas.data?.length === 0 ? 'Discussions speak through personas: a model with a prompt and a style.' : 'Pick personas and a mode, then ask your question.'}
          </EmptyState>
        )
      )}
      {items && items.length > 0 && (
        <ul aria-label="Discussions" className={cx('overflow-hidden rounded-xl border border-line bg-surface shadow-xs transition-opacity', list.isPlaceholderData && 'opacity-60')}>
          {items.map((d) => (
            <DiscussionRow key={d.id} slug={slug} d={d} personas={byId} />
          ))}
        </ul>
      )}
      {canWrite && <NewDiscussionDialog slug={slug} open={creating} onOpenChange={setCreating} />}
    </Page>
  )
}

function DiscussionRow({ slug, d, personas }: { slug: string; d: Discussion; personas: Map<string, Persona> }) {
  const running = Boolean(d.running_turn_id)
  return (
    <li className="border-b border-line last:border-0">
      <Link
        to={`/t/${slug}/discussions/${d.id}`}
        data-testid={`discussion-${d.title}`}
        className="flex items-center gap-4 px-5 py-3.5 outline-none transition-colors hover:bg-subtle/70 focus-visible:bg-subtle focus-visible:ring-3 focus-visible:ring-accent/25 focus-visible:ring-inset"
      >
        <span className="min-w-0 flex-1">
          <span className="flex items-center gap-2">
            <span className="truncate text-sm font-medium">{d.title}</span>
            <ModeBadge mode={d.mode} />
          </span>
          <span className="mt-1 block text-[12.5px] text-fg-muted">Updated {when.format(new Date(d.updated_at))}</span>
        </span>
        <span className="hidden -space-x-1.5 sm:flex" aria-label={`${d.persona_ids.length} personas`}>
          {d.persona_ids.slice(0, 4).map((id) => (
            <span key={id} className="rounded-full ring-2 ring-surface">
              <PersonaAvatar persona={personas.get(id)} size="sm" name="?" />
            </span>
          ))}
        </span>
        <span className="w-24 text-right">
          {running && (
            <Badge tone="accent" className="gap-1.5">
              <span className="h-1.5 w-1.5 animate-pulse rounded-full bg-current" aria-hidden="true" />
              <span data-testid="answering">Answering…</span>
            </Badge>
          )}
        </span>
      </Link>
    </li>
  )
}
