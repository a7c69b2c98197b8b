import { z } from 'zod/mini'
import type { Persona, PersonaBody, PersonaOptions } from '../../lib/api'
import { nameField } from '../../lib/schemas'

// Mirrors app/server/persona_views.go: names 1–100 characters, colours
// #rrggbb, avatar at most 256 characters, system prompt at most 32 KiB,
// temperature 0–2 (or the model's default), top_p 0–1, non-negative
// top_k / max_tokens / num_ctx, at most 8 stop sequences.

function num(opts: { min?: number; max?: number; int?: boolean }) {
  const check = z.superRefine<string>((raw, ctx) => {
    const s = raw.trim()
    if (s === '') return
    const n = Number(s)
    const fail = (message: string) => void ctx.issues.push({ code: 'custom', message, input: raw })
    if (!Number.isFinite(n)) return fail('Enter a number.')
    if (opts.int && !Number.isInteger(n)) return fail('Use a whole number.')
    if (opts.min !== undefined && n < opts.min) return fail(opts.max !== undefined ? `Use ${opts.min} to ${opts.max}.` : `Use ${opts.min} or more.`)
    if (opts.max !== undefined && n > opts.max) return fail(`Use ${opts.min ?? 0} to ${opts.max}.`)
  })
  return z.pipe(
    z.string().check(check),
    z.transform((s: string) => (s.trim() === '' ? undefined : Number(s))),
  )
}

const bytes = (s: string) => new TextEncoder().encode(s).length

const personaFields = z.object({
  name: nameField,
  avatar: z.string().check(z.trim(), z.maxLength(256, 'Use at most 256 characters: an emoji is best.')),
  color: z.string().check(z.regex(/^#[0-9a-fA-F]{6}$/, 'Use a colour such as #5b45e8.')),
  provider_id: z.string().check(z.minLength(1, 'Choose a provider.')),
  model: z.string().check(z.trim(), z.minLength(1, 'Pick a model.'), z.maxLength(200, 'Use at most 200 characters.')),
  system_prompt: z.string().check(z.refine((s) => bytes(s) <= 32 << 10, 'The system prompt must be at most 32 KiB.')),
  temperature: num({ min: 0, max: 2 }),
  top_p: num({ min: 0, max: 1 }),
  top_k: num({ min: 0, int: true }),
  max_tokens: num({ min: 0, int: true }),
  num_ctx: num({ min: 0, int: true }),
  seed: num({ int: true }),
  stop: z.pipe(
    z.string(),
    z.transform((s: string) => s.split('\n').filter((x) => x !== '')),
  ).check(z.refine((l: string[]) => l.length <= 8, 'At most 8 stop sequences.')),
})

export const personaSchema = z.pipe(
  personaFields,
  z.transform((v: z.output<typeof personaFields>): PersonaBody => {
    const options: PersonaOptions = {}
    if (v.top_p !== undefined) options.top_p = v.top_p
    if (v.top_k !== undefined) options.top_k = v.top_k
    if (v.max_tokens !== undefined) options.max_tokens = v.max_tokens
    if (v.num_ctx !== undefined) options.num_ctx = v.num_ctx
    if (v.seed !== undefined) options.seed = v.seed
    if (v.stop.length) options.stop = v.stop
    return {
      name: v.name,
      avatar: v.avatar,
      color: v.color.toLowerCase(),
      provider_id: v.provider_id,
      model: v.model,
      system_prompt: v.system_prompt,
      temperature: v.temperature ?? null,
      options,
    }
  }),
)

export type PersonaValues = {
  name: string
  avatar: string
  color: string
  provider_id: string
  model: string
  system_prompt: string
  temperature: string
  top_p: string
  top_k: string
  max_tokens: string
  num_ctx: string
  seed: string
  stop: string
}

const str = (n: number | undefined) => (n === undefined ? '' : String(n))

/** personaValues fills the form from a persona, or with defaults for a new one. */
export function personaValues(p?: Persona): PersonaValues {
  const o = p?.options ?? {}
  return {
    name: p?.name ?? '',
    avatar: p?.avatar ?? '🤖',
    color: p?.color || '#5b45e8',
    provider_id: p?.provider_id ?? 'local-ollama',
    model: p?.model ?? '',
    system_prompt: p?.system_prompt ?? '',
    temperature: p?.temperature === null || p?.temperature === undefined ? '' : String(p.temperature),
    top_p: str(o.top_p),
    top_k: str(o.top_k),
    max_tokens: str(o.max_tokens),
    num_ctx: str(o.num_ctx),
    seed: str(o.seed),
    stop: (o.stop ?? []).join('\n'),
  }
}
