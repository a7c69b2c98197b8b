import { CircleCheck, CircleX, KeyRound, Pencil, Plug, Plus, Trash2, Zap } from 'lucide-react'
import { useState } from 'react'
import type { Provider } from '../../lib/api'
import { messageFor } from '../../lib/errors'
import { useTenant } from '../../lib/queries'
import { atLeast } from '../../lib/roles'
import { Page } from '../../components/shell/Page'
import { Badge } from '../../components/ui/Badge'
import { Button } from '../../components/ui/Button'
import { ConfirmDialog } from '../../components/ui/Dialog'
import { EmptyState } from '../../components/ui/EmptyState'
import { QueryProblem } from '../../components/ui/QueryError'
import { Skeleton } from '../../components/ui/Skeleton'
import { toast } from '../../components/ui/Toast'
import { cx } from '../../components/ui/cx'
import { useSlug } from '../../routes/TenantLayout'
import { KindIcon, kindInfo } from './kinds'
import { ProviderDialog } from './ProviderDialog'
import { useDeleteProvider, useProviders, useSaveProvider, useTestProvider } from './queries'

/** ProvidersPage lists where models come from; admins add, edit, test and remove providers. */
export default function ProvidersPage() {
  const slug = useSlug()
  const providers = useProviders(slug)
  const isAdmin = atLeast(useTenant(slug).data?.role, 'admin')
  const [editing, setEditing] = useState<Provider | 'new' | null>(null)
  const list = providers.data ? [...providers.data].sort((a, b) => Number(b.builtin) - Number(a.builtin) || a.name.localeCompare(b.name)) : undefined
  return (
    <Page
      wide
      title="Providers"
      description={isAdmin ? 'Where this workspace’s models come from. Keys are stored encrypted and never shown again.' : 'Where this workspace’s models come from. Admins manage them.'}
      actions={
        isAdmin && (
          <Button variant="primary" onClick={() => setEditing('new')}>
            <Plus className="h-4 w-4" aria-hidden="true" /> Add provider
          </Button>
        )
      }
    >
      <QueryProblem error={providers.error} paused={providers.isPaused && !list} onRetry={() => void providers.refetch()} />
      <div className="overflow-hidden rounded-xl border border-line bg-surface shadow-xs">
        {!list && !providers.error && (
          <ul aria-busy="true" aria-label="Loading providers">
            {[0, 1].map((i) => (
              <li key={i} className="flex h-[73px] items-center gap-3 border-b border-line px-5 last:border-0">
                <Skeleton className="h-9 w-9 rounded-lg" />
                <span className="flex-1 space-y-2">
                  <Skeleton className="h-3.5 w-40" />
                  <Skeleton className="h-3 w-56" />
                </span>
              </li>
            ))}
          </ul>
        )}
        {list && list.length > 0 && (
          <ul aria-label="Providers">
            {list.map((p) => (
              <ProviderRow key={p.id} slug={slug} p={p} isAdmin={isAdmin} onEdit={() => setEditing(p)} />
            ))}
          </ul>
        )}
      </div>
      {list?.length === 0 && (
        <div className="mt-6">
          <EmptyState icon={Plug} title="No providers yet" action={isAdmin && <Button onClick={() => setEditing('new')}>Add a provider</Button>}>
            Connect an Ollama host or a cloud API to give personas something to run on.
          </EmptyState>
        </div>
      )}
      {isAdmin && <ProviderDialog slug={slug} provider={editing === 'new' ? undefined : (editing ?? undefined)} open={editing !== null} onOpenChange={(o) => !o && setEditing(null)} />}
    </Page>
  )
}

