import { describe, expect, it } from 'vitest'
import { assignableRoles, atLeast, canChangeRole, canDeleteTenant, canEditSettings, canManageMembers, canRemove, isLastOwner, roles, type Role } from './roles'

describe('atLeast', () => {
  it.each([
    ['owner', 'viewer', true],
    ['admin', 'admin', true],
    ['member', 'admin', false],
    ['viewer', 'member', false],
  ] as const)('%s at least %s = %s', (r, min, want) => expect(atLeast(r, min)).toBe(want))

  it('never passes an unknown or missing role', () => {
    expect(atLeast(undefined, 'viewer')).toBe(false)
    expect(atLeast('root' as Role, 'viewer')).toBe(false)
  })
})

// The table of app/tenant/member.go's CanChangeRole, case by case.
describe('canChangeRole', () => {
  const cases: [Role | undefined, Role | undefined, Role, boolean][] = [
    ['owner', 'owner', 'member', true],
    ['owner', 'member', 'owner', true],
    ['owner', undefined, 'owner', true],
    ['admin', 'member', 'admin', true],
    ['admin', undefined, 'viewer', true],
    ['admin', 'owner', 'member', false],
    ['admin', 'member', 'owner', false],
    ['admin', undefined, 'owner', false],
    ['member', 'viewer', 'member', false],
    ['viewer', undefined, 'viewer', false],
    [undefined, 'member', 'viewer', false],
  ]
  it.each(cases)('%s changing %s to %s = %s', (actor, from, to, want) => expect(canChangeRole(actor, from, to)).toBe(want))
})

describe('canRemove', () => {
  const cases: [Role, Role, boolean, boolean][] = [
    ['viewer', 'viewer', true, true],
    ['owner', 'owner', true, true],
    ['owner', 'owner', false, true],
    ['admin', 'member', false, true],
    ['admin', 'admin', false, true],
    ['admin', 'owner', false, false],
    ['member', 'viewer', false, false],
  ]
  it.each(cases)('%s removing %s (self %s) = %s', (actor, target, self, want) => expect(canRemove(actor, target, self)).toBe(want))
})

describe('helpers', () => {
  it('offers owners every role, admins all but owner, others none', () => {
    expect(assignableRoles('owner')).toEqual([...roles])
    expect(assignableRoles('admin')).toEqual(['admin', 'member', 'viewer'])
    expect(assignableRoles('admin', 'owner')).toEqual([])
    expect(assignableRoles('member')).toEqual([])
  })

  it('gates settings, members and deletion', () => {
    expect([canEditSettings('admin'), canEditSettings('member')]).toEqual([true, false])
    expect([canManageMembers('owner'), canManageMembers('viewer')]).toEqual([true, false])
    expect([canDeleteTenant('owner'), canDeleteTenant('admin')]).toEqual([true, false])
  })

  it('finds the last owner', () => {
    const m = (user_id: string, role: Role) => ({ user_id, role })
    expect(isLastOwner([m('a', 'owner'), m('b', 'admin')], 'a')).toBe(true)
    expect(isLastOwner([m('a', 'owner'), m('b', 'owner')], 'a')).toBe(false)
    expect(isLastOwner([m('a', 'owner'), m('b', 'admin')], 'b')).toBe(false)
  })
})
