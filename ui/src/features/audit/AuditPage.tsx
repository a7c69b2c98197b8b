import { ChevronRight, FileDown, RefreshCw, ScrollText, ShieldCheck, X } from 'lucide-react'
import { Fragment, useId, useState } from 'react'
import { api, type AuditEntry } from '../../lib/api'
import { useMembers, useTenant } from '../../lib/queries'
import { canReadAudit } from '../../lib/roles'
import { Page } from '../../components/shell/Page'
import { Button } from '../../components/ui/Button'
import { EmptyState } from '../../components/ui/EmptyState'
import { inputClass } from '../../components/ui/Field'
import { QueryProblem } from '../../components/ui/QueryError'
import { Skeleton } from '../../components/ui/Skeleton'
import { toast } from '../../components/ui/Toast'
import { cx } from '../../components/ui/cx'
import { selectClass } from '../../components/ui/selectClass'
import { useSlug } from '../../routes/TenantLayout'
import { actionBadgeClass, actionFamily, actionLabel, auditActions, auditFamilies, familyLabels, isFailure } from './actions'
import { CopyButton } from './CopyButton'
import { auditQuery, hasFilters, noFilters, type AuditFilters } from './filters'
import { useAuditLog } from './queries'

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' })

/** AuditPage is the workspace's audit log (owners and admins): filters, expandable entries, paging and CSV export. */
export default function AuditPage() {
  const slug = useSlug()
  const tenant = useTenant(slug)
  const role = tenant.data?.role
  const allowed = canReadAudit(role)
  const [filters, setFilters] = useState<AuditFilters>(noFilters)
  const [exporting, setExporting] = useState(false)
  const log = useAuditLog(slug, filters, allowed)
  const members = useMembers(slug, allowed)
  const entries = log.data?.pages.flatMap((p) => p.items)
  const set = (patch: Partial<AuditFilters>) => setFilters((f) => ({ ...f, ...patch }))

  async function exportCsv() {
    setExporting(true)
    try {
      await api.exportAudit(slug, auditQuery(filters, { format: 'csv', limit: 500 }))
    } catch (err) {
      toast('Couldn’t export the audit log', { description: err instanceof Error ? err.message : String(err), tone: 'error' })
    } finally {
      setExporting(false)
    }
  }

  return (
    <Page
      wide
      title="Audit log"
      description={
        <>
          Sign-ins and changes, newest first. Append-only and hash-chained; operators verify it with{' '}
          <code className="rounded bg-subtle px-1 py-0.5 font-mono text-[12px] text-fg">nyxcore audit verify</code>.
        </>
      }
      actions={
        allowed && (
          <>
            <Button variant="ghost" size="icon" className="h-9 w-9" onClick={() => void log.refetch()} disabled={log.isFetching} aria-label="Refresh the audit log" title="Refresh">
              <RefreshCw className={cx('h-4 w-4', log.isFetching && 'animate-spin motion-reduce:animate-none')} aria-hidden="true" />
            </Button>
            <Button onClick={() => void exportCsv()} loading={exporting} title="Downloads up to the 500 newest entries matching the filters">
              <FileDown className="h-4 w-4" aria-hidden="true" /> Export CSV
            </Button>
          </>
        )
      }
    >
      {tenant.data && !allowed ? (
        <EmptyState icon={ShieldCheck} title="Owners and admins only">
          The audit log records sign-ins, membership, provider and key changes. Ask an owner or admin of this workspace if you need to see it.
        </EmptyState>
      ) : (
        <>
          <Filters filters={filters} set={set} clear={() => setFilters(noFilters)} members={members.data ?? []} />
          <QueryProblem error={log.error} paused={log.isPaused && !entries} onRetry={() => void log.refetch()} />
          <div
            className={cx('overflow-x-auto rounded-xl border border-line bg-surface shadow-xs transition-opacity', log.isPlaceholderData && 'opacity-60')}
            aria-busy={!entries || log.isPlaceholderData || undefined}
          >
            <table className="w-full min-w-[760px] border-collapse text-left text-sm">
              <caption className="sr-only">Audit log entries, newest first</caption>
              <thead>
                <tr className="border-b border-line bg-subtle/60 text-xs font-medium text-fg-muted">
                  <th scope="col" className="w-9">
                    <span className="sr-only">Details</span>
                  </th>
                  <th scope="col" className="py-2.5 pr-3 font-medium">Time</th>
                  <th scope="col" className="py-2.5 pr-3 font-medium">Actor</th>
                  <th scope="col" className="py-2.5 pr-3 font-medium">Action</th>
                  <th scope="col" className="py-2.5 pr-3 font-medium">Target</th>
                  <th scope="col" className="py-2.5 pr-5 font-medium">IP</th>
                </tr>
              </thead>
              <tbody>
                {!entries && !log.error && <SkeletonRows />}
                {entries?.map((e) => <Row key={e.id} e={e} onActor={(actor) => set({ actor })} />)}
              </tbody>
            </table>
            {entries?.length === 0 && (
              <div className="p-4">
                <EmptyState
                  icon={ScrollText}
                  title={hasFilters(filters) ? 'No entries match these filters' : 'Nothing recorded yet'}
                  action={
                    hasFilters(filters) && (
                      <Button variant="secondary" onClick={() => setFilters(noFilters)}>
                        Clear filters
                      </Button>
                    )
                  }
                >
                  {hasFilters(filters) ? 'Try another action, person or date range.' : 'Sign-ins and changes to this workspace will appear here.'}
                </EmptyState>
              </div>
            )}
          </div>
          {entries && entries.length > 0 && (
            <div className="mt-4 flex min-h-9 items-center justify-between gap-3 text-[13px] text-fg-muted">
              <span>
                {entries.length.toLocaleString()} {entries.length === 1 ? 'entry' : 'entries'} shown
              </span>
              {log.hasNextPage ? (
                <Button onClick={() => void log.fetchNextPage()} loading={log.isFetchingNextPage}>
                  Load more
                </Button>
              ) : (
                <span>The start of the log.</span>
              )}
            </div>
          )}
        </>
      )}
    </Page>
  )
}

