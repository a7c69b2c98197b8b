import { describe, expect, it } from 'vitest'
import { validate } from '../../lib/schemas'
import { newDiscussionSchema, toRequest, togglePersona } from './schema'

const values = (over: Record<string, unknown>) => ({ title: '', mode: 'parallel', persona_ids: ['a'], moderator_persona_id: '', max_rounds: 3, threshold: 0.8, ...over })

describe('new discussion: mode rules', () => {
  it.each([
    ['single', [], false],
    ['single', ['a'], true],
    ['single', ['a', 'b'], false],
    ['parallel', [], false],
    ['parallel', ['a'], true],
    ['parallel', ['a', 'b', 'c'], true],
    ['parallel', ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'], false],
    ['consensus', ['a'], false],
    ['consensus', ['a', 'b'], true],
    ['parallel', ['a', 'a'], false],
  ] as const)('%s with %j personas is valid: %s', (mode, ids, ok) => {
    const r = validate(newDiscussionSchema, values({ mode, persona_ids: [...ids] }))
    expect(r.ok).toBe(ok)
    if (!r.ok) expect(Object.keys(r.errors)).toEqual(['persona_ids'])
  })

  it.each([
    [{ max_rounds: 0 }, 'max_rounds'],
    [{ max_rounds: 11 }, 'max_rounds'],
    [{ max_rounds: 2.5 }, 'max_rounds'],
    [{ threshold: 0 }, 'threshold'],
    [{ threshold: 1.2 }, 'threshold'],
    [{ threshold: Number.NaN }, 'threshold'],
    [{ title: 'x'.repeat(201) }, 'title'],
    [{ mode: 'debate' }, 'mode'],
  ])('refuses %j', (over, field) => {
    const r = validate(newDiscussionSchema, values({ mode: 'consensus', persona_ids: ['a', 'b'], ...over }))
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.errors[field]).toBeTruthy()
  })

  it('sends consensus settings only in consensus mode', () => {
    const p = validate(newDiscussionSchema, values({ moderator_persona_id: 'a' }))
    expect(p.ok && toRequest(p.data)).toEqual({ mode: 'parallel', persona_ids: ['a'] })
    const c = validate(newDiscussionSchema, values({ mode: 'consensus', persona_ids: ['a', 'b'], moderator_persona_id: 'b', title: ' Q ' }))
    expect(c.ok && toRequest(c.data)).toEqual({ title: 'Q', mode: 'consensus', persona_ids: ['a', 'b'], moderator_persona_id: 'b', consensus: { max_rounds: 3, threshold: 0.8 } })
  })

  it('single mode keeps one pick; the others toggle', () => {
    expect(togglePersona('single', ['a'], 'b')).toEqual(['b'])
    expect(togglePersona('parallel', ['a'], 'b')).toEqual(['a', 'b'])
    expect(togglePersona('consensus', ['a', 'b'], 'a')).toEqual(['b'])
  })
})
