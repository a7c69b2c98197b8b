import { describe, expect, it } from 'vitest'
import { domainSchema, inviteSchema, signInSchema, signUpSchema, slugify, slugProblem, tenantSchema, validate } from './schemas'

describe('slug rules (mirroring app/tenant/slug.go)', () => {
  it.each(['acme', 'acme-research', 'a1b', 'x'.repeat(40), 'team-42'])('accepts %s', (s) => expect(slugProblem(s)).toBe(''))

  it.each([
    ['', 'Choose an address.'],
    ['ab', 'at least 3'],
    ['x'.repeat(41), 'at most 40'],
    ['Acme', 'lowercase'],
    ['acme_co', 'only letters'],
    ['-acme', 'hyphen'],
    ['acme-', 'hyphen'],
    ['xn--acme', '--'],
    ['ab--cd', '--'],
    ['admin', 'reserved'],
    ['signin', 'reserved'],
    ['0123456789abcdef0123456789abcdef', 'looks like an id'],
    ['01234567-89ab-cdef-0123-456789abcdef', 'looks like an id'],
  ])('refuses %j', (s, msg) => expect(slugProblem(s)).toContain(msg))

  it('suggests slugs from names', () => {
    expect(slugify('Acme Research')).toBe('acme-research')
    expect(slugify('  Crème Brûlée & Co. ')).toBe('creme-brulee-co')
    expect(slugify('x'.repeat(39) + ' y')).toBe('x'.repeat(39))
  })
})

describe('forms', () => {
  it('requires email and password to sign in', () => {
    expect(validate(signInSchema, { email: '', password: '' })).toEqual({
      ok: false,
      errors: { email: 'Enter your email address.', password: 'Enter your password.' },
    })
    expect(validate(signInSchema, { email: 'ada@example', password: 'x' })).toMatchObject({ ok: false, errors: { email: expect.stringContaining('email address') } })
    expect(validate(signInSchema, { email: ' ada@example.com ', password: 'x' })).toEqual({ ok: true, data: { email: 'ada@example.com', password: 'x' } })
  })

  it('checks sign-up passwords', () => {
    const base = { name: 'Ada', email: 'ada@example.com', password: 'long-enough', passwordConfirm: 'long-enough' }
    expect(validate(signUpSchema, base).ok).toBe(true)
    expect(validate(signUpSchema, { ...base, password: 'short', passwordConfirm: 'short' })).toMatchObject({ errors: { password: 'Use at least 8 characters.' } })
    expect(validate(signUpSchema, { ...base, passwordConfirm: 'different' })).toMatchObject({ errors: { passwordConfirm: 'The passwords don’t match.' } })
    expect(validate(signUpSchema, { ...base, name: '  ' })).toMatchObject({ errors: { name: 'Enter a name.' } })
  })

  it('checks workspace names and slugs', () => {
    expect(validate(tenantSchema, { name: ' Acme ', slug: 'acme' })).toEqual({ ok: true, data: { name: 'Acme', slug: 'acme' } })
    expect(validate(tenantSchema, { name: 'x'.repeat(101), slug: 'api' })).toMatchObject({
      errors: { name: 'Use at most 100 characters.', slug: 'That address is reserved. Pick another one.' },
    })
    expect(validate(tenantSchema, { name: 'a\u0007b', slug: 'abc' })).toMatchObject({ errors: { name: 'Remove the control characters.' } })
  })

  it('checks custom domains, allowing empty to clear', () => {
    expect(validate(domainSchema, { custom_domain: '' })).toEqual({ ok: true, data: { custom_domain: '' } })
    expect(validate(domainSchema, { custom_domain: ' Chat.Example.COM ' })).toEqual({ ok: true, data: { custom_domain: 'chat.example.com' } })
    for (const bad of ['localhost', 'not a domain', '-x.example.com', '1.2.3.4', 'a..b'])
      expect(validate(domainSchema, { custom_domain: bad }).ok, bad).toBe(false)
  })

  it('checks invitations', () => {
    expect(validate(inviteSchema, { email: 'bob@example.com', role: 'admin' }).ok).toBe(true)
    expect(validate(inviteSchema, { email: 'bob@example.com', role: 'root' })).toMatchObject({ errors: { role: 'Choose a role.' } })
  })
})