function Filters({
  filters,
  set,
  clear,
  members,
}: {
  filters: AuditFilters
  set: (patch: Partial<AuditFilters>) => void
  clear: () => void
  members: { user_id: string; email: string }[]
}) {
  const id = useId()
  const label = 'mb-1.5 block text-[13px] font-medium text-fg'
  return (
    <form role="search" aria-label="Filter the audit log" onSubmit={(e) => e.preventDefault()} className="mb-4 grid items-end gap-3 sm:grid-cols-2 lg:grid-cols-[1.3fr_1.2fr_1fr_1fr_auto]">
      <div>
        <label htmlFor={id + 'action'} className={label}>
          Action
        </label>
        <select id={id + 'action'} className={selectClass} value={filters.action} onChange={(e) => set({ action: e.target.value })}>
          <option value="">All actions</option>
          {auditFamilies.map((fam) => (
            <optgroup key={fam} label={familyLabels[fam]}>
              {auditActions
                .filter((a) => actionFamily(a) === fam)
                .map((a) => (
                  <option key={a} value={a}>
                    {actionLabel(a)} ({a})
                  </option>
                ))}
            </optgroup>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={id + 'actor'} className={label}>
          Person
        </label>
        <select id={id + 'actor'} className={selectClass} value={filters.actor} onChange={(e) => set({ actor: e.target.value })}>
          <option value="">Anyone</option>
          {filters.actor && !members.some((m) => m.user_id === filters.actor) && <option value={filters.actor}>{filters.actor}</option>}
          {members.map((m) => (
            <option key={m.user_id} value={m.user_id}>
              {m.email}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={id + 'from'} className={label}>
          From
        </label>
        <input id={id + 'from'} type="date" className={inputClass} value={filters.from} max={filters.to || undefined} onChange={(e) => set({ from: e.target.value })} />
      </div>
      <div>
        <label htmlFor={id + 'to'} className={label}>
          To
        </label>
        <input id={id + 'to'} type="date" className={inputClass} value={filters.to} min={filters.from || undefined} onChange={(e) => set({ to: e.target.value })} />
      </div>
      <Button variant="ghost" className={cx('h-10', !hasFilters(filters) && 'invisible')} onClick={clear}>
        <X className="h-4 w-4" aria-hidden="true" /> Clear
      </Button>
    </form>
  )
}

/** target names what an entry acted on: a name or email from its details when there is one, else its id. */
export function targetText(e: AuditEntry): { primary: string; secondary: string } {
  const d = e.details ?? {}
  const named = ['email', 'name', 'title', 'slug'].map((k) => d[k]).find((v): v is string => typeof v === 'string' && v !== '')
  if (!e.target_type && !e.target_id) return { primary: '—', secondary: '' }
  return { primary: named ?? e.target_id, secondary: e.target_type }
}

function Row({ e, onActor }: { e: AuditEntry; onActor: (actorId: string) => void }) {
  const [open, setOpen] = useState(false)
  const panel = `audit-${e.id}`
  const target = targetText(e)
  return (
    <Fragment>
      <tr
        data-testid={`audit-${e.action}`}
        onClick={(ev) => {
          if (!(ev.target as HTMLElement).closest('button, a')) setOpen((o) => !o)
        }}
        className={cx('h-12 cursor-pointer border-b border-line align-middle transition-colors hover:bg-subtle/50', open && 'bg-subtle/50')}
      >
        <td className="pl-2">
          <button
            type="button"
            aria-expanded={open}
            aria-controls={panel}
            aria-label={`${open ? 'Hide' : 'Show'} details of entry ${e.seq}`}
            onClick={() => setOpen((o) => !o)}
            className="inline-flex h-7 w-7 items-center justify-center rounded-md text-fg-subtle outline-none hover:bg-subtle hover:text-fg focus-visible:ring-3 focus-visible:ring-accent/25"
          >
            <ChevronRight className={cx('h-4 w-4 transition-transform motion-reduce:transition-none', open && 'rotate-90')} aria-hidden="true" />
          </button>
        </td>
        <td className="py-2 pr-3 whitespace-nowrap text-fg-muted tabular-nums">
          <time dateTime={e.at} title={e.at}>
            {when.format(new Date(e.at))}
          </time>
        </td>
        <td className="max-w-[14rem] py-2 pr-3">
          {e.actor_id ? (
            <button
              type="button"
              onClick={() => onActor(e.actor_id)}
              title="Show only this person’s entries"
              className="block max-w-full truncate rounded text-left outline-none hover:underline focus-visible:ring-3 focus-visible:ring-accent/25"
            >
              {e.actor_email || e.actor_id}
            </button>
          ) : (
            <span className="block truncate text-fg-muted">{e.actor_email || 'Unknown'}</span>
          )}
        </td>
        <td className="py-2 pr-3 whitespace-nowrap">
          <ActionBadge action={e.action} />
        </td>
        <td className="max-w-[16rem] py-2 pr-3">
          <span className="block truncate" title={target.primary}>
            {target.primary}
          </span>
          {target.secondary && <span className="block truncate text-[11.5px] text-fg-subtle">{target.secondary}</span>}
        </td>
        <td className="py-2 pr-5 font-mono text-[12px] whitespace-nowrap text-fg-muted">{e.ip || '—'}</td>
      </tr>
      {open && (
        <tr className="border-b border-line bg-subtle/40">
          <td colSpan={6} id={panel} className="px-5 py-4">
            <EntryDetails e={e} />
          </td>
        </tr>
      )}
    </Fragment>
  )
}

export function ActionBadge({ action }: { action: string }) {
  return (
    <span className="inline-flex items-center gap-2" data-action={action}>
      <span
        className={cx(
          'inline-flex h-5 items-center rounded-full px-2 text-[11.5px] font-medium ring-1 ring-inset',
          isFailure(action) ? 'bg-danger-soft text-danger-text ring-danger/20' : actionBadgeClass(action),
        )}
      >
        {actionLabel(action)}
      </span>
      <span className="font-mono text-[11px] text-fg-subtle">{action}</span>
    </span>
  )
}

function EntryDetails({ e }: { e: AuditEntry }) {
  const details = e.details && Object.keys(e.details).length > 0 ? JSON.stringify(e.details, null, 2) : null
  return (
    <div className="grid gap-5 md:grid-cols-2">
      <div className="min-w-0 space-y-4">
        <div>
          <h3 className="mb-1.5 text-xs font-medium text-fg-muted">Details</h3>
          {details ? (
            <pre className="max-h-64 overflow-auto rounded-lg border border-line bg-surface p-3 font-mono text-[12px] leading-relaxed">{details}</pre>
          ) : (
            <p className="text-[13px] text-fg-subtle">No details recorded.</p>
          )}
        </div>
        <div>
          <h3 className="mb-1.5 text-xs font-medium text-fg-muted">User agent</h3>
          <p className="font-mono text-[12px] break-all text-fg">{e.user_agent || '—'}</p>
        </div>
      </div>
      <div className="min-w-0">
        <h3 className="mb-1.5 text-xs font-medium text-fg-muted">Hash chain</h3>
        <dl className="space-y-1.5 rounded-lg border border-line bg-surface p-3 font-mono text-[12px]">
          <HashLine label="seq" value={String(e.seq)} />
          <HashLine label="prev" value={e.prev_hash} copyLabel="Copy the previous hash" />
          <div aria-hidden="true" className="pl-12 text-fg-subtle">
            ↓
          </div>
          <HashLine label="hash" value={e.hash} copyLabel="Copy this entry’s hash" />
          <HashLine label="id" value={e.id} copyLabel="Copy the entry id" />
          {e.actor_id && <HashLine label="actor" value={e.actor_id} copyLabel="Copy the actor’s user id" />}
        </dl>
      </div>
    </div>
  )
}

/** short keeps the start and end of a long hash, which is enough to compare by eye. */
export function short(h: string): string {
  return h.length > 20 ? `${h.slice(0, 10)}…${h.slice(-8)}` : h
}

function HashLine({ label, value, copyLabel }: { label: string; value: string; copyLabel?: string }) {
  return (
    <div className="flex h-6 items-center gap-2">
      <dt className="w-10 shrink-0 text-fg-subtle">{label}</dt>
      <dd className="min-w-0 flex-1 truncate" title={value}>
        {value ? short(value) : <span className="text-fg-subtle">(none — first entry)</span>}
      </dd>
      {copyLabel && value && <CopyButton value={value} label={copyLabel} />}
    </div>
  )
}

function SkeletonRows() {
  return (
    <>
      {Array.from({ length: 6 }, (_, i) => (
        <tr key={i} className="h-12 border-b border-line last:border-0">
          <td className="pl-2">
            <Skeleton className="ml-1.5 h-4 w-4" />
          </td>
          <td className="pr-3">
            <Skeleton className="h-3.5 w-36" />
          </td>
          <td className="pr-3">
            <Skeleton className="h-3.5 w-32" />
          </td>
          <td className="pr-3">
            <Skeleton className="h-5 w-28 rounded-full" />
          </td>
          <td className="pr-3">
            <Skeleton className="h-3.5 w-28" />
          </td>
          <td className="pr-5">
            <Skeleton className="h-3.5 w-20" />
          </td>
        </tr>
      ))}
    </>
  )
}
