import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter, Route, Routes } from 'react-router'
import { afterEach, describe, expect, it } from 'vitest'
import type { AuditEntry } from '../../lib/api'
import AuditPage from './AuditPage'
import { UsageMeters } from '../usage/UsageMeters'
import { Composer } from '../discussions/Composer'

const realFetch = globalThis.fetch
afterEach(() => {
  globalThis.fetch = realFetch
})

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

function entry(seq: number, action: string, extra: Partial<AuditEntry> = {}): AuditEntry {
  return {
    seq,
    id: 'e' + seq,
    at: '2026-11-27T10:00:00Z',
    actor_id: 'u1',
    actor_email: 'alice@example.com',
    action,
    target_type: 'user',
    target_id: 'u2',
    ip: '127.0.0.1',
    user_agent: 'Mozilla/5.0 Test',
    details: { email: 'bob@example.com', role: 'admin' },
    hash: 'a'.repeat(64),
    prev_hash: 'b'.repeat(64),
    ...extra,
  }
}

function mount(role: string, routes: (url: string) => Response | undefined, ui = <AuditPage />) {
  const calls: string[] = []
  globalThis.fetch = async (input: RequestInfo | URL) => {
    const url = String(input)
    calls.push(url)
    if (url.endsWith('/tenants/acme')) return json({ id: 't1', slug: 'acme', name: 'Acme', role, custom_domain: null, custom_domain_verified: false, created_at: '' })
    if (url.endsWith('/tenants/acme/members')) return json({ items: [{ user_id: 'u1', email: 'alice@example.com', name: 'Alice', role: 'owner', created_at: '' }] })
    return routes(url) ?? json({ code: 'not_found' }, 404)
  }
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  render(
    <QueryClientProvider client={qc}>
      <MemoryRouter initialEntries={['/t/acme']}>
        <Routes>
          <Route path="t/:slug" element={ui} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  )
  return calls
}

describe('AuditPage', () => {
  it('lists entries with readable actions, expands one, filters and pages', async () => {
    const calls = mount('owner', (url) => {
      if (!url.includes('/audit')) return undefined
      if (url.includes('before=2')) return json({ items: [entry(1, 'tenant.create', { details: { slug: 'acme', name: 'Acme' }, target_type: 'tenant', prev_hash: '' })], next_before: 0 })
      if (url.includes('action=member.add')) return json({ items: [], next_before: 0 })
      return json({ items: [entry(3, 'member.add'), entry(2, 'auth.signin_failed', { target_type: '', target_id: '', details: null })], next_before: 2 })
    })
    const row = await screen.findByTestId('audit-member.add')
    expect(within(row).getByText('Member added')).toBeTruthy()
    expect(within(row).getByText('bob@example.com')).toBeTruthy()
    expect(within(row).getByText('127.0.0.1')).toBeTruthy()
    expect(screen.getByText('Sign-in failed')).toBeTruthy()

    const toggle = within(row).getByRole('button', { name: 'Show details of entry 3' })
    await userEvent.click(toggle)
    expect(toggle.getAttribute('aria-expanded')).toBe('true')
    expect(screen.getByText('Mozilla/5.0 Test')).toBeTruthy()
    expect(screen.getByText(/"role": "admin"/)).toBeTruthy()
    expect(screen.getByText('aaaaaaaaaa…aaaaaaaa')).toBeTruthy()
    expect(screen.getByRole('button', { name: 'Copy this entry’s hash' })).toBeTruthy()

    await userEvent.click(screen.getByRole('button', { name: 'Load more' }))
    await screen.findByText('Workspace created')
    expect(calls.some((u) => u.includes('before=2&limit=50'))).toBe(true)
    expect(screen.getByText('The start of the log.')).toBeTruthy()

    await userEvent.selectOptions(screen.getByLabelText('Action'), 'member.add')
    await screen.findByText('No entries match these filters')
    expect(calls.at(-1)).toContain('?action=member.add&limit=50')
  })

  it('tells members it is for owners and admins, without asking the API', async () => {
    const calls = mount('member', () => undefined)
    await screen.findByText('Owners and admins only')
    expect(calls.some((u) => u.includes('/audit'))).toBe(false)
    expect(screen.queryByRole('button', { name: /Export CSV/ })).toBeNull()
  })
})

describe('UsageMeters', () => {
  it('shows used of limit, unlimited and spent budgets', async () => {
    mount('viewer', (url) =>
      url.endsWith('/usage')
        ? json({ limits: { tenant_daily: 1000, tenant_monthly: 0, user_daily: 100, user_monthly: 5000 }, usage: { tenant_day: 900, tenant_month: 20, user_day: 150, user_month: 150 } })
        : undefined,
      <UsageMeters slug="acme" />,
    )
    const day = await screen.findByTestId('meter-tenant_day')
    expect(day.dataset.state).toBe('warn')
    expect(within(day).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('900')
    expect(within(screen.getByTestId('meter-tenant_month')).getByText(/Unlimited/)).toBeTruthy()
    const spent = screen.getByTestId('meter-user_day')
    expect(within(spent).getByText('Budget spent — turns are refused until tomorrow.')).toBeTruthy()
    expect(within(spent).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100')
  })
})

describe('Composer', () => {
  it('shows a refused turn’s budget_exceeded message', async () => {
    const { ApiError } = await import('../../lib/api')
    render(<Composer running={false} canWrite onSend={() => Promise.reject(new ApiError(429, 'budget_exceeded'))} onStop={() => {}} stopping={false} />)
    await userEvent.type(screen.getByLabelText('Message'), 'hello{Enter}')
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/token budget for today or this month is spent/))
  })
})
