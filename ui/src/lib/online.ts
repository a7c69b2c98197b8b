import { useSyncExternalStore } from 'react'
import { onlineManager } from '@tanstack/react-query'

/**
 * useOnline follows the browser's connectivity through TanStack Query's
 * onlineManager, which also pauses queries while offline.
 */
export function useOnline(): boolean {
  return useSyncExternalStore(
    (l) => onlineManager.subscribe(l),
    () => onlineManager.isOnline(),
  )
}
