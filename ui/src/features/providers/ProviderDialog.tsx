import { Eye, EyeOff, KeyRound } from 'lucide-react'
import { useState, type ChangeEvent } from 'react'
import { providerKinds, type Provider, type ProviderKind } from '../../lib/api'
import { useForm } from '../../lib/form'
import { Button } from '../../components/ui/Button'
import { Dialog } from '../../components/ui/Dialog'
import { Field, FormError } from '../../components/ui/Field'
import { selectClass } from '../../components/ui/selectClass'
import { toast } from '../../components/ui/Toast'
import { kindInfo } from './kinds'
import { useSaveProvider } from './queries'
import { providerSchema, type ProviderValues } from './schema'

function initial(p?: Provider): ProviderValues {
  return {
    mode: p ? 'edit' : 'create',
    kind: p?.kind ?? 'ollama',
    name: p?.name ?? '',
    base_url: p?.base_url ?? '',
    api_key: '',
    remove_key: '',
    key_set: p?.api_key_set ? 'yes' : '',
  }
}

/** ProviderDialog adds a provider or edits one; the key is write-only and never shown. */
export function ProviderDialog({ slug, provider, open, onOpenChange }: { slug: string; provider?: Provider | undefined; open: boolean; onOpenChange: (o: boolean) => void }) {
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={provider ? `Edit ${provider.name}` : 'Add a provider'}
      description={provider ? 'Changes apply to every persona that uses it.' : 'An Ollama host, an OpenAI-compatible server, Anthropic or Google.'}
    >
      {open && <ProviderForm key={provider?.id ?? 'new'} slug={slug} provider={provider} onDone={() => onOpenChange(false)} />}
    </Dialog>
  )
}

function ProviderForm({ slug, provider, onDone }: { slug: string; provider: Provider | undefined; onDone: () => void }) {
  const form = useForm(providerSchema, initial(provider))
  const save = useSaveProvider(slug)
  const [show, setShow] = useState(false)
  const v = form.values
  const info = kindInfo[v.kind as ProviderKind] ?? kindInfo.ollama
  const editing = Boolean(provider)
  const removing = v.remove_key === 'yes'

  const onSubmit = form.submit(async (body, el) => {
    try {
      const p = await save.mutateAsync({ id: provider?.id, body })
      toast(editing ? 'Provider saved' : 'Provider added', { description: p.name })
      onDone()
    } catch (err) {
      form.fail(err, el)
    }
  })

  const keyHint = editing
    ? provider?.api_key_set && !removing
      ? `Key set ••••${provider.api_key_last4 || '••••'}. Leave empty to keep the current key.`
      : removing
        ? 'The key will be removed when you save.'
        : info.keyNeeded
          ? 'This provider needs an API key.'
          : 'Optional for this kind.'
    : info.keyNeeded
      ? 'Required. Stored encrypted; only its last four characters are ever shown.'
      : 'Optional. Stored encrypted; only its last four characters are ever shown.'

  return (
    <form noValidate onSubmit={onSubmit} className="space-y-5" aria-label={editing ? 'Edit provider' : 'Add a provider'}>
      <FormError message={form.formError} />
      <div className="space-y-1.5">
        <label htmlFor="provider-kind" className="block text-[13px] font-medium">
          Kind
        </label>
        <select
          id="provider-kind"
          className={selectClass}
          value={v.kind}
          disabled={editing}
          onChange={(e: ChangeEvent<HTMLSelectElement>) => form.set('kind', e.target.value as ProviderKind)}
        >
          {providerKinds.map((k) => (
            <option key={k} value={k}>
              {kindInfo[k].label}
            </option>
          ))}
        </select>
        {editing && <p className="text-[13px] text-fg-muted">The kind cannot change; add another provider instead.</p>}
        {form.errors.kind && <p className="text-[13px] text-danger-text">{form.errors.kind}</p>}
      </div>
      <Field label="Name" maxLength={100} placeholder={v.kind === 'ollama' ? 'GPU box' : info.label} autoFocus {...form.field('name')} />
      <Field
        label="Base URL"
        type="url"
        spellCheck={false}
        placeholder={info.baseUrl}
        hint={v.kind === 'ollama' ? 'Required: the Ollama host, such as http://gpu-box:11434.' : 'Leave empty for the official API.'}
        {...form.field('base_url')}
      />
      <div className="space-y-2">
        <Field
          label="API key"
          type={show ? 'text' : 'password'}
          autoComplete="new-password"
          spellCheck={false}
          placeholder={editing && provider?.api_key_set && !removing ? 'Leave empty to keep the current key' : ''}
          disabled={removing}
          hint={keyHint}
          trailing={
            <Button variant="ghost" size="icon" onClick={() => setShow((s) => !s)} aria-label={show ? 'Hide key' : 'Show key'} aria-pressed={show}>
              {show ? <EyeOff className="h-4 w-4" /> : <Eye className="h-4 w-4" />}
            </Button>
          }
          {...form.field('api_key')}
        />
        {editing && provider?.api_key_set && (
          <Button size="sm" variant="ghost" onClick={() => form.set('remove_key', removing ? '' : 'yes')} aria-pressed={removing}>
            <KeyRound className="h-3.5 w-3.5" aria-hidden="true" /> {removing ? 'Keep the key' : 'Remove key'}
          </Button>
        )}
      </div>
      <div className="flex justify-end gap-2 pt-1">
        <Button onClick={onDone}>Cancel</Button>
        <Button type="submit" variant="primary" loading={save.isPending}>
          {editing ? 'Save changes' : 'Add provider'}
        </Button>
      </div>
    </form>
  )
}
