import { ArrowLeft, Trash2 } from 'lucide-react'
import { useEffect, useRef, useState, type ChangeEvent, type ReactNode } from 'react'
import { useNavigate, useParams } from 'react-router'
import { useForm } from '../../lib/form'
import { useTenant } from '../../lib/queries'
import { atLeast } from '../../lib/roles'
import { Page } from '../../components/shell/Page'
import { Section } from '../../components/ui/Card'
import { Button, LinkButton } from '../../components/ui/Button'
import { ConfirmDialog } from '../../components/ui/Dialog'
import { Field, FormError, inputClass } from '../../components/ui/Field'
import { selectClass } from '../../components/ui/selectClass'
import { Skeleton } from '../../components/ui/Skeleton'
import { toast } from '../../components/ui/Toast'
import { cx } from '../../components/ui/cx'
import { useSlug } from '../../routes/TenantLayout'
import { useModels, useProviders } from '../providers/queries'
import { PersonaAvatar } from './PersonaAvatar'
import { useDeletePersona, usePersonas, useSavePersona } from './queries'
import { personaSchema, personaValues, type PersonaValues } from './schema'
import { TryBox } from './TryBox'

const emojis = ['🤖', '🧠', '🦉', '🦊', '🐙', '🧪', '📚', '⚖️', '🎨', '🛠️', '🔍', '✍️']
const swatches = ['#5b45e8', '#0e8f7e', '#c2410c', '#be185d', '#1d4ed8', '#7c3aed', '#0f766e', '#b45309']

/** PersonaEditorPage creates or edits a persona, with a box to try it. */
export default function PersonaEditorPage() {
  const slug = useSlug()
  const id = useParams().id
  const personas = usePersonas(slug)
  const persona = id ? personas.data?.find((p) => p.id === id) : undefined
  if (id && !persona) {
    return (
      <Page title={<Skeleton className="h-7 w-48" />} busy>
        {personas.data ? <FormError message="That persona no longer exists in this workspace." /> : <Skeleton className="h-96 w-full rounded-xl" />}
      </Page>
    )
  }
  return <Editor key={id ?? 'new'} slug={slug} initial={personaValues(persona)} id={id} />
}

