import type { ReactNode } from 'react'

/** Page is the standard page frame: a title row with actions, then content, at a readable width. */
export function Page({
  title,
  description,
  actions,
  children,
  busy,
  wide = false,
}: {
  title: ReactNode
  description?: ReactNode
  actions?: ReactNode
  children: ReactNode
  busy?: boolean
  wide?: boolean
}) {
  return (
    <div className={'mx-auto w-full px-4 py-8 sm:px-8 ' + (wide ? 'max-w-5xl' : 'max-w-3xl')} aria-busy={busy || undefined}>
      <div className="mb-8 flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0 space-y-1">
          <h1 className="min-h-8 text-2xl font-semibold tracking-tight">{title}</h1>
          {description && <div className="min-h-5 text-sm text-fg-muted">{description}</div>}
        </div>
        {actions && <div className="flex shrink-0 items-center gap-2">{actions}</div>}
      </div>
      {children}
    </div>
  )
}
