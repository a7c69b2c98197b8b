import type { ConnectionState } from '../../lib/sse'
import { cx } from '../ui/cx'

export type IndicatorState = ConnectionState | 'offline'

const labels: Record<IndicatorState, string> = {
  idle: 'Not connected',
  connecting: 'Connecting…',
  open: 'Online',
  reconnecting: 'Reconnecting…',
  closed: 'Disconnected',
  offline: 'Offline',
}

const dots: Record<IndicatorState, string> = {
  idle: 'bg-fg-subtle',
  connecting: 'bg-warn animate-pulse',
  open: 'bg-ok',
  reconnecting: 'bg-warn animate-pulse',
  closed: 'bg-fg-subtle',
  offline: 'bg-danger',
}

/** ConnectionIndicator shows a live connection's state as a dot and a word, announced politely. */
export function ConnectionIndicator({ state, retryInMs, className }: { state: IndicatorState; retryInMs?: number | undefined; className?: string }) {
  const label = state === 'reconnecting' && retryInMs ? `Reconnecting in ${Math.ceil(retryInMs / 1000)}s` : labels[state]
  return (
    <span role="status" aria-live="polite" data-state={state} className={cx('inline-flex items-center gap-2 rounded-full border border-line bg-surface px-2.5 py-1 text-xs font-medium text-fg-muted', className)}>
      <span className={cx('h-2 w-2 rounded-full', dots[state])} aria-hidden="true" />
      {label}
    </span>
  )
}
