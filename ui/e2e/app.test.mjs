// End-to-end: the real nyxcore binary, Debian's Chromium, no mocks.
// Screenshots of every screen, light and dark, go to e2e/artifacts/.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { e2e } from './harness.mjs'

const h = e2e()
const { pageErrors, shot, signUp, skipWithoutBrowser } = h
const newPage = () => h.newPage()

test('sign up, create a workspace, invite a member, roles, not found, sign out', async (t) => {
  if (skipWithoutBrowser(t)) return
  const alice = await newPage()
  const { page } = alice

  // Signed out, the app goes to sign in.
  await page.goto('/')
  await page.waitForURL('**/signin')
  await page.getByRole('heading', { name: 'Welcome back' }).waitFor()
  assert.equal(await page.getByRole('link', { name: 'Admin console' }).getAttribute('href'), '/_/')
  await shot(page, '01-signin')

  // Client-side validation before anything is sent.
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByText('Enter your email address.').waitFor()
  // A wrong password is refused by the server, with a human message.
  await page.getByLabel('Email').fill('nobody@example.com')
  await page.getByLabel('Password', { exact: true }).fill('wrong-password')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByText('That email and password don’t match an account.').waitFor()
  await shot(page, '02-signin-error')

  await page.getByRole('link', { name: 'Create an account' }).click()
  await page.getByRole('heading', { name: 'Create your account' }).waitFor()
  await page.getByRole('button', { name: 'Create account' }).click()
  await page.getByText('Enter a name.').waitFor()
  await shot(page, '03-signup-validation')

  await signUp(page, 'Alice Archer', 'alice@example.com')
  await page.getByText('Create your first workspace').waitFor()
  await shot(page, '04-workspaces-empty')

  // Create a workspace: the slug follows the name; reserved slugs are refused before sending.
  await page.getByRole('link', { name: 'New workspace' }).first().click()
  await page.getByLabel('Name').fill('Admin')
  assert.equal(await page.getByLabel('Address').inputValue(), 'admin')
  await page.getByRole('button', { name: 'Create workspace' }).click()
  await page.getByText('That address is reserved. Pick another one.').waitFor()
  await page.getByLabel('Name').fill('Acme Research')
  await page.getByLabel('Address').fill('acme-research')
  await shot(page, '05-new-workspace')
  await page.getByRole('button', { name: 'Create workspace' }).click()
  await page.waitForURL('**/t/acme-research')
  await page.getByRole('heading', { name: 'Acme Research' }).waitFor()
  await page.getByText('Coming soon to this workspace').waitFor()
  await shot(page, '06-overview')

  // Bob signs up in his own browser context.
  const bob = await newPage()
  await signUp(bob.page, 'Bob Baker', 'bob@example.com')

  // Alice invites by email: the dialog answers the same for an address with
  // no account as for Bob's (nothing to enumerate), and hands her the link.
  await page.getByRole('link', { name: 'Members', exact: true }).click()
  await page.getByTestId('member-alice@example.com').waitFor()
  await shot(page, '07-members-alone')
  const dialog = page.getByRole('dialog', { name: 'Invite a member' })
  const invite = async (email, role, name) => {
    await page.getByRole('button', { name: 'Invite member' }).click()
    await dialog.getByLabel('Email address').fill(email)
    if (role) {
      await dialog.getByRole('combobox', { name: 'Role' }).click()
      await page.getByRole('option', { name: role }).click()
    }
    if (name) await shot(page, name)
    await dialog.getByRole('button', { name: 'Send invitation' }).click()
    const sent = page.getByRole('dialog', { name: `Invitation sent to ${email}` })
    const link = await sent.getByRole('textbox', { name: 'Invitation link' }).inputValue()
    assert.match(link, /\/invite#token=[\w-]{43}$/)
    if (name) await shot(page, name + '-sent')
    await sent.getByRole('button', { name: 'Done' }).click()
    await sent.waitFor({ state: 'detached' })
    return link
  }
  await invite('nobody@example.com')
  const nobody = page.getByTestId('invitation-nobody@example.com')
  await nobody.waitFor()
  await nobody.getByRole('button', { name: 'Revoke the invitation to nobody@example.com' }).click()
  await nobody.waitFor({ state: 'detached' })
  const bobLink = await invite('bob@example.com', /Admin/, '08-invite')
  await page.getByTestId('invitation-bob@example.com').waitFor()
  const bobRow = page.getByTestId('member-bob@example.com')
  assert.equal(await bobRow.count(), 0, 'an invitation must not add anyone before they accept')
  // Bob accepts through the link in his own browser.
  await bob.page.goto(bobLink)
  await bob.page.getByRole('heading', { name: 'Join the workspace?' }).waitFor()
  await shot(bob.page, '08-invite-accept')
  await bob.page.getByRole('button', { name: 'Accept invitation' }).click()
  await bob.page.waitForURL('**/t/acme-research')
  await page.reload()
  await bobRow.waitFor()
  assert.equal(await page.getByTestId('invitation-bob@example.com').count(), 0)
  assert.equal(await bobRow.getByRole('combobox').textContent(), 'Admin')
  // Alice is the last owner: her role cannot be changed and she cannot leave.
  const aliceRow = page.getByTestId('member-alice@example.com')
  assert.equal(await aliceRow.getByRole('combobox').count(), 0)
  assert.equal(await aliceRow.getByRole('button', { name: 'Leave workspace' }).count(), 0)
  await shot(page, '09-members')

  // Bob sees the workspace with his role.
  await bob.page.goto('/?all')
  const card = bob.page.getByRole('link', { name: /Acme Research/ })
  await card.waitFor()
  assert.match(await card.textContent(), /Admin/)
  await card.click()
  await bob.page.getByRole('heading', { name: 'Acme Research' }).waitFor()
  await bob.page.getByText(/You are an\s*Admin/).waitFor()
  await bob.page.getByRole('link', { name: 'Members', exact: true }).click()
  // As an admin Bob cannot touch the owner.
  const ownerRow = bob.page.getByTestId('member-alice@example.com')
  await ownerRow.waitFor()
  assert.equal(await ownerRow.getByRole('combobox').count(), 0)
  assert.equal(await ownerRow.getByRole('button', { name: /Remove/ }).count(), 0)
  await shot(bob.page, '09-members-as-admin')

  // Carol, not a member, gets the not-found page.
  const carol = await newPage()
  await signUp(carol.page, 'Carol Chen', 'carol@example.com')
  await carol.page.goto('/t/acme-research')
  await carol.page.getByTestId('not-found').waitFor()
  await carol.page.getByRole('heading', { name: 'Workspace not found' }).waitFor()
  await shot(carol.page, '10-not-found')

  // Alice invites Carol as a viewer (Carol accepts) and makes Bob a member.
  const carolLink = await invite('carol@example.com', /Viewer/)
  await carol.page.goto(carolLink)
  await carol.page.getByRole('button', { name: 'Accept invitation' }).click()
  await carol.page.waitForURL('**/t/acme-research')
  await bobRow.getByRole('combobox').click()
  await page.getByRole('option', { name: /^Member/ }).click()
  await page.getByText('Bob Baker is now a member.', { exact: true }).waitFor()
  assert.equal(await bobRow.getByRole('combobox').textContent(), 'Member')

  // Carol now sees it read-only, and leaves.
  await carol.page.goto('/t/acme-research')
  await carol.page.getByText(/You are a\s*Viewer/).waitFor()
  await carol.page.getByRole('link', { name: 'Members', exact: true }).click()
  await carol.page.getByTestId('member-carol@example.com').waitFor()
  assert.equal(await carol.page.getByRole('button', { name: 'Invite member' }).count(), 0)
  assert.equal(await carol.page.getByRole('combobox').count(), 0)
  await shot(carol.page, '11-members-as-viewer')
  await carol.page.getByRole('button', { name: 'Leave workspace' }).click()
  await carol.page.getByRole('alertdialog').getByRole('button', { name: 'Leave workspace' }).click()
  await carol.page.getByText('Create your first workspace').waitFor()
  await carol.context.close()
  await page.reload()
  await page.getByTestId('member-bob@example.com').waitFor()
  assert.equal(await page.getByTestId('member-carol@example.com').count(), 0)

  // Settings and account.
  await page.getByRole('link', { name: 'Settings', exact: true }).click()
  await page.getByRole('heading', { name: 'General' }).waitFor()
  // Renaming the address moves the URL with it (and back).
  for (const slug of ['acme-labs', 'acme-research']) {
    await page.getByRole('textbox', { name: 'Address' }).fill(slug)
    await page.getByRole('button', { name: 'Save changes' }).click()
    await page.waitForURL(`**/t/${slug}/settings`)
    await page.getByRole('button', { name: 'Save changes' }).and(page.locator(':disabled')).waitFor()
  }
  await page.getByRole('textbox', { name: 'Domain' }).fill('not a domain')
  await page.getByRole('button', { name: 'Save domain' }).click()
  await page.getByText('Enter a host name such as chat.example.com.').waitFor()
  await page.getByRole('textbox', { name: 'Domain' }).fill('chat.acme.example')
  await page.getByRole('button', { name: 'Save domain' }).click()
  await page.getByText('Not verified yet').waitFor()
  await shot(page, '12-settings')
  await page.getByRole('button', { name: 'Delete this workspace' }).click()
  await page.getByRole('alertdialog').waitFor()
  await shot(page, '13-delete-confirm')
  await page.keyboard.press('Escape')

  await page.getByTestId('user-menu').click()
  await page.getByRole('menuitem', { name: 'Account' }).click()
  await page.getByRole('heading', { name: 'Account', exact: true }).waitFor()
  await shot(page, '14-account')

  // A superuser signed in to the admin console in this browser gets a link to it;
  // /_/ is PocketBase's dashboard, never the web app.
  assert.equal(await page.getByRole('link', { name: 'Open the admin console' }).count(), 0)
  h.server.superuser('root@example.com', 'superuser-pass-1')
  await page.evaluate(async () => {
    const r = await fetch('/api/collections/_superusers/auth-with-password', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ identity: 'root@example.com', password: 'superuser-pass-1' }),
    })
    const { token, record } = await r.json()
    localStorage.setItem('__pb_superuser_auth__', JSON.stringify({ token, record }))
  })
  await page.reload()
  assert.equal(await page.getByRole('link', { name: 'Open the admin console' }).getAttribute('href'), '/_/')
  await page.getByTestId('user-menu').click()
  await page.getByRole('menuitem', { name: 'Admin console' }).waitFor()
  await page.keyboard.press('Escape')
  const admin = await page.request.get('/_/')
  assert.equal(admin.status(), 200)
  assert.doesNotMatch(await admin.text(), /<title>nyxCore<\/title>/)

  // Keyboard: a skip link first, visible focus, menus that open and close from the keyboard.
  await page.reload()
  await page.getByRole('heading', { name: 'Account', exact: true }).waitFor()
  await page.keyboard.press('Tab')
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content')
  await page.keyboard.press('Tab')
  const focusVisible = await page.evaluate(() => {
    const st = getComputedStyle(document.activeElement)
    return st.outlineStyle !== 'none' || st.boxShadow !== 'none'
  })
  assert.ok(focusVisible, 'the focused control shows a focus indicator')
  await page.getByTestId('tenant-switcher').focus()
  await page.keyboard.press('Enter')
  await page.getByRole('menuitem', { name: 'Acme Research' }).waitFor()
  await page.keyboard.press('Escape')
  await page.getByRole('menu').waitFor({ state: 'detached' })

  // Small screens: the sidebar becomes a drawer.
  await page.setViewportSize({ width: 390, height: 844 })
  await page.goto('/t/acme-research')
  await page.getByRole('heading', { name: 'Acme Research' }).waitFor()
  assert.equal(await page.getByRole('navigation', { name: 'Workspace' }).count(), 0)
  await shot(page, '15-mobile')
  await page.getByRole('button', { name: 'Open navigation' }).click()
  const drawer = page.getByRole('dialog', { name: 'Navigation' })
  await drawer.getByRole('link', { name: 'Members', exact: true }).waitFor()
  await shot(page, '15-mobile-nav')
  await drawer.getByRole('link', { name: 'Members', exact: true }).click()
  await drawer.waitFor({ state: 'detached' })
  await page.getByTestId('member-bob@example.com').waitFor()
  await shot(page, '15-mobile-members')
  await page.setViewportSize({ width: 1280, height: 800 })

  // Sign out: back to sign in, and the workspace is behind sign-in again.
  await page.getByTestId('user-menu').click()
  await page.getByRole('menuitem', { name: 'Sign out' }).click()
  await page.waitForURL('**/signin')
  await page.goto('/t/acme-research')
  await page.waitForURL(/\/signin\?next=%2Ft%2Facme-research$/)
  await alice.context.close()

  // The offline shell: Bob's browser has the service worker; cut the network.
  const { page: bp, context: bc } = bob
  await bp.goto('/t/acme-research')
  await bp.getByText(/You are a\s*Member/).waitFor()

  // The shell renders without waiting for any API answer: in a context with
  // Bob's token but no local copy of data, hold every API request; the frame
  // and skeletons still show.
  const state = await bc.storageState()
  for (const o of state.origins) o.localStorage = o.localStorage.filter((e) => !e.name.startsWith('nyx.cache.'))
  const held = await h.browser.newContext({ baseURL: h.server.url, viewport: { width: 1280, height: 800 }, storageState: state })
  const hp = await held.newPage()
  hp.on('pageerror', (err) => pageErrors.push(String(err)))
  await hp.route('**/api/**', () => {})
  const started = Date.now()
  await hp.goto('/t/acme-research/members', { waitUntil: 'commit' })
  await hp.getByRole('heading', { name: 'Members', level: 1 }).waitFor()
  await hp.getByRole('navigation', { name: 'Workspace' }).waitFor()
  await hp.locator('[aria-busy="true"]').first().waitFor()
  assert.ok(Date.now() - started < 5000, 'shell rendered promptly with the API held')
  await shot(hp, '16-loading', { settle: false })
  await held.close()

  await bp.goto('/t/acme-research')
  await bp.getByRole('heading', { name: 'Acme Research' }).waitFor()
  await bp.evaluate(() => navigator.serviceWorker.ready)
  await bp.waitForFunction(() => navigator.serviceWorker.controller !== null)
  await bc.setOffline(true)
  const res = await bp.reload()
  assert.ok(res?.fromServiceWorker(), 'the offline page came from the service worker')
  await bp.getByTestId('offline-banner').waitFor()
  await bp.getByText('You’re offline.').waitFor()
  await bp.getByRole('navigation', { name: 'Workspace' }).waitFor()
  // The last-known data is shown from the local copy, not skeletons.
  await bp.getByRole('heading', { name: 'Acme Research' }).waitFor()
  await bp.getByRole('link', { name: 'Members', exact: true }).click()
  await bp.getByTestId('member-bob@example.com').waitFor()
  await shot(bp, '17-offline')
  await bc.close()

  assert.deepEqual(pageErrors, [], 'uncaught errors in the pages')
})
