import { Check, Copy } from 'lucide-react'
import { useEffect, useState } from 'react'
import { toast } from '../../components/ui/Toast'
import { cx } from '../../components/ui/cx'

/** CopyButton copies value to the clipboard and confirms with a tick for a moment. */
export function CopyButton({ value, label, className }: { value: string; label: string; className?: string }) {
  const [done, setDone] = useState(false)
  useEffect(() => {
    if (!done) return
    const t = setTimeout(() => setDone(false), 1500)
    return () => clearTimeout(t)
  }, [done])
  const copy = () => {
    const write = navigator.clipboard?.writeText(value)
    if (!write) return toast('Couldn’t copy', { description: 'The browser did not allow access to the clipboard.', tone: 'error' })
    write.then(
      () => setDone(true),
      () => toast('Couldn’t copy', { description: 'The browser did not allow access to the clipboard.', tone: 'error' }),
    )
  }
  return (
    <button
      type="button"
      onClick={copy}
      aria-label={done ? 'Copied' : label}
      title={label}
      className={cx(
        'inline-flex h-6 w-6 shrink-0 items-center justify-center rounded-md text-fg-subtle transition-colors outline-none hover:bg-subtle hover:text-fg focus-visible:ring-3 focus-visible:ring-accent/25',
        className,
      )}
    >
      {done ? <Check className="h-3.5 w-3.5 text-ok" aria-hidden="true" /> : <Copy className="h-3.5 w-3.5" aria-hidden="true" />}
    </button>
  )
}
