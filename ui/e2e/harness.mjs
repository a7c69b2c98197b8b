// The shared set-up of the browser tests that need only the nyxcore binary:
// one server and one Chromium per test file, started before and stopped
// after; pages that record uncaught page errors; light and dark screenshots;
// sign-up through the real form.
import { mkdirSync } from 'node:fs'
import { after, before } from 'node:test'
import { launchBrowser } from './browser.mjs'
import { startServer } from './server.mjs'

export const artifacts = new URL('./artifacts/', import.meta.url)
mkdirSync(artifacts, { recursive: true })

export const password = 'correct-horse-42'

/** e2e registers the file's before/after hooks and returns its helpers. */
export function e2e() {
  const h = { browser: undefined, server: undefined, pageErrors: [] }
  before(async () => {
    h.browser = await launchBrowser()
    if (!h.browser) {
      if (process.env.CI) throw new Error('Chromium not found (apt-get install chromium, or set CHROMIUM_PATH); CI=true: failing, not skipping')
      return
    }
    h.server = await startServer()
  })
  after(async () => {
    await h.browser?.close()
    await h.server?.stop()
  })

  /** skipWithoutBrowser skips t by hand when Chromium is missing (never in CI: before() throws). */
  h.skipWithoutBrowser = (t) => {
    if (h.browser) return false
    t.skip('Chromium not installed: apt-get install chromium')
    return true
  }

  h.newPage = async (options = {}) => {
    const context = await h.browser.newContext({ baseURL: h.server.url, viewport: { width: 1280, height: 800 }, colorScheme: 'light', ...options })
    const page = await context.newPage()
    page.setDefaultTimeout(15_000)
    page.on('pageerror', (err) => h.pageErrors.push(String(err)))
    return { context, page }
  }

  /** shot saves the screen in light and dark. */
  h.shot = async (page, name, { settle = true } = {}) => {
    if (settle) await page.waitForLoadState('networkidle', { timeout: 5000 }).catch(() => {})
    for (const scheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme: scheme })
      await page.waitForTimeout(250) // let colour transitions finish
      await page.screenshot({ path: new URL(`${name}-${scheme}.png`, artifacts).pathname, animations: 'disabled', caret: 'hide' })
    }
    await page.emulateMedia({ colorScheme: 'light' })
  }

  h.signUp = async (page, name, email) => {
    await page.goto('/signup')
    await page.getByLabel('Name').fill(name)
    await page.getByLabel('Email').fill(email)
    await page.getByLabel('Password', { exact: true }).fill(password)
    await page.getByLabel('Confirm password').fill(password)
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.getByRole('heading', { name: 'Your workspaces' }).waitFor()
  }
  return h
}
