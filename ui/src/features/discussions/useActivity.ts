import { useQueryClient } from '@tanstack/react-query'
import { useCallback } from 'react'
import { api, type Discussion } from '../../lib/api'
import type { StreamEvent } from '../../lib/sse'
import { useEventStream } from '../../lib/useEventStream'
import { discussionKeys } from './queries'

type Turn = { discussion_id: string; turn_id: string; status: string }

/** markTurn sets a listed discussion's running turn from a tenant "turn" event. */
export function markTurn(list: Discussion[] | undefined, t: Turn): Discussion[] | undefined {
  if (!list) return list
  return list.map((d) => {
    if (d.id !== t.discussion_id) return d
    if (t.status === 'running') return { ...d, running_turn_id: t.turn_id }
    return d.running_turn_id === t.turn_id ? { ...d, running_turn_id: '', updated_at: new Date().toISOString() } : d
  })
}

/**
 * useActivity follows the workspace's activity stream and marks listed
 * discussions as answering while a turn runs.
 */
export function useActivity(slug: string) {
  const qc = useQueryClient()
  const onEvent = useCallback(
    (e: StreamEvent) => {
      if (e.event === 'reset') return void qc.invalidateQueries({ queryKey: discussionKeys.all(slug) })
      if (e.event !== 'turn') return
      let t: Turn
      try {
        t = JSON.parse(e.data) as Turn
      } catch {
        return
      }
      qc.setQueriesData<Discussion[]>({ queryKey: discussionKeys.all(slug) }, (old) => markTurn(old, t))
      // A new turn bumps the discussion to the top: refresh the order when it ends.
      if (t.status !== 'running') void qc.invalidateQueries({ queryKey: discussionKeys.all(slug) })
    },
    [qc, slug],
  )
  return useEventStream(slug ? api.tenantEventsUrl(slug) : null, onEvent)
}
