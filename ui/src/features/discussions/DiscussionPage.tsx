import { ArrowLeft, Download, MessagesSquare } from 'lucide-react'
import { useEffect, useMemo, useRef, useState } from 'react'
import { useParams } from 'react-router'
import { api, ApiError, type Persona } from '../../lib/api'
import { useUser } from '../../lib/auth'
import { useTenant } from '../../lib/queries'
import { atLeast } from '../../lib/roles'
import { ConnectionIndicator } from '../../components/shell/ConnectionIndicator'
import { Button, LinkButton } from '../../components/ui/Button'
import { EmptyState } from '../../components/ui/EmptyState'
import { QueryProblem } from '../../components/ui/QueryError'
import { Skeleton } from '../../components/ui/Skeleton'
import { toast } from '../../components/ui/Toast'
import { useSlug } from '../../routes/TenantLayout'
import { PersonaAvatar } from '../personas/PersonaAvatar'
import { usePersonas } from '../personas/queries'
import { Composer } from './Composer'
import { ModeBadge } from './ModeBadge'
import { useDiscussion, usePostMessage, useRegenerate, useStopTurn } from './queries'
import { Transcript } from './Transcript'
import { useDiscussionStream } from './useDiscussionStream'

/** DiscussionPage is one discussion, live: the transcript, the composer and exports. */
export default function DiscussionPage() {
  const slug = useSlug()
  const id = useParams().id ?? ''
  const detail = useDiscussion(slug, id)
  const personas = usePersonas(slug)
  const role = useTenant(slug).data?.role
  const me = useUser()?.id
  const stream = useDiscussionStream(slug, id)
  const post = usePostMessage(slug, id)
  const stop = useStopTurn(slug, id)
  const regenerate = useRegenerate(slug, id)
  const byId = useMemo(() => new Map<string, Persona>((personas.data ?? []).map((p) => [p.id, p])), [personas.data])
  const scroller = useAutoScroll(detail.data?.messages)

  // Events between the first load and the stream opening were not replayed: refetch once it is open.
  const opened = useRef(false)
  useEffect(() => {
    if (stream.state === 'open' && !opened.current) {
      opened.current = true
      void detail.refetch()
    }
  }, [stream.state, detail])

  const missing = detail.error instanceof ApiError && detail.error.code === 'discussion_not_found'
  if (missing) {
    return (
      <div className="mx-auto max-w-3xl px-4 py-12 sm:px-8">
        <EmptyState icon={MessagesSquare} title="This discussion is gone" action={<LinkButton to={`/t/${slug}/discussions`}>All discussions</LinkButton>}>
          It was deleted, or it never existed in this workspace.
        </EmptyState>
      </div>
    )
  }

  const d = detail.data?.discussion
  const running = Boolean(d?.running_turn_id)
  const exportAs = (format: 'md' | 'json') =>
    api.exportDiscussion(slug, id, format).catch((err: Error) => toast('Couldn’t export', { description: err.message, tone: 'error' }))

  return (
    <div className="flex h-full flex-col">
      <div className="border-b border-line bg-surface/60 px-4 py-3 sm:px-8">
        <div className="mx-auto flex max-w-5xl items-start gap-2 sm:gap-3">
          <LinkButton to={`/t/${slug}/discussions`} variant="ghost" size="icon" aria-label="All discussions" className="mt-0.5">
            <ArrowLeft className="h-4 w-4" aria-hidden="true" />
          </LinkButton>
          <div className="min-w-0 flex-1">
            <h1 className="flex min-h-8 min-w-0 items-center gap-2 text-lg font-semibold tracking-tight">
              {d ? <span className="min-w-0 truncate">{d.title}</span> : <Skeleton className="h-6 w-56" />}
              {d && <ModeBadge mode={d.mode} />}
            </h1>
            <div className="mt-1 flex min-h-6 flex-wrap items-center gap-1.5">
              {d?.persona_ids.map((pid) => {
                const p = byId.get(pid)
                return (
                  <span key={pid} className="inline-flex items-center gap-1.5 rounded-full border border-line bg-surface py-0.5 pr-2.5 pl-0.5 text-xs text-fg-muted">
                    <PersonaAvatar persona={p} size="sm" name="?" />
                    {p?.name ?? '…'}
                  </span>
                )
              })}
              <ConnectionIndicator state={stream.state} retryInMs={stream.retryInMs} className="py-0.5" />
            </div>
          </div>
          <div className="flex shrink-0 items-center gap-0.5 sm:gap-1.5" role="group" aria-label="Export">
            <Button size="sm" variant="ghost" onClick={() => void exportAs('md')} disabled={!d} aria-label="Export as Markdown">
              <Download className="h-3.5 w-3.5" aria-hidden="true" /> <span className="hidden sm:inline">Markdown</span>
              <span className="sm:hidden">MD</span>
            </Button>
            <Button size="sm" variant="ghost" onClick={() => void exportAs('json')} disabled={!d} aria-label="Export as JSON">
              <Download className="h-3.5 w-3.5" aria-hidden="true" /> JSON
            </Button>
          </div>
        </div>
      </div>
      <div ref={scroller} className="flex-1 overflow-y-auto px-4 py-6 sm:px-8" aria-live="off">
        <div className="mx-auto max-w-5xl">
          <QueryProblem error={missing ? null : detail.error} paused={detail.isPaused && !detail.data} onRetry={() => void detail.refetch()} />
          {!detail.data && !detail.error && <TranscriptSkeleton />}
          {detail.data && d && detail.data.messages.length === 0 && (
            <EmptyState icon={MessagesSquare} title="Start the discussion">
              Write the first message below. {d.mode === 'consensus' ? 'The personas will debate it in rounds and the moderator will sum up.' : d.mode === 'parallel' ? 'Every persona answers at once.' : 'The persona answers as it thinks.'}
            </EmptyState>
          )}
          {detail.data && d && <Transcript discussion={d} messages={detail.data.messages} rounds={detail.data.rounds} personas={byId} me={me} />}
        </div>
      </div>
      <div className="border-t border-line bg-bg px-4 pt-3 pb-4 sm:px-8">
        <div className="mx-auto max-w-5xl">
          <Composer
            running={running}
            canWrite={atLeast(role, 'member')}
            onSend={async (text) => {
              try {
                await post.mutateAsync(text)
              } catch (err) {
                // Someone else's turn started first: show it running.
                if (err instanceof ApiError && err.code === 'turn_running') void detail.refetch()
                throw err
              }
            }}
            stopping={stop.isPending}
            onStop={() =>
              stop.mutate(undefined, {
                onError: (err) => toast('Couldn’t stop', { description: err.message, tone: 'error' }),
              })
            }
            regenerating={regenerate.isPending}
            onRegenerate={
              detail.data?.messages.some((m) => m.role === 'user')
                ? () =>
                    regenerate.mutate(undefined, {
                      onError: (err) => toast('Couldn’t regenerate', { description: err.message, tone: 'error' }),
                    })
                : undefined
            }
          />
        </div>
      </div>
    </div>
  )
}

function TranscriptSkeleton() {
  return (
    <div className="space-y-4" aria-busy="true" aria-label="Loading the discussion">
      <div className="flex justify-end">
        <Skeleton className="h-11 w-2/5 rounded-2xl" />
      </div>
      <Skeleton className="h-36 w-full rounded-xl" />
      <div className="flex justify-end">
        <Skeleton className="h-11 w-1/3 rounded-2xl" />
      </div>
      <Skeleton className="h-28 w-full rounded-xl" />
    </div>
  )
}

/** useAutoScroll keeps the transcript pinned to the bottom while it grows, unless the reader scrolled up. */
function useAutoScroll(dep: unknown) {
  const ref = useRef<HTMLDivElement>(null)
  const pinned = useRef(true)
  useEffect(() => {
    const el = ref.current
    if (!el) return
    const onScroll = () => (pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80)
    el.addEventListener('scroll', onScroll, { passive: true })
    return () => el.removeEventListener('scroll', onScroll)
  }, [])
  const [first, setFirst] = useState(true)
  useEffect(() => {
    const el = ref.current
    if (!el || !dep) return
    if (pinned.current || first) el.scrollTop = el.scrollHeight
    if (first) setFirst(false)
  }, [dep, first])
  return ref
}
