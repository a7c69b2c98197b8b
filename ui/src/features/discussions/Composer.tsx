import { RotateCcw, Send, Square } from 'lucide-react'
import { useState, type FormEvent, type KeyboardEvent } from 'react'
import { ApiError } from '../../lib/api'
import { Button } from '../../components/ui/Button'
import { FormError } from '../../components/ui/Field'
import { cx } from '../../components/ui/cx'

const maxBytes = 32 << 10

/**
 * Composer writes to the discussion: Enter sends, Shift+Enter is a new
 * line. While a turn runs it is disabled and offers Stop instead.
 */
export function Composer({
  running,
  canWrite,
  onSend,
  onStop,
  stopping,
  onRegenerate,
  regenerating = false,
}: {
  running: boolean
  canWrite: boolean
  onSend: (text: string) => Promise<void>
  onStop: () => void
  stopping: boolean
  /** Answer the last message again; absent when there is nothing to answer. */
  onRegenerate?: () => void
  regenerating?: boolean
}) {
  const [text, setText] = useState('')
  const [error, setError] = useState<string>()
  const [sending, setSending] = useState(false)
  const tooLong = new TextEncoder().encode(text).length > maxBytes
  const disabled = !canWrite || running || sending

  async function send(e?: FormEvent) {
    e?.preventDefault()
    if (disabled || !text.trim() || tooLong) return
    setSending(true)
    setError(undefined)
    try {
      await onSend(text)
      setText('')
    } catch (err) {
      setError(err instanceof ApiError || err instanceof Error ? err.message : String(err))
    } finally {
      setSending(false)
    }
  }

  function onKey(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault()
      void send()
    }
  }

  return (
    <form onSubmit={(e) => void send(e)} aria-label="Write a message" className="space-y-2">
      <FormError message={error ?? (tooLong ? 'That message is too long. Messages are limited to 32 KiB.' : undefined)} />
      <div className={cx('flex items-end gap-2 rounded-2xl border border-line-strong bg-surface p-2 shadow-sm transition focus-within:border-accent focus-within:ring-3 focus-within:ring-accent/20', disabled && 'bg-subtle')}>
        <label htmlFor="composer" className="sr-only">
          Message
        </label>
        <textarea
          id="composer"
          rows={1}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKey}
          disabled={!canWrite}
          readOnly={running}
          aria-describedby="composer-hint"
          placeholder={!canWrite ? 'Viewers can read but not write.' : running ? 'The personas are answering…' : 'Ask something…'}
          className="max-h-48 min-h-10 flex-1 resize-none bg-transparent px-2 py-2 text-[14.5px] outline-none [field-sizing:content] placeholder:text-fg-subtle disabled:cursor-not-allowed"
        />
        {running ? (
          <Button variant="secondary" onClick={onStop} loading={stopping} aria-label="Stop the answers">
            <Square className="h-3.5 w-3.5 fill-current" aria-hidden="true" /> Stop
          </Button>
        ) : (
          <>
            {onRegenerate && canWrite && (
              <Button variant="ghost" size="icon" className="h-9 w-9" onClick={onRegenerate} loading={regenerating} aria-label="Regenerate the last answers" title="Regenerate the last answers">
                <RotateCcw className="h-4 w-4" aria-hidden="true" />
              </Button>
            )}
            <Button type="submit" variant="primary" size="icon" className="h-9 w-9" loading={sending} disabled={disabled || !text.trim() || tooLong} aria-label="Send">
              <Send className="h-4 w-4" aria-hidden="true" />
            </Button>
          </>
        )}
      </div>
      <p id="composer-hint" className="px-1 text-[11.5px] text-fg-subtle">
        Enter sends · Shift+Enter for a new line
      </p>
    </form>
  )
}
