import { WifiOff } from 'lucide-react'
import { useOnline } from '../../lib/online'

/** OfflineBanner tells people plainly that they are offline and what still works. */
export function OfflineBanner() {
  const online = useOnline()
  if (online) return null
  return (
    <div role="status" data-testid="offline-banner" className="flex items-center gap-2.5 border-b border-warn/30 bg-warn/10 px-4 py-2 text-[13px] text-fg">
      <WifiOff className="h-4 w-4 shrink-0 text-warn" aria-hidden="true" />
      <span>
        <strong className="font-semibold">You’re offline.</strong> The app is available; your workspaces will load again when the connection
        is back.
      </span>
    </div>
  )
}
