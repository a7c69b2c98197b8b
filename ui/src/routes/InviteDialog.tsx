import { useAddMember } from '../lib/queries'
import { inviteSchema } from '../lib/schemas'
import { assignableRoles, isRole, type Role } from '../lib/roles'
import { useForm } from '../lib/form'
import { Button } from '../components/ui/Button'
import { Dialog } from '../components/ui/Dialog'
import { Field, FormError } from '../components/ui/Field'
import { RoleSelect } from '../components/ui/RoleSelect'
import { toast } from '../components/ui/Toast'

/** InviteDialog adds an existing account to the workspace by email, with a role the inviter may grant. */
export function InviteDialog({ slug, actor, open, onOpenChange }: { slug: string; actor: Role; open: boolean; onOpenChange: (o: boolean) => void }) {
  const form = useForm(inviteSchema, { email: '', role: 'member' })
  const add = useAddMember(slug)
  const close = (o: boolean) => {
    if (!o) {
      form.setValues({ email: '', role: 'member' })
      form.setErrors({})
      form.setFormError(undefined)
    }
    onOpenChange(o)
  }
  const onSubmit = form.submit(async (data, el) => {
    try {
      const m = await add.mutateAsync(data)
      toast('Member added', { description: `${m.name || m.email} joined as ${m.role}.` })
      close(false)
    } catch (err) {
      form.fail(err, el)
    }
  })
  const role = isRole(form.values.role) ? form.values.role : 'member'
  return (
    <Dialog open={open} onOpenChange={close} title="Invite a member" description="They need an account on this server first; they will see the workspace the next time they look.">
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
            Add to workspace
          </Button>
        </div>
      </form>
    </Dialog>
  )
}
