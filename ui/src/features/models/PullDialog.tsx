import { Download } from 'lucide-react'
import { useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState, type FormEvent } from 'react'
import { api, ApiError, type Provider } from '../../lib/api'
import { Button } from '../../components/ui/Button'
import { Dialog } from '../../components/ui/Dialog'
import { Field, FormError } from '../../components/ui/Field'
import { selectClass } from '../../components/ui/selectClass'
import { cx } from '../../components/ui/cx'
import { providerKeys } from '../providers/queries'
import { humanSize, idlePull, pullReducer, type PullState } from './pull'

/** PullDialog downloads a model onto an Ollama host, with live progress. */
export function PullDialog({ slug, providers, open, onOpenChange }: { slug: string; providers: Provider[]; open: boolean; onOpenChange: (o: boolean) => void }) {
  const [provider, setProvider] = useState(providers[0]?.id ?? '')
  const [model, setModel] = useState('')
  const [fieldError, setFieldError] = useState<string>()
  const [state, setState] = useState<PullState>(idlePull)
  const abort = useRef<AbortController | null>(null)
  const qc = useQueryClient()
  const pulling = state.phase === 'pulling'

  useEffect(() => {
    if (!providers.some((p) => p.id === provider) && providers[0]) setProvider(providers[0].id)
  }, [providers, provider])

  const close = (o: boolean) => {
    if (!o) {
      abort.current?.abort()
      setState(idlePull)
      setModel('')
      setFieldError(undefined)
    }
    onOpenChange(o)
  }

  async function pull(e: FormEvent) {
    e.preventDefault()
    const name = model.trim()
    if (!name || /\s/.test(name) || name.length > 200) return setFieldError('Enter a model name such as llama3.2:3b.')
    setFieldError(undefined)
    const ctl = new AbortController()
    abort.current = ctl
    let s: PullState = { ...idlePull, phase: 'pulling', status: 'Starting…' }
    setState(s)
    try {
      await api.pullModel(slug, { provider, model: name }, (ev) => setState((s = pullReducer(s, ev))), ctl.signal)
      if (ctl.signal.aborted) setState({ ...s, phase: 'cancelled' })
      else if (s.phase === 'pulling') setState({ ...s, phase: 'error', error: 'The download ended before it finished. Try again.' })
    } catch (err) {
      if (err instanceof ApiError && err.field === 'model') {
        setFieldError(err.message)
        setState(idlePull)
      } else setState({ ...s, phase: 'error', error: err instanceof Error ? err.message : String(err) })
    } finally {
      abort.current = null
      void qc.invalidateQueries({ queryKey: providerKeys.models(slug) })
    }
  }

  return (
    <Dialog open={open} onOpenChange={close} title="Pull a model" description="Download a model from the Ollama library onto one of your Ollama hosts.">
      <form noValidate onSubmit={(e) => void pull(e)} className="space-y-5" aria-label="Pull a model">
        <div className="space-y-1.5">
          <label htmlFor="pull-provider" className="block text-[13px] font-medium">
            Ollama host
          </label>
          <select id="pull-provider" className={selectClass} value={provider} onChange={(e) => setProvider(e.target.value)} disabled={pulling}>
            {providers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <Field label="Model" placeholder="llama3.2:3b" spellCheck={false} autoComplete="off" autoFocus value={model} onChange={(e) => setModel(e.target.value)} disabled={pulling} error={fieldError} hint="A name from ollama.com/library, with an optional :tag." />
        {state.phase !== 'idle' && <Progress s={state} />}
        {state.phase === 'error' && <FormError message={state.error} />}
        <div className="flex justify-end gap-2 pt-1">
          {pulling ? (
            <Button onClick={() => abort.current?.abort()}>Cancel download</Button>
          ) : (
            <>
              <Button onClick={() => close(false)}>{state.phase === 'done' ? 'Close' : 'Cancel'}</Button>
              <Button type="submit" variant="primary" disabled={!provider}>
                <Download className="h-4 w-4" aria-hidden="true" /> {state.phase === 'done' || state.phase === 'error' ? 'Pull again' : 'Pull'}
              </Button>
            </>
          )}
        </div>
      </form>
    </Dialog>
  )
}

function Progress({ s }: { s: PullState }) {
  const pct = s.phase === 'done' ? 100 : s.percent
  const label = s.phase === 'done' ? 'Done: the model is ready.' : s.phase === 'cancelled' ? 'Cancelled.' : s.phase === 'error' ? `Failed${s.status ? ` while ${s.status}` : ''}.` : s.status
  // Without a size yet, a pull shows an indeterminate bar; an ended one a full, muted bar.
  const ended = s.phase === 'error' || s.phase === 'cancelled'
  return (
    <div className="space-y-1.5" data-testid="pull-progress" data-phase={s.phase}>
      <div className="flex items-baseline justify-between gap-3 text-[13px]">
        <span className="truncate text-fg-muted" aria-live="polite">
          {label}
        </span>
        <span className="shrink-0 font-medium tabular-nums">{pct === undefined ? '' : `${pct.toFixed(pct < 100 ? 1 : 0)}%`}</span>
      </div>
      <div
        role="progressbar"
        aria-label="Download progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct === undefined ? undefined : Math.round(pct)}
        className="h-2 overflow-hidden rounded-full bg-subtle"
      >
        <div
          className={cx(
            'h-full rounded-full transition-[width] duration-300',
            s.phase === 'error' ? 'bg-danger/50' : s.phase === 'cancelled' ? 'bg-fg-subtle/40' : s.phase === 'done' ? 'bg-ok' : 'bg-accent',
            pct === undefined && !ended && 'w-1/3 animate-pulse',
          )}
          style={pct === undefined ? (ended ? { width: '100%' } : undefined) : { width: `${pct}%` }}
        />
      </div>
      {s.total > 0 && s.phase === 'pulling' && (
        <p className="text-[12px] text-fg-subtle tabular-nums">
          {humanSize(s.completed)} of {humanSize(s.total)}
        </p>
      )}
    </div>
  )
}
