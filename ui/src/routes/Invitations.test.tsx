import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import type { ReactNode } from 'react'
import { MemoryRouter, Route, Routes } from 'react-router'
import { afterEach, describe, expect, it } from 'vitest'
import type { Invitation, Invited, MyInvitation } from '../lib/api'
import { Toaster } from '../components/ui/Toast'
import Invite, { tokenFromHash } from './Invite'
import { InviteDialog } from './InviteDialog'
import { MyInvitations } from './MyInvitations'
import { PendingInvitations } from './PendingInvitations'

const realFetch = globalThis.fetch
afterEach(() => {
  globalThis.fetch = realFetch
})

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

type Call = { method: string; url: string; body: unknown }

/** fake answers the nyx API from routes ("METHOD /path" → handler) and records every call. */
function fake(routes: Record<string, (body: unknown) => Response>): Call[] {
  const calls: Call[] = []
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const method = init?.method ?? 'GET'
    const url = String(input).replace(/^.*\/api\/nyx/, '')
    const body: unknown = init?.body ? JSON.parse(String(init.body)) : undefined
    calls.push({ method, url, body })
    const handler = routes[`${method} ${url}`]
    return handler ? handler(body) : json({ code: 'not_found', message: 'No such API endpoint.' }, 404)
  }
  return calls
}

function mount(ui: ReactNode, path = '/') {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  render(
    <QueryClientProvider client={qc}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path="*" element={ui} />
          <Route path="t/:slug" element={<p>workspace home</p>} />
        </Routes>
        <Toaster />
      </MemoryRouter>
    </QueryClientProvider>,
  )
}

const invited: Invited = {
  invited: true,
  id: 'i1',
  email: 'ghost@example.com',
  role: 'member',
  expires_at: '2026-12-11T10:00:00Z',
  token: 'A'.repeat(43),
  accept_url: '/invite#token=' + 'A'.repeat(43),
}

describe('invitations', () => {
  it('the invite dialog says the invitation was sent and shows the link, never whether the address has an account', async () => {
    const calls = fake({ 'POST /tenants/acme/members': () => json(invited, 202) })
    mount(<InviteDialog slug="acme" actor="owner" open onOpenChange={() => {}} />)
    await userEvent.type(screen.getByLabelText('Email address'), 'ghost@example.com')
    await userEvent.click(screen.getByRole('button', { name: 'Send invitation' }))
    const sent = await screen.findByRole('dialog', { name: 'Invitation sent to ghost@example.com' })
    expect((within(sent).getByLabelText('Invitation link') as HTMLInputElement).value).toBe(window.location.origin + invited.accept_url)
    expect(calls.at(-1)).toEqual({ method: 'POST', url: '/tenants/acme/members', body: { email: 'ghost@example.com', role: 'member' } })
    expect(sent.textContent).not.toMatch(/no account|sign up first|already has/i)
  })

  it('admins see pending invitations and revoke one', async () => {
    const pending: Invitation[] = [
      { id: 'i1', email: 'ghost@example.com', role: 'viewer', invited_by: 'u1', created_at: '', expires_at: '2026-12-11T10:00:00Z', expired: false },
    ]
    const calls = fake({
      'GET /tenants/acme/invitations': () => json({ items: pending }),
      'DELETE /tenants/acme/invitations/i1': () => {
        pending.pop()
        return new Response(null, { status: 204 })
      },
    })
    mount(<PendingInvitations slug="acme" />)
    const row = await screen.findByTestId('invitation-ghost@example.com')
    await userEvent.click(within(row).getByRole('button', { name: 'Revoke the invitation to ghost@example.com' }))
    await waitFor(() => expect(screen.queryByTestId('invitation-ghost@example.com')).toBeNull())
    expect(calls.some((c) => c.method === 'DELETE' && c.url === '/tenants/acme/invitations/i1')).toBe(true)
  })

  it('the invitation link page accepts with the token from the fragment and opens the workspace', async () => {
    const answer: MyInvitation = { id: 'i1', tenant: { id: 't1', slug: 'acme', name: 'Acme' }, role: 'member', created_at: '', expires_at: '' }
    const calls = fake({ 'POST /invitations/accept': () => json(answer) })
    mount(<Invite />, '/invite#token=tok-123')
    await userEvent.click(await screen.findByRole('button', { name: 'Accept invitation' }))
    await screen.findByText('workspace home')
    expect(calls.at(-1)).toEqual({ method: 'POST', url: '/invitations/accept', body: { token: 'tok-123' } })
  })

  it('a refused link says why', async () => {
    fake({ 'POST /invitations/accept': () => json({ code: 'invitation_expired', message: 'expired' }, 410) })
    mount(<Invite />, '/invite#token=tok-123')
    await userEvent.click(await screen.findByRole('button', { name: 'Accept invitation' }))
    await screen.findByText('This invitation has expired. Ask for a new one.')
  })

  it('an unverified address is told to verify', async () => {
    fake({ 'GET /invitations': () => json({ items: [], email_verified: false }) })
    mount(<MyInvitations />)
    await screen.findByText(/Verify your email address to see invitations/)
  })

  it('a verified address accepts in place and lands in the workspace', async () => {
    const inv: MyInvitation = { id: 'i9', tenant: { id: 't1', slug: 'acme', name: 'Acme' }, role: 'admin', created_at: '', expires_at: '' }
    const calls = fake({ 'GET /invitations': () => json({ items: [inv], email_verified: true }), 'POST /invitations/i9/accept': () => json(inv) })
    mount(<MyInvitations />)
    const item = await screen.findByTestId('my-invitation-acme')
    await userEvent.click(within(item).getByRole('button', { name: 'Accept' }))
    await screen.findByText('workspace home')
    expect(calls.some((c) => c.method === 'POST' && c.url === '/invitations/i9/accept')).toBe(true)
  })

  it('reads the token from an invitation link', () => {
    expect(tokenFromHash('#token=abc_-')).toBe('abc_-')
    expect(tokenFromHash('')).toBe('')
  })
})
