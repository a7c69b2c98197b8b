import { Info } from 'lucide-react'
import type { Message, MessageStatus, Persona } from '../../lib/api'
import { Badge } from '../../components/ui/Badge'
import { Tooltip } from '../../components/ui/Tooltip'
import { cx } from '../../components/ui/cx'
import { PersonaAvatar, personaColor } from '../personas/PersonaAvatar'
import { Markdown } from './Markdown'

const statusBadge: Record<Exclude<MessageStatus, 'done'>, { tone: 'accent' | 'warn' | 'danger'; label: string; title: string }> = {
  streaming: { tone: 'accent', label: 'Answering…', title: 'Still streaming' },
  stopped: { tone: 'warn', label: 'Stopped', title: 'Stopped before it finished' },
  error: { tone: 'danger', label: 'Error', title: 'The provider failed' },
  interrupted: { tone: 'warn', label: 'Interrupted', title: 'Cut off when the server stopped' },
}

/** StatusBadge marks a message that is not simply done. */
export function StatusBadge({ status }: { status: MessageStatus }) {
  if (status === 'done') return null
  const b = statusBadge[status]
  return (
    <Badge tone={b.tone} className="gap-1.5">
      {status === 'streaming' && <span className="h-1.5 w-1.5 animate-pulse rounded-full bg-current" aria-hidden="true" />}
      <span data-status={status} title={b.title}>
        {b.label}
      </span>
      {status === 'interrupted' && <span className="sr-only">: cut off when the server stopped</span>}
    </Badge>
  )
}

const ms = (n: number) => (n >= 1000 ? (n / 1000).toFixed(1) + ' s' : Math.round(n) + ' ms')

function UsageDetails({ m }: { m: Message }) {
  const u = m.usage
  const rows: [string, string][] = []
  if (m.model) rows.push(['Model', m.model])
  if (u) {
    rows.push(['Prompt tokens', String(u.prompt_tokens)], ['Completion tokens', String(u.completion_tokens)])
    if (u.ttft_ms) rows.push(['First token after', ms(u.ttft_ms)])
    if (u.total_ms) rows.push(['Total time', ms(u.total_ms)])
    if (u.tokens_per_second) rows.push(['Speed', u.tokens_per_second.toFixed(1) + ' tokens/s'])
    if (u.truncation_risk) rows.push(['Context', 'nearly full'])
  }
  if (m.metadata?.trimmed) rows.push(['Left out', `${m.metadata.trimmed} older message${m.metadata.trimmed === 1 ? '' : 's'}`])
  if (!rows.length) return null
  return (
    <Tooltip
      content={
        <dl className="grid grid-cols-[auto_auto] gap-x-4 gap-y-0.5">
          {rows.map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="text-fg-muted">{k}</dt>
              <dd className="text-right font-medium tabular-nums">{v}</dd>
            </div>
          ))}
        </dl>
      }
    >
      <button type="button" aria-label="Token and timing details" className="rounded-md p-1 text-fg-subtle outline-none hover:bg-subtle hover:text-fg focus-visible:ring-3 focus-visible:ring-accent/25">
        <Info className="h-3.5 w-3.5" aria-hidden="true" />
      </button>
    </Tooltip>
  )
}

/** MessageCard is one persona's reply: who, status, details, and the text as Markdown. */
export function MessageCard({ m, persona, label, className }: { m: Message; persona: Persona | undefined; label?: string; className?: string }) {
  const color = personaColor(persona)
  const name = persona?.name ?? 'Deleted persona'
  return (
    <article
      data-testid="message"
      data-message-id={m.id}
      data-status={m.status}
      aria-label={`${label ?? name}${m.status === 'streaming' ? ', answering' : ''}`}
      style={{ borderTopColor: color }}
      className={cx('min-w-0 rounded-xl border border-t-[3px] border-line bg-surface p-4 shadow-xs', className)}
    >
      <header className="mb-2 flex min-h-8 items-center gap-2.5">
        <PersonaAvatar persona={persona} name={name} />
        <div className="min-w-0 flex-1">
          <p className="truncate text-sm font-semibold">{label ?? name}</p>
          {m.model && <p className="truncate text-[11.5px] text-fg-subtle">{m.model}</p>}
        </div>
        <StatusBadge status={m.status} />
        {m.status !== 'streaming' && <UsageDetails m={m} />}
      </header>
      {m.content ? (
        <Markdown text={m.content} className={cx('text-[14.5px]', m.status === 'streaming' && 'md-streaming')} />
      ) : m.status === 'streaming' ? (
        <p className="flex items-center gap-1 py-1 text-fg-subtle" aria-label="Thinking">
          <span className="h-1.5 w-1.5 animate-bounce rounded-full bg-current [animation-delay:-0.3s]" />
          <span className="h-1.5 w-1.5 animate-bounce rounded-full bg-current [animation-delay:-0.15s]" />
          <span className="h-1.5 w-1.5 animate-bounce rounded-full bg-current" />
        </p>
      ) : (
        <p className="text-sm text-fg-subtle italic">No text.</p>
      )}
      {m.status === 'error' && m.error && (
        <p role="note" className="mt-3 rounded-lg bg-danger-soft px-3 py-2 text-[13px] text-danger-text">
          {m.error}
        </p>
      )}
      {m.status === 'interrupted' && <p className="mt-3 text-[13px] text-fg-muted">Cut off when the server stopped.</p>}
    </article>
  )
}

/** UserMessage is a person's message, on the other side. */
export function UserMessage({ m, mine }: { m: Message; mine: boolean }) {
  return (
    <div className="flex justify-end">
      <article data-testid="user-message" aria-label={mine ? 'You' : 'A member'} className="max-w-[85%] rounded-2xl rounded-br-md bg-accent px-4 py-2.5 text-[14.5px] text-accent-fg shadow-sm sm:max-w-[70%]">
        <p className="whitespace-pre-wrap">{m.content}</p>
      </article>
    </div>
  )
}
