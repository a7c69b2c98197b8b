import { Link, useLocation } from 'react-router'
import { useState } from 'react'
import { Eye, EyeOff } from 'lucide-react'
import { pb } from '../lib/pb'
import { authFailure } from '../lib/auth'
import { queryClient } from '../lib/queries'
import { signInSchema } from '../lib/schemas'
import { useForm } from '../lib/form'
import { Button } from '../components/ui/Button'
import { Field, FormError } from '../components/ui/Field'
import { OAuthButtons, useAuthMethods } from './OAuthButtons'

export default function SignIn() {
  const form = useForm(signInSchema, { email: '', password: '' })
  const [pending, setPending] = useState(false)
  const [show, setShow] = useState(false)
  const { search } = useLocation()
  const passwordOff = useAuthMethods().data?.password.enabled === false
  const onSubmit = form.submit(async (data) => {
    setPending(true)
    try {
      queryClient.clear()
      await pb.collection('users').authWithPassword(data.email, data.password)
    } catch (err) {
      const f = authFailure(err, 'signin')
      form.setErrors(f.fields)
      form.setFormError(f.form)
      setPending(false)
    }
  })
  return (
    <div className="animate-in space-y-7">
      <div className="space-y-1.5">
        <h1 className="text-2xl font-semibold tracking-tight">Welcome back</h1>
        <p className="text-sm text-fg-muted">Sign in to your nyxCore account.</p>
      </div>
      {passwordOff && (
        <p role="note" className="rounded-lg border border-line bg-subtle px-4 py-3 text-sm text-fg-muted">
          Password sign-in is turned off on this server. Use one of the providers below.
        </p>
      )}
      <form noValidate onSubmit={onSubmit} className="space-y-4" aria-label="Sign in" hidden={passwordOff}>
        <FormError message={form.formError} />
        <Field label="Email" type="email" autoComplete="email" autoFocus placeholder="ada@example.com" {...form.field('email')} />
        <Field
          label="Password"
          type={show ? 'text' : 'password'}
          autoComplete="current-password"
          {...form.field('password')}
          trailing={
            <Button variant="ghost" size="icon" className="h-7 w-7" aria-label={show ? 'Hide password' : 'Show password'} onClick={() => setShow(!show)}>
              {show ? <EyeOff className="h-4 w-4" /> : <Eye className="h-4 w-4" />}
            </Button>
          }
        />
        <Button type="submit" variant="primary" size="lg" className="w-full justify-center" loading={pending}>
          Sign in
        </Button>
      </form>
      <OAuthButtons verb="Sign in" />
      <p className="text-center text-sm text-fg-muted">
        New to nyxCore?{' '}
        <Link to={'/signup' + search} className="rounded font-medium text-accent-text hover:underline">
          Create an account
        </Link>
      </p>
    </div>
  )
}
