import { Suspense } from 'react'
import { Outlet } from 'react-router'
import { Bot, GitBranch, ShieldCheck } from 'lucide-react'
import { Logo } from '../components/ui/Logo'
import { Skeleton } from '../components/ui/Skeleton'
import { ThemeToggle } from '../components/shell/ThemeToggle'
import { OfflineBanner } from '../components/shell/OfflineBanner'

const points = [
  { icon: Bot, title: 'Your models, your data', text: 'Local Ollama or any cloud provider, on a server you run.' },
  { icon: GitBranch, title: 'Built for teams', text: 'Workspaces with owners, admins, members and viewers.' },
  { icon: ShieldCheck, title: 'Isolated by design', text: 'Every workspace is walled off, down to the database row.' },
]

/** AuthLayout frames sign-in and sign-up: the form on one side, what nyxCore is on the other. */
export function AuthLayout() {
  return (
    <div className="flex min-h-full flex-col">
      <OfflineBanner />
      <div className="grid flex-1 lg:grid-cols-[1fr_minmax(0,560px)]">
        <aside className="relative hidden overflow-hidden bg-[#0d0b1f] p-12 text-white lg:flex lg:flex-col">
          <div className="pointer-events-none absolute -top-40 -left-40 h-[520px] w-[520px] rounded-full bg-[#5b45e8] opacity-40 blur-[120px]" />
          <div className="pointer-events-none absolute -right-32 bottom-0 h-[420px] w-[420px] rounded-full bg-[#2f6fed] opacity-25 blur-[120px]" />
          <Logo className="relative [&_span]:text-white" />
          <div className="relative mt-auto max-w-md space-y-8">
            <h2 className="text-3xl leading-tight font-semibold tracking-tight">A calm, private workspace for thinking with AI.</h2>
            <ul className="space-y-5">
              {points.map(({ icon: Icon, title, text }) => (
                <li key={title} className="flex gap-3.5">
                  <span className="mt-0.5 inline-flex h-8 w-8 shrink-0 items-center justify-center rounded-lg bg-white/10 ring-1 ring-white/15">
                    <Icon className="h-4 w-4" aria-hidden="true" />
                  </span>
                  <span>
                    <span className="block text-sm font-semibold">{title}</span>
                    <span className="block text-sm text-white/65">{text}</span>
                  </span>
                </li>
              ))}
            </ul>
          </div>
          <p className="relative mt-12 text-xs text-white/40">Self-hosted · one binary · open source</p>
        </aside>
        <main className="relative flex flex-col px-6 py-8 sm:px-12">
          <div className="flex items-center justify-between">
            <Logo className="lg:invisible" />
            <ThemeToggle />
          </div>
          <div className="mx-auto flex w-full max-w-sm flex-1 flex-col justify-center py-10">
            <Suspense fallback={<FormSkeleton />}>
              <Outlet />
            </Suspense>
          </div>
          <p className="text-center text-xs text-fg-subtle">
            Operator?{' '}
            <a href="/_/" className="rounded underline-offset-2 hover:text-fg-muted hover:underline">
              Admin console
            </a>
          </p>
        </main>
      </div>
    </div>
  )
}

function FormSkeleton() {
  return (
    <div className="space-y-6" aria-busy="true">
      <Skeleton className="h-8 w-40" />
      <Skeleton className="h-10 w-full" />
      <Skeleton className="h-10 w-full" />
      <Skeleton className="h-10 w-full" />
    </div>
  )
}
