import { Check } from 'lucide-react'
import { useState, type FormEvent } from 'react'
import { useNavigate } from 'react-router'
import type { Mode, Persona } from '../../lib/api'
import { ApiError } from '../../lib/api'
import { validate } from '../../lib/schemas'
import { Button, LinkButton } from '../../components/ui/Button'
import { Dialog } from '../../components/ui/Dialog'
import { Field, FormError } from '../../components/ui/Field'
import { selectClass } from '../../components/ui/selectClass'
import { cx } from '../../components/ui/cx'
import { PersonaAvatar } from '../personas/PersonaAvatar'
import { usePersonas } from '../personas/queries'
import { useCreateDiscussion } from './queries'
import { modeRule, modes, newDiscussionSchema, toRequest, togglePersona } from './schema'

type Values = { title: string; mode: Mode; persona_ids: string[]; moderator_persona_id: string; max_rounds: string; threshold: string }
const initial: Values = { title: '', mode: 'parallel', persona_ids: [], moderator_persona_id: '', max_rounds: '3', threshold: '0.8' }

/** NewDiscussionDialog starts a discussion: title, mode, and personas as the mode allows. */
export function NewDiscussionDialog({ slug, open, onOpenChange }: { slug: string; open: boolean; onOpenChange: (o: boolean) => void }) {
  const [v, setV] = useState<Values>(initial)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [formError, setFormError] = useState<string>()
  const personas = usePersonas(slug)
  const create = useCreateDiscussion(slug)
  const navigate = useNavigate()
  const set = <K extends keyof Values>(k: K, value: Values[K]) => {
    setV((old) => ({ ...old, [k]: value }))
    setErrors((e) => ({ ...e, [k]: '' }))
  }
  const close = (o: boolean) => {
    if (!o) {
      setV(initial)
      setErrors({})
      setFormError(undefined)
    }
    onOpenChange(o)
  }
  const setMode = (mode: Mode) => {
    setV((old) => ({ ...old, mode, persona_ids: mode === 'single' ? old.persona_ids.slice(0, 1) : old.persona_ids }))
    setErrors((e) => ({ ...e, persona_ids: '' }))
  }

  async function submit(e: FormEvent) {
    e.preventDefault()
    setFormError(undefined)
    const r = validate(newDiscussionSchema, { ...v, max_rounds: Number(v.max_rounds), threshold: Number(v.threshold) })
    if (!r.ok) {
      setErrors(r.errors)
      return
    }
    try {
      const d = await create.mutateAsync(toRequest(r.data))
      close(false)
      void navigate(`/t/${slug}/discussions/${d.id}`)
    } catch (err) {
      if (err instanceof ApiError && err.field) {
        const field = err.field.replace('consensus.', '')
        if (field in v) return setErrors((x) => ({ ...x, [field]: err.message }))
      }
      setFormError(err instanceof Error ? err.message : String(err))
    }
  }

  const list = personas.data ?? []
  const rule = modeRule(v.mode)
  return (
    <Dialog open={open} onOpenChange={close} title="New discussion" description="Choose how the personas answer, then who takes part.">
      <form noValidate onSubmit={(e) => void submit(e)} aria-label="New discussion">
        {/* The body scrolls on short screens; the buttons stay in view. */}
        <div className="-mx-2 max-h-[calc(88vh-13rem)] space-y-5 overflow-y-auto px-2 pb-1">
        <FormError message={formError} />
        <Field label="Title" placeholder="Untitled discussion" maxLength={200} value={v.title} error={errors.title || undefined} onChange={(e) => set('title', e.target.value)} hint="Optional." />
        <fieldset>
          <legend className="mb-1.5 text-[13px] font-medium">Mode</legend>
          <div className="grid gap-2 sm:grid-cols-3" role="radiogroup" aria-label="Mode">
            {modes.map((m) => (
              <label
                key={m.value}
                className={cx(
                  'cursor-pointer rounded-lg border p-2.5 text-sm transition has-[:focus-visible]:ring-3 has-[:focus-visible]:ring-accent/25',
                  v.mode === m.value ? 'border-accent bg-accent-soft' : 'border-line-strong hover:bg-subtle',
                )}
              >
                <input type="radio" name="mode" value={m.value} checked={v.mode === m.value} onChange={() => setMode(m.value)} className="sr-only" />
                <span className="block font-medium">{m.label}</span>
                <span className="block text-xs text-fg-muted">{m.text}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <fieldset aria-describedby="personas-rule">
          <legend className="mb-1.5 text-[13px] font-medium">Personas</legend>
          {personas.isPending ? (
            <div className="h-24 animate-pulse rounded-lg bg-subtle" />
          ) : list.length === 0 ? (
            <p className="rounded-lg border border-dashed border-line-strong p-3 text-sm text-fg-muted">
              No personas yet. <LinkButton to={`/t/${slug}/personas`} variant="ghost" size="sm" onClick={() => close(false)}>Create a persona</LinkButton>
            </p>
          ) : (
            <ul className="max-h-44 space-y-1 overflow-y-auto rounded-lg border border-line p-1">
              {list.map((p) => (
                <PersonaOption key={p.id} p={p} mode={v.mode} checked={v.persona_ids.includes(p.id)} onToggle={() => set('persona_ids', togglePersona(v.mode, v.persona_ids, p.id))} />
              ))}
            </ul>
          )}
          <p id="personas-rule" role={errors.persona_ids ? 'alert' : undefined} className={cx('mt-1.5 text-[13px]', errors.persona_ids ? 'text-danger-text' : 'text-fg-muted')}>
            {errors.persona_ids || rule.text}
          </p>
        </fieldset>
        {v.mode === 'consensus' && (
          <div className="grid gap-4 sm:grid-cols-3">
            <div className="space-y-1.5 sm:col-span-3">
              <label htmlFor="moderator" className="block text-[13px] font-medium">
                Moderator
              </label>
              <select id="moderator" className={selectClass} value={v.moderator_persona_id} onChange={(e) => set('moderator_persona_id', e.target.value)}>
                <option value="">The first persona</option>
                {list.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.avatar ? p.avatar + ' ' : ''}
                    {p.name}
                  </option>
                ))}
              </select>
              <p className="text-[13px] text-fg-muted">Judges the agreement after each round and writes the synthesis.</p>
            </div>
            <Field label="Max rounds" type="number" min={1} max={10} step={1} inputMode="numeric" value={v.max_rounds} error={errors.max_rounds || undefined} onChange={(e) => set('max_rounds', e.target.value)} />
            <Field
              label="Agreement threshold"
              type="number"
              min={0.05}
              max={1}
              step={0.05}
              inputMode="decimal"
              value={v.threshold}
              error={errors.threshold || undefined}
              onChange={(e) => set('threshold', e.target.value)}
              className="sm:col-span-2"
              hint="Stop debating at this score (0–1)."
            />
          </div>
        )}
        </div>
        <div className="flex justify-end gap-2 pt-5">
          <Button onClick={() => close(false)}>Cancel</Button>
          <Button type="submit" variant="primary" loading={create.isPending}>
            Start discussion
          </Button>
        </div>
      </form>
    </Dialog>
  )
}

function PersonaOption({ p, mode, checked, onToggle }: { p: Persona; mode: Mode; checked: boolean; onToggle: () => void }) {
  return (
    <li>
      <label className={cx('flex cursor-pointer items-center gap-3 rounded-md px-2 py-1.5 text-sm has-[:focus-visible]:ring-3 has-[:focus-visible]:ring-accent/25', checked ? 'bg-accent-soft' : 'hover:bg-subtle')}>
        <input type={mode === 'single' ? 'radio' : 'checkbox'} name="persona" checked={checked} onChange={onToggle} className="sr-only" />
        <PersonaAvatar persona={p} size="sm" />
        <span className="min-w-0 flex-1">
          <span className="block truncate font-medium">{p.name}</span>
          <span className="block truncate text-xs text-fg-muted">{p.model}</span>
        </span>
        <span className={cx('inline-flex h-4.5 w-4.5 items-center justify-center border', mode === 'single' ? 'rounded-full' : 'rounded', checked ? 'border-accent bg-accent text-accent-fg' : 'border-line-strong')} aria-hidden="true">
          {checked && <Check className="h-3 w-3" />}
        </span>
      </label>
    </li>
  )
}
