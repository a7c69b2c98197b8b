import { Columns3, MessageSquare, Scale } from 'lucide-react'
import type { Mode } from '../../lib/api'
import { Badge } from '../../components/ui/Badge'

const icons = { single: MessageSquare, parallel: Columns3, consensus: Scale }
const labels: Record<Mode, string> = { single: 'Single', parallel: 'Parallel', consensus: 'Consensus' }

/** ModeBadge names a discussion's mode with its icon. */
export function ModeBadge({ mode }: { mode: Mode }) {
  const Icon = icons[mode]
  return (
    <Badge tone={mode === 'consensus' ? 'accent' : 'neutral'} className="gap-1 font-medium">
      <Icon className="h-3 w-3" aria-hidden="true" />
      <span data-mode={mode}>{labels[mode]}</span>
    </Badge>
  )
}
