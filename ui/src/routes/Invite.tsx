import { MailOpen } from 'lucide-react'
import { useState } from 'react'
import { useLocation, useNavigate } from 'react-router'
import type { MyInvitation } from '../lib/api'
import { useAnswerInvitation } from '../lib/queries'
import { Page } from '../components/shell/Page'
import { Button, LinkButton } from '../components/ui/Button'
import { Section } from '../components/ui/Card'
import { FormError } from '../components/ui/Field'

/** tokenFromHash reads the secret of an invitation link (/invite#token=…); the fragment never reaches the server. */
export function tokenFromHash(hash: string): string {
  return new URLSearchParams(hash.replace(/^#/, '')).get('token') ?? ''
}

/** Invite answers an invitation link: the signed-in person accepts or declines it. */
export default function Invite() {
  const token = tokenFromHash(useLocation().hash)
  const answer = useAnswerInvitation()
  const navigate = useNavigate()
  const [declined, setDeclined] = useState<MyInvitation | undefined>()
  const reply = (a: 'accept' | 'decline') =>
    answer.mutate(
      { token, answer: a },
      { onSuccess: (inv) => (a === 'accept' ? void navigate(`/t/${inv.tenant.slug}`) : setDeclined(inv)) },
    )
  return (
    <Page title="Invitation" description="Someone invited you to a workspace on this server.">
      <Section title={declined ? 'Invitation declined' : 'Join the workspace?'}
        description={declined ? `You did not join ${declined.tenant.name}.` : 'Accepting adds you with the role you were invited for. Declining tells the workspace you said no.'}>
        <div className="space-y-4">
          <FormError message={token ? answer.error?.message : 'This link has no invitation in it. Open the whole link you were sent.'} />
          {declined ? (
            <LinkButton to="/?all">Your workspaces</LinkButton>
          ) : (
            <div className="flex gap-2">
              <Button onClick={() => reply('decline')} disabled={!token || answer.isPending}>
                Decline
              </Button>
              <Button variant="primary" onClick={() => reply('accept')} disabled={!token} loading={answer.isPending}>
                <MailOpen className="h-4 w-4" aria-hidden="true" /> Accept invitation
              </Button>
            </div>
          )}
        </div>
      </Section>
    </Page>
  )
}
