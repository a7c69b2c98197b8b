import { describe, expect, it } from 'vitest'
import { validate } from '../../lib/schemas'
import { providerSchema } from './schema'

const values = (over: Record<string, string>) => ({ mode: 'create', kind: 'ollama', name: 'GPU box', base_url: 'http://gpu-box:11434/', api_key: '', remove_key: '', key_set: '', ...over })

describe('provider form', () => {
  it('creates with the kind and a trimmed base URL', () => {
    const r = validate(providerSchema, values({}))
    expect(r.ok && r.data).toEqual({ kind: 'ollama', name: 'GPU box', base_url: 'http://gpu-box:11434' })
  })

  it.each([
    [{ base_url: '' }, 'base_url'],
    [{ base_url: 'gpu-box:11434' }, 'base_url'],
    [{ base_url: 'ftp://x' }, 'base_url'],
    [{ base_url: 'http://user:pw@x' }, 'base_url'],
    [{ kind: 'anthropic', base_url: '' }, 'api_key'],
    [{ kind: 'openai', base_url: '', api_key: 'sk a' }, 'api_key'],
    [{ kind: 'bard' }, 'kind'],
    [{ name: '' }, 'name'],
  ])('refuses %j', (over, field) => {
    const r = validate(providerSchema, values(over))
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.errors[field]).toBeTruthy()
  })

  it('editing keeps the key when the field is empty, removes it on request, never sends the kind', () => {
    const keep = validate(providerSchema, values({ mode: 'edit', kind: 'google', base_url: '', key_set: 'yes' }))
    expect(keep.ok && keep.data).toEqual({ name: 'GPU box', base_url: '' })
    const removed = validate(providerSchema, values({ mode: 'edit', kind: 'openai', base_url: '', key_set: 'yes', remove_key: 'yes' }))
    expect(removed.ok && removed.data).toEqual({ name: 'GPU box', base_url: '', api_key: null })
    // A Google provider cannot lose its only key.
    expect(validate(providerSchema, values({ mode: 'edit', kind: 'google', base_url: '', key_set: 'yes', remove_key: 'yes' })).ok).toBe(false)
    const replaced = validate(providerSchema, values({ mode: 'edit', api_key: 'sk-new', key_set: 'yes' }))
    expect(replaced.ok && replaced.data.api_key).toBe('sk-new')
  })
})
