import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query'
import { api } from '../../lib/api'
import { auditQuery, pageSize, type AuditFilters } from './filters'

export const auditKeys = {
  all: (slug: string) => ['tenant', slug, 'audit'] as const,
  list: (slug: string, f: AuditFilters) => ['tenant', slug, 'audit', f] as const,
}

/**
 * useAuditLog pages through the log newest first with next_before. Every
 * read is itself audited (audit.read), so it does not refetch on focus, and
 * it is never kept in localStorage (IPs and user agents stay on the server).
 * It is always stale: coming back to a filter shows the last answer and
 * asks again, since the log only grows.
 */
export const useAuditLog = (slug: string, filters: AuditFilters, enabled: boolean) =>
  useInfiniteQuery({
    queryKey: auditKeys.list(slug, filters),
    queryFn: ({ pageParam, signal }) => api.audit(slug, auditQuery(filters, { before: pageParam, limit: pageSize }), signal),
    initialPageParam: 0,
    getNextPageParam: (last) => (last.next_before > 0 ? last.next_before : undefined),
    placeholderData: keepPreviousData,
    refetchOnWindowFocus: false,
    staleTime: 0,
    meta: { persist: false },
    enabled,
  })
