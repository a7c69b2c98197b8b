// End-to-end with a real model server: the nyxcore binary talks to a real
// Ollama (the cached build of app/llm/ollamatest, with its tiny models),
// driven by Debian's Chromium. Providers, models, personas, and live
// discussions seen from two windows at once. Screenshots go to e2e/artifacts/.
import assert from 'node:assert/strict'
import { mkdirSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { after, before, test } from 'node:test'
import { launchBrowser } from './browser.mjs'
import { startOllama } from './ollama.mjs'
import { startServer } from './server.mjs'

const artifacts = new URL('./artifacts/', import.meta.url)
mkdirSync(artifacts, { recursive: true })

let server
let browser
let ollama
let skip = ''
let downPort = 0
const pageErrors = []
const password = 'correct-horse-42'

before(async () => {
  browser = await launchBrowser()
  if (!browser) {
    if (process.env.CI) throw new Error('Chromium not found (apt-get install chromium, or set CHROMIUM_PATH); CI=true: failing, not skipping')
    skip = 'Chromium not installed: apt-get install chromium'
    return
  }
  ollama = await startOllama()
  if (ollama.skip) {
    skip = ollama.skip
    return
  }
  // The server's built-in provider is this Ollama (startServer passes the environment on).
  process.env.NYX_OLLAMA_HOST = ollama.url
  // Tenant URLs reach the public internet only; the operator allows the one
  // local port the "down box" below uses, and nothing else on loopback.
  downPort = await closedPort()
  process.env.NYX_OUTBOUND_ALLOW = `127.0.0.1:${downPort}`
  server = await startServer()
})

after(async () => {
  await browser?.close()
  await server?.stop()
  await ollama?.stop?.()
})

async function newPage(scheme = 'light', storageState) {
  const context = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 860 }, colorScheme: scheme, storageState })
  const page = await context.newPage()
  page.setDefaultTimeout(20_000)
  page.on('pageerror', (err) => pageErrors.push(String(err)))
  return { context, page }
}

/** shot saves the screen in light and, unless light only, dark. */
async function shot(page, name, { dark = true } = {}) {
  await page.waitForLoadState('networkidle', { timeout: 3000 }).catch(() => {})
  for (const scheme of dark ? ['light', 'dark'] : ['light']) {
    await page.emulateMedia({ colorScheme: scheme })
    await page.waitForTimeout(250)
    await page.screenshot({ path: new URL(`${name}-${scheme}.png`, artifacts).pathname, animations: 'disabled', caret: 'hide' })
  }
  await page.emulateMedia({ colorScheme: 'light' })
}

/** closedPort is a loopback port nothing listens on: a provider that is down. */
function closedPort() {
  return new Promise((ok) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address()
      s.close(() => ok(port))
    })
  })
}

async function signUpWithWorkspace(page) {
  await page.goto('/signup')
  await page.getByLabel('Name').fill('Ada Lovelace')
  await page.getByLabel('Email').fill('ada@example.com')
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByLabel('Confirm password').fill(password)
  await page.getByRole('button', { name: 'Create account' }).click()
  await page.getByRole('heading', { name: 'Your workspaces' }).waitFor()
  await page.getByRole('link', { name: 'New workspace' }).first().click()
  await page.getByLabel('Name').fill('Model Lab')
  await page.getByLabel('Address').fill('model-lab')
  await page.getByRole('button', { name: 'Create workspace' }).click()
  await page.waitForURL('**/t/model-lab')
}

async function createPersona(page, { name, avatar, color, prompt }) {
  await page.goto('/t/model-lab/personas/new')
  const form = page.getByRole('form', { name: 'Persona' })
  await form.getByLabel('Name').fill(name)
  await form.getByLabel('Avatar').fill(avatar)
  await form.getByLabel('Colour', { exact: true }).fill(color)
  await form.getByLabel('Model', { exact: true }).fill('tiny-eos:latest')
  await form.getByLabel('System prompt').fill(prompt)
  await form.getByRole('button', { name: 'Create persona' }).click()
  await page.waitForURL(/\/personas\/(?!new)[^/]+$/)
}

