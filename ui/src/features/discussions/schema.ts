import { z } from 'zod/mini'
import type { Mode, NewDiscussion } from '../../lib/api'

export const modes: { value: Mode; label: string; text: string }[] = [
  { value: 'single', label: 'Single', text: 'One persona answers.' },
  { value: 'parallel', label: 'Parallel', text: 'Every persona answers at once, side by side.' },
  { value: 'consensus', label: 'Consensus', text: 'They debate in rounds until they agree; a moderator sums up.' },
]

/** modeRule says how many personas a mode takes, as the API checks it. */
export function modeRule(mode: Mode): { min: number; max: number; text: string } {
  switch (mode) {
    case 'single':
      return { min: 1, max: 1, text: 'Pick exactly one persona.' }
    case 'parallel':
      return { min: 1, max: 8, text: 'Pick one or more personas (at most 8).' }
    case 'consensus':
      return { min: 2, max: 8, text: 'Pick at least two personas (at most 8).' }
  }
}

/** newDiscussionSchema mirrors the API's rules for POST .../discussions (app/server/discussion_create.go). */
export const newDiscussionSchema = z
  .object({
    title: z.string().check(z.trim(), z.maxLength(200, 'Use at most 200 characters.')),
    mode: z.enum(['single', 'parallel', 'consensus'], 'Choose a mode.'),
    persona_ids: z.array(z.string()),
    moderator_persona_id: z.string(),
    max_rounds: z.number('Enter a number.').check(
      z.refine((n) => Number.isInteger(n), 'Use a whole number.'),
      z.gte(1, 'At least 1 round.'),
      z.lte(10, 'At most 10 rounds.'),
    ),
    threshold: z.number('Enter a number.').check(z.gt(0, 'Use a number above 0.'), z.lte(1, 'Use at most 1.')),
  })
  .check(
    z.superRefine((v, ctx) => {
      const rule = modeRule(v.mode)
      if (v.persona_ids.length < rule.min || v.persona_ids.length > rule.max) ctx.issues.push({ code: 'custom', path: ['persona_ids'], message: rule.text, input: v })
      if (new Set(v.persona_ids).size !== v.persona_ids.length) ctx.issues.push({ code: 'custom', path: ['persona_ids'], message: 'Each persona can take part once.', input: v })
    }),
  )

export type NewDiscussionValues = z.input<typeof newDiscussionSchema>

/** toRequest turns valid form values into the API's body; only consensus sends its settings. */
export function toRequest(v: z.output<typeof newDiscussionSchema>): NewDiscussion {
  const body: NewDiscussion = { mode: v.mode, persona_ids: v.persona_ids }
  if (v.title) body.title = v.title
  if (v.mode === 'consensus') {
    if (v.moderator_persona_id) body.moderator_persona_id = v.moderator_persona_id
    body.consensus = { max_rounds: v.max_rounds, threshold: v.threshold }
  }
  return body
}

/** togglePersona adds or removes a persona; single mode keeps only the newest pick. */
export function togglePersona(mode: Mode, ids: string[], id: string): string[] {
  if (ids.includes(id)) return ids.filter((x) => x !== id)
  return mode === 'single' ? [id] : [...ids, id]
}
