import { useState } from 'react'
import { useNavigate } from 'react-router'
import { ApiError, type Tenant } from '../lib/api'
import { rememberTenant } from '../lib/last'
import { useDeleteTenant, useDomain, useTenant, useUpdateTenant, useVerifyDomain } from '../lib/queries'
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
          {tenant.custom_domain && !dirty && (readOnly ? <DomainBadge verified={tenant.custom_domain_verified} /> : <DomainProof slug={tenant.slug} domain={tenant.custom_domain} />)}
        </div>
      </Section>
    </form>
  )
}

function DomainBadge({ verified }: { verified: boolean }) {
  return (
    <p className="flex items-center gap-2 text-[13px] text-fg-muted">
      {verified ? <Badge tone="ok">Verified</Badge> : <Badge tone="warn">Not verified yet</Badge>}
      {verified ? 'Requests to this host open this workspace.' : 'It routes here, with its own certificate, once verified.'}
    </p>
  )
}

/** DomainProof shows what to publish to prove the domain, and verifies it. */
function DomainProof({ slug, domain }: { slug: string; domain: string }) {
  const status = useDomain(slug)
  const verify = useVerifyDomain(slug)
  // A proof fetched for another domain (the domain changed meanwhile) is
  // not shown: its record would not verify this one.
  const d = status.data?.domain === domain ? status.data : undefined
  if (status.error) return <QueryProblem error={status.error} paused={status.isPaused} onRetry={() => void status.refetch()} />
  if (!d) return <Skeleton className="h-[120px] w-full rounded-lg" />
  if (d.verified) return <DomainBadge verified />
  const failure = verify.error instanceof ApiError ? verify.error : null
  return (
    <div className="space-y-3 rounded-lg border border-line bg-subtle p-4 text-[13px]" aria-label="Verify the domain">
      <DomainBadge verified={false} />
      <p className="text-fg-muted">Point the domain at this server (an A/AAAA or CNAME record), then prove it is yours in either way:</p>
      {d.dns && (
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
          <dt className="text-fg-muted">DNS record</dt>
          <dd className="font-mono">{d.dns.type}</dd>
          <dt className="text-fg-muted">Name</dt>
          <dd className="break-all font-mono" data-testid="dns-name">{d.dns.name}</dd>
          <dt className="text-fg-muted">Value</dt>
          <dd className="break-all font-mono" data-testid="dns-value">{d.dns.value}</dd>
        </dl>
      )}
      {d.http && (
        <p className="text-fg-muted">
          or, once the domain points here, nothing more: this server answers{' '}
          <span className="break-all font-mono text-fg">{d.http.url}</span> itself.
        </p>
      )}
      {failure && (
        <p role="alert" className="text-danger-text">
          {failure.code === 'domain_not_verified' && failure.detail ? failure.detail : failure.message}
        </p>
      )}
      <Button
        variant="primary"
        loading={verify.isPending}
        onClick={() =>
          verify.mutate(undefined, {
            onSuccess: (r) => {
              if (r.verified) toast('Domain verified', { description: r.domain ?? undefined })
            },
            // The panel is replaced by the new domain's, so say it where it stays.
            onError: (err) => {
              if (err instanceof ApiError && err.code === 'domain_changed') toast(err.message, { tone: 'error' })
            },
          })
        }
      >
        Verify now
      </Button>
    </div>
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
