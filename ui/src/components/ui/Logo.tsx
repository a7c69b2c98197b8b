import { useId } from 'react'
import { cx } from './cx'

/** Logo is the nyxCore mark (the same drawing as favicon.svg) and, optionally, the word. */
export function Logo({ withText = true, className }: { withText?: boolean; className?: string }) {
  // Ids must be unique per instance: a hidden copy (the desktop sidebar on a
  // phone) would otherwise own the gradient and blank the visible one.
  const id = useId()
  return (
    <span className={cx('inline-flex items-center gap-2.5', className)}>
      <svg viewBox="0 0 64 64" className="h-7 w-7 shrink-0" aria-hidden="true">
        <defs>
          <linearGradient id={id + "g"} x1="0" y1="0" x2="1" y2="1">
            <stop offset="0" stopColor="#8b7bff" />
            <stop offset="1" stopColor="#4c2fd6" />
          </linearGradient>
          <mask id={id + "m"}>
            <rect width="64" height="64" fill="#fff" />
            <circle cx="41" cy="25" r="15" fill="#000" />
          </mask>
        </defs>
        <rect width="64" height="64" rx="15" fill={`url(#${id}g)`} />
        <circle cx="30" cy="34" r="18" fill="#fff" mask={`url(#${id}m)`} />
        <circle cx="47" cy="16" r="2.6" fill="#fff" />
      </svg>
      {withText && (
        <span className="text-[15px] font-semibold tracking-tight">
          nyx<span className="text-accent-text">Core</span>
        </span>
      )}
    </span>
  )
}
