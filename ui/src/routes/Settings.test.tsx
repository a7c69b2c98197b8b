import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render, screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter, Route, Routes } from 'react-router'
import { afterEach, describe, expect, it } from 'vitest'
import type { DomainStatus, Tenant } from '../lib/api'
import { Toaster } from '../components/ui/Toast'
import Settings from './Settings'

const realFetch = globalThis.fetch
afterEach(() => {
  globalThis.fetch = realFetch
})

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

const notFoundDetail =
  'Could not verify chat.acme.example yet. looked up TXT _nyxcore-challenge.chat.acme.example and got no answer; fetched http://chat.acme.example/.well-known/nyxcore-domain/t1.abc and got connection refused. DNS changes can take a while to show; try again later.'

/** server is a fake of the nyxCore API for one tenant, speaking its wire format. */
function server(initial: { role?: string; domain: string | null; verified?: boolean }) {
  const state = { domain: initial.domain, verified: initial.verified ?? false, verify: [] as (() => Response)[] }
  const tenant = (): Tenant => ({
    id: 't1',
    slug: 'acme',
    name: 'Acme',
    role: (initial.role ?? 'owner') as Tenant['role'],
    custom_domain: state.domain,
    custom_domain_verified: state.verified,
    created_at: '2026-11-27T10:00:00Z',
  })
  const token = () => 't1.' + (state.domain ?? '').split('.')[0]
  const status = (): DomainStatus => ({
    domain: state.domain,
    verified: state.verified,
    verified_at: state.verified ? '2026-11-27T10:05:00Z' : null,
    dns: state.domain && !state.verified ? { type: 'TXT', name: '_nyxcore-challenge.' + state.domain, value: 'nyxcore-verify=' + token() } : null,
    http: state.domain && !state.verified ? { url: `http://${state.domain}/.well-known/nyxcore-domain/${token()}`, body: token() } : null,
  })
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input)
    const method = init?.method ?? 'GET'
    if (url.endsWith('/tenants/acme') && method === 'PATCH') {
      const body = JSON.parse(String(init?.body)) as { custom_domain?: string | null }
      if (body.custom_domain !== undefined && body.custom_domain !== state.domain) {
        state.domain = body.custom_domain
        state.verified = false
      }
      return json(tenant())
    }
    if (url.endsWith('/tenants/acme')) return json(tenant())
    if (url.endsWith('/tenants/acme/domain')) return json(status())
    if (url.endsWith('/tenants/acme/domain/verify') && method === 'POST') {
      const next = state.verify.shift()
      if (next) return next()
      state.verified = true
      return json(status())
    }
    return json({ code: 'not_found', message: 'No such API endpoint.' }, 404)
  }
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 30_000 } } })
  render(
    <QueryClientProvider client={qc}>
      <MemoryRouter initialEntries={['/t/acme/settings']}>
        <Routes>
          <Route path="t/:slug/settings" element={<Settings />} />
        </Routes>
        <Toaster />
      </MemoryRouter>
    </QueryClientProvider>,
  )
  return state
}

const panel = () => screen.findByLabelText('Verify the domain')

describe('Settings: custom domain', () => {
  it('shows the TXT record, the URL and the status; a failed check says what it found; success flips to verified', async () => {
    const state = server({ domain: 'chat.acme.example' })
    state.verify.push(() => json({ code: 'domain_not_verified', message: notFoundDetail }, 422))

    const proof = await panel()
    expect(within(proof).getByText('Not verified yet')).toBeTruthy()
    expect(within(proof).getByText('TXT')).toBeTruthy()
    expect(within(proof).getByTestId('dns-name').textContent).toBe('_nyxcore-challenge.chat.acme.example')
    expect(within(proof).getByTestId('dns-value').textContent).toBe('nyxcore-verify=t1.chat')
    expect(within(proof).getByText('http://chat.acme.example/.well-known/nyxcore-domain/t1.chat')).toBeTruthy()

    await userEvent.click(within(proof).getByRole('button', { name: 'Verify now' }))
    const alert = await within(proof).findByRole('alert')
    expect(alert.textContent).toContain('looked up TXT _nyxcore-challenge.chat.acme.example and got no answer')
    expect(alert.textContent).toContain('connection refused')
    expect(within(proof).getByText('Not verified yet')).toBeTruthy()

    await userEvent.click(within(proof).getByRole('button', { name: 'Verify now' }))
    await screen.findByText('Verified')
    expect(screen.getByText('Requests to this host open this workspace.')).toBeTruthy()
    expect(screen.queryByText('Not verified yet')).toBeNull()
    expect(screen.queryByRole('button', { name: 'Verify now' })).toBeNull()
    expect(screen.queryByRole('alert')).toBeNull()
  })

  it('shows the new domain’s record, never the old one’s, after the domain is changed', async () => {
    server({ domain: 'chat.acme.example' })
    expect(within(await panel()).getByTestId('dns-name').textContent).toBe('_nyxcore-challenge.chat.acme.example')

    const input = screen.getByRole('textbox', { name: 'Domain' })
    await userEvent.clear(input)
    await userEvent.type(input, 'team.acme.example')
    expect(screen.queryByLabelText('Verify the domain')).toBeNull()
    await userEvent.click(screen.getByRole('button', { name: 'Save domain' }))

    await waitFor(() => expect(screen.getByTestId('dns-name').textContent).toBe('_nyxcore-challenge.team.acme.example'))
    expect(screen.getByTestId('dns-value').textContent).toBe('nyxcore-verify=t1.team')
    expect(screen.queryByText(/_nyxcore-challenge\.chat\.acme\.example/)).toBeNull()
  })

  it('tells the user when the domain changed during the check, and shows the current one', async () => {
    const state = server({ domain: 'chat.acme.example' })
    state.verify.push(() => {
      // Another admin saves a new domain while this check runs.
      state.domain = 'team.acme.example'
      return json({ code: 'domain_changed', message: 'The custom domain changed while it was being checked; check the new one.' }, 409)
    })
    const proof = await panel()
    await userEvent.click(within(proof).getByRole('button', { name: 'Verify now' }))
    await screen.findByText('The domain changed while it was being checked. Verify the new one.')
    await waitFor(() => expect(screen.getByTestId('dns-name').textContent).toBe('_nyxcore-challenge.team.acme.example'))
    expect((screen.getByRole('textbox', { name: 'Domain' }) as HTMLInputElement).value).toBe('team.acme.example')
  })

  it('shows members the status only, without the proof or Verify now', async () => {
    server({ role: 'member', domain: 'chat.acme.example', verified: false })
    await screen.findByText('Not verified yet')
    expect(screen.queryByLabelText('Verify the domain')).toBeNull()
    expect(screen.queryByRole('button', { name: 'Verify now' })).toBeNull()
  })
})
