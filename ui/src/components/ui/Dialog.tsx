import * as D from '@radix-ui/react-dialog'
import * as A from '@radix-ui/react-alert-dialog'
import { X } from 'lucide-react'
import { useState, type ReactNode } from 'react'
import { Button } from './Button'
import { FormError } from './Field'

const overlay = 'fixed inset-0 z-40 bg-black/40 backdrop-blur-[2px] animate-fade'
const panel =
  'fixed top-[12vh] left-1/2 z-50 w-[calc(100vw-2rem)] max-w-md -translate-x-1/2 rounded-2xl border border-line bg-raised p-6 shadow-2xl shadow-black/20 animate-in focus:outline-none'

/** Dialog is a modal with a title, description and close button (Radix: focus trap, Esc, aria). */
export function Dialog({
  open,
  onOpenChange,
  title,
  description,
  children,
}: {
  open: boolean
  onOpenChange: (open: boolean) => void
  title: string
  description?: ReactNode
  children: ReactNode
}) {
  return (
    <D.Root open={open} onOpenChange={onOpenChange}>
      <D.Portal>
        <D.Overlay className={overlay} />
        <D.Content className={panel}>
          <D.Title className="text-base font-semibold">{title}</D.Title>
          {description ? (
            <D.Description className="mt-1 text-sm text-fg-muted">{description}</D.Description>
          ) : (
            <D.Description className="sr-only">{title}</D.Description>
          )}
          <div className="mt-5">{children}</div>
          <span className="absolute top-4 right-4">
            <D.Close asChild>
              <Button variant="ghost" size="icon" aria-label="Close">
                <X className="h-4 w-4" />
              </Button>
            </D.Close>
          </span>
        </D.Content>
      </D.Portal>
    </D.Root>
  )
}

/**
 * ConfirmDialog asks before something destructive. With confirmText the
 * person must type it (e.g. the workspace slug) to enable the action.
 */
export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  description,
  action,
  onConfirm,
  pending,
  error,
  confirmText,
}: {
  open: boolean
  onOpenChange: (open: boolean) => void
  title: string
  description: ReactNode
  action: string
  onConfirm: () => void
  pending?: boolean
  error?: string | undefined
  confirmText?: string
}) {
  const [typed, setTyped] = useState('')
  const ready = !confirmText || typed === confirmText
  return (
    <A.Root
      open={open}
      onOpenChange={(o) => {
        if (!o) setTyped('')
        onOpenChange(o)
      }}
    >
      <A.Portal>
        <A.Overlay className={overlay} />
        <A.Content className={panel}>
          <A.Title className="text-base font-semibold">{title}</A.Title>
          <A.Description className="mt-1.5 text-sm text-fg-muted">{description}</A.Description>
          {confirmText && (
            <div className="mt-4 space-y-1.5">
              <label htmlFor="confirm-text" className="block text-[13px] font-medium">
                Type <span className="font-mono text-fg">{confirmText}</span> to confirm
              </label>
              <input
                id="confirm-text"
                autoComplete="off"
                spellCheck={false}
                value={typed}
                onChange={(e) => setTyped(e.target.value)}
                className="block h-10 w-full rounded-lg border border-line-strong bg-surface px-3 font-mono text-sm outline-none focus-visible:border-danger focus-visible:ring-3 focus-visible:ring-danger/20"
              />
            </div>
          )}
          {error && (
            <div className="mt-4">
              <FormError message={error} />
            </div>
          )}
          <div className="mt-6 flex justify-end gap-2">
            <A.Cancel asChild>
              <Button>Cancel</Button>
            </A.Cancel>
            <Button variant="danger" loading={pending} disabled={!ready} onClick={onConfirm}>
              {action}
            </Button>
          </div>
        </A.Content>
      </A.Portal>
    </A.Root>
  )
}
