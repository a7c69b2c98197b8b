// End-to-end: the audit log (owners and admins) and the token usage meters,
// against the real binary with Debian's Chromium. Same harness as app.test.mjs.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { e2e } from './harness.mjs'

const h = e2e()
const { pageErrors, shot, signUp } = h
const newPage = () => h.newPage({ acceptDownloads: true })

test('audit log for owners (filters, details, CSV), none for members; usage meters for everyone', async (t) => {
  if (h.skipWithoutBrowser(t)) return
  const { page } = await newPage()
  await signUp(page, 'Olive Owner', 'olive@example.com')
  await page.getByRole('link', { name: 'New workspace' }).first().click()
  await page.getByLabel('Name').fill('Ledger Labs')
  await page.getByLabel('Address').fill('ledger-labs')
  await page.getByRole('button', { name: 'Create workspace' }).click()
  await page.waitForURL('**/t/ledger-labs')

  const bob = await newPage()
  await signUp(bob.page, 'Bob Baker', 'bob@example.com')

  // Something to audit: Olive invites Bob, who accepts through the link.
  await page.getByRole('link', { name: 'Members', exact: true }).click()
  await page.getByRole('button', { name: 'Invite member' }).click()
  const dialog = page.getByRole('dialog', { name: 'Invite a member' })
  await dialog.getByLabel('Email address').fill('bob@example.com')
  await dialog.getByRole('button', { name: 'Send invitation' }).click()
  const sent = page.getByRole('dialog', { name: 'Invitation sent to bob@example.com' })
  const link = await sent.getByRole('textbox', { name: 'Invitation link' }).inputValue()
  await sent.getByRole('button', { name: 'Done' }).click()
  await bob.page.goto(link)
  await bob.page.getByRole('button', { name: 'Accept invitation' }).click()
  await bob.page.waitForURL('**/t/ledger-labs')
  await page.reload()
  await page.getByTestId('member-bob@example.com').waitFor()

  // The owner has the nav item and reads the log.
  await page.getByRole('link', { name: 'Audit log', exact: true }).click()
  await page.waitForURL('**/t/ledger-labs/audit')
  await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor()
  await page.getByText('nyxcore audit verify').waitFor()
  await page.getByTestId('audit-invitation.accept').waitFor()
  const added = page.getByTestId('audit-invitation.create')
  await added.waitFor()
  assert.match(await added.textContent(), /Invitation sent/)
  assert.match(await added.textContent(), /invitation\.create/)
  assert.match(await added.textContent(), /bob@example\.com/)
  assert.match(await added.textContent(), /olive@example\.com/)
  await page.getByTestId('audit-tenant.create').waitFor()
  await shot(page, '20-audit')

  // A row expands from the keyboard: details, user agent, hash chain.
  const toggle = added.locator('button[aria-expanded]')
  assert.match(await toggle.getAttribute('aria-label'), /^Show details of entry \d+$/)
  await toggle.focus()
  await page.keyboard.press('Enter')
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true')
  const panel = page.locator('#' + (await toggle.getAttribute('aria-controls')))
  await panel.getByText('Hash chain').waitFor()
  assert.match(await panel.textContent(), /"email": "bob@example.com"/)
  assert.match(await panel.textContent(), /HeadlessChrome|Chrome/)
  await panel.getByRole('button', { name: 'Copy this entry’s hash' }).waitFor()
  await shot(page, '21-audit-entry')

  // Filter by action: only invitation.create rows.
  await page.getByLabel('Action').selectOption('invitation.create')
  await page.getByTestId('audit-tenant.create').waitFor({ state: 'detached' })
  assert.ok((await page.getByTestId('audit-invitation.create').count()) >= 1)
  assert.equal(await page.locator('tbody tr[data-testid]:not([data-testid="audit-invitation.create"])').count(), 0)

  // Export CSV with the filter, fetched with the token and downloaded as a file.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()])
  assert.equal(download.suggestedFilename(), 'audit.csv')
  const csv = readFileSync(await download.path(), 'utf8')
  assert.match(csv, /^seq,at,actor_id,actor_email,action,target_type,target_id,ip,user_agent,details,prev_hash,hash/)
  assert.match(csv, /invitation\.create/)
  assert.doesNotMatch(csv, /tenant\.create/)

  // Clear the filter: the reads themselves are in the log.
  await page.getByRole('button', { name: 'Clear' }).click()
  await page.getByTestId('audit-audit.read').first().waitFor()

  // Bob is a member: no link, and the page explains instead of failing.
  await bob.page.goto('/t/ledger-labs')
  await bob.page.getByRole('heading', { name: 'Ledger Labs' }).waitFor()
  await bob.page.getByRole('link', { name: 'Members', exact: true }).waitFor()
  assert.equal(await bob.page.getByRole('link', { name: 'Audit log' }).count(), 0)
  const forbidden = await bob.page.request.get('/api/nyx/tenants/ledger-labs/audit', {
    headers: { Authorization: await bob.page.evaluate(() => JSON.parse(localStorage.getItem('pocketbase_auth') ?? '{}').token ?? '') },
  })
  assert.equal(forbidden.status(), 403)
  await bob.page.goto('/t/ledger-labs/audit')
  await bob.page.getByText('Owners and admins only').waitFor()

  // Usage: every member sees the four meters; unlimited by default.
  await bob.page.goto('/t/ledger-labs')
  for (const id of ['tenant_day', 'tenant_month', 'user_day', 'user_month']) {
    const m = bob.page.getByTestId('meter-' + id)
    await m.waitFor()
    assert.match(await m.textContent(), /Unlimited/)
  }
  // With budgets set by the operator, used of limit with a bar.
  h.server.cli('budget', 'set', '--tenant', 'ledger-labs', '--tenant-daily', '1000', '--user-monthly', '50000')
  await page.goto('/t/ledger-labs')
  const day = page.getByTestId('meter-tenant_day')
  await day.getByText('0 of 1,000 tokens').waitFor()
  assert.equal(await day.getAttribute('data-state'), 'ok')
  assert.equal(await day.getByRole('progressbar').getAttribute('aria-valuemax'), '1000')
  await page.getByTestId('meter-user_month').getByText('of 50,000 tokens').waitFor()
  assert.match(await page.getByTestId('meter-tenant_month').textContent(), /Unlimited/)
  await page.getByTestId('meter-tenant_day').scrollIntoViewIfNeeded()
  await shot(page, '22-usage')

  assert.deepEqual(pageErrors, [], 'uncaught errors in the pages')
})
