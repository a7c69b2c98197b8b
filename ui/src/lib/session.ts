import { ClientResponseError } from 'pocketbase'
import { pb } from './pb'

/**
 * startSession refreshes the stored token in the background (new expiry,
 * fresh name and email). Nothing waits for it: the app renders from the
 * stored token at once. A token the server rejects signs the user out.
 */
export function startSession(): void {
  if (!pb.authStore.isValid || pb.authStore.record?.collectionName !== 'users') return
  pb.collection('users')
    .authRefresh()
    .catch((err: unknown) => {
      if (err instanceof ClientResponseError && (err.status === 401 || err.status === 403 || err.status === 404)) pb.authStore.clear()
    })
}
