import type { ReactNode } from 'react'
import { cx } from './cx'

/** Section is a settings-style card: a title and description beside or above its content. */
export function Section({
  title,
  description,
  children,
  footer,
  tone = 'default',
  id,
}: {
  title: string
  description?: ReactNode
  children: ReactNode
  footer?: ReactNode
  tone?: 'default' | 'danger'
  id?: string
}) {
  const headingId = id ? id + '-title' : undefined
  return (
    <section aria-labelledby={headingId} className={cx('rounded-xl border bg-surface shadow-xs', tone === 'danger' ? 'border-danger/35' : 'border-line')}>
      <div className="space-y-1 px-5 pt-5 sm:px-6">
        <h2 id={headingId} className={cx('text-[15px] font-semibold', tone === 'danger' && 'text-danger-text')}>
          {title}
        </h2>
        {description && <p className="text-sm text-fg-muted">{description}</p>}
      </div>
      <div className="px-5 py-5 sm:px-6">{children}</div>
      {footer && (
        <div className="flex items-center justify-end gap-3 rounded-b-xl border-t border-line bg-subtle/60 px-5 py-3 sm:px-6">{footer}</div>
      )}
    </section>
  )
}
