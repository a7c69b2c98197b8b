import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, type Provider, type ProviderBody } from '../../lib/api'

export const providerKeys = {
  all: (slug: string) => ['tenant', slug, 'providers'] as const,
  models: (slug: string) => ['tenant', slug, 'models'] as const,
}

export const useProviders = (slug: string) =>
  useQuery({ queryKey: providerKeys.all(slug), queryFn: ({ signal }) => api.providers(slug, signal).then((r) => r.items) })

/** useModels lists every enabled provider's models; a provider that failed is in errors, not fatal. */
export const useModels = (slug: string, enabled = true) =>
  useQuery({ queryKey: providerKeys.models(slug), queryFn: ({ signal }) => api.models(slug, signal), enabled, staleTime: 60_000 })

export function useSaveProvider(slug: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (v: { id?: string | undefined; body: Partial<ProviderBody> }) =>
      v.id ? api.updateProvider(slug, v.id, v.body) : api.createProvider(slug, v.body as ProviderBody),
    onSuccess: (p: Provider) => {
      qc.setQueryData<Provider[]>(providerKeys.all(slug), (old) => (old ? [...old.filter((x) => x.id !== p.id), p] : old))
      void qc.invalidateQueries({ queryKey: providerKeys.all(slug) })
      void qc.invalidateQueries({ queryKey: providerKeys.models(slug) })
    },
  })
}

export function useDeleteProvider(slug: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => api.deleteProvider(slug, id),
    onSuccess: (_: void, id: string) => {
      qc.setQueryData<Provider[]>(providerKeys.all(slug), (old) => old?.filter((x) => x.id !== id))
      void qc.invalidateQueries({ queryKey: providerKeys.models(slug) })
    },
  })
}

export const useTestProvider = (slug: string) => useMutation({ mutationFn: (id: string) => api.testProvider(slug, id) })

export function useDeleteModel(slug: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (v: { provider: string; model: string }) => api.deleteModel(slug, v.provider, v.model),
    onSuccess: () => void qc.invalidateQueries({ queryKey: providerKeys.models(slug) }),
  })
}
