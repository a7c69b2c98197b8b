import { Boxes, Download, Trash2, TriangleAlert } from 'lucide-react'
import { useState } from 'react'
import type { Model, Provider } from '../../lib/api'
import { messageFor } from '../../lib/errors'
import { useTenant } from '../../lib/queries'
import { atLeast } from '../../lib/roles'
import { Page } from '../../components/shell/Page'
import { Badge } from '../../components/ui/Badge'
import { Button, LinkButton } from '../../components/ui/Button'
import { ConfirmDialog } from '../../components/ui/Dialog'
import { EmptyState } from '../../components/ui/EmptyState'
import { QueryProblem } from '../../components/ui/QueryError'
import { Skeleton } from '../../components/ui/Skeleton'
import { toast } from '../../components/ui/Toast'
import { useSlug } from '../../routes/TenantLayout'
import { KindIcon } from '../providers/kinds'
import { useDeleteModel, useModels, useProviders } from '../providers/queries'
import { PullDialog } from './PullDialog'
import { humanSize } from './pull'

const cols = 'grid-cols-[minmax(0,1.6fr)_minmax(0,1fr)_5rem_5rem_5rem_5.5rem_2.5rem]'

/** ModelsPage lists every model of the workspace's enabled providers; admins pull and delete on Ollama hosts. */
export default function ModelsPage() {
  const slug = useSlug()
  const models = useModels(slug)
  const providers = useProviders(slug)
  const isAdmin = atLeast(useTenant(slug).data?.role, 'admin')
  const [pulling, setPulling] = useState(false)
  // Only hosts this workspace may manage: the operator's shared ones are read-only here.
  const ollamas = (providers.data ?? []).filter((p) => p.kind === 'ollama' && p.enabled && p.manageable)
  const names = new Map<string, Provider>((providers.data ?? []).map((p) => [p.id, p]))
  const items = models.data?.items
  return (
    <Page
      wide
      title="Models"
      description="Every model the workspace’s enabled providers offer."
      actions={
        isAdmin &&
        ollamas.length > 0 && (
          <Button variant="primary" onClick={() => setPulling(true)}>
            <Download className="h-4 w-4" aria-hidden="true" /> Pull model
          </Button>
        )
      }
    >
      <QueryProblem error={models.error} paused={models.isPaused && !items} onRetry={() => void models.refetch()} />
      {models.data?.errors.map((e) => (
        <div key={e.provider_id} role="alert" className="mb-3 flex items-start gap-3 rounded-xl border border-warn/35 bg-warn/8 px-4 py-3 text-sm">
          <TriangleAlert className="mt-0.5 h-4 w-4 shrink-0 text-warn" aria-hidden="true" />
          <p>
            <span className="font-medium">{names.get(e.provider_id)?.name ?? e.provider_id}:</span> <span className="text-fg-muted">{messageFor(e.code, e.message)}</span>
          </p>
        </div>
      ))}
      <div className="overflow-x-auto rounded-xl border border-line bg-surface shadow-xs">
        <div className="min-w-[760px]">
          <div role="row" className={`grid ${cols} gap-3 border-b border-line bg-subtle/60 px-5 py-2.5 text-xs font-medium text-fg-muted`}>
            <span>Model</span>
            <span>Provider</span>
            <span>Params</span>
            <span>Quant.</span>
            <span className="text-right">Size</span>
            <span className="text-right">Context</span>
            <span className="sr-only">Actions</span>
          </div>
          {!items && !models.error && (
            <ul aria-busy="true" aria-label="Loading models">
              {[0, 1, 2].map((i) => (
                <li key={i} className="flex h-[57px] items-center gap-3 border-b border-line px-5 last:border-0">
                  <Skeleton className="h-3.5 w-48" />
                  <Skeleton className="ml-auto h-3 w-64" />
                </li>
              ))}
            </ul>
          )}
          {items && items.length > 0 && (
            <ul aria-label="Models">
              {items.map((m) => (
                <ModelRow key={m.provider_id + '/' + m.name} slug={slug} m={m} canDelete={isAdmin && m.provider_kind === 'ollama' && m.manageable} />
              ))}
            </ul>
          )}
        </div>
      </div>
      {items?.length === 0 && (
        <div className="mt-6">
          <EmptyState
            icon={Boxes}
            title="No models yet"
            action={
              isAdmin &&
              (ollamas.length ? (
                <Button variant="primary" onClick={() => setPulling(true)}>
                  Pull a model
                </Button>
              ) : (
                <LinkButton to={`/t/${slug}/providers`}>Add a provider</LinkButton>
              ))
            }
          >
            {ollamas.length ? 'Pull one from the Ollama library onto a host, such as llama3.2:3b.' : 'Connect a provider to see its models here.'}
          </EmptyState>
        </div>
      )}
      {isAdmin && ollamas.length > 0 && <PullDialog slug={slug} providers={ollamas} open={pulling} onOpenChange={setPulling} />}
    </Page>
  )
}

function ModelRow({ slug, m, canDelete }: { slug: string; m: Model; canDelete: boolean }) {
  return (
    <li data-testid={`model-${m.name}`} className={`grid ${cols} items-center gap-3 border-b border-line px-5 py-3 text-sm last:border-0`}>
      <span className="flex min-w-0 items-center gap-2">
        <span className="truncate font-mono text-[13px] font-medium">{m.name}</span>
        {m.loaded && <Badge tone="ok">Loaded</Badge>}
        {m.provider_kind === 'ollama' && !m.manageable && <span className="text-xs text-fg-subtle" title="Managed by the server operator">read-only</span>}
        {m.family && <span className="hidden truncate text-xs text-fg-subtle lg:inline">{m.family}</span>}
      </span>
      <span className="flex min-w-0 items-center gap-2 text-fg-muted">
        <span className="scale-75">
          <KindIcon kind={m.provider_kind} />
        </span>
        <span className="truncate">{m.provider_name}</span>
      </span>
      <span className="text-fg-muted tabular-nums">{m.parameter_size || '—'}</span>
      <span className="truncate text-fg-muted">{m.quantization || '—'}</span>
      <span className="text-right text-fg-muted tabular-nums">{humanSize(m.size)}</span>
      <span className="text-right text-fg-muted tabular-nums">{m.context_length ? m.context_length.toLocaleString() : '—'}</span>
      <span className="flex justify-end">{canDelete && <DeleteModel slug={slug} m={m} />}</span>
    </li>
  )
}

function DeleteModel({ slug, m }: { slug: string; m: Model }) {
  const [open, setOpen] = useState(false)
  const del = useDeleteModel(slug)
  return (
    <>
      <Button size="icon" variant="ghost" onClick={() => setOpen(true)} aria-label={`Delete ${m.name}`}>
        <Trash2 className="h-4 w-4" aria-hidden="true" />
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={(o) => {
          setOpen(o)
          if (!o) del.reset()
        }}
        title={`Delete ${m.name}?`}
        description={`It is removed from ${m.provider_name}’s disk. Personas that use it stop working until it is pulled again.`}
        action="Delete model"
        pending={del.isPending}
        error={del.error?.message}
        onConfirm={() =>
          del.mutate({ provider: m.provider_id, model: m.name }, { onSuccess: () => (setOpen(false), toast('Model deleted', { description: m.name })) })
        }
      />
    </>
  )
}
