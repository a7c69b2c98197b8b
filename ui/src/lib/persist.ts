import { dehydrate, hydrate, type QueryClient } from '@tanstack/react-query'
import { pb } from './pb'

// The last answers of the signed-in user's queries, kept in localStorage so
// the shell shows real names at once — and offline — instead of skeletons.
// They are refetched in the background as usual, and dropped on sign-out.
const prefix = 'nyx.cache.'
const maxAge = 7 * 24 * 60 * 60_000

function key(): string | null {
  const id = pb.authStore.isValid ? pb.authStore.record?.id : undefined
  return id ? prefix + id : null
}

export function persistQueries(qc: QueryClient): void {
  const k = key()
  if (k) {
    try {
      const raw = localStorage.getItem(k)
      if (raw) {
        hydrate(qc, JSON.parse(raw))
        // Shown at once, but refetched as soon as anything uses it.
        void qc.invalidateQueries({ refetchType: 'none' })
      }
    } catch {
      localStorage.removeItem(k)
    }
  }
  let timer: ReturnType<typeof setTimeout> | null = null
  qc.getQueryCache().subscribe(() => {
    if (timer) return
    timer = setTimeout(() => {
      timer = null
      save(qc)
    }, 500)
  })
  // Leaving or reloading the page must not lose the last answers.
  addEventListener('pagehide', () => save(qc))
  pb.authStore.onChange(() => {
    if (pb.authStore.isValid) return
    for (let i = localStorage.length - 1; i >= 0; i--) {
      const name = localStorage.key(i)
      if (name?.startsWith(prefix)) localStorage.removeItem(name)
    }
  })
}

function save(qc: QueryClient): void {
  const k = key()
  if (!k) return
  const state = dehydrate(qc, {
    shouldDehydrateQuery: (q) => q.state.status === 'success' && Date.now() - q.state.dataUpdatedAt < maxAge && q.queryKey[0] !== 'auth-methods' && q.meta?.persist !== false,
  })
  try {
    localStorage.setItem(k, JSON.stringify(state))
  } catch {
    // quota or private mode: no offline copy, nothing else changes
  }
}
