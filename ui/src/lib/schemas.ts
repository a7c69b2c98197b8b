import { z } from 'zod/mini'

// Form schemas. They mirror the server's rules (app/tenant/slug.go,
// app/server/validate.go, PocketBase's users collection) so mistakes show
// before anything is sent; the server's answer still wins.

const reserved = new Set(
  ('api admin administrator www app apps mail email smtp ftp static assets cdn auth login logout signin signup ' +
    'register account accounts settings status health docs help support billing root system nyx nyxcore pb ' +
    'dashboard console new tenant tenants t me null undefined localhost test dev staging prod production ' +
    'security abuse postmaster hostmaster webmaster').split(' '),
)
const uuidLike = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/

/** slugProblem returns what is wrong with a slug, or '' when it is fine. */
export function slugProblem(s: string): string {
  if (s === '') return 'Choose an address.'
  if (/[A-Z]/.test(s)) return 'Use lowercase letters only.'
  if (/[^a-z0-9-]/.test(s)) return 'Use only letters a–z, digits and hyphens.'
  if (s.length < 3) return 'Use at least 3 characters.'
  if (s.length > 40) return 'Use at most 40 characters.'
  if (s.startsWith('-') || s.endsWith('-')) return 'Don’t start or end with a hyphen.'
  if (s.startsWith('xn--') || s.slice(2, 4) === '--') return 'Don’t put “--” in the third and fourth place.'
  if (uuidLike.test(s)) return 'That looks like an id; pick a name.'
  if (reserved.has(s) || s.startsWith('_')) return 'That address is reserved. Pick another one.'
  return ''
}

/** slugify turns a workspace name into a suggested slug. */
export function slugify(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '')
  return s
}

// eslint-disable-next-line no-control-regex
const controlChars = /[\u0000-\u001f\u007f-\u009f]/

export const nameField = z.string().check(
  z.trim(),
  z.minLength(1, 'Enter a name.'),
  z.maxLength(100, 'Use at most 100 characters.'),
  z.refine((s) => !controlChars.test(s), 'Remove the control characters.'),
)

export const slugField = z.string().check(
  z.superRefine((s, ctx) => {
    const problem = slugProblem(s)
    if (problem) ctx.issues.push({ code: 'custom', message: problem, input: s })
  }),
)

export const emailField = z.pipe(
  z.string().check(z.trim(), z.minLength(1, 'Enter your email address.')),
  z.email('Enter an email address such as ada@example.com.'),
)

const hostLabel = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/

export const domainField = z.string().check(
  z.trim(),
  z.toLowerCase(),
  z.refine(
    (s) => s === '' || (s.length <= 253 && s.includes('.') && s.split('.').every((l) => hostLabel.test(l)) && !/^\d+(\.\d+)*$/.test(s)),
    'Enter a host name such as chat.example.com.',
  ),
)

const newPassword = z.string().check(z.minLength(8, 'Use at least 8 characters.'), z.maxLength(71, 'Use at most 71 characters.'))
const passwordsMatch = z.refine<{ password: string; passwordConfirm: string }>((v) => v.password === v.passwordConfirm, {
  path: ['passwordConfirm'],
  message: 'The passwords don’t match.',
})

export const signInSchema = z.object({
  email: emailField,
  password: z.string().check(z.minLength(1, 'Enter your password.')),
})

export const signUpSchema = z
  .object({ name: nameField, email: emailField, password: newPassword, passwordConfirm: z.string() })
  .check(passwordsMatch)

export const tenantSchema = z.object({ name: nameField, slug: slugField })
export const domainSchema = z.object({ custom_domain: domainField })
export const inviteSchema = z.object({
  email: emailField,
  role: z.enum(['owner', 'admin', 'member', 'viewer'], 'Choose a role.'),
})
export const profileSchema = z.object({ name: nameField })
export const passwordSchema = z
  .object({ oldPassword: z.string().check(z.minLength(1, 'Enter your current password.')), password: newPassword, passwordConfirm: z.string() })
  .check(passwordsMatch)

/** FieldErrors maps a field name to its first problem. */
export type FieldErrors<T> = Partial<Record<keyof T & string, string>> & { form?: string }

/** validate parses values with schema and returns the data or the first problem of each field. */
export function validate<S extends z.ZodMiniType>(
  schema: S,
  values: unknown,
): { ok: true; data: z.output<S> } | { ok: false; errors: Record<string, string> } {
  const r = schema.safeParse(values)
  if (r.success) return { ok: true, data: r.data }
  const errors: Record<string, string> = {}
  for (const issue of r.error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : 'form'
    errors[key] ??= issue.message
  }
  return { ok: false, errors }
}
