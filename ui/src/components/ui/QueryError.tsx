import { CloudOff, TriangleAlert } from 'lucide-react'
import { Button } from './Button'

/**
 * QueryProblem explains why data is missing: offline (waiting to retry) or
 * an error with its human message and a retry button.
 */
export function QueryProblem({ error, paused, onRetry }: { error: Error | null; paused: boolean; onRetry: () => void }) {
  if (paused) {
    return (
      <div role="status" className="mb-6 flex items-start gap-3 rounded-xl border border-line bg-surface p-4 text-sm">
        <CloudOff className="mt-0.5 h-4 w-4 shrink-0 text-warn" aria-hidden="true" />
        <div>
          <p className="font-medium">Waiting for the connection</p>
          <p className="text-fg-muted">You’re offline. This will load as soon as you’re back online.</p>
        </div>
      </div>
    )
  }
  if (!error) return null
  return (
    <div role="alert" className="mb-6 flex items-start gap-3 rounded-xl border border-danger/30 bg-danger-soft p-4 text-sm">
      <TriangleAlert className="mt-0.5 h-4 w-4 shrink-0 text-danger" aria-hidden="true" />
      <div className="flex-1">
        <p className="font-medium text-danger-text">Couldn’t load this</p>
        <p className="text-fg-muted">{error.message}</p>
      </div>
      <Button size="sm" onClick={onRetry}>
        Try again
      </Button>
    </div>
  )
}
