import * as T from '@radix-ui/react-toast'
import { CircleAlert, CircleCheck, X } from 'lucide-react'
import { useSyncExternalStore } from 'react'
import { cx } from './cx'

type ToastItem = { id: number; title: string; description?: string | undefined; tone: 'ok' | 'error' }

let items: ToastItem[] = []
let next = 1
const listeners = new Set<() => void>()
const emit = () => listeners.forEach((l) => l())

/** toast shows a short, auto-dismissing message (announced politely to screen readers). */
export function toast(title: string, opts: { description?: string; tone?: 'ok' | 'error' } = {}): void {
  items = [...items, { id: next++, title, description: opts.description, tone: opts.tone ?? 'ok' }]
  emit()
}

function dismiss(id: number) {
  items = items.filter((t) => t.id !== id)
  emit()
}

export function Toaster() {
  const list = useSyncExternalStore(
    (l) => {
      listeners.add(l)
      return () => listeners.delete(l)
    },
    () => items,
  )
  return (
    <T.Provider swipeDirection="right" duration={4500}>
      {list.map((t) => (
        <T.Root
          key={t.id}
          type={t.tone === 'error' ? 'foreground' : 'background'}
          onOpenChange={(open) => !open && dismiss(t.id)}
          className="relative flex w-full items-start gap-3 rounded-xl border border-line bg-raised p-3.5 pr-10 shadow-xl shadow-black/10 animate-toast data-[swipe=end]:translate-x-full"
        >
          {t.tone === 'error' ? (
            <CircleAlert className="mt-0.5 h-4 w-4 shrink-0 text-danger" aria-hidden="true" />
          ) : (
            <CircleCheck className="mt-0.5 h-4 w-4 shrink-0 text-ok" aria-hidden="true" />
          )}
          <div className="min-w-0">
            <T.Title className="text-sm font-medium">{t.title}</T.Title>
            {t.description && <T.Description className={cx('mt-0.5 text-[13px] text-fg-muted')}>{t.description}</T.Description>}
          </div>
          <T.Close aria-label="Dismiss" className="absolute top-3 right-3 rounded-md p-0.5 text-fg-subtle hover:text-fg">
            <X className="h-4 w-4" />
          </T.Close>
        </T.Root>
      ))}
      <T.Viewport className="fixed right-0 bottom-0 z-[60] flex w-full max-w-sm flex-col gap-2 p-4 outline-none" />
    </T.Provider>
  )
}
