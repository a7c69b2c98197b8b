import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, type Discussion, type DiscussionDetail, type NewDiscussion } from '../../lib/api'
import { upsertMessage } from './reducer'

export const discussionKeys = {
  all: (slug: string) => ['tenant', slug, 'discussions'] as const,
  list: (slug: string, q: string) => ['tenant', slug, 'discussions', q] as const,
  one: (slug: string, id: string) => ['tenant', slug, 'discussion', id] as const,
}

export const useDiscussions = (slug: string, q: string) =>
  useQuery({
    queryKey: discussionKeys.list(slug, q),
    queryFn: ({ signal }) => api.discussions(slug, q, signal).then((r) => r.items),
    placeholderData: (prev) => prev,
  })

export const useDiscussion = (slug: string, id: string) =>
  useQuery({
    queryKey: discussionKeys.one(slug, id),
    queryFn: ({ signal }) => api.discussion(slug, id, signal),
    // Long transcripts are not worth keeping around once left.
    gcTime: 5 * 60_000,
  })

export function useCreateDiscussion(slug: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: NewDiscussion) => api.createDiscussion(slug, body),
    onSuccess: (d: Discussion) => {
      qc.setQueryData<DiscussionDetail>(discussionKeys.one(slug, d.id), { discussion: d, messages: [], next_after: 0, rounds: [] })
      void qc.invalidateQueries({ queryKey: discussionKeys.all(slug) })
    },
  })
}

export function usePostMessage(slug: string, id: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (content: string) => api.postMessage(slug, id, content),
    // The running state comes from the stream's "turn" events only: a fast
    // turn can end before this answer arrives, and must not look stuck.
    onSuccess: (r) =>
      qc.setQueryData<DiscussionDetail>(discussionKeys.one(slug, id), (old) => (old ? { ...old, messages: upsertMessage(old.messages, r.message) } : old)),
  })
}

export const useStopTurn = (slug: string, id: string) => useMutation({ mutationFn: () => api.stopTurn(slug, id) })

export const useRegenerate = (slug: string, id: string) => useMutation({ mutationFn: () => api.regenerate(slug, id) })

export function useDeleteDiscussion(slug: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => api.deleteDiscussion(slug, id),
    onSuccess: (_: void, id: string) => {
      qc.removeQueries({ queryKey: discussionKeys.one(slug, id) })
      void qc.invalidateQueries({ queryKey: discussionKeys.all(slug) })
    },
  })
}
