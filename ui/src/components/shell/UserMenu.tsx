import * as M from '@radix-ui/react-dropdown-menu'
import { Check, ChevronsUpDown, LogOut, Monitor, Moon, ShieldCheck, Sun, UserRound } from 'lucide-react'
import { useNavigate } from 'react-router'
import { isSuperuser, signOut, useUser } from '../../lib/auth'
import { setTheme, useTheme, type ThemeChoice } from '../../lib/theme'
import { queryClient } from '../../lib/queries'
import { Avatar } from '../ui/Avatar'
import { menuContent, menuItem, menuLabel, menuSeparator } from './menu'

const themes: { value: ThemeChoice; label: string; icon: typeof Sun }[] = [
  { value: 'light', label: 'Light', icon: Sun },
  { value: 'dark', label: 'Dark', icon: Moon },
  { value: 'system', label: 'System', icon: Monitor },
]

/** UserMenu: account, the admin console for superusers, theme, sign out. */
export function UserMenu({ onNavigate }: { onNavigate?: () => void }) {
  const user = useUser()
  const navigate = useNavigate()
  const { choice } = useTheme()
  if (!user) return null
  const label = user.name || user.email
  return (
    <M.Root>
      <M.Trigger
        data-testid="user-menu"
        className="flex w-full items-center gap-2.5 rounded-xl px-2 py-2 text-left outline-none hover:bg-subtle focus-visible:ring-3 focus-visible:ring-accent/25"
      >
        <Avatar name={label} seed={user.id} />
        <span className="min-w-0 flex-1">
          <span className="block truncate text-sm font-medium">{label}</span>
          <span className="block truncate text-xs text-fg-muted">{user.email}</span>
        </span>
        <ChevronsUpDown className="h-4 w-4 shrink-0 text-fg-subtle" aria-hidden="true" />
        <span className="sr-only">Account menu</span>
      </M.Trigger>
      <M.Portal>
        <M.Content side="top" align="start" sideOffset={6} className={menuContent + ' w-[var(--radix-dropdown-menu-trigger-width)]'}>
          <M.Item
            className={menuItem}
            onSelect={() => {
              onNavigate?.()
              void navigate('/account')
            }}
          >
            <UserRound className="h-4 w-4 text-fg-muted" aria-hidden="true" />
            Account
          </M.Item>
          {isSuperuser() && (
            <M.Item className={menuItem} asChild>
              <a href="/_/">
                <ShieldCheck className="h-4 w-4 text-fg-muted" aria-hidden="true" />
                Admin console
              </a>
            </M.Item>
          )}
          <M.Separator className={menuSeparator} />
          <M.Label className={menuLabel}>Theme</M.Label>
          <M.RadioGroup value={choice} onValueChange={(v) => setTheme(v as ThemeChoice)}>
            {themes.map(({ value, label: l, icon: Icon }) => (
              <M.RadioItem key={value} value={value} className={menuItem} onSelect={(e) => e.preventDefault()}>
                <Icon className="h-4 w-4 text-fg-muted" aria-hidden="true" />
                <span className="flex-1">{l}</span>
                <M.ItemIndicator>
                  <Check className="h-4 w-4 text-accent-text" aria-hidden="true" />
                </M.ItemIndicator>
              </M.RadioItem>
            ))}
          </M.RadioGroup>
          <M.Separator className={menuSeparator} />
          <M.Item
            className={menuItem}
            onSelect={() => {
              signOut()
              queryClient.clear()
            }}
          >
            <LogOut className="h-4 w-4 text-fg-muted" aria-hidden="true" />
            Sign out
          </M.Item>
        </M.Content>
      </M.Portal>
    </M.Root>
  )
}
