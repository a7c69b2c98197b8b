import { z } from 'zod/mini'
import { providerKinds, type ProviderBody } from '../../lib/api'
import { nameField } from '../../lib/schemas'

// Mirrors app/server/provider_create.go and provider_views.go: a known
// kind, a name of 1–100 characters, an absolute http(s) base URL (needed
// for Ollama), a key without spaces of at most 1,024 characters, needed
// for Anthropic and Google.

function baseUrlProblem(s: string): string {
  let u: URL
  try {
    u = new URL(s)
  } catch {
    return 'Enter an http:// or https:// address, such as http://gpu-box:11434.'
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || !u.hostname) return 'Enter an http:// or https:// address, such as http://gpu-box:11434.'
  if (u.username || u.password) return 'Leave the user name and password out of the address; use the API key field.'
  if (u.search || u.hash) return 'Leave the query (?…) and fragment (#…) out of the address.'
  return ''
}

const providerFields = z
  .object({
    mode: z.enum(['create', 'edit']),
    kind: z.enum(providerKinds, 'Choose Ollama, OpenAI, Anthropic or Google.'),
    name: nameField,
    base_url: z.string().check(z.trim()),
    api_key: z.string().check(
      z.trim(),
      z.maxLength(1024, 'That is longer than any API key.'),
      z.refine((s) => !/\s/.test(s), 'An API key has no spaces. Paste the whole key.'),
    ),
    remove_key: z.enum(['', 'yes']),
    key_set: z.enum(['', 'yes']),
  })
  .check(
    z.superRefine((v, ctx) => {
      if (v.base_url || v.kind === 'ollama') {
        const problem = v.base_url ? baseUrlProblem(v.base_url) : 'Enter the Ollama host’s address, such as http://gpu-box:11434.'
        if (problem) ctx.issues.push({ code: 'custom', path: ['base_url'], message: problem, input: v })
      }
      const willHaveKey = v.api_key !== '' || (v.mode === 'edit' && v.key_set === 'yes' && v.remove_key !== 'yes')
      if ((v.kind === 'anthropic' || v.kind === 'google') && !willHaveKey) ctx.issues.push({ code: 'custom', path: ['api_key'], message: 'This provider needs an API key.', input: v })
    }),
  )

export const providerSchema = z.pipe(
  providerFields,
  z.transform((v: z.output<typeof providerFields>): Partial<ProviderBody> => {
    const body: Partial<ProviderBody> = { name: v.name, base_url: v.base_url.replace(/\/+$/, '') }
    if (v.mode === 'create') body.kind = v.kind
    // Editing: an empty key field keeps the current key; "remove" sends null.
    if (v.api_key) body.api_key = v.api_key
    else if (v.mode === 'edit' && v.remove_key === 'yes') body.api_key = null
    return body
  }),
)

export type ProviderValues = z.input<typeof providerSchema>
