// The role rules of app/tenant/member.go, mirrored so the UI only offers
// what the API will accept. The server stays the authority.

export const roles = ['owner', 'admin', 'member', 'viewer'] as const
export type Role = (typeof roles)[number]

const rank: Record<Role, number> = { owner: 4, admin: 3, member: 2, viewer: 1 }

export const roleLabels: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Admin',
  member: 'Member',
  viewer: 'Viewer',
}

export const roleDescriptions: Record<Role, string> = {
  owner: 'Full control, including deleting the workspace',
  admin: 'Manages members and settings, but not owners',
  member: 'Uses the workspace',
  viewer: 'Read-only access',
}

export function isRole(s: unknown): s is Role {
  return typeof s === 'string' && Object.prototype.hasOwnProperty.call(rank, s)
}

/** atLeast reports whether r is as privileged as min; unknown roles never pass. */
export function atLeast(r: Role | undefined, min: Role): boolean {
  return isRole(r) && r !== undefined && rank[r] >= rank[min]
}

/** canManageMembers: owners and admins invite, re-role and remove. */
export const canManageMembers = (actor: Role | undefined) => atLeast(actor, 'admin')
/** canEditSettings: owners and admins rename, re-slug and set the domain. */
export const canEditSettings = (actor: Role | undefined) => atLeast(actor, 'admin')
/** canReadAudit: owners and admins read the audit log (the API answers 403 to others). */
export const canReadAudit = (actor: Role | undefined) => atLeast(actor, 'admin')
/** canDeleteTenant: only owners delete. */
export const canDeleteTenant = (actor: Role | undefined) => actor === 'owner'

/**
 * canChangeRole mirrors tenant.CanChangeRole: admins+ only; owners do
 * anything; admins neither touch owners nor grant ownership. from is
 * undefined when inviting.
 */
export function canChangeRole(actor: Role | undefined, from: Role | undefined, to: Role): boolean {
  if (!atLeast(actor, 'admin')) return false
  if (actor === 'owner') return true
  return from !== 'owner' && to !== 'owner'
}

/** canRemove mirrors tenant.CanRemove: anyone may leave; admins never remove owners. */
export function canRemove(actor: Role | undefined, target: Role, self: boolean): boolean {
  if (self) return true
  if (!atLeast(actor, 'admin')) return false
  return !(actor === 'admin' && target === 'owner')
}

/** assignableRoles is what actor may offer when inviting or re-roling. */
export function assignableRoles(actor: Role | undefined, from?: Role): Role[] {
  return roles.filter((to) => canChangeRole(actor, from, to))
}

/**
 * isLastOwner tells whether userId is the only owner in members: the API
 * refuses to demote or remove them (last_owner), so the UI explains instead.
 */
export function isLastOwner(members: readonly { user_id: string; role: Role }[], userId: string): boolean {
  const owners = members.filter((m) => m.role === 'owner')
  return owners.length === 1 && owners[0]?.user_id === userId
}
