import { MailX } from 'lucide-react'
import type { Invitation } from '../lib/api'
import { useInvitations, useRevokeInvitation } from '../lib/queries'
import { RoleBadge } from '../components/ui/Badge'
import { Button } from '../components/ui/Button'
import { toast } from '../components/ui/Toast'

/** PendingInvitations lists the workspace's open invitations for owners and admins, each with revoke. */
export function PendingInvitations({ slug }: { slug: string }) {
  const invitations = useInvitations(slug)
  if (!invitations.data?.length) return null
  return (
    <section className="mt-6" aria-labelledby="pending-invitations">
      <h2 id="pending-invitations" className="mb-2 text-sm font-semibold">
        Pending invitations
      </h2>
      <ul aria-label="Pending invitations" className="overflow-hidden rounded-xl border border-line bg-surface shadow-xs">
        {invitations.data.map((inv) => (
          <InvitationRow key={inv.id} slug={slug} invitation={inv} />
        ))}
      </ul>
    </section>
  )
}

function InvitationRow({ slug, invitation }: { slug: string; invitation: Invitation }) {
  const revoke = useRevokeInvitation(slug)
  const until = new Date(invitation.expires_at).toLocaleDateString()
  const onRevoke = () =>
    revoke.mutate(invitation.id, {
      onSuccess: () => toast('Invitation revoked', { description: `The link sent to ${invitation.email} no longer works.` }),
      onError: (err) => toast('Couldn’t revoke the invitation', { description: err.message, tone: 'error' }),
    })
  return (
    <li data-testid={`invitation-${invitation.email}`} className="flex items-center gap-4 border-b border-line px-5 py-3 last:border-0">
      <div className="min-w-0 flex-1">
        <p className="truncate text-sm font-medium">{invitation.email}</p>
        <p className="text-[13px] text-fg-muted">{invitation.expired ? 'Expired — invite again to renew' : `Waiting for an answer · expires ${until}`}</p>
      </div>
      <RoleBadge role={invitation.role} />
      <Button size="sm" variant="ghost" onClick={onRevoke} loading={revoke.isPending} aria-label={`Revoke the invitation to ${invitation.email}`}>
        <MailX className="h-4 w-4" aria-hidden="true" /> Revoke
      </Button>
    </li>
  )
}
