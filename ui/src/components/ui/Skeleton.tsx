import { cx } from './cx'

/** Skeleton reserves the exact space of what will load, so nothing jumps. */
export function Skeleton({ className }: { className?: string }) {
  return (
    <span
      aria-hidden="true"
      className={cx(
        'relative block overflow-hidden bg-subtle',
        !className?.includes('rounded') && 'rounded-md',
        'after:absolute after:inset-0 after:-translate-x-full after:animate-[nyx-shimmer_1.4s_infinite] after:bg-gradient-to-r after:from-transparent after:via-fg/[0.04] after:to-transparent',
        className,
      )}
    />
  )
}
