// Where Chromium is and how to start it. Browsers are never downloaded:
// Debian's package (apt-get install chromium) provides /usr/bin/chromium.
import { existsSync } from 'node:fs'

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
]

export function chromiumPath() {
  for (const p of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (p && existsSync(p)) return p
  }
  return ''
}

/**
 * launchBrowser starts Chromium, or returns null when it is not installed.
 * Playwright gives every launch a fresh, empty temporary profile.
 */
export async function launchBrowser() {
  const executablePath = chromiumPath()
  if (!executablePath) return null
  const { chromium } = await import('playwright-core')
  return chromium.launch({ executablePath, args: chromiumArgs })
}
