import type { ReactNode } from 'react'
import { cx } from './cx'
import { roleLabels, type Role } from '../../lib/roles'

type Tone = 'neutral' | 'accent' | 'ok' | 'warn' | 'danger'

const tones: Record<Tone, string> = {
  neutral: 'bg-subtle text-fg-muted ring-line',
  accent: 'bg-accent-soft text-accent-text ring-accent/20',
  ok: 'bg-ok/10 text-ok ring-ok/20',
  warn: 'bg-warn/10 text-warn ring-warn/25',
  danger: 'bg-danger-soft text-danger-text ring-danger/20',
}

export function Badge({ tone = 'neutral', children, className }: { tone?: Tone; children: ReactNode; className?: string }) {
  return (
    <span className={cx('inline-flex h-5 items-center rounded-full px-2 text-[11.5px] font-medium ring-1 ring-inset', tones[tone], className)}>
      {children}
    </span>
  )
}

const roleTones: Record<Role, Tone> = { owner: 'accent', admin: 'accent', member: 'neutral', viewer: 'neutral' }

export function RoleBadge({ role }: { role: Role }) {
  return (
    <Badge tone={roleTones[role]} className="capitalize">
      <span data-role={role}>{roleLabels[role]}</span>
    </Badge>
  )
}
