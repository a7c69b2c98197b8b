import { useActivity } from '../lib/queries'
import { Section } from '../components/ui/Card'
import { Skeleton } from '../components/ui/Skeleton'

const labels: Record<string, string> = {
  'auth.signin': 'Signed in',
  'auth.signin_failed': 'Failed sign-in attempt',
  'auth.limit_exceeded': 'Sign-in attempts blocked',
}

/** AccountActivity lists the signed-in user's own sign-ins; no workspace admin can see them. */
export function AccountActivity() {
  const activity = useActivity()
  return (
    <Section title="Recent activity" description="Sign-ins to your account. Only you can see this list; workspaces you belong to cannot.">
      {activity.isPending && <Skeleton className="h-16 w-full" />}
      {activity.data?.length === 0 && <p className="text-sm text-fg-muted">Nothing yet.</p>}
      {activity.data && activity.data.length > 0 && (
        <ul aria-label="Recent activity" className="divide-y divide-line text-sm">
          {activity.data.map((ev) => (
            <li key={ev.id} data-testid={`activity-${ev.action}`} className="flex flex-wrap gap-x-3 py-2">
              <span className="font-medium">{labels[ev.action] ?? ev.action}</span>
              <time dateTime={ev.at} className="text-fg-muted">
                {new Date(ev.at).toLocaleString()}
              </time>
              <span className="text-fg-muted">{ev.ip}</span>
              <span className="min-w-0 flex-1 truncate text-fg-subtle" title={ev.user_agent}>
                {ev.user_agent}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Section>
  )
}
