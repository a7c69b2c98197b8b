import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { render, screen, within } from '@testing-library/react'
import { MemoryRouter, Route, Routes } from 'react-router'
import { afterEach, describe, expect, it } from 'vitest'
import type { Model, Provider, Tenant } from '../../lib/api'
import ModelsPage from './ModelsPage'

const realFetch = globalThis.fetch
afterEach(() => {
  globalThis.fetch = realFetch
})

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

const provider = (p: Partial<Provider> & Pick<Provider, 'id' | 'name'>): Provider => ({
  kind: 'ollama',
  base_url: 'http://127.0.0.1:11434',
  api_key_set: false,
  api_key_last4: '',
  enabled_models: [],
  enabled: true,
  builtin: false,
  operator: false,
  manageable: true,
  ...p,
})

const model = (p: Provider, name: string): Model => ({
  provider_id: p.id,
  provider_kind: p.kind,
  provider_name: p.name,
  name,
  family: 'llama',
  parameter_size: '1B',
  quantization: 'Q4_K_M',
  size: 1_000_000,
  context_length: 8192,
  loaded: false,
  manageable: p.manageable,
})

/** server fakes the nyxCore API for one tenant whose admin sees providers. */
function server(providers: Provider[], models: Model[]) {
  const tenant: Tenant = { id: 't1', slug: 'acme', name: 'Acme', role: 'admin', custom_domain: null, custom_domain_verified: false, created_at: '2026-11-27T10:00:00Z' }
  globalThis.fetch = async (input: RequestInfo | URL) => {
    const url = String(input)
    if (url.endsWith('/tenants/acme')) return json(tenant)
    if (url.endsWith('/tenants/acme/providers')) return json({ items: providers })
    if (url.endsWith('/tenants/acme/models')) return json({ items: models, errors: [] })
    return json({ code: 'not_found', message: 'No such API endpoint.' }, 404)
  }
  const qc = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: 30_000 } } })
  render(
    <QueryClientProvider client={qc}>
      <MemoryRouter initialEntries={['/t/acme/models']}>
        <Routes>
          <Route path="t/:slug/models" element={<ModelsPage />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  )
}

const shared = provider({ id: 'local-ollama', name: 'Local Ollama', builtin: true, operator: true, manageable: false })

describe('ModelsPage: operator hosts', () => {
  it('shows the operator’s models read-only to a workspace admin, and the workspace’s own host with delete', async () => {
    const own = provider({ id: 'p1', name: 'My box', base_url: 'http://gpu.example:11434' })
    server([shared, own], [model(shared, 'llama3.2:1b'), model(own, 'qwen3:4b')])

    const sharedRow = await screen.findByTestId('model-llama3.2:1b')
    expect(within(sharedRow).queryByRole('button', { name: /Delete/ })).toBeNull()
    expect(within(sharedRow).getByText('read-only')).toBeTruthy()
    const ownRow = screen.getByTestId('model-qwen3:4b')
    expect(within(ownRow).getByRole('button', { name: 'Delete qwen3:4b' })).toBeTruthy()
    expect(screen.getByRole('button', { name: /Pull model/ })).toBeTruthy()
  })

  it('offers no pull when the only Ollama host is the operator’s', async () => {
    server([shared], [model(shared, 'llama3.2:1b')])
    const row = await screen.findByTestId('model-llama3.2:1b')
    expect(within(row).queryByRole('button', { name: /Delete/ })).toBeNull()
    expect(screen.queryByRole('button', { name: /Pull/ })).toBeNull()
  })
})
