import { MailOpen } from 'lucide-react'
import { useNavigate } from 'react-router'
import type { MyInvitation } from '../lib/api'
import { useAnswerInvitation, useMyInvitations } from '../lib/queries'
import { RoleBadge } from '../components/ui/Badge'
import { Button } from '../components/ui/Button'
import { Section } from '../components/ui/Card'
import { toast } from '../components/ui/Toast'

/**
 * MyInvitations shows invitations addressed to the signed-in user's
 * verified email, with Accept and Decline. With `quiet` (the workspace
 * list) it renders nothing when there are none.
 */
export function MyInvitations({ quiet = false }: { quiet?: boolean }) {
  const mine = useMyInvitations()
  const items = mine.data?.items ?? []
  if (quiet && items.length === 0) return null
  const description = mine.data && !mine.data.email_verified
    ? 'Verify your email address to see invitations sent to it here. An invitation link you were given works either way.'
    : 'Workspaces that invited you. Nothing changes until you accept.'
  return (
    <Section title="Invitations" description={description}>
      {items.length === 0 ? (
        <p className="text-sm text-fg-muted">No open invitations.</p>
      ) : (
        <ul aria-label="Your invitations" className="space-y-3">
          {items.map((inv) => (
            <InvitationItem key={inv.id} invitation={inv} />
          ))}
        </ul>
      )}
    </Section>
  )
}

function InvitationItem({ invitation }: { invitation: MyInvitation }) {
  const answer = useAnswerInvitation()
  const navigate = useNavigate()
  const reply = (a: 'accept' | 'decline') =>
    answer.mutate(
      { id: invitation.id, answer: a },
      {
        onSuccess: (inv) => {
          if (a === 'decline') return toast('Invitation declined', { description: inv.tenant.name })
          toast(`You joined ${inv.tenant.name}`, { description: `as ${inv.role}` })
          void navigate(`/t/${inv.tenant.slug}`)
        },
        onError: (err) => toast('Couldn’t answer the invitation', { description: err.message, tone: 'error' }),
      },
    )
  return (
    <li data-testid={`my-invitation-${invitation.tenant.slug}`} className="flex flex-wrap items-center gap-3">
      <MailOpen className="h-4 w-4 text-fg-subtle" aria-hidden="true" />
      <span className="min-w-0 flex-1 truncate text-sm font-medium">{invitation.tenant.name}</span>
      <RoleBadge role={invitation.role} />
      <Button size="sm" onClick={() => reply('decline')} disabled={answer.isPending}>
        Decline
      </Button>
      <Button size="sm" variant="primary" onClick={() => reply('accept')} loading={answer.isPending}>
        Accept
      </Button>
    </li>
  )
}
