import type { Persona } from '../../lib/api'
import { cx } from '../../components/ui/cx'
import { initials } from '../../components/ui/Avatar'

export const defaultPersonaColor = '#5b45e8'

/** personaColor is the persona's own colour, or the accent when it has none. */
export function personaColor(p: Pick<Persona, 'color'> | undefined): string {
  return p?.color && /^#[0-9a-fA-F]{6}$/.test(p.color) ? p.color : defaultPersonaColor
}

/** PersonaAvatar is the persona's emoji (or initials) on a tint of its colour. */
export function PersonaAvatar({ persona, size = 'md', name }: { persona: Pick<Persona, 'avatar' | 'color' | 'name'> | undefined; size?: 'sm' | 'md' | 'lg'; name?: string }) {
  const color = personaColor(persona)
  const label = persona?.name ?? name ?? '?'
  const emoji = persona?.avatar && persona.avatar.length <= 16 ? persona.avatar : ''
  return (
    <span
      aria-hidden="true"
      style={{ backgroundColor: color + '22', boxShadow: `inset 0 0 0 1.5px ${color}66`, color }}
      className={cx(
        'inline-flex shrink-0 items-center justify-center rounded-full font-semibold select-none',
        size === 'sm' && 'h-6 w-6 text-[13px]',
        size === 'md' && 'h-8 w-8 text-base',
        size === 'lg' && 'h-12 w-12 text-2xl',
      )}
    >
      {emoji || <span className={size === 'lg' ? 'text-sm' : 'text-[11px]'}>{initials(label)}</span>}
    </span>
  )
}
