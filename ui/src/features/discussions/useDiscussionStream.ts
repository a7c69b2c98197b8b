import { useQueryClient } from '@tanstack/react-query'
import { useCallback } from 'react'
import { api, type DiscussionDetail } from '../../lib/api'
import type { StreamEvent } from '../../lib/sse'
import { useEventStream } from '../../lib/useEventStream'
import { discussionKeys } from './queries'
import { applyEvent } from './reducer'

/**
 * useDiscussionStream follows a discussion's live events (resuming with
 * Last-Event-ID after a drop) and folds them into its query data; a
 * "reset", or an event the data cannot place, refetches it.
 */
export function useDiscussionStream(slug: string, id: string) {
  const qc = useQueryClient()
  const key = discussionKeys.one(slug, id)
  const onEvent = useCallback(
    (e: StreamEvent) => {
      let refetch = false
      qc.setQueryData<DiscussionDetail>(key, (old) => {
        const r = applyEvent(old, e)
        refetch ||= r.refetch
        return r.detail
      })
      if (refetch) void qc.invalidateQueries({ queryKey: key, exact: true })
      if (e.event === 'turn') void qc.invalidateQueries({ queryKey: discussionKeys.all(slug) })
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [qc, slug, id],
  )
  return useEventStream(slug && id ? api.discussionEventsUrl(slug, id) : null, onEvent)
}
