import { QueryClient, onlineManager, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, ApiError, type Member, type MyInvitation, type Tenant } from './api'
import type { Role } from './roles'

// TanStack Query assumes online until an event says otherwise; a page
// loaded while offline (from the service worker) must know at once.
if (typeof navigator !== 'undefined' && 'onLine' in navigator) onlineManager.setOnline(navigator.onLine)

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      gcTime: 24 * 60 * 60_000,
      refetchOnWindowFocus: true,
      // Retry what may pass later (network, 5xx); never a definite answer.
      retry: (count, err) => count < 2 && (!(err instanceof ApiError) || err.status === 0 || err.status >= 500),
    },
  },
})

export const keys = {
  tenants: ['tenants'] as const,
  tenant: (slug: string) => ['tenant', slug] as const,
  members: (slug: string) => ['tenant', slug, 'members'] as const,
  domain: (slug: string) => ['tenant', slug, 'domain'] as const,
  invitations: (slug: string) => ['tenant', slug, 'invitations'] as const,
  myInvitations: ['me', 'invitations'] as const,
  activity: ['me', 'activity'] as const,
}

export const useTenants = () =>
  useQuery({ queryKey: keys.tenants, queryFn: ({ signal }) => api.tenants(signal).then((r) => r.items) })

export const useTenant = (slug: string, enabled = true) =>
  useQuery({ queryKey: keys.tenant(slug), queryFn: ({ signal }) => api.tenant(slug, signal), enabled })

/** isMissing tells a "no such workspace, or not yours" answer from other failures. */
export const isMissing = (err: unknown) => err instanceof ApiError && err.code === 'tenant_not_found'

export const useMembers = (slug: string, enabled = true) =>
  useQuery({
    queryKey: keys.members(slug),
    queryFn: ({ signal }) => api.members(slug, signal).then((r) => r.items),
    enabled,
  })

export function useCreateTenant() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: api.createTenant,
    onSuccess: (t) => {
      qc.setQueryData(keys.tenant(t.slug), t)
      void qc.invalidateQueries({ queryKey: keys.tenants })
    },
  })
}

export function useUpdateTenant(slug: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: { name?: string; slug?: string; custom_domain?: string | null }) => api.updateTenant(slug, body),
    onSuccess: (t: Tenant, body) => {
      // A new domain has a new token: drop the old proof rather than show it
      // (even briefly) as the record to publish.
      if (body.custom_domain !== undefined) qc.removeQueries({ queryKey: keys.domain(slug) })
      qc.setQueryData(keys.tenant(t.slug), t)
      void qc.invalidateQueries({ queryKey: keys.tenants })
    },
  })
}

/** useDomain reads the custom domain's status and proofs (owners and admins). */
export function useDomain(slug: string, enabled = true) {
  return useQuery({ queryKey: keys.domain(slug), queryFn: ({ signal }) => api.domain(slug, signal), enabled })
}

/** useVerifyDomain asks the server to check the proofs now. */
export function useVerifyDomain(slug: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: () => api.verifyDomain(slug),
    onSuccess: (d) => {
      qc.setQueryData(keys.domain(slug), d)
      void qc.invalidateQueries({ queryKey: keys.tenant(slug) })
    },
    onError: (err) => {
      // Someone changed the domain during the check: show the current one.
      if (err instanceof ApiError && err.code === 'domain_changed') void qc.invalidateQueries({ queryKey: keys.tenant(slug) })
    },
  })
}

export function useDeleteTenant(slug: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: () => api.deleteTenant(slug),
    onSuccess: () => {
      qc.removeQueries({ queryKey: keys.tenant(slug) })
      void qc.invalidateQueries({ queryKey: keys.tenants })
    },
  })
}

/** useAddMember invites an address; nobody joins until they accept. */
export function useAddMember(slug: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (body: { email: string; role: Role }) => api.addMember(slug, body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: keys.invitations(slug) }),
  })
}

export const useInvitations = (slug: string, enabled = true) =>
  useQuery({
    queryKey: keys.invitations(slug),
    queryFn: ({ signal }) => api.invitations(slug, signal).then((r) => r.items),
    enabled,
  })

export function useRevokeInvitation(slug: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => api.revokeInvitation(slug, id),
    onSettled: () => void qc.invalidateQueries({ queryKey: keys.invitations(slug) }),
  })
}

export const useMyInvitations = () => useQuery({ queryKey: keys.myInvitations, queryFn: ({ signal }) => api.myInvitations(signal) })

export const useActivity = () => useQuery({ queryKey: keys.activity, queryFn: ({ signal }) => api.activity(signal).then((r) => r.items) })

/** useAnswerInvitation accepts or declines, by id (verified address) or by the link's token. */
export function useAnswerInvitation() {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (v: { id?: string; token?: string; answer: 'accept' | 'decline' }) =>
      v.token ? api.answerInvitationToken(v.token, v.answer) : api.answerInvitation(v.id ?? '', v.answer),
    onSuccess: (inv: MyInvitation) => {
      void qc.invalidateQueries({ queryKey: keys.myInvitations })
      void qc.invalidateQueries({ queryKey: keys.tenants })
      void qc.invalidateQueries({ queryKey: keys.tenant(inv.tenant.slug) })
    },
  })
}

export function useUpdateMember(slug: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (v: { userId: string; role: Role }) => api.updateMember(slug, v.userId, { role: v.role }),
    onSuccess: (m: Member) => {
      qc.setQueryData<Member[]>(keys.members(slug), (old) => old?.map((x) => (x.user_id === m.user_id ? { ...x, role: m.role } : x)))
      void qc.invalidateQueries({ queryKey: keys.members(slug) })
      void qc.invalidateQueries({ queryKey: keys.tenant(slug) })
      void qc.invalidateQueries({ queryKey: keys.tenants })
    },
  })
}

export function useRemoveMember(slug: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (userId: string) => api.removeMember(slug, userId),
    onSuccess: (_: void, userId: string) => {
      qc.setQueryData<Member[]>(keys.members(slug), (old) => old?.filter((x) => x.user_id !== userId))
      void qc.invalidateQueries({ queryKey: keys.members(slug) })
    },
  })
}
