import { useSyncExternalStore } from 'react'

export type ThemeChoice = 'light' | 'dark' | 'system'

const key = 'nyx.theme'
const listeners = new Set<() => void>()
const media = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null

function read(): ThemeChoice {
  try {
    const v = localStorage.getItem(key)
    return v === 'light' || v === 'dark' ? v : 'system'
  } catch {
    return 'system'
  }
}

let choice = read()

function apply() {
  const dark = choice === 'dark' || (choice === 'system' && Boolean(media?.matches))
  document.documentElement.classList.toggle('dark', dark)
}

media?.addEventListener('change', () => {
  apply()
  listeners.forEach((l) => l())
})

/** setTheme stores the choice and applies it at once. */
export function setTheme(next: ThemeChoice): void {
  choice = next
  try {
    if (next === 'system') localStorage.removeItem(key)
    else localStorage.setItem(key, next)
  } catch {
    // private mode: the choice lasts for this page only
  }
  apply()
  listeners.forEach((l) => l())
}

export function useTheme(): { choice: ThemeChoice; dark: boolean } {
  const c = useSyncExternalStore(
    (l) => {
      listeners.add(l)
      return () => listeners.delete(l)
    },
    () => choice,
  )
  return { choice: c, dark: c === 'dark' || (c === 'system' && Boolean(media?.matches)) }
}