/** waitDone waits until every persona reply on the page has finished. */
async function waitAnswers(page, n) {
  await page.waitForFunction(
    (n) => {
      const ms = [...document.querySelectorAll('[data-testid="message"]')]
      return ms.length >= n && ms.every((m) => m.getAttribute('data-status') === 'done')
    },
    n,
    { timeout: 60_000 },
  )
}

test('personas on a real Ollama, live parallel and consensus discussions in two windows', async (t) => {
  if (skip) return t.skip(skip)
  const { page } = await newPage()
  await signUpWithWorkspace(page)

  // Models: the built-in local Ollama's two models.
  await page.getByRole('link', { name: 'Models' }).first().click()
  await page.getByTestId('model-tiny:latest').waitFor()
  await page.getByTestId('model-tiny-eos:latest').waitFor()
  assert.match(await page.getByTestId('model-tiny-eos:latest').textContent(), /Local Ollama/)
  await shot(page, '16-models')

  // The built-in Ollama is the operator's, shared by every workspace: its models are read-only
  // here (no pull, no delete), even for the workspace's owner.
  await page.getByTestId('model-tiny:latest').getByText('read-only').waitFor()
  assert.equal(await page.getByRole('button', { name: 'Pull model' }).count(), 0)
  assert.equal(await page.getByRole('button', { name: 'Delete tiny:latest' }).count(), 0)

  // Providers: the built-in one is marked and not editable; a metadata address is refused
  // beside its field; a host that is down can be added, tested, and shows as a warning on Models.
  await page.getByRole('link', { name: 'Providers' }).first().click()
  const local = page.getByTestId('provider-Local Ollama')
  await local.getByText('Built-in').waitFor()
  assert.equal(await local.getByRole('button', { name: 'Edit Local Ollama' }).count(), 0)
  await local.getByRole('button', { name: 'Test connection' }).click()
  await local.getByText('Connected.').waitFor()
  await page.getByRole('button', { name: 'Add provider' }).click()
  const add = page.getByRole('dialog', { name: 'Add a provider' })
  await add.getByLabel('Kind', { exact: true }).selectOption('anthropic')
  await add.getByLabel('Name', { exact: true }).fill('Claude')
  await add.getByRole('button', { name: 'Add provider' }).click()
  await add.getByText('This provider needs an API key.').waitFor()
  await add.getByLabel('Kind', { exact: true }).selectOption('openai')
  await add.getByLabel('Name', { exact: true }).fill('Metadata')
  await add.getByLabel('Base URL', { exact: true }).fill('http://169.254.169.254/latest')
  await add.getByRole('button', { name: 'Add provider' }).click()
  await add.getByText('This server is not allowed to connect to that address').waitFor()
  await shot(page, '18-provider-refused', { dark: false })
  // Other local services (Redis here) stay out of reach by default.
  await add.getByLabel('Base URL', { exact: true }).fill('http://127.0.0.1:6379')
  await add.getByRole('button', { name: 'Add provider' }).click()
  await add.getByText('This server is not allowed to connect to that address').waitFor()
  await add.getByLabel('Kind', { exact: true }).selectOption('ollama')
  await add.getByLabel('Name', { exact: true }).fill('Down box')
  await add.getByLabel('Base URL', { exact: true }).fill(`http://127.0.0.1:${downPort}`)
  await add.getByLabel('API key', { exact: true }).fill('sk-test-abcd1234')
  await add.getByRole('button', { name: 'Add provider' }).click()
  await add.waitFor({ state: 'detached' })
  const down = page.getByTestId('provider-Down box')
  await down.getByText('key set ••••1234').waitFor()
  assert.doesNotMatch(await page.content(), /sk-test-abcd1234/)
  await down.getByRole('button', { name: 'Test connection' }).click()
  await down.getByText('The model provider could not be reached').waitFor({ timeout: 30_000 })
  await shot(page, '19-providers')
  // Editing never shows the key; an empty key field keeps it.
  await down.getByRole('button', { name: 'Edit Down box' }).click()
  const edit = page.getByRole('dialog', { name: 'Edit Down box' })
  assert.equal(await edit.getByLabel('API key', { exact: true }).inputValue(), '')
  await edit.getByText('Leave empty to keep the current key').first().waitFor()
  await edit.getByRole('button', { name: 'Remove key' }).waitFor()
  await shot(page, '19-provider-edit', { dark: false })
  await edit.getByRole('button', { name: 'Save changes' }).click()
  await edit.waitFor({ state: 'detached' })
  await down.getByText('key set ••••1234').waitFor()
  await page.getByRole('link', { name: 'Models' }).first().click()
  await page.getByRole('alert').filter({ hasText: 'Down box' }).waitFor({ timeout: 30_000 })
  await page.getByTestId('model-tiny:latest').waitFor()
  await shot(page, '16-models-with-warning', { dark: false })
  // Switched off, the down host no longer counts.
  await page.getByRole('link', { name: 'Providers' }).first().click()
  await down.getByRole('switch', { name: 'Down box enabled' }).click()
  await down.getByText('Disabled').waitFor()

  // Personas: client validation first, then two on tiny-eos:latest.
  await page.getByRole('link', { name: 'Personas' }).first().click()
  await page.getByText('No personas yet').waitFor()
  await shot(page, '20-personas-empty', { dark: false })
  await page.getByRole('link', { name: 'Create your first persona' }).click()
  await page.getByRole('button', { name: 'Create persona' }).click()
  await page.getByText('Enter a name.').waitFor()
  await createPersona(page, { name: 'Socrates', avatar: '🦉', color: '#0e8f7e', prompt: 'You answer with a question.' })

  // Try it: the reply streams, then usage shows.
  await page.getByRole('button', { name: 'Send' }).click()
  await page.getByTestId('try-usage').waitFor({ timeout: 30_000 })
  assert.match(await page.getByTestId('try-reply').textContent(), /Hello from a tiny test model/)
  await shot(page, '21-persona-editor')

  await createPersona(page, { name: 'Ada', avatar: '🧪', color: '#c2410c', prompt: 'You answer with numbers.' })
  await page.goto('/t/model-lab/personas')
  await page.getByTestId('persona-Socrates').waitFor()
  await page.getByTestId('persona-Ada').waitFor()
  await shot(page, '22-personas')

  // A parallel discussion, opened in a second window too.
  await page.getByRole('link', { name: 'Discussions' }).first().click()
  await page.getByText('No discussions yet').waitFor()
  await page.getByRole('button', { name: 'Start a discussion' }).click()
  const dialog = page.getByRole('dialog', { name: 'New discussion' })
  await dialog.getByLabel('Title').fill('Tabs or spaces')
  await dialog.getByText('Parallel', { exact: true }).click()
  await dialog.getByRole('button', { name: 'Start discussion' }).click()
  await dialog.getByText('Pick one or more personas').waitFor()
  await dialog.getByText('Socrates', { exact: true }).click()
  await dialog.getByText('Ada', { exact: true }).click()
  await shot(page, '23-new-discussion', { dark: false })
  await dialog.getByRole('button', { name: 'Start discussion' }).click()
  await page.waitForURL(/\/discussions\/[^/]+$/)
  const url = page.url()
  await page.getByText('Start the discussion').waitFor()
  await page.locator('#main [role="status"][data-state="open"]').waitFor()

  // The second window is another browser context signed in as the same person.
  const second = await newPage('dark', await page.context().storageState())
  await second.page.goto(url)
  await second.page.getByText('Start the discussion').waitFor()
  await second.page.locator('#main [role="status"][data-state="open"]').waitFor()

  await page.getByRole('textbox', { name: 'Message' }).fill('Which is better, tabs or spaces?')
  await page.keyboard.press('Enter')
  for (const p of [page, second.page]) {
    await p.getByTestId('user-message').filter({ hasText: 'Which is better' }).waitFor()
    await waitAnswers(p, 2)
    const texts = await p.getByTestId('message').allTextContents()
    assert.equal(texts.length, 2)
    for (const tx of texts) assert.match(tx, /Hello from a tiny test model/)
  }
  // The turn's end frees the composer in both windows.
  for (const p of [page, second.page]) await p.waitForFunction(() => document.querySelector('#composer')?.readOnly === false)
  await shot(page, '24-discussion-parallel')
  await second.page.screenshot({ path: new URL('24-discussion-parallel-second-window-dark.png', artifacts).pathname })
  // On a phone the parallel answers stack.
  await page.setViewportSize({ width: 390, height: 844 })
  const [a, b] = await page.getByTestId('message').all()
  assert.ok((await b.boundingBox()).y > (await a.boundingBox()).y + 20)
  await shot(page, '24-discussion-parallel-phone', { dark: false })
  await page.setViewportSize({ width: 1280, height: 860 })
  await second.context.close()

  // A consensus discussion: rounds with an agreement score, then the synthesis.
  await page.goto('/t/model-lab/discussions')
  await page.getByTestId('discussion-Tabs or spaces').waitFor()
  await page.getByRole('button', { name: 'New discussion' }).click()
  await dialog.getByLabel('Title').fill('Best first language')
  await dialog.getByText('Consensus', { exact: true }).click()
  await dialog.getByText('Socrates', { exact: true }).click()
  await dialog.getByRole('button', { name: 'Start discussion' }).click()
  await dialog.getByText('Pick at least two personas').waitFor()
  await dialog.getByText('Ada', { exact: true }).click()
  await dialog.getByLabel('Moderator', { exact: true }).selectOption({ label: '🦉 Socrates' })
  await dialog.getByRole('button', { name: 'Start discussion' }).click()
  await page.waitForURL(/\/discussions\/[^/]+$/)
  await page.getByText('Start the discussion').waitFor()
  await page.locator('#main [role="status"][data-state="open"]').waitFor()
  await page.getByRole('textbox', { name: 'Message' }).fill('What should someone learn first?')
  await page.getByRole('button', { name: 'Send' }).click()
  const synthesis = page.getByRole('article', { name: /^Synthesis by Socrates/ })
  await synthesis.waitFor({ timeout: 60_000 })
  await page.waitForFunction(() => document.querySelector('article[aria-label^="Synthesis"]')?.getAttribute('data-status') === 'done', null, { timeout: 60_000 })
  const rounds = page.getByTestId('round')
  assert.ok((await rounds.count()) >= 1)
  assert.match(await page.getByTestId('agreement').first().textContent(), /^\d+%$/)
  await rounds.first().locator('summary').click()
  await shot(page, '25-discussion-consensus')

  // Export: fetched with the token, handed to the browser as a download.
  const [md] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export as Markdown' }).click()])
  assert.match(md.suggestedFilename(), /^discussion-.+\.md$/)
  const text = await readFile(await md.path(), 'utf8')
  assert.match(text, /^# Best first language/)
  assert.match(text, /Agreement by round/)
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export as JSON' }).click()])
  assert.equal(JSON.parse(await readFile(await json.path(), 'utf8')).discussion.mode, 'consensus')

  // A single-persona discussion: one answer streams in and finishes.
  await page.goto('/t/model-lab/discussions')
  await page.getByRole('button', { name: 'New discussion' }).click()
  await dialog.getByLabel('Title').fill('Just Ada')
  await dialog.getByText('Single', { exact: true }).click()
  await dialog.getByText('Ada', { exact: true }).click()
  await dialog.getByRole('button', { name: 'Start discussion' }).click()
  await page.waitForURL(/\/discussions\/[^/]+$/)
  await page.getByText('Start the discussion').waitFor()
  await page.locator('#main [role="status"][data-state="open"]').waitFor()
  await page.getByRole('textbox', { name: 'Message' }).fill('Count to three')
  await page.keyboard.press('Enter')
  await waitAnswers(page, 1)
  assert.equal((await page.getByTestId('message').allTextContents()).length, 1)
  await page.waitForFunction(() => document.querySelector('#composer')?.readOnly === false)
  // Regenerate: the same question answered again, the first answer kept.
  await page.getByRole('button', { name: 'Regenerate the last answers' }).click()
  await waitAnswers(page, 2)
  await page.waitForFunction(() => document.querySelector('#composer')?.readOnly === false)
  await shot(page, '25-discussion-single')

  // The list shows them all, with their modes; search finds by message text.
  await page.goto('/t/model-lab/discussions')
  await page.getByTestId('discussion-Best first language').waitFor()
  await shot(page, '26-discussions')
  await page.getByLabel('Search discussions').fill('tabs or spaces')
  await page.getByTestId('discussion-Best first language').waitFor({ state: 'detached' })
  await page.getByTestId('discussion-Tabs or spaces').waitFor()

  assert.deepEqual(pageErrors, [])
})
