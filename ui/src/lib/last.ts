// The workspace last opened in this browser, so "/" can go straight back
// to it without waiting for the API.
const key = 'nyx.lastTenant'

export function lastTenant(): string | null {
  try {
    return localStorage.getItem(key)
  } catch {
    return null
  }
}

export function rememberTenant(slug: string | null): void {
  try {
    if (slug) localStorage.setItem(key, slug)
    else localStorage.removeItem(key)
  } catch {
    // storage unavailable: nothing to remember
  }
}
