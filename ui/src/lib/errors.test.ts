import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { errorCodes, isErrorCode, messageFor } from './errors'
import { ApiError, request } from './api'

// The server's codes, read from its source so a new code without a message
// fails here (app/server: newError/fieldError calls and code assignments).
function serverCodes(): string[] {
  const dir = join(import.meta.dirname, '../../../app/server')
  const codes = new Set<string>()
  for (const f of readdirSync(dir)) {
    if (!f.endsWith('.go') || f.endsWith('_test.go')) continue
    const src = readFileSync(join(dir, f), 'utf8')
    for (const m of src.matchAll(/(?:newError|fieldError)\(\s*(?:http\.\w+|\d+)\s*,\s*"([a-z_]+)"/g)) codes.add(m[1] as string)
    // codes assigned before an apiError literal (llm_errors.go): code = "x", or status, code = s, "x"
    for (const m of src.matchAll(/\bcode\s*:?=\s*(?:[^"\n]*,\s*)?"([a-z_]+)"/g)) codes.add(m[1] as string)
  }
  return [...codes].sort()
}

describe('error messages', () => {
  it('finds the server codes', () => {
    expect(serverCodes()).toEqual(expect.arrayContaining(['auth_required', 'tenant_not_found', 'last_owner', 'internal']))
  })

  it.each(serverCodes())('has a human message for server code %s', (code) => {
    expect(isErrorCode(code), `add "${code}" to ui/src/lib/errors.ts`).toBe(true)
    const msg = messageFor(code, 'server text')
    expect(msg).not.toBe('server text')
    expect(msg).toMatch(/^[A-Z].*[.!?]$/)
    expect(msg).not.toMatch(/_/)
  })

  it('gives every known code a distinct message', () => {
    const msgs = errorCodes.map((c) => messageFor(c))
    expect(new Set(msgs).size).toBe(msgs.length)
  })

  it('falls back to the server message, then a generic one, for unknown codes', () => {
    expect(messageFor('brand_new_code', 'Server says no.')).toBe('Server says no.')
    expect(messageFor('brand_new_code')).toBe(messageFor('unknown'))
  })
})

describe('request', () => {
  const respond = (status: number, body?: unknown) =>
    new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

  it('turns an error body into an ApiError with its field and message', async () => {
    globalThis.fetch = async () => respond(409, { code: 'slug_taken', message: 'x', data: { field: 'slug' } })
    const err = await request('POST', '/tenants', {}).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err).toMatchObject({ status: 409, code: 'slug_taken', field: 'slug', message: messageFor('slug_taken') })
  })

  it('maps a failed fetch to the network code', async () => {
    globalThis.fetch = async () => {
      throw new TypeError('Failed to fetch')
    }
    await expect(request('GET', '/me')).rejects.toMatchObject({ code: 'network', status: 0 })
  })

  it('maps a non-JSON 5xx to internal', async () => {
    globalThis.fetch = async () => new Response('<html>bad gateway</html>', { status: 502 })
    await expect(request('GET', '/me')).rejects.toMatchObject({ code: 'internal', status: 502 })
  })

  it('returns undefined for 204', async () => {
    globalThis.fetch = async () => respond(204)
    await expect(request('DELETE', '/tenants/acme')).resolves.toBeUndefined()
  })
})
