import PocketBase from 'pocketbase'

// One PocketBase client for the whole app, talking to the same origin. It
// keeps the user's token in localStorage ("pocketbase_auth").
export const pb = new PocketBase('/')
pb.autoCancellation(false)

/** authHeader is the Authorization header value for /api/nyx calls. */
export function authHeader(): string {
  return pb.authStore.isValid ? pb.authStore.token : ''
}
