import { Bot, Boxes, Home, MessagesSquare, Plug, ScrollText, Settings, Users } from 'lucide-react'
import { NavLink } from 'react-router'
import { useTenant } from '../../lib/queries'
import { canReadAudit } from '../../lib/roles'
import { Logo } from '../ui/Logo'
import { cx } from '../ui/cx'
import { comingSoon } from './nav'
import { TenantSwitcher } from './TenantSwitcher'
import { UserMenu } from './UserMenu'

const link = ({ isActive }: { isActive: boolean }) =>
  cx(
    'flex h-9 items-center gap-2.5 rounded-lg px-2.5 text-sm font-medium transition-colors outline-none focus-visible:ring-3 focus-visible:ring-accent/25',
    isActive ? 'bg-accent-soft text-accent-text' : 'text-fg-muted hover:bg-subtle hover:text-fg',
  )

/** Sidebar is the app's navigation: workspace switcher, the workspace's pages, what is coming, the user. */
export function Sidebar({ slug, onNavigate }: { slug: string | undefined; onNavigate?: () => void }) {
  const nav = onNavigate ? { onClick: onNavigate } : {}
  // Only owners and admins may read the audit log: others get no link (the API answers 403).
  const showAudit = canReadAudit(useTenant(slug ?? '', Boolean(slug)).data?.role)
  return (
    <div className="flex h-full flex-col gap-4 p-3">
      <div className="flex h-10 items-center px-2">
        <Logo />
      </div>
      <TenantSwitcher slug={slug} {...(onNavigate ? { onNavigate } : {})} />
      <nav aria-label="Workspace" className="flex-1 space-y-6 overflow-y-auto">
        {slug && (
          <ul className="space-y-0.5">
            <li>
              <NavLink to={`/t/${slug}`} end className={link} {...nav}>
                <Home className="h-4 w-4" aria-hidden="true" /> Overview
              </NavLink>
            </li>
            <li>
              <NavLink to={`/t/${slug}/discussions`} className={link} {...nav}>
                <MessagesSquare className="h-4 w-4" aria-hidden="true" /> Discussions
              </NavLink>
            </li>
            <li>
              <NavLink to={`/t/${slug}/personas`} className={link} {...nav}>
                <Bot className="h-4 w-4" aria-hidden="true" /> Personas
              </NavLink>
            </li>
            <li>
              <NavLink to={`/t/${slug}/models`} className={link} {...nav}>
                <Boxes className="h-4 w-4" aria-hidden="true" /> Models
              </NavLink>
            </li>
            <li>
              <NavLink to={`/t/${slug}/providers`} className={link} {...nav}>
                <Plug className="h-4 w-4" aria-hidden="true" /> Providers
              </NavLink>
            </li>
            <li>
              <NavLink to={`/t/${slug}/members`} className={link} {...nav}>
                <Users className="h-4 w-4" aria-hidden="true" /> Members
              </NavLink>
            </li>
            <li>
              <NavLink to={`/t/${slug}/settings`} className={link} {...nav}>
                <Settings className="h-4 w-4" aria-hidden="true" /> Settings
              </NavLink>
            </li>
            {showAudit && (
              <li>
                <NavLink to={`/t/${slug}/audit`} className={link} {...nav}>
                  <ScrollText className="h-4 w-4" aria-hidden="true" /> Audit log
                </NavLink>
              </li>
            )}
          </ul>
        )}
        <div>
          <h2 id="soon-heading" className="px-2.5 pb-1.5 text-[11px] font-semibold tracking-wide text-fg-subtle uppercase">
            Coming soon
          </h2>
          <ul aria-labelledby="soon-heading" className="space-y-0.5">
            {comingSoon.map(({ label, icon: Icon }) => (
              <li key={label} aria-disabled="true" className="flex h-9 cursor-default items-center gap-2.5 rounded-lg px-2.5 text-sm text-fg-subtle">
                <Icon className="h-4 w-4" aria-hidden="true" />
                <span className="flex-1">{label}</span>
                <span className="rounded-full border border-line px-1.5 text-[10px] font-medium tracking-wide uppercase">Soon</span>
              </li>
            ))}
          </ul>
        </div>
      </nav>
      <div className="border-t border-line pt-2">
        <UserMenu {...(onNavigate ? { onNavigate } : {})} />
      </div>
    </div>
  )
}
