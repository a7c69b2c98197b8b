import { useState } from 'react'
import type { Invited } from '../lib/api'
import { useAddMember } from '../lib/queries'
import { inviteSchema } from '../lib/schemas'
import { assignableRoles, isRole, type Role } from '../lib/roles'
import { useForm } from '../lib/form'
import { Button } from '../components/ui/Button'
import { Dialog } from '../components/ui/Dialog'
import { Field, FormError } from '../components/ui/Field'
import { RoleSelect } from '../components/ui/RoleSelect'
import { toast } from '../components/ui/Toast'
import { CopyButton } from '../features/audit/CopyButton'

/**
 * InviteDialog invites an email address with a role the inviter may grant.
 * The server answers the same whether or not the address has an account,
 * so the dialog never says which; it shows the invitation link to share.
 */
export function InviteDialog({ slug, actor, open, onOpenChange }: { slug: string; actor: Role; open: boolean; onOpenChange: (o: boolean) => void }) {
  const form = useForm(inviteSchema, { email: '', role: 'member' })
  const add = useAddMember(slug)
  const [sent, setSent] = useState<Invited | undefined>()
  const close = (o: boolean) => {
    if (!o) {
      form.setValues({ email: '', role: 'member' })
      form.setErrors({})
      form.setFormError(undefined)
      setSent(undefined)
    }
    onOpenChange(o)
  }
  const onSubmit = form.submit(async (data, el) => {
    try {
      const inv = await add.mutateAsync(data)
      toast(`Invitation sent to ${inv.email}`, { description: `They join as ${inv.role} once they accept.` })
      setSent(inv)
    } catch (err) {
      form.fail(err, el)
    }
  })
  const role = isRole(form.values.role) ? form.values.role : 'member'
  if (sent) return <InviteSent invited={sent} open={open} onOpenChange={close} />
  return (
    <Dialog open={open} onOpenChange={close} title="Invite a member" description="They join once they accept the invitation, with the role you choose.">
      <form noValidate onSubmit={onSubmit} className="space-y-5" aria-label="Invite a member">
        <FormError message={form.formError} />
        <Field label="Email address" type="email" autoComplete="off" placeholder="colleague@example.com" autoFocus {...form.field('email')} />
        <div className="space-y-1.5">
          <label htmlFor="invite-role" className="block text-[13px] font-medium">
            Role
          </label>
          <RoleSelect id="invite-role" label="Role" value={role} allowed={assignableRoles(actor)} onChange={(r) => form.set('role', r)} />
          {form.errors.role && <p className="text-[13px] text-danger-text">{form.errors.role}</p>}
        </div>
        <div className="flex justify-end gap-2 pt-1">
          <Button onClick={() => close(false)}>Cancel</Button>
          <Button type="submit" variant="primary" loading={add.isPending}>
            Send invitation
          </Button>
        </div>
      </form>
    </Dialog>
  )
}

/** InviteSent shows the one-time link: this server does not send email for invitations yet. */
function InviteSent({ invited, open, onOpenChange }: { invited: Invited; open: boolean; onOpenChange: (o: boolean) => void }) {
  const link = window.location.origin + invited.accept_url
  const expires = new Date(invited.expires_at).toLocaleDateString()
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={`Invitation sent to ${invited.email}`}
      description={`They can accept it from their account page once their address is verified, or with this link until ${expires}. Share it with them only: anyone who opens it signed in can accept.`}>
      <div className="space-y-5">
        <div className="flex items-end gap-2">
          <div className="min-w-0 flex-1">
            <Field label="Invitation link" value={link} readOnly onFocus={(e) => e.currentTarget.select()} />
          </div>
          <CopyButton value={link} label="Copy the invitation link" />
        </div>
        <div className="flex justify-end">
          <Button variant="primary" onClick={() => onOpenChange(false)}>
            Done
          </Button>
        </div>
      </div>
    </Dialog>
  )
}
