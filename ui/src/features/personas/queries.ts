import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { api, type Persona, type PersonaBody } from '../../lib/api'

export const personaKeys = { all: (slug: string) => ['tenant', slug, 'personas'] as const }

export const usePersonas = (slug: string) =>
  useQuery({ queryKey: personaKeys.all(slug), queryFn: ({ signal }) => api.personas(slug, signal).then((r) => r.items) })

export function useSavePersona(slug: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (v: { id?: string | undefined; body: PersonaBody }) =>
      v.id ? api.updatePersona(slug, v.id, v.body) : api.createPersona(slug, v.body),
    onSuccess: (p: Persona) => {
      qc.setQueryData<Persona[]>(personaKeys.all(slug), (old) => (old ? [...old.filter((x) => x.id !== p.id), p] : old))
      void qc.invalidateQueries({ queryKey: personaKeys.all(slug) })
    },
  })
}

export function useDeletePersona(slug: string) {
  const qc = useQueryClient()
  return useMutation({
    mutationFn: (id: string) => api.deletePersona(slug, id),
    onSuccess: (_: void, id: string) => {
      qc.setQueryData<Persona[]>(personaKeys.all(slug), (old) => old?.filter((x) => x.id !== id))
      void qc.invalidateQueries({ queryKey: personaKeys.all(slug) })
    },
  })
}
