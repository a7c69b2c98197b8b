import { describe, expect, it } from 'vitest'
import { validate } from '../../lib/schemas'
import { personaSchema, personaValues } from './schema'

const values = (over: Record<string, string> = {}) => ({ ...personaValues(), name: 'Socrates', model: 'tiny-eos:latest', ...over })

describe('persona form validation', () => {
  it('turns valid values into the API body, with empty options left out', () => {
    const r = validate(personaSchema, values({ temperature: '0.3', top_k: '40', stop: 'END\n\n###', color: '#ABCDEF' }))
    expect(r.ok && r.data).toEqual({
      name: 'Socrates',
      avatar: '🤖',
      color: '#abcdef',
      provider_id: 'local-ollama',
      model: 'tiny-eos:latest',
      system_prompt: '',
      temperature: 0.3,
      options: { top_k: 40, stop: ['END', '###'] },
    })
  })

  it('sends null for the model’s default temperature', () => {
    const r = validate(personaSchema, values({ temperature: '' }))
    expect(r.ok && r.data.temperature).toBeNull()
  })

  it.each([
    ['name', { name: '  ' }],
    ['name', { name: 'x'.repeat(101) }],
    ['color', { color: 'red' }],
    ['color', { color: '#abc' }],
    ['model', { model: '' }],
    ['provider_id', { provider_id: '' }],
    ['temperature', { temperature: '2.5' }],
    ['temperature', { temperature: '-0.1' }],
    ['temperature', { temperature: 'warm' }],
    ['top_p', { top_p: '1.5' }],
    ['top_k', { top_k: '-1' }],
    ['top_k', { top_k: '2.5' }],
    ['max_tokens', { max_tokens: '-5' }],
    ['num_ctx', { num_ctx: 'big' }],
    ['seed', { seed: '1.5' }],
    ['stop', { stop: 'a\nb\nc\nd\ne\nf\ng\nh\ni' }],
    ['avatar', { avatar: 'x'.repeat(257) }],
    ['system_prompt', { system_prompt: 'x'.repeat(32 * 1024 + 1) }],
  ])('refuses a bad %s', (field, over) => {
    const r = validate(personaSchema, values(over))
    expect(r.ok).toBe(false)
    if (!r.ok) expect(Object.keys(r.errors)).toEqual([field])
  })

  it('round-trips a persona into the form', () => {
    const v = personaValues({
      id: 'p',
      name: 'N',
      avatar: '🦉',
      color: '#112233',
      provider_id: 'x',
      model: 'm',
      system_prompt: 's',
      temperature: 1,
      options: { seed: 7, stop: ['a', 'b'] },
    })
    expect(v).toMatchObject({ temperature: '1', seed: '7', stop: 'a\nb', top_p: '' })
    const r = validate(personaSchema, v)
    expect(r.ok && r.data.options).toEqual({ seed: 7, stop: ['a', 'b'] })
  })
})
