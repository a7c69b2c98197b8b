import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { pb } from '../lib/pb'
import { authFailure } from '../lib/auth'
import { queryClient } from '../lib/queries'
import { Button } from '../components/ui/Button'
import { FormError } from '../components/ui/Field'

/** useAuthMethods asks the server which sign-in methods the operator enabled. */
export function useAuthMethods() {
  return useQuery({
    queryKey: ['auth-methods'],
    queryFn: () => pb.collection('users').listAuthMethods(),
    staleTime: 5 * 60_000,
  })
}

/** OAuthButtons offers one button per OAuth2/OIDC provider enabled in the admin console. */
export function OAuthButtons({ verb }: { verb: 'Sign in' | 'Sign up' }) {
  const methods = useAuthMethods()
  const [busy, setBusy] = useState<string>()
  const [error, setError] = useState<string>()
  const providers = methods.data?.oauth2.enabled ? methods.data.oauth2.providers : []
  if (!providers.length) return null
  const start = async (provider: string) => {
    setBusy(provider)
    setError(undefined)
    try {
      queryClient.clear()
      await pb.collection('users').authWithOAuth2({ provider })
    } catch (err) {
      setError(authFailure(err, 'signin').form ?? 'That did not work; try again.')
    } finally {
      setBusy(undefined)
    }
  }
  return (
    <div className="space-y-3">
      <div className="flex items-center gap-3 text-xs text-fg-subtle" role="separator">
        <span className="h-px flex-1 bg-line" />
        or
        <span className="h-px flex-1 bg-line" />
      </div>
      <FormError message={error} />
      {providers.map((p) => (
        <Button key={p.name} size="lg" className="w-full justify-center" loading={busy === p.name} disabled={Boolean(busy)} onClick={() => void start(p.name)}>
          {verb} with {p.displayName || p.name}
        </Button>
      ))}
    </div>
  )
}
