import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { actionBadgeClass, actionFamily, actionLabel, auditActions, auditFamilies, isAuditAction, isFailure } from './actions'

describe('audit action labels and badges', () => {
  it('labels every known action readably and uniquely', () => {
    const labels = auditActions.map(actionLabel)
    expect(new Set(labels).size).toBe(auditActions.length)
    for (const l of labels) expect(l).toMatch(/^[A-Z][a-z-]+( [a-z-]+)*$/)
    expect(actionLabel('member.add')).toBe('Member added')
    expect(actionLabel('auth.signin_failed')).toBe('Sign-in failed')
    expect(actionLabel('keys.rotate')).toBe('Keys rotated')
    expect(actionLabel('audit.read')).toBe('Audit log read')
  })

  it('puts each action in its family, with a colour per family', () => {
    expect(actionFamily('auth.signin')).toBe('auth')
    expect(actionFamily('discussion.export')).toBe('discussion')
    for (const a of auditActions) expect(auditFamilies).toContain(actionFamily(a))
    const classes = auditFamilies.map((f) => actionBadgeClass(f + '.x'))
    expect(new Set(classes).size).toBe(auditFamilies.length)
    expect(actionBadgeClass('member.add')).toBe(actionBadgeClass('member.remove'))
    expect(actionBadgeClass('member.add')).toContain('emerald')
    // Light and dark: every coloured family names its dark text colour.
    for (const f of auditFamilies.filter((f) => f !== 'audit')) expect(actionBadgeClass(f + '.x')).toMatch(/dark:text-/)
  })

  it('shows actions it does not know as sent, in a neutral badge', () => {
    expect(isAuditAction('webhook.fire')).toBe(false)
    expect(actionFamily('webhook.fire')).toBe('other')
    expect(actionLabel('webhook.fire_now')).toBe('Webhook fire now')
    expect(actionLabel('')).toBe('Unknown action')
    expect(actionBadgeClass('webhook.fire')).toContain('bg-subtle')
    expect(actionFamily('authx.signin')).toBe('other')
  })

  it('marks refusals', () => {
    expect(isFailure('auth.signin_failed')).toBe(true)
    expect(isFailure('auth.signin')).toBe(false)
  })

  it('knows every action the server records', () => {
    // a.record(e, …, "x.y", …) in app/server, Action: "x.y" (keys rotate), action := "x.y" (sign-in hooks, leave).
    const root = join(import.meta.dirname, '../../../..')
    const recorded = new Set<string>()
    const visit = (dir: string) => {
      for (const d of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, d.name)
        if (d.isDirectory()) visit(p)
        else if (d.name.endsWith('.go') && !d.name.endsWith('_test.go'))
          for (const line of readFileSync(p, 'utf8').split('\n').filter((l) => /record\(|Action:|action\s*:?=/.test(l)))
            for (const m of line.matchAll(/"((?:auth|tenant|member|provider|persona|discussion|model|keys|audit)\.[a-z_]+)"/g)) recorded.add(m[1]!)
      }
    }
    visit(join(root, 'app'))
    visit(join(root, 'hooks'))
    expect(recorded.size).toBeGreaterThan(15)
    for (const a of recorded) expect(auditActions, a).toContain(a)
  })
})
