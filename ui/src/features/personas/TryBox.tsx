import { Send, Square } from 'lucide-react'
import { useRef, useState, type FormEvent } from 'react'
import { api, ApiError, type StreamError } from '../../lib/api'
import { messageFor } from '../../lib/errors'
import { Button } from '../../components/ui/Button'
import { FormError, inputClass } from '../../components/ui/Field'
import { cx } from '../../components/ui/cx'

type Usage = { prompt_tokens: number; completion_tokens: number; time_to_first_token: number }
type Done = { usage: Usage; tokens_per_second: number }

/** TryBox sends one message to a saved persona and streams its reply; nothing is stored. */
export function TryBox({ slug, personaId, disabled }: { slug: string; personaId: string; disabled?: boolean }) {
  const [message, setMessage] = useState('Introduce yourself in one sentence.')
  const [reply, setReply] = useState('')
  const [state, setState] = useState<'idle' | 'streaming' | 'done' | 'stopped' | 'error'>('idle')
  const [error, setError] = useState<string>()
  const [done, setDone] = useState<Done>()
  const abort = useRef<AbortController | null>(null)

  async function run(e: FormEvent) {
    e.preventDefault()
    if (!message.trim() || state === 'streaming') return
    const ctl = new AbortController()
    abort.current = ctl
    setReply('')
    setError(undefined)
    setDone(undefined)
    setState('streaming')
    let ended = false
    try {
      await api.tryPersona(
        slug,
        personaId,
        message,
        (ev) => {
          if (ev.event === 'delta') setReply((r) => r + (JSON.parse(ev.data) as { text: string }).text)
          else if (ev.event === 'done') {
            ended = true
            setDone(JSON.parse(ev.data) as Done)
            setState('done')
          } else if (ev.event === 'error') {
            ended = true
            const err = JSON.parse(ev.data) as StreamError
            setError(messageFor(err.code, err.message))
            setState('error')
          }
        },
        ctl.signal,
      )
      if (!ended) setState(ctl.signal.aborted ? 'stopped' : 'error')
      if (!ended && !ctl.signal.aborted) setError('The reply ended before it finished.')
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err))
      setState('error')
    } finally {
      abort.current = null
    }
  }

  const streaming = state === 'streaming'
  return (
    <form onSubmit={(e) => void run(e)} aria-label="Try it" className="space-y-3">
      <label htmlFor="try-message" className="block text-[13px] font-medium">
        Message
      </label>
      <textarea id="try-message" rows={2} value={message} onChange={(e) => setMessage(e.target.value)} disabled={disabled} className={cx(inputClass, 'h-auto min-h-16 resize-y py-2')} />
      <div className="flex items-center gap-2">
        {streaming ? (
          <Button onClick={() => abort.current?.abort()}>
            <Square className="h-3.5 w-3.5 fill-current" aria-hidden="true" /> Stop
          </Button>
        ) : (
          <Button type="submit" variant="primary" disabled={disabled || !message.trim()}>
            <Send className="h-4 w-4" aria-hidden="true" /> Send
          </Button>
        )}
        {disabled && <span className="text-[13px] text-fg-muted">Save the persona first.</span>}
      </div>
      <FormError message={error} />
      {(reply || streaming) && (
        <div data-testid="try-reply" data-state={state} aria-live="polite" className="min-h-16 rounded-lg border border-line bg-subtle/60 p-3 text-sm whitespace-pre-wrap">
          {reply}
          {streaming && <span className="ml-0.5 inline-block h-4 w-1.5 translate-y-0.5 animate-pulse rounded-sm bg-accent" aria-hidden="true" />}
        </div>
      )}
      {state === 'stopped' && <p className="text-[13px] text-fg-muted">Stopped.</p>}
      {done && (
        <p data-testid="try-usage" className="text-[12.5px] text-fg-muted tabular-nums">
          {done.usage.prompt_tokens} prompt + {done.usage.completion_tokens} completion tokens · {done.tokens_per_second.toFixed(1)} tokens/s · first token after{' '}
          {Math.round(done.usage.time_to_first_token / 1e6)} ms
        </p>
      )}
    </form>
  )
}
