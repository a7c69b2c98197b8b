import { Compass } from 'lucide-react'
import { LinkButton } from '../components/ui/Button'

/** NotFound is the page for unknown addresses and for workspaces you cannot see. */
export function NotFound({ kind = 'page' }: { kind?: 'page' | 'workspace' }) {
  return (
    <div data-testid="not-found" className="mx-auto flex max-w-md flex-col items-center px-6 py-24 text-center animate-in">
      <span className="mb-6 inline-flex h-14 w-14 items-center justify-center rounded-2xl bg-accent-soft text-accent-text">
        <Compass className="h-7 w-7" aria-hidden="true" />
      </span>
      <p className="text-sm font-semibold text-accent-text">404</p>
      <h1 className="mt-1 text-2xl font-semibold tracking-tight">{kind === 'workspace' ? 'Workspace not found' : 'Page not found'}</h1>
      <p className="mt-2 text-sm text-fg-muted">
        {kind === 'workspace'
          ? 'This workspace doesn’t exist, or you’re not a member of it. If someone shared this link, ask them to invite you.'
          : 'There is nothing at this address. It may have moved, or the link may be mistyped.'}
      </p>
      <div className="mt-8 flex gap-2">
        <LinkButton variant="primary" to="/?all">
          Your workspaces
        </LinkButton>
        <LinkButton to="/new">Create a workspace</LinkButton>
      </div>
    </div>
  )
}
