import * as S from '@radix-ui/react-select'
import { Check, ChevronDown } from 'lucide-react'
import { roleDescriptions, roleLabels, roles, type Role } from '../../lib/roles'
import { cx } from './cx'

/**
 * RoleSelect picks a role; roles the actor may not grant are shown
 * disabled rather than hidden, so the hierarchy stays visible.
 */
export function RoleSelect({
  value,
  onChange,
  allowed,
  disabled,
  label,
  id,
  compact = false,
}: {
  value: Role
  onChange: (r: Role) => void
  allowed: readonly Role[]
  disabled?: boolean
  label: string
  id?: string
  compact?: boolean
}) {
  return (
    <S.Root value={value} onValueChange={(v) => onChange(v as Role)} disabled={disabled}>
      <S.Trigger
        id={id}
        aria-label={label}
        className={cx(
          'inline-flex items-center justify-between gap-2 rounded-lg border border-line-strong bg-surface text-sm shadow-xs outline-none',
          'hover:bg-subtle focus-visible:border-accent focus-visible:ring-3 focus-visible:ring-accent/20 disabled:opacity-60 disabled:hover:bg-surface',
          compact ? 'h-8 min-w-28 px-2.5' : 'h-10 w-full px-3',
        )}
      >
        <S.Value />
        <S.Icon>
          <ChevronDown className="h-4 w-4 text-fg-muted" aria-hidden="true" />
        </S.Icon>
      </S.Trigger>
      <S.Portal>
        <S.Content position="popper" sideOffset={6} className="z-50 min-w-[var(--radix-select-trigger-width)] overflow-hidden rounded-xl border border-line bg-raised p-1 shadow-xl shadow-black/10 animate-in">
          <S.Viewport>
            {roles.map((r) => (
              <S.Item
                key={r}
                value={r}
                disabled={!allowed.includes(r)}
                className="relative flex cursor-default flex-col rounded-lg py-2 pr-8 pl-3 text-sm outline-none select-none data-[disabled]:opacity-45 data-[highlighted]:bg-subtle"
              >
                <S.ItemText>{roleLabels[r]}</S.ItemText>
                <span className="text-xs text-fg-muted">{roleDescriptions[r]}</span>
                <S.ItemIndicator className="absolute top-2.5 right-2.5">
                  <Check className="h-4 w-4 text-accent-text" aria-hidden="true" />
                </S.ItemIndicator>
              </S.Item>
            ))}
          </S.Viewport>
        </S.Content>
      </S.Portal>
    </S.Root>
  )
}
