import * as M from '@radix-ui/react-dropdown-menu'
import { Check, ChevronsUpDown, LayoutGrid, Plus } from 'lucide-react'
import { useNavigate } from 'react-router'
import { useTenants } from '../../lib/queries'
import { roleLabels } from '../../lib/roles'
import { Avatar } from '../ui/Avatar'
import { Skeleton } from '../ui/Skeleton'
import { menuContent, menuItem, menuLabel, menuSeparator } from './menu'

/** TenantSwitcher shows the current workspace and jumps to another or to creating one. */
export function TenantSwitcher({ slug, onNavigate }: { slug: string | undefined; onNavigate?: () => void }) {
  const tenants = useTenants()
  const navigate = useNavigate()
  const current = tenants.data?.find((t) => t.slug === slug)
  const go = (to: string) => {
    onNavigate?.()
    void navigate(to)
  }
  return (
    <M.Root>
      <M.Trigger
        data-testid="tenant-switcher"
        className="group flex h-12 w-full items-center gap-2.5 rounded-xl border border-line bg-surface px-2 text-left shadow-xs outline-none hover:bg-subtle focus-visible:ring-3 focus-visible:ring-accent/25"
      >
        {slug ? (
          current ? (
            <>
              <Avatar name={current.name} seed={current.slug} square />
              <span className="min-w-0 flex-1">
                <span className="block truncate text-sm font-semibold">{current.name}</span>
                <span className="block truncate text-xs text-fg-muted">{current.role ? roleLabels[current.role] : ''}</span>
              </span>
            </>
          ) : tenants.isPending ? (
            <>
              <Skeleton className="h-8 w-8 rounded-lg" />
              <span className="flex-1 space-y-1.5">
                <Skeleton className="h-3 w-24" />
                <Skeleton className="h-2.5 w-14" />
              </span>
            </>
          ) : (
            <span className="flex-1 truncate px-1 text-sm text-fg-muted">{slug}</span>
          )
        ) : (
          <span className="flex flex-1 items-center gap-2.5 px-1 text-sm font-medium text-fg-muted">
            <LayoutGrid className="h-4 w-4" aria-hidden="true" />
            Choose a workspace
          </span>
        )}
        <ChevronsUpDown className="h-4 w-4 shrink-0 text-fg-subtle group-hover:text-fg-muted" aria-hidden="true" />
        <span className="sr-only">Switch workspace</span>
      </M.Trigger>
      <M.Portal>
        <M.Content align="start" sideOffset={6} className={menuContent + ' w-[var(--radix-dropdown-menu-trigger-width)]'}>
          <M.Label className={menuLabel}>Workspaces</M.Label>
          {tenants.isPending && (
            <div className="space-y-1 p-1">
              <Skeleton className="h-8 w-full" />
              <Skeleton className="h-8 w-full" />
            </div>
          )}
          {tenants.data?.length === 0 && <p className="px-2.5 py-2 text-sm text-fg-muted">You are not in any workspace yet.</p>}
          {tenants.data?.map((t) => (
            <M.Item key={t.id} className={menuItem} onSelect={() => go(`/t/${t.slug}`)}>
              <Avatar name={t.name} seed={t.slug} size="sm" square />
              <span className="min-w-0 flex-1 truncate">{t.name}</span>
              {t.slug === slug && <Check className="h-4 w-4 text-accent-text" aria-label="current" />}
            </M.Item>
          ))}
          <M.Separator className={menuSeparator} />
          <M.Item className={menuItem} onSelect={() => go('/new')}>
            <Plus className="h-4 w-4 text-fg-muted" aria-hidden="true" />
            Create workspace
          </M.Item>
          <M.Item className={menuItem} onSelect={() => go('/?all')}>
            <LayoutGrid className="h-4 w-4 text-fg-muted" aria-hidden="true" />
            All workspaces
          </M.Item>
        </M.Content>
      </M.Portal>
    </M.Root>
  )
}
