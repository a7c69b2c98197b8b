import { authHeader, pb } from './pb'
import { messageFor, type ErrorCode, isErrorCode } from './errors'
import type { Role } from './roles'
import { modelEndpoints } from './api-models'
export * from './api-models'

/** ApiError is every failure of an API call, with a human message. */
export class ApiError extends Error {
  readonly status: number
  readonly code: ErrorCode | string
  readonly field: string | undefined
  /** detail is the server's own message, for answers that say what was found (domain_not_verified). */
  readonly detail: string | undefined

  constructor(status: number, code: string, serverMessage?: string, field?: string) {
    super(messageFor(code, serverMessage))
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.field = field
    this.detail = serverMessage
  }

  /** known tells whether the code is one this app has a message for. */
  get known(): boolean {
    return isErrorCode(this.code)
  }
}

/** DomainStatus is a custom domain's verification state and how to prove it. */
export type DomainStatus = {
  domain: string | null
  verified: boolean
  verified_at: string | null
  dns: { type: 'TXT'; name: string; value: string } | null
  http: { url: string; body: string } | null
}

export type Tenant = {
  id: string
  slug: string
  name: string
  custom_domain: string | null
  custom_domain_verified: boolean
  created_at: string
  role?: Role
}

export type Member = {
  user_id: string
  email: string
  name: string
  role: Role
  created_at: string
}

export type Me = {
  user: { id: string; email: string; name: string; verified: boolean }
  memberships: { tenant_id: string; slug: string; name: string; role: Role }[]
}

/** Invited is the answer to an invitation: the same whether or not the address has an account. */
export type Invited = {
  invited: true
  id: string
  email: string
  role: Role
  expires_at: string
  token: string
  /** accept_url is a path on this server; its #token fragment never reaches server logs. */
  accept_url: string
}

/** Invitation is an open invitation as the workspace's admins see it. */
export type Invitation = {
  id: string
  email: string
  role: Role
  invited_by: string
  created_at: string
  expires_at: string
  expired: boolean
}

/** MyInvitation is an invitation as its invitee sees it. */
export type MyInvitation = {
  id: string
  tenant: { id: string; slug: string; name: string }
  role: Role
  created_at: string
  expires_at: string
  accepted_at?: string
  declined_at?: string
}

/** AccountEvent is one entry of the signed-in user's own account history. */
export type AccountEvent = {
  id: string
  at: string
  action: string
  ip: string
  user_agent: string
  details: Record<string, unknown>
}

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'

type ErrorBody = { code?: unknown; message?: unknown; data?: { field?: unknown } }

/**
 * request calls /api/nyx with the signed-in user's token and returns the
 * JSON answer, or throws an ApiError. A 401 signs the user out: the token
 * is no longer good for anything.
 */
export async function request<T>(method: Method, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  const token = authHeader()
  if (token) headers.Authorization = token
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  let res: Response
  try {
    res = await fetch('/api/nyx' + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    })
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw new ApiError(499, 'cancelled')
    throw new ApiError(0, 'network')
  }
  if (res.status === 204) return undefined as T
  const data: unknown = await res.json().catch(() => undefined)
  if (res.ok) return data as T
  const err = (data ?? {}) as ErrorBody
  const code = typeof err.code === 'string' ? err.code : res.status >= 500 ? 'internal' : 'unknown'
  const field = typeof err.data?.field === 'string' ? err.data.field : undefined
  const apiError = new ApiError(res.status, code, typeof err.message === 'string' ? err.message : undefined, field)
  if (res.status === 401) pb.authStore.clear()
  return Promise.reject(apiError)
}

const seg = encodeURIComponent

/** api lists every endpoint the web app uses. */
export const api = {
  me: (signal?: AbortSignal) => request<Me>('GET', '/me', undefined, signal),
  tenants: (signal?: AbortSignal) => request<{ items: Tenant[] }>('GET', '/tenants', undefined, signal),
  tenant: (ref: string, signal?: AbortSignal) => request<Tenant>('GET', `/tenants/${seg(ref)}`, undefined, signal),
  createTenant: (body: { name: string; slug: string }) => request<Tenant>('POST', '/tenants', body),
  updateTenant: (ref: string, body: { name?: string; slug?: string; custom_domain?: string | null }) =>
    request<Tenant>('PATCH', `/tenants/${seg(ref)}`, body),
  deleteTenant: (ref: string) => request<void>('DELETE', `/tenants/${seg(ref)}`),
  domain: (ref: string, signal?: AbortSignal) => request<DomainStatus>('GET', `/tenants/${seg(ref)}/domain`, undefined, signal),
  verifyDomain: (ref: string) => request<DomainStatus>('POST', `/tenants/${seg(ref)}/domain/verify`),
  members: (ref: string, signal?: AbortSignal) =>
    request<{ items: Member[] }>('GET', `/tenants/${seg(ref)}/members`, undefined, signal),
  addMember: (ref: string, body: { email: string; role: Role }) =>
    request<Invited>('POST', `/tenants/${seg(ref)}/members`, body),
  invitations: (ref: string, signal?: AbortSignal) =>
    request<{ items: Invitation[] }>('GET', `/tenants/${seg(ref)}/invitations`, undefined, signal),
  revokeInvitation: (ref: string, id: string) => request<void>('DELETE', `/tenants/${seg(ref)}/invitations/${seg(id)}`),
  myInvitations: (signal?: AbortSignal) =>
    request<{ items: MyInvitation[]; email_verified: boolean }>('GET', '/invitations', undefined, signal),
  answerInvitation: (id: string, answer: 'accept' | 'decline') => request<MyInvitation>('POST', `/invitations/${seg(id)}/${answer}`),
  answerInvitationToken: (token: string, answer: 'accept' | 'decline') => request<MyInvitation>('POST', `/invitations/${answer}`, { token }),
  activity: (signal?: AbortSignal) => request<{ items: AccountEvent[] }>('GET', '/me/activity', undefined, signal),
  updateMember: (ref: string, userId: string, body: { role: Role }) =>
    request<Member>('PATCH', `/tenants/${seg(ref)}/members/${seg(userId)}`, body),
  removeMember: (ref: string, userId: string) => request<void>('DELETE', `/tenants/${seg(ref)}/members/${seg(userId)}`),
  ...modelEndpoints,
}
