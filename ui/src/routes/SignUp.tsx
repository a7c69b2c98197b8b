import { Link, useLocation } from 'react-router'
import { useState } from 'react'
import { pb } from '../lib/pb'
import { authFailure } from '../lib/auth'
import { queryClient } from '../lib/queries'
import { signUpSchema } from '../lib/schemas'
import { useForm } from '../lib/form'
import { Button } from '../components/ui/Button'
import { Field, FormError } from '../components/ui/Field'
import { OAuthButtons } from './OAuthButtons'

export default function SignUp() {
  const form = useForm(signUpSchema, { name: '', email: '', password: '', passwordConfirm: '' })
  const [pending, setPending] = useState(false)
  const { search } = useLocation()
  const onSubmit = form.submit(async (data) => {
    setPending(true)
    try {
      await pb.collection('users').create({ ...data, emailVisibility: false })
    } catch (err) {
      const f = authFailure(err, 'signup')
      form.setErrors(f.fields)
      form.setFormError(f.form)
      setPending(false)
      return
    }
    try {
      queryClient.clear()
      await pb.collection('users').authWithPassword(data.email, data.password)
    } catch (err) {
      // The account exists; only signing in failed (e.g. verification required).
      form.setFormError(authFailure(err, 'signin').form ?? 'Your account was created. Sign in to continue.')
      setPending(false)
    }
  })
  return (
    <div className="animate-in space-y-7">
      <div className="space-y-1.5">
        <h1 className="text-2xl font-semibold tracking-tight">Create your account</h1>
        <p className="text-sm text-fg-muted">Start a workspace, or join one you are invited to.</p>
      </div>
      <form noValidate onSubmit={onSubmit} className="space-y-4" aria-label="Create account">
        <FormError message={form.formError} />
        <Field label="Name" autoComplete="name" autoFocus placeholder="Ada Lovelace" {...form.field('name')} />
        <Field label="Email" type="email" autoComplete="email" placeholder="ada@example.com" {...form.field('email')} />
        <Field label="Password" type="password" autoComplete="new-password" hint="At least 8 characters." {...form.field('password')} />
        <Field label="Confirm password" type="password" autoComplete="new-password" {...form.field('passwordConfirm')} />
        <Button type="submit" variant="primary" size="lg" className="w-full justify-center" loading={pending}>
          Create account
        </Button>
      </form>
      <OAuthButtons verb="Sign up" />
      <p className="text-center text-sm text-fg-muted">
        Already have an account?{' '}
        <Link to={'/signin' + search} className="rounded font-medium text-accent-text hover:underline">
          Sign in
        </Link>
      </p>
    </div>
  )
}
