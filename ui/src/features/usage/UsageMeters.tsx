import { useQuery } from '@tanstack/react-query'
import { Gauge } from 'lucide-react'
import { api } from '../../lib/api'
import { QueryProblem } from '../../components/ui/QueryError'
import { Skeleton } from '../../components/ui/Skeleton'
import { cx } from '../../components/ui/cx'
import { meterKinds, meterNote, meters, type Meter, type MeterKind } from './meter'

export const usageKey = (slug: string) => ['tenant', slug, 'usage'] as const

/** useUsage is the workspace's and the caller's token use against the budgets. */
export const useUsage = (slug: string) =>
  useQuery({ queryKey: usageKey(slug), queryFn: ({ signal }) => api.usage(slug, signal), staleTime: 15_000 })

const num = new Intl.NumberFormat()

const bar: Record<Meter['state'], string> = {
  unlimited: 'bg-transparent',
  ok: 'bg-accent',
  warn: 'bg-warn',
  spent: 'bg-danger',
}

/** UsageMeters shows the four token budgets (workspace and you, today and this month). */
export function UsageMeters({ slug }: { slug: string }) {
  const usage = useUsage(slug)
  const list = usage.data ? meters(usage.data) : null
  return (
    <section aria-labelledby="usage-title">
      <div className="mb-3 flex items-baseline justify-between gap-3">
        <h2 id="usage-title" className="flex items-center gap-2 text-sm font-semibold">
          <Gauge className="h-4 w-4 text-fg-muted" aria-hidden="true" /> Token usage
        </h2>
        <p className="text-[12px] text-fg-subtle">Days and months are counted in UTC.</p>
      </div>
      <QueryProblem error={usage.error} paused={usage.isPaused && !list} onRetry={() => void usage.refetch()} />
      <ul className="grid gap-3 sm:grid-cols-2" aria-busy={!list || undefined}>
        {list
          ? list.map(({ kind, m }) => <MeterCard key={kind.id} kind={kind} m={m} />)
          : !usage.error && meterKinds.map((k) => <MeterSkeleton key={k.id} />)}
      </ul>
    </section>
  )
}

const title = (k: MeterKind) => `${k.who} · ${k.period === 'day' ? 'today' : 'this month'}`

function MeterCard({ kind, m }: { kind: MeterKind; m: Meter }) {
  const label = title(kind)
  const id = `meter-${kind.id}`
  return (
    <li data-testid={id} data-state={m.state} className="h-[118px] rounded-xl border border-line bg-surface p-4 shadow-xs">
      <div className="flex items-baseline justify-between gap-3">
        <span id={id + '-label'} className="text-[13px] font-medium text-fg-muted">
          {label}
        </span>
        {!m.unlimited && (
          <span className={cx('text-[12px] tabular-nums', m.state === 'spent' ? 'text-danger-text' : m.state === 'warn' ? 'text-warn' : 'text-fg-subtle')}>
            {Math.floor(m.percent)} %
          </span>
        )}
      </div>
      <p className="mt-1 truncate text-[15px] tabular-nums">
        <span className="font-semibold">{num.format(m.used)}</span>
        <span className="text-fg-muted"> {m.unlimited ? 'tokens · Unlimited' : `of ${num.format(m.limit)} tokens`}</span>
      </p>
      <div
        role="progressbar"
        aria-labelledby={id + '-label'}
        aria-valuemin={0}
        aria-valuemax={m.unlimited ? undefined : m.limit}
        aria-valuenow={m.unlimited ? undefined : Math.min(m.used, m.limit)}
        aria-valuetext={m.unlimited ? `${num.format(m.used)} tokens used, unlimited` : `${num.format(m.used)} of ${num.format(m.limit)} tokens`}
        className={cx('mt-2.5 h-2 overflow-hidden rounded-full bg-subtle', m.unlimited && 'bg-[repeating-linear-gradient(135deg,var(--subtle)_0_6px,var(--line)_6px_8px)]')}
      >
        <div className={cx('h-full rounded-full transition-[width] duration-500 motion-reduce:transition-none', bar[m.state])} style={{ width: `${m.percent}%` }} />
      </div>
      <p className={cx('mt-2 truncate text-[12.5px]', m.state === 'spent' ? 'font-medium text-danger-text' : m.state === 'warn' ? 'text-warn' : 'text-fg-subtle')}>
        {meterNote(m, kind.period, (n) => num.format(n))}
      </p>
    </li>
  )
}

function MeterSkeleton() {
  return (
    <li className="h-[118px] rounded-xl border border-line bg-surface p-4 shadow-xs">
      <Skeleton className="h-3.5 w-32" />
      <Skeleton className="mt-2.5 h-4 w-44" />
      <Skeleton className="mt-3 h-2 w-full rounded-full" />
      <Skeleton className="mt-2.5 h-3 w-40" />
    </li>
  )
}
