import * as D from '@radix-ui/react-dialog'
import { ChevronRight, Menu } from 'lucide-react'
import { useState } from 'react'
import { Link, useLocation } from 'react-router'
import { useOnline } from '../../lib/online'
import { useTenants } from '../../lib/queries'
import { Button } from '../ui/Button'
import { ConnectionIndicator } from './ConnectionIndicator'
import { Sidebar } from './Sidebar'
import { ThemeToggle } from './ThemeToggle'

const pageNames: Record<string, string> = { '': 'Overview', members: 'Members', settings: 'Settings', discussions: 'Discussions', personas: 'Personas', models: 'Models', providers: 'Providers', audit: 'Audit log' }

function usePageTitle(slug: string | undefined): { workspace?: string; page: string } {
  const { pathname } = useLocation()
  const tenants = useTenants()
  if (slug) {
    const rest = pathname.split('/')[3] ?? ''
    const name = tenants.data?.find((t) => t.slug === slug)?.name ?? slug
    return { workspace: name, page: pageNames[rest] ?? 'Not found' }
  }
  if (pathname === '/account') return { page: 'Account' }
  if (pathname === '/new') return { page: 'New workspace' }
  if (pathname === '/') return { page: 'Workspaces' }
  return { page: 'Not found' }
}

/** Header: the mobile menu, where you are, the connection state and the theme toggle. */
export function Header({ slug }: { slug: string | undefined }) {
  const [open, setOpen] = useState(false)
  const online = useOnline()
  const { workspace, page } = usePageTitle(slug)
  return (
    <header className="sticky top-0 z-20 flex h-14 shrink-0 items-center gap-3 border-b border-line bg-bg/85 px-4 backdrop-blur sm:px-6">
      <D.Root open={open} onOpenChange={setOpen}>
        <D.Trigger asChild>
          <Button variant="ghost" size="icon" className="md:hidden" aria-label="Open navigation">
            <Menu className="h-5 w-5" />
          </Button>
        </D.Trigger>
        <D.Portal>
          <D.Overlay className="fixed inset-0 z-40 bg-black/40 animate-fade md:hidden" />
          <D.Content className="fixed inset-y-0 left-0 z-50 w-72 border-r border-line bg-surface shadow-2xl outline-none md:hidden">
            <D.Title className="sr-only">Navigation</D.Title>
            <D.Description className="sr-only">Workspaces, pages and your account</D.Description>
            <Sidebar slug={slug} onNavigate={() => setOpen(false)} />
          </D.Content>
        </D.Portal>
      </D.Root>
      <nav aria-label="Breadcrumb" className="min-w-0 flex-1">
        <ol className="flex min-w-0 items-center gap-1.5 text-sm">
          {workspace && slug && (
            <>
              <li className="min-w-0 truncate">
                <Link to={`/t/${slug}`} className="rounded text-fg-muted hover:text-fg">
                  {workspace}
                </Link>
              </li>
              <li aria-hidden="true">
                <ChevronRight className="h-3.5 w-3.5 text-fg-subtle" />
              </li>
            </>
          )}
          <li aria-current="page" className="truncate font-medium">
            {page}
          </li>
        </ol>
      </nav>
      <span className="hidden sm:block">
        <ConnectionIndicator state={online ? 'open' : 'offline'} />
      </span>
      <ThemeToggle />
    </header>
  )
}
