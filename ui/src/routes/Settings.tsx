import { useState } from 'react'
import { useNavigate } from 'react-router'
import type { Tenant } from '../lib/api'
import { rememberTenant } from '../lib/last'
import { useDeleteTenant, useTenant, useUpdateTenant } from '../lib/queries'
import { canDeleteTenant, canEditSettings } from '../lib/roles'
import { domainSchema, tenantSchema } from '../lib/schemas'
import { useForm } from '../lib/form'
import { Page } from '../components/shell/Page'
import { Badge } from '../components/ui/Badge'
import { Button } from '../components/ui/Button'
import { Section } from '../components/ui/Card'
import { ConfirmDialog } from '../components/ui/Dialog'
import { Field, FormError } from '../components/ui/Field'
import { QueryProblem } from '../components/ui/QueryError'
import { Skeleton } from '../components/ui/Skeleton'
import { toast } from '../components/ui/Toast'
import { useSlug } from './TenantLayout'

/** Settings: name and address, custom domain, and (owners) deleting the workspace. */
export default function Settings() {
  const slug = useSlug()
  const tenant = useTenant(slug)
  const t = tenant.data
  return (
    <Page title="Settings" description="How this workspace is named and reached.">
      <QueryProblem error={tenant.error} paused={tenant.isPaused && !t} onRetry={() => void tenant.refetch()} />
      {t ? (
        <div className="space-y-6">
          {!canEditSettings(t.role) && (
            <p role="note" className="rounded-lg border border-line bg-subtle px-4 py-3 text-sm text-fg-muted">
              Only owners and admins can change these settings.
            </p>
          )}
          <GeneralForm key={`${t.id}:${t.name}:${t.slug}`} tenant={t} />
          <DomainForm key={`${t.id}:${t.custom_domain ?? ''}`} tenant={t} />
          {canDeleteTenant(t.role) && <DangerZone tenant={t} />}
        </div>
      ) : (
        !tenant.error &&
        !tenant.isPaused && (
          <div className="space-y-6" aria-busy="true">
            <Skeleton className="h-[289px] w-full rounded-xl" />
            <Skeleton className="h-[241px] w-full rounded-xl" />
          </div>
        )
      )}
    </Page>
  )
}

function GeneralForm({ tenant }: { tenant: Tenant }) {
  const form = useForm(tenantSchema, { name: tenant.name, slug: tenant.slug })
  const update = useUpdateTenant(tenant.slug)
  const navigate = useNavigate()
  const readOnly = !canEditSettings(tenant.role)
  const dirty = form.values.name !== tenant.name || form.values.slug !== tenant.slug
  const onSubmit = form.submit(async (data, el) => {
    const body: { name?: string; slug?: string } = {}
    if (data.name !== tenant.name) body.name = data.name
    if (data.slug !== tenant.slug) body.slug = data.slug
    try {
      const t = await update.mutateAsync(body)
      toast('Settings saved')
      if (t.slug !== tenant.slug) void navigate(`/t/${t.slug}/settings`, { replace: true })
    } catch (err) {
      form.fail(err, el)
    }
  })
  return (
    <form noValidate onSubmit={onSubmit} aria-label="General settings">
      <Section
        id="general"
        title="General"
        description="The name people see, and the address in links to this workspace."
        footer={
          !readOnly && (
            <Button type="submit" variant="primary" disabled={!dirty} loading={update.isPending}>
              Save changes
            </Button>
          )
        }
      >
        <div className="space-y-5">
          <FormError message={form.formError} />
          <Field label="Workspace name" readOnly={readOnly} {...form.field('name')} />
          <Field
            label="Address"
            prefix="/t/"
            readOnly={readOnly}
            spellCheck={false}
            autoCapitalize="off"
            hint="Changing it breaks old links and bookmarks."
            {...form.field('slug')}
          />
        </div>
      </Section>
    </form>
  )
}

function DomainForm({ tenant }: { tenant: Tenant }) {
  const form = useForm(domainSchema, { custom_domain: tenant.custom_domain ?? '' })
  const update = useUpdateTenant(tenant.slug)
  const readOnly = !canEditSettings(tenant.role)
  const dirty = form.values.custom_domain.trim().toLowerCase() !== (tenant.custom_domain ?? '')
  const onSubmit = form.submit(async (data, el) => {
    try {
      await update.mutateAsync({ custom_domain: data.custom_domain || null })
      toast(data.custom_domain ? 'Custom domain saved' : 'Custom domain removed')
    } catch (err) {
      form.fail(err, el)
    }
  })
  return (
    <form noValidate onSubmit={onSubmit} aria-label="Custom domain">
      <Section
        id="domain"
        title="Custom domain"
        description="Serve this workspace on its own host name, such as chat.example.com."
        footer={
          !readOnly && (
            <Button type="submit" variant="primary" disabled={!dirty} loading={update.isPending}>
              Save domain
            </Button>
          )
        }
      >
        <div className="space-y-4">
          <FormError message={form.formError} />
          <Field
            label="Domain"
            placeholder="chat.example.com"
            readOnly={readOnly}
            spellCheck={false}
            autoCapitalize="off"
            hint="Leave empty to remove it."
            {...form.field('custom_domain')}
          />
          {tenant.custom_domain && (
            <p className="flex items-center gap-2 text-[13px] text-fg-muted">
              {tenant.custom_domain_verified ? <Badge tone="ok">Verified</Badge> : <Badge tone="warn">Not verified yet</Badge>}
              {tenant.custom_domain_verified
                ? 'Requests to this host open this workspace.'
                : 'It routes here once verified; verification arrives with automatic TLS.'}
            </p>
          )}
        </div>
      </Section>
    </form>
  )
}

function DangerZone({ tenant }: { tenant: Tenant }) {
  const [open, setOpen] = useState(false)
  const del = useDeleteTenant(tenant.slug)
  const navigate = useNavigate()
  const confirm = () =>
    del.mutate(undefined, {
      onSuccess: () => {
        rememberTenant(null)
        toast('Workspace deleted', { description: tenant.name })
        void navigate('/?all', { replace: true })
      },
    })
  return (
    <Section id="danger" tone="danger" title="Delete workspace" description="Deletes the workspace and everything in it, for every member. This cannot be undone.">
      <Button variant="danger" onClick={() => setOpen(true)}>
        Delete this workspace
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={(o) => {
          setOpen(o)
          if (!o) del.reset()
        }}
        title={`Delete ${tenant.name}?`}
        description="All members lose access and its data is removed for good."
        action="Delete workspace"
        confirmText={tenant.slug}
        onConfirm={confirm}
        pending={del.isPending}
        error={del.error?.message}
      />
    </Section>
  )
}
