import { useMutation } from '@tanstack/react-query'
import { LogOut, Monitor, Moon, ShieldCheck, Sun } from 'lucide-react'
import { authFailure, isSuperuser, signOut, useUser, type User } from '../lib/auth'
import { useForm } from '../lib/form'
import { pb } from '../lib/pb'
import { queryClient } from '../lib/queries'
import { passwordSchema, profileSchema } from '../lib/schemas'
import { setTheme, useTheme, type ThemeChoice } from '../lib/theme'
import { Page } from '../components/shell/Page'
import { Button } from '../components/ui/Button'
import { Section } from '../components/ui/Card'
import { Field, FormError } from '../components/ui/Field'
import { toast } from '../components/ui/Toast'
import { cx } from '../components/ui/cx'
import { AccountActivity } from './AccountActivity'
import { MyInvitations } from './MyInvitations'

/** Account: profile, password, appearance, the admin console for superusers, sign out. */
export default function Account() {
  const user = useUser()
  if (!user) return null
  return (
    <Page title="Account" description="Your profile and preferences on this server.">
      <div className="space-y-6">
        <ProfileForm key={user.id + user.name} user={user} />
        <PasswordForm user={user} />
        <MyInvitations />
        <AccountActivity />
        <Appearance />
        {isSuperuser() && (
          <Section title="Server administration" description="You are signed in to the admin console in this browser.">
            <a href="/_/" className="inline-flex h-9 items-center gap-2 rounded-lg border border-line-strong bg-surface px-3.5 text-sm font-medium shadow-xs hover:bg-subtle">
              <ShieldCheck className="h-4 w-4" aria-hidden="true" /> Open the admin console
            </a>
          </Section>
        )}
        <Section title="Sign out" description="Sign out of nyxCore in this browser.">
          <Button
            onClick={() => {
              signOut()
              queryClient.clear()
            }}
          >
            <LogOut className="h-4 w-4" aria-hidden="true" /> Sign out
          </Button>
        </Section>
      </div>
    </Page>
  )
}

function ProfileForm({ user }: { user: User }) {
  const form = useForm(profileSchema, { name: user.name })
  const save = useMutation({ mutationFn: (name: string) => pb.collection('users').update(user.id, { name }) })
  const onSubmit = form.submit(async (data) => {
    try {
      await save.mutateAsync(data.name)
      void queryClient.invalidateQueries()
      toast('Profile saved')
    } catch (err) {
      const f = authFailure(err, 'update')
      form.setErrors(f.fields)
      form.setFormError(f.form)
    }
  })
  return (
    <form noValidate onSubmit={onSubmit} aria-label="Profile">
      <Section
        title="Profile"
        description="How you appear to other members."
        footer={
          <Button type="submit" variant="primary" disabled={form.values.name === user.name} loading={save.isPending}>
            Save profile
          </Button>
        }
      >
        <div className="space-y-5">
          <FormError message={form.formError} />
          <Field label="Name" autoComplete="name" {...form.field('name')} />
          <Field label="Email" value={user.email} readOnly hint="Ask an administrator to change your email address." />
        </div>
      </Section>
    </form>
  )
}

function PasswordForm({ user }: { user: User }) {
  const empty = { oldPassword: '', password: '', passwordConfirm: '' }
  const form = useForm(passwordSchema, empty)
  const save = useMutation({
    mutationFn: async (data: typeof empty) => {
      await pb.collection('users').update(user.id, data)
      // A new password invalidates existing tokens: sign in again with it.
      await pb.collection('users').authWithPassword(user.email, data.password)
    },
  })
  const onSubmit = form.submit(async (data) => {
    try {
      await save.mutateAsync(data)
      form.setValues(empty)
      toast('Password changed')
    } catch (err) {
      const f = authFailure(err, 'update')
      form.setErrors(f.fields)
      form.setFormError(f.form)
    }
  })
  return (
    <form noValidate onSubmit={onSubmit} aria-label="Change password">
      <Section
        title="Password"
        description="Use at least 8 characters."
        footer={
          <Button type="submit" variant="primary" loading={save.isPending}>
            Change password
          </Button>
        }
      >
        <div className="space-y-5">
          <FormError message={form.formError} />
          <input type="text" name="username" autoComplete="username" value={user.email} readOnly hidden />
          <Field label="Current password" type="password" autoComplete="current-password" {...form.field('oldPassword')} />
          <div className="grid gap-5 sm:grid-cols-2">
            <Field label="New password" type="password" autoComplete="new-password" {...form.field('password')} />
            <Field label="Confirm new password" type="password" autoComplete="new-password" {...form.field('passwordConfirm')} />
          </div>
        </div>
      </Section>
    </form>
  )
}

const themeOptions: { value: ThemeChoice; label: string; icon: typeof Sun }[] = [
  { value: 'light', label: 'Light', icon: Sun },
  { value: 'dark', label: 'Dark', icon: Moon },
  { value: 'system', label: 'System', icon: Monitor },
]

function Appearance() {
  const { choice } = useTheme()
  return (
    <Section title="Appearance" description="System follows your device’s light or dark setting.">
      <div role="radiogroup" aria-label="Theme" className="grid grid-cols-3 gap-3">
        {themeOptions.map(({ value, label, icon: Icon }) => (
          <button
            key={value}
            type="button"
            role="radio"
            aria-checked={choice === value}
            onClick={() => setTheme(value)}
            className={cx(
              'flex flex-col items-center gap-2 rounded-xl border px-3 py-4 text-sm font-medium transition outline-none focus-visible:ring-3 focus-visible:ring-accent/25',
              choice === value ? 'border-accent bg-accent-soft text-accent-text' : 'border-line-strong hover:bg-subtle',
            )}
          >
            <Icon className="h-5 w-5" aria-hidden="true" />
            {label}
          </button>
        ))}
      </div>
    </Section>
  )
}