function Editor({ slug, initial, id }: { slug: string; initial: PersonaValues; id: string | undefined }) {
  const form = useForm(personaSchema, initial)
  const save = useSavePersona(slug)
  const navigate = useNavigate()
  const providers = useProviders(slug)
  const models = useModels(slug)
  const role = useTenant(slug).data?.role
  const canWrite = atLeast(role, 'member')
  const formRef = useRef<HTMLFormElement>(null)
  const v = form.values

  // A new persona starts on the first enabled provider if the built-in one is not there.
  const { set } = form
  useEffect(() => {
    const list = providers.data
    if (!list || list.some((p) => p.id === v.provider_id)) return
    const first = list.find((p) => p.enabled) ?? list[0]
    if (first) set('provider_id', first.id)
  }, [providers.data, v.provider_id, set])

  const providerModels = (models.data?.items ?? []).filter((m) => m.provider_id === v.provider_id)
  const providerError = models.data?.errors.find((e) => e.provider_id === v.provider_id)
  const on = (name: keyof PersonaValues) => (e: ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) => form.set(name, e.target.value)

  const onSubmit = form.submit(async (body, el) => {
    try {
      const p = await save.mutateAsync({ id, body })
      toast(id ? 'Persona saved' : 'Persona created', { description: p.name })
      if (!id) void navigate(`/t/${slug}/personas/${p.id}`, { replace: true })
    } catch (err) {
      form.fail(err, el)
    }
  })

  return (
    <Page
      wide
      title={
        <span className="flex items-center gap-3">
          <LinkButton to={`/t/${slug}/personas`} variant="ghost" size="icon" aria-label="All personas">
            <ArrowLeft className="h-4 w-4" aria-hidden="true" />
          </LinkButton>
          <PersonaAvatar persona={{ avatar: v.avatar, color: /^#[0-9a-f]{6}$/i.test(v.color) ? v.color : '', name: v.name || '?' }} size="md" />
          {id ? v.name || 'Persona' : 'New persona'}
        </span>
      }
      description={canWrite ? 'A model, a prompt and a style that discussions speak through.' : 'Viewers can read personas but not change them.'}
      actions={id && canWrite && <DeleteButton slug={slug} id={id} name={initial.name} />}
    >
      <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <form ref={formRef} noValidate onSubmit={onSubmit} aria-label="Persona" className="space-y-6">
          <FormError message={form.formError} />
          <Section title="Identity">
            <div className="space-y-5">
              <Field label="Name" maxLength={100} placeholder="Socrates" autoFocus={!id} disabled={!canWrite} {...form.field('name')} />
              <div className="grid gap-5 sm:grid-cols-2">
                <div className="space-y-1.5">
                  <Field label="Avatar" hint="An emoji." maxLength={16} disabled={!canWrite} {...form.field('avatar')} />
                  <div className="flex flex-wrap gap-1" role="group" aria-label="Pick an emoji">
                    {emojis.map((e) => (
                      <button key={e} type="button" disabled={!canWrite} onClick={() => form.set('avatar', e)} aria-label={`Use ${e}`} aria-pressed={v.avatar === e} className={cx('h-8 w-8 rounded-md text-lg outline-none hover:bg-subtle focus-visible:ring-3 focus-visible:ring-accent/25', v.avatar === e && 'bg-accent-soft ring-1 ring-accent/40')}>
                        {e}
                      </button>
                    ))}
                  </div>
                </div>
                <div className="space-y-1.5">
                  <Field
                    label="Colour"
                    maxLength={7}
                    spellCheck={false}
                    disabled={!canWrite}
                    {...form.field('color')}
                    trailing={<input type="color" aria-label="Pick a colour" value={/^#[0-9a-f]{6}$/i.test(v.color) ? v.color : '#5b45e8'} onChange={on('color')} disabled={!canWrite} className="h-7 w-7 cursor-pointer rounded border-0 bg-transparent p-0" />}
                  />
                  <div className="flex flex-wrap gap-1.5" role="group" aria-label="Pick a colour">
                    {swatches.map((c) => (
                      <button key={c} type="button" disabled={!canWrite} onClick={() => form.set('color', c)} aria-label={`Use ${c}`} aria-pressed={v.color.toLowerCase() === c} style={{ backgroundColor: c }} className={cx('h-6 w-6 rounded-full outline-none ring-offset-2 ring-offset-surface focus-visible:ring-3 focus-visible:ring-accent/40', v.color.toLowerCase() === c && 'ring-2 ring-fg')} />
                    ))}
                  </div>
                </div>
              </div>
            </div>
          </Section>
          <Section title="Model">
            <div className="grid gap-5 sm:grid-cols-2">
              <Labelled id="persona-provider" label="Provider" error={form.errors.provider_id}>
                <select id="persona-provider" className={selectClass} value={v.provider_id} onChange={on('provider_id')} disabled={!canWrite || !providers.data} aria-invalid={form.errors.provider_id ? true : undefined}>
                  {!providers.data && <option value={v.provider_id}>Loading…</option>}
                  {providers.data?.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                      {p.enabled ? '' : ' (disabled)'}
                    </option>
                  ))}
                </select>
              </Labelled>
              <div>
                <Field
                  label="Model"
                  list="persona-models"
                  placeholder={providerModels[0]?.name ?? 'llama3.2:3b'}
                  spellCheck={false}
                  autoComplete="off"
                  disabled={!canWrite}
                  hint={providerError ? `Couldn’t list this provider’s models: ${providerError.message} Type the name.` : providerModels.length ? `${providerModels.length} model${providerModels.length === 1 ? '' : 's'} available — pick one or type a name.` : models.isPending ? 'Loading the models…' : 'Type the model’s name.'}
                  {...form.field('model')}
                />
                <datalist id="persona-models">
                  {providerModels.map((m) => (
                    <option key={m.name} value={m.name}>
                      {[m.parameter_size, m.quantization].filter(Boolean).join(' · ')}
                    </option>
                  ))}
                </datalist>
              </div>
            </div>
          </Section>
          <Section title="Behaviour">
            <div className="space-y-5">
              <Labelled id="persona-prompt" label="System prompt" error={form.errors.system_prompt} hint="How it should think, speak and answer.">
                <textarea id="persona-prompt" rows={5} value={v.system_prompt} onChange={on('system_prompt')} disabled={!canWrite} placeholder="You are a patient teacher who answers with questions." className={cx(inputClass, 'h-auto resize-y py-2')} />
              </Labelled>
              <Temperature value={v.temperature} onChange={(t) => form.set('temperature', t)} error={form.errors.temperature} disabled={!canWrite} />
              <details className="group rounded-lg border border-line">
                <summary className="cursor-pointer list-none rounded-lg px-3 py-2 text-sm font-medium outline-none focus-visible:ring-3 focus-visible:ring-accent/25">More options</summary>
                <div className="grid gap-4 border-t border-line p-3 sm:grid-cols-3">
                  <Field label="top_p" inputMode="decimal" placeholder="default" hint="0–1" disabled={!canWrite} {...form.field('top_p')} />
                  <Field label="top_k" inputMode="numeric" placeholder="default" disabled={!canWrite} {...form.field('top_k')} />
                  <Field label="Max tokens" inputMode="numeric" placeholder="default" disabled={!canWrite} {...form.field('max_tokens')} />
                  <Field label="Context window (num_ctx)" inputMode="numeric" placeholder="from the model" disabled={!canWrite} {...form.field('num_ctx')} />
                  <Field label="Seed" inputMode="numeric" placeholder="random" disabled={!canWrite} {...form.field('seed')} />
                  <Labelled id="persona-stop" label="Stop sequences" error={form.errors.stop} hint="One per line, at most 8.">
                    <textarea id="persona-stop" rows={2} value={v.stop} onChange={on('stop')} disabled={!canWrite} className={cx(inputClass, 'h-auto resize-y py-2 font-mono')} />
                  </Labelled>
                </div>
              </details>
            </div>
          </Section>
          {canWrite && (
            <div className="flex justify-end gap-2">
              <LinkButton to={`/t/${slug}/personas`}>Cancel</LinkButton>
              <Button type="submit" variant="primary" loading={save.isPending}>
                {id ? 'Save changes' : 'Create persona'}
              </Button>
            </div>
          )}
        </form>
        <aside className="lg:sticky lg:top-4">
          <Section title="Try it" description="One message, streamed. Nothing is stored.">
            {id ? <TryBox slug={slug} personaId={id} disabled={!canWrite} /> : <p className="text-sm text-fg-muted">Create the persona first, then try it here.</p>}
          </Section>
        </aside>
      </div>
    </Page>
  )
}

function Labelled({ id, label, error, hint, children }: { id: string; label: string; error?: string | undefined; hint?: string; children: ReactNode }) {
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-[13px] font-medium">
        {label}
      </label>
      {children}
      {error ? (
        <p role="alert" className="text-[13px] text-danger-text">
          {error}
        </p>
      ) : (
        hint && <p className="text-[13px] text-fg-muted">{hint}</p>
      )}
    </div>
  )
}

function Temperature({ value, onChange, error, disabled }: { value: string; onChange: (v: string) => void; error?: string | undefined; disabled: boolean }) {
  const isDefault = value === ''
  const n = isDefault ? 0.7 : Number(value)
  return (
    <div className="space-y-1.5">
      <div className="flex items-center justify-between">
        <label htmlFor="persona-temperature" className="text-[13px] font-medium">
          Temperature
        </label>
        <label className="flex items-center gap-2 text-[13px] text-fg-muted">
          <input type="checkbox" checked={isDefault} disabled={disabled} onChange={(e) => onChange(e.target.checked ? '' : '0.7')} className="h-4 w-4 accent-[var(--accent)]" />
          Model default
        </label>
      </div>
      <div className="flex items-center gap-3">
        <input
          id="persona-temperature"
          type="range"
          min={0}
          max={2}
          step={0.05}
          value={Number.isFinite(n) ? n : 0.7}
          disabled={disabled || isDefault}
          onChange={(e) => onChange(e.target.value)}
          aria-valuetext={isDefault ? 'Model default' : String(n)}
          className="h-2 flex-1 cursor-pointer accent-[var(--accent)] disabled:cursor-default disabled:opacity-50"
        />
        <span className="w-16 text-right text-sm tabular-nums">{isDefault ? 'default' : n.toFixed(2)}</span>
      </div>
      <p className={cx('text-[13px]', error ? 'text-danger-text' : 'text-fg-muted')} role={error ? 'alert' : undefined}>
        {error ?? 'Lower is focused and repeatable; higher is varied and surprising.'}
      </p>
    </div>
  )
}

function DeleteButton({ slug, id, name }: { slug: string; id: string; name: string }) {
  const [open, setOpen] = useState(false)
  const del = useDeletePersona(slug)
  const navigate = useNavigate()
  return (
    <>
      <Button variant="ghost" onClick={() => setOpen(true)}>
        <Trash2 className="h-4 w-4" aria-hidden="true" /> Delete
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={(o) => {
          setOpen(o)
          if (!o) del.reset()
        }}
        title={`Delete ${name}?`}
        description="Discussions keep what it already said, but it will not answer again."
        action="Delete persona"
        pending={del.isPending}
        error={del.error?.message}
        onConfirm={() =>
          del.mutate(id, {
            onSuccess: () => {
              toast('Persona deleted', { description: name })
              void navigate(`/t/${slug}/personas`)
            },
          })
        }
      />
    </>
  )
}
