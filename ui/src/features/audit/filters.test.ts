import { describe, expect, it } from 'vitest'
import { auditQuery, dayStart, hasFilters, noFilters } from './filters'

const parse = (q: string) => Object.fromEntries(new URLSearchParams(q.replace(/^\?/, '')))

describe('audit filters → query string', () => {
  it('is empty without filters or paging', () => {
    expect(auditQuery(noFilters)).toBe('')
    expect(hasFilters(noFilters)).toBe(false)
  })

  it('sends action and actor as they are, encoded', () => {
    expect(auditQuery({ ...noFilters, action: 'member.add' })).toBe('?action=member.add')
    expect(parse(auditQuery({ ...noFilters, actor: 'u 1&x' }))).toEqual({ actor: 'u 1&x' })
    expect(hasFilters({ ...noFilters, actor: 'u1' })).toBe(true)
  })

  it('turns a day range into RFC 3339 since and an exclusive until (the next midnight)', () => {
    const q = parse(auditQuery({ ...noFilters, from: '2026-03-01', to: '2026-03-31' }))
    expect(q.since).toBe(dayStart('2026-03-01'))
    expect(q.until).toBe(dayStart('2026-04-01'))
    expect(q.since).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
    expect(new Date(q.until!).getTime() - new Date(q.since!).getTime()).toBeGreaterThanOrEqual(30 * 86_400_000)
    // One day: from local midnight to the next (a day without a DST change).
    const one = parse(auditQuery({ ...noFilters, from: '2026-11-27', to: '2026-11-27' }))
    expect(new Date(one.until!).getTime() - new Date(one.since!).getTime()).toBeCloseTo(86_400_000, -5)
    // Only one end.
    expect(Object.keys(parse(auditQuery({ ...noFilters, from: '2026-11-27' })))).toEqual(['since'])
    expect(Object.keys(parse(auditQuery({ ...noFilters, to: '2026-11-27' })))).toEqual(['until'])
  })

  it('swaps a backwards range and ignores a malformed date', () => {
    const q = parse(auditQuery({ ...noFilters, from: '2026-05-10', to: '2026-05-01' }))
    expect(q.since).toBe(dayStart('2026-05-01'))
    expect(q.until).toBe(dayStart('2026-05-11'))
    expect(auditQuery({ ...noFilters, from: '05/10/2026' })).toBe('')
    expect(dayStart('nope')).toBeNull()
  })

  it('pages with before and limit (1–500) and asks for CSV with the same filters', () => {
    expect(parse(auditQuery(noFilters, { before: 42, limit: 50 }))).toEqual({ before: '42', limit: '50' })
    expect(auditQuery(noFilters, { before: 0 })).toBe('')
    expect(parse(auditQuery(noFilters, { limit: 9999 })).limit).toBe('500')
    expect(parse(auditQuery(noFilters, { limit: -3 })).limit).toBe('1')
    const csv = parse(auditQuery({ ...noFilters, action: 'auth.signin', actor: 'u1' }, { format: 'csv', limit: 500 }))
    expect(csv).toEqual({ action: 'auth.signin', actor: 'u1', limit: '500', format: 'csv' })
  })
})
