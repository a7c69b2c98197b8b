import { LayoutDashboard, Workflow, type LucideIcon } from 'lucide-react'

/**
 * comingSoon are the areas the next releases slot into the shell. They are
 * shown, clearly labelled, but are not links until they work.
 */
export const comingSoon: { label: string; icon: LucideIcon }[] = [
  { label: 'Workflows', icon: Workflow },
  { label: 'Dashboards', icon: LayoutDashboard },
]