function ProviderRow({ slug, p, isAdmin, onEdit }: { slug: string; p: Provider; isAdmin: boolean; onEdit: () => void }) {
  const save = useSaveProvider(slug)
  const test = useTestProvider(slug)
  const editable = isAdmin && !p.builtin
  const toggle = () =>
    save.mutate(
      { id: p.id, body: { enabled: !p.enabled } },
      { onError: (err) => toast('Couldn’t change the provider', { description: err.message, tone: 'error' }) },
    )
  const result = test.data
  return (
    <li data-testid={`provider-${p.name}`} className="flex flex-wrap items-center gap-x-4 gap-y-3 border-b border-line px-5 py-4 last:border-0">
      <KindIcon kind={p.kind} />
      <div className="min-w-0 flex-1">
        <p className="flex flex-wrap items-center gap-2 text-sm font-medium">
          <span className="truncate">{p.name}</span>
          <Badge>{kindInfo[p.kind]?.label ?? p.kind}</Badge>
          {p.builtin && <Badge tone="accent">Built-in</Badge>}
          {p.operator && !p.builtin && <Badge tone="accent">Shared</Badge>}
          {!p.enabled && <Badge tone="warn">Disabled</Badge>}
        </p>
        <p className="mt-0.5 flex flex-wrap items-center gap-x-3 text-[12.5px] text-fg-muted">
          <span className="truncate font-mono text-[12px]">{p.base_url || 'official API'}</span>
          {p.api_key_set ? (
            <span className="inline-flex items-center gap-1">
              <KeyRound className="h-3 w-3" aria-hidden="true" /> key set ••••{p.api_key_last4}
            </span>
          ) : (
            !p.builtin && <span className="text-fg-subtle">no key</span>
          )}
          {p.builtin && <span className="text-fg-subtle">configured by the server operator</span>}
          {p.operator && !p.manageable && <span className="text-fg-subtle">models managed by the server operator</span>}
        </p>
        {result && (
          <p role="status" className={cx('mt-1.5 flex items-start gap-1.5 text-[13px]', result.ok ? 'text-ok' : 'text-danger-text')}>
            {result.ok ? <CircleCheck className="mt-0.5 h-3.5 w-3.5 shrink-0" aria-hidden="true" /> : <CircleX className="mt-0.5 h-3.5 w-3.5 shrink-0" aria-hidden="true" />}
            {result.ok ? 'Connected.' : messageFor(result.error.code, result.error.message)}
          </p>
        )}
        {test.error && <p role="status" className="mt-1.5 text-[13px] text-danger-text">{test.error.message}</p>}
      </div>
      <div className="flex items-center gap-1.5">
        {isAdmin && (
          <Button size="sm" variant="ghost" loading={test.isPending} onClick={() => test.mutate(p.id)}>
            <Zap className="h-3.5 w-3.5" aria-hidden="true" /> Test connection
          </Button>
        )}
        <Switch checked={p.enabled} disabled={!editable || save.isPending} onChange={toggle} label={`${p.name} enabled`} title={p.builtin ? 'The built-in provider is part of the server.' : undefined} />
        {editable && (
          <>
            <Button size="icon" variant="ghost" onClick={onEdit} aria-label={`Edit ${p.name}`}>
              <Pencil className="h-4 w-4" aria-hidden="true" />
            </Button>
            <DeleteProvider slug={slug} p={p} />
          </>
        )}
      </div>
    </li>
  )
}

function Switch({ checked, disabled, onChange, label, title }: { checked: boolean; disabled: boolean; onChange: () => void; label: string; title?: string | undefined }) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      aria-label={label}
      title={title}
      disabled={disabled}
      onClick={onChange}
      className={cx(
        'relative inline-flex h-5 w-9 shrink-0 items-center rounded-full transition-colors outline-none focus-visible:ring-3 focus-visible:ring-accent/30 disabled:cursor-not-allowed disabled:opacity-55',
        checked ? 'bg-accent' : 'bg-line-strong',
      )}
    >
      <span className={cx('inline-block h-4 w-4 rounded-full bg-white shadow transition-transform', checked ? 'translate-x-[18px]' : 'translate-x-0.5')} />
    </button>
  )
}

function DeleteProvider({ slug, p }: { slug: string; p: Provider }) {
  const [open, setOpen] = useState(false)
  const del = useDeleteProvider(slug)
  return (
    <>
      <Button size="icon" variant="ghost" onClick={() => setOpen(true)} aria-label={`Delete ${p.name}`}>
        <Trash2 className="h-4 w-4" aria-hidden="true" />
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={(o) => {
          setOpen(o)
          if (!o) del.reset()
        }}
        title={`Delete ${p.name}?`}
        description="Its key is deleted with it. Personas must use another provider first."
        action="Delete provider"
        pending={del.isPending}
        error={del.error?.message}
        onConfirm={() => del.mutate(p.id, { onSuccess: () => (setOpen(false), toast('Provider deleted', { description: p.name })) })}
      />
    </>
  )
}
