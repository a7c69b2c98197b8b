import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render, screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { MemoryRouter } from 'react-router'
import { describe, expect, it } from 'vitest'
import { ConnectionIndicator } from './shell/ConnectionIndicator'
import { Field } from './ui/Field'
import { RoleBadge } from './ui/Badge'
import { initials } from './ui/Avatar'
import SignIn from '../routes/SignIn'
import NewTenant from '../routes/NewTenant'

function withProviders(ui: React.ReactNode) {
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } })
  return render(
    <QueryClientProvider client={qc}>
      <MemoryRouter>{ui}</MemoryRouter>
    </QueryClientProvider>,
  )
}

function stubFetch(handler: (url: string, init?: RequestInit) => Response) {
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => handler(String(input), init)
}

describe('ConnectionIndicator', () => {
  it.each([
    ['open', 'Online'],
    ['connecting', 'Connecting…'],
    ['offline', 'Offline'],
    ['closed', 'Disconnected'],
  ] as const)('shows %s as %s', (state, label) => {
    render(<ConnectionIndicator state={state} />)
    expect(screen.getByRole('status')).toHaveProperty('textContent', label)
  })

  it('counts down a reconnect', () => {
    render(<ConnectionIndicator state="reconnecting" retryInMs={3200} />)
    expect(screen.getByRole('status').textContent).toBe('Reconnecting in 4s')
  })
})

describe('Field', () => {
  it('ties label, hint and error to the input', () => {
    const { rerender } = render(<Field label="Address" hint="3–40 characters." />)
    const input = screen.getByLabelText('Address')
    expect(input.getAttribute('aria-invalid')).toBeNull()
    expect(document.getElementById(input.getAttribute('aria-describedby') ?? '')?.textContent).toBe('3–40 characters.')
    rerender(<Field label="Address" hint="3–40 characters." error="That address is reserved." />)
    expect(input.getAttribute('aria-invalid')).toBe('true')
    expect(screen.getByRole('alert').textContent).toBe('That address is reserved.')
    expect(input.getAttribute('aria-describedby')).toContain(screen.getByRole('alert').id)
  })
})

describe('small pieces', () => {
  it('labels roles and makes initials', () => {
    render(<RoleBadge role="admin" />)
    expect(screen.getByText('Admin')).toBeTruthy()
    expect([initials('Ada Lovelace'), initials('bob@example.com'), initials('')]).toEqual(['AL', 'BE', '?'])
  })
})

describe('SignIn', () => {
  it('validates before sending and focuses the first problem', async () => {
    const calls: string[] = []
    stubFetch((url) => {
      calls.push(url)
      return Response.json({ password: { enabled: true }, oauth2: { enabled: false, providers: [] } })
    })
    withProviders(<SignIn />)
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }))
    expect(screen.getByText('Enter your email address.')).toBeTruthy()
    expect(screen.getByText('Enter your password.')).toBeTruthy()
    expect(document.activeElement).toBe(screen.getByLabelText('Email'))
    expect(calls.filter((u) => u.includes('auth-with-password'))).toEqual([])
  })

  it('offers the OAuth2 providers the server reports', async () => {
    stubFetch(() =>
      Response.json({
        password: { enabled: true },
        oauth2: { enabled: true, providers: [{ name: 'gitea', displayName: 'Gitea' }, { name: 'oidc', displayName: 'Company SSO' }] },
      }),
    )
    withProviders(<SignIn />)
    await screen.findByRole('button', { name: 'Sign in with Gitea' })
    expect(screen.getByRole('button', { name: 'Sign in with Company SSO' })).toBeTruthy()
  })

  it('shows a refused password as a form error', async () => {
    stubFetch((url) =>
      url.includes('auth-with-password')
        ? Response.json({ status: 400, message: 'Failed to authenticate.', data: {} }, { status: 400 })
        : Response.json({ password: { enabled: true }, oauth2: { enabled: false, providers: [] } }),
    )
    withProviders(<SignIn />)
    await userEvent.type(screen.getByLabelText('Email'), 'ada@example.com')
    await userEvent.type(screen.getByLabelText('Password'), 'nope')
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }))
    expect((await screen.findByRole('alert')).textContent).toBe('That email and password don’t match an account.')
  })
})

describe('NewTenant', () => {
  it('suggests the slug from the name and puts a server error beside its field', async () => {
    const bodies: unknown[] = []
    stubFetch((_url, init) => {
      bodies.push(JSON.parse(String(init?.body)))
      return Response.json({ code: 'slug_taken', message: 'taken', data: { field: 'slug' } }, { status: 409 })
    })
    withProviders(<NewTenant />)
    await userEvent.type(screen.getByLabelText('Name'), 'Acme Research')
    expect((screen.getByLabelText('Address') as HTMLInputElement).value).toBe('acme-research')
    await userEvent.click(screen.getByRole('button', { name: 'Create workspace' }))
    await waitFor(() => expect(screen.getByLabelText('Address').getAttribute('aria-invalid')).toBe('true'))
    expect(bodies).toEqual([{ name: 'Acme Research', slug: 'acme-research' }])
    expect(screen.getByText('Another workspace already uses that address. Try a different one.')).toBeTruthy()
    expect(document.activeElement).toBe(screen.getByLabelText('Address'))
  })
})
