import { useQueryClient } from '@tanstack/react-query'
import { LogOut, UserPlus, UserRoundX, Users } from 'lucide-react'
import { useState } from 'react'
import { useNavigate } from 'react-router'
import type { Member } from '../lib/api'
import { useUser } from '../lib/auth'
import { rememberTenant } from '../lib/last'
import { keys, useMembers, useRemoveMember, useTenant, useUpdateMember } from '../lib/queries'
import { assignableRoles, canChangeRole, canManageMembers, canRemove, isLastOwner, type Role } from '../lib/roles'
import { Page } from '../components/shell/Page'
import { Avatar } from '../components/ui/Avatar'
import { Badge, RoleBadge } from '../components/ui/Badge'
import { Button } from '../components/ui/Button'
import { ConfirmDialog } from '../components/ui/Dialog'
import { EmptyState } from '../components/ui/EmptyState'
import { QueryProblem } from '../components/ui/QueryError'
import { RoleSelect } from '../components/ui/RoleSelect'
import { Skeleton } from '../components/ui/Skeleton'
import { toast } from '../components/ui/Toast'
import { InviteDialog } from './InviteDialog'
import { PendingInvitations } from './PendingInvitations'
import { useSlug } from './TenantLayout'

/** Members lists the workspace's people; owners and admins invite, re-role and remove. */
export default function Members() {
  const slug = useSlug()
  const tenant = useTenant(slug)
  const members = useMembers(slug)
  const [inviting, setInviting] = useState(false)
  const actor = tenant.data?.role
  const count = members.data?.length
  return (
    <Page
      wide
      title="Members"
      description={count === undefined ? <Skeleton className="h-4 w-40" /> : `${count} ${count === 1 ? 'person has' : 'people have'} access to this workspace.`}
      actions={
        canManageMembers(actor) && (
          <Button variant="primary" onClick={() => setInviting(true)}>
            <UserPlus className="h-4 w-4" aria-hidden="true" /> Invite member
          </Button>
        )
      }
    >
      <QueryProblem error={members.error} paused={members.isPaused && !members.data} onRetry={() => void members.refetch()} />
      <div className="overflow-hidden rounded-xl border border-line bg-surface shadow-xs">
        <div className="hidden grid-cols-[minmax(0,1fr)_10rem_7rem] gap-4 border-b border-line bg-subtle/60 px-5 py-2.5 text-xs font-medium text-fg-muted sm:grid">
          <span>Person</span>
          <span>Role</span>
          <span className="sr-only">Actions</span>
        </div>
        {members.isPending && !members.isPaused && (
          <ul aria-busy="true" aria-label="Loading members">
            {[0, 1, 2].map((i) => (
              <li key={i} className="flex h-[65px] items-center gap-3 border-b border-line px-5 last:border-0">
                <Skeleton className="h-8 w-8 rounded-full" />
                <span className="flex-1 space-y-1.5">
                  <Skeleton className="h-3.5 w-36" />
                  <Skeleton className="h-3 w-48" />
                </span>
              </li>
            ))}
          </ul>
        )}
        {members.data && (
          <ul aria-label="Members">
            {members.data.map((m) => (
              <MemberRow key={m.user_id} slug={slug} member={m} members={members.data} actor={actor} />
            ))}
          </ul>
        )}
      </div>
      {members.data?.length === 1 && canManageMembers(actor) && (
        <div className="mt-6">
          <EmptyState icon={Users} title="It’s just you so far" action={<Button onClick={() => setInviting(true)}>Invite someone</Button>}>
            Invite people by their email address; they join once they accept.
          </EmptyState>
        </div>
      )}
      {canManageMembers(actor) && <PendingInvitations slug={slug} />}
      {actor && <InviteDialog slug={slug} actor={actor} open={inviting} onOpenChange={setInviting} />}
    </Page>
  )
}

