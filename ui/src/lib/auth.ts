import { useSyncExternalStore } from 'react'
import { ClientResponseError, type RecordModel } from 'pocketbase'
import { pb } from './pb'
import { messageFor } from './errors'

export type User = { id: string; email: string; name: string; verified: boolean }

function toUser(r: RecordModel | null): User | null {
  if (!r || r.collectionName !== 'users') return null
  return { id: r.id, email: String(r.email ?? ''), name: String(r.name ?? ''), verified: Boolean(r.verified) }
}

let snapshot: User | null = pb.authStore.isValid ? toUser(pb.authStore.record) : null
let deliberate = false
const listeners = new Set<() => void>()
pb.authStore.onChange(() => {
  snapshot = pb.authStore.isValid ? toUser(pb.authStore.record) : null
  if (snapshot) deliberate = false
  listeners.forEach((l) => l())
})

function subscribe(l: () => void) {
  listeners.add(l)
  return () => listeners.delete(l)
}

/** useUser is the signed-in user, read synchronously from the stored token (no API call). */
export function useUser(): User | null {
  return useSyncExternalStore(subscribe, () => snapshot)
}

/** signOut forgets the token; the router then shows sign-in. */
export function signOut(): void {
  deliberate = true
  pb.authStore.clear()
}

/**
 * signedOutDeliberately tells a sign-out from an expired session: only the
 * latter should bring people back to where they were after signing in.
 */
export function signedOutDeliberately(): boolean {
  return deliberate
}

/**
 * isSuperuser tells whether this browser holds a live admin-console session:
 * PocketBase's dashboard keeps it in localStorage on the same origin.
 */
export function isSuperuser(): boolean {
  try {
    const raw = localStorage.getItem('__pb_superuser_auth__')
    if (!raw) return false
    const token = (JSON.parse(raw) as { token?: unknown }).token
    if (typeof token !== 'string') return false
    const payload = JSON.parse(atob(token.split('.')[1]?.replace(/-/g, '+').replace(/_/g, '/') ?? '')) as { exp?: unknown }
    return typeof payload.exp === 'number' && payload.exp * 1000 > Date.now()
  } catch {
    return false
  }
}

/** AuthFailure is a sign-in or sign-up problem, with per-field messages. */
export type AuthFailure = { form?: string; fields: Record<string, string> }

const pbFieldMessages: Record<string, string> = {
  validation_not_unique: 'An account with this email already exists. Sign in instead?',
  validation_invalid_email: 'Enter an email address such as ada@example.com.',
  validation_length_out_of_range: 'That is too short or too long.',
  validation_min_text_constraint: 'That is too short.',
  validation_required: 'This is required.',
  validation_values_mismatch: 'The passwords don’t match.',
  validation_invalid_old_password: 'That is not your current password.',
}

/** authFailure turns a PocketBase SDK error into messages for a form. */
export function authFailure(err: unknown, context: 'signin' | 'signup' | 'update'): AuthFailure {
  if (!(err instanceof ClientResponseError)) return { form: messageFor('unknown'), fields: {} }
  if (err.isAbort) return { form: messageFor('cancelled'), fields: {} }
  if (err.status === 0) return { form: messageFor('network'), fields: {} }
  const fields: Record<string, string> = {}
  const data = (err.response?.data ?? {}) as Record<string, { code?: string; message?: string }>
  for (const [field, v] of Object.entries(data)) {
    fields[field] = (v.code && pbFieldMessages[v.code]) || v.message || 'Please check this field.'
  }
  if (Object.keys(fields).length) return { fields }
  if (context === 'signin' && err.status === 400) return { form: 'That email and password don’t match an account.', fields }
  if (context === 'signup' && err.status === 403) return { form: 'Sign-up is closed on this server. Ask an administrator for an account.', fields }
  if (err.status === 429) return { form: 'Too many attempts. Wait a minute and try again.', fields }
  if (err.status >= 500) return { form: messageFor('internal'), fields }
  return { form: err.message || messageFor('unknown'), fields }
}