function MemberRow({ slug, member, members, actor }: { slug: string; member: Member; members: Member[]; actor: Role | undefined }) {
  const me = useUser()
  const self = me?.id === member.user_id
  const update = useUpdateMember(slug)
  const lastOwner = isLastOwner(members, member.user_id)
  const editable = canChangeRole(actor, member.role, member.role) && !lastOwner
  const removable = canRemove(actor, member.role, self) && !lastOwner
  const label = member.name || member.email
  const changeRole = (role: Role) => {
    if (role === member.role) return
    update.mutate(
      { userId: member.user_id, role },
      {
        onSuccess: () => toast('Role updated', { description: `${label} is now ${role === 'admin' || role === 'owner' ? 'an' : 'a'} ${role}.` }),
        onError: (err) => toast('Couldn’t change the role', { description: err.message, tone: 'error' }),
      },
    )
  }
  return (
    <li data-testid={`member-${member.email}`} className="grid grid-cols-[minmax(0,1fr)_auto] items-center gap-x-4 gap-y-2 border-b border-line px-5 py-3.5 last:border-0 sm:grid-cols-[minmax(0,1fr)_10rem_7rem]">
      <div className="flex min-w-0 items-center gap-3">
        <Avatar name={label} seed={member.user_id} />
        <div className="min-w-0">
          <p className="flex items-center gap-2 truncate text-sm font-medium">
            <span className="truncate">{label}</span>
            {self && <Badge>You</Badge>}
          </p>
          <p className="truncate text-[13px] text-fg-muted">{member.email}</p>
        </div>
      </div>
      <div className="col-start-2 row-start-1 sm:col-start-auto sm:row-start-auto" title={lastOwner ? 'A workspace needs at least one owner.' : undefined}>
        {editable ? (
          <RoleSelect compact label={`Role of ${label}`} value={member.role} allowed={assignableRoles(actor, member.role)} onChange={changeRole} disabled={update.isPending} />
        ) : (
          <RoleBadge role={member.role} />
        )}
      </div>
      <div className="col-span-2 flex justify-end sm:col-span-1">
        {removable && <RemoveButton slug={slug} member={member} self={self} />}
      </div>
    </li>
  )
}

function RemoveButton({ slug, member, self }: { slug: string; member: Member; self: boolean }) {
  const [open, setOpen] = useState(false)
  const remove = useRemoveMember(slug)
  const qc = useQueryClient()
  const navigate = useNavigate()
  const { data: tenant } = useTenant(slug)
  const label = member.name || member.email
  const confirm = () =>
    remove.mutate(member.user_id, {
      onSuccess: () => {
        setOpen(false)
        if (self) {
          rememberTenant(null)
          qc.removeQueries({ queryKey: keys.tenant(slug) })
          void qc.invalidateQueries({ queryKey: keys.tenants })
          toast('You left the workspace', { description: tenant?.name })
          void navigate('/?all')
        } else toast('Member removed', { description: `${label} no longer has access.` })
      },
    })
  return (
    <>
      <Button size="sm" variant="ghost" onClick={() => setOpen(true)} aria-label={self ? 'Leave workspace' : `Remove ${label}`}>
        {self ? <LogOut className="h-4 w-4" aria-hidden="true" /> : <UserRoundX className="h-4 w-4" aria-hidden="true" />}
        {self ? 'Leave' : 'Remove'}
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={(o) => {
          setOpen(o)
          if (!o) remove.reset()
        }}
        title={self ? 'Leave this workspace?' : `Remove ${label}?`}
        description={
          self
            ? 'You will lose access right away. Someone with admin rights will have to invite you again.'
            : `${label} will lose access to ${tenant?.name ?? 'this workspace'} right away. Their account stays.`
        }
        action={self ? 'Leave workspace' : 'Remove member'}
        onConfirm={confirm}
        pending={remove.isPending}
        error={remove.error?.message}
      />
    </>
  )
}
