import { QueryClientProvider } from '@tanstack/react-query'
import { lazy } from 'react'
import { BrowserRouter, Route, Routes } from 'react-router'
import { AppShell } from './components/shell/AppShell'
import { Toaster } from './components/ui/Toast'
import { queryClient } from './lib/queries'
import { AuthLayout } from './routes/AuthLayout'
import { GuestOnly, RequireUser } from './routes/guards'
import { TenantLayout } from './routes/TenantLayout'
import { NotFound } from './routes/NotFound'

const SignIn = lazy(() => import('./routes/SignIn'))
const SignUp = lazy(() => import('./routes/SignUp'))
const Home = lazy(() => import('./routes/Home'))
const Invite = lazy(() => import('./routes/Invite'))
const NewTenant = lazy(() => import('./routes/NewTenant'))
const Account = lazy(() => import('./routes/Account'))
const Overview = lazy(() => import('./routes/Overview'))
const Members = lazy(() => import('./routes/Members'))
const Settings = lazy(() => import('./routes/Settings'))
const Discussions = lazy(() => import('./features/discussions/DiscussionsPage'))
const Discussion = lazy(() => import('./features/discussions/DiscussionPage'))
const Personas = lazy(() => import('./features/personas/PersonasPage'))
const PersonaEditor = lazy(() => import('./features/personas/PersonaEditorPage'))
const Models = lazy(() => import('./features/models/ModelsPage'))
const Providers = lazy(() => import('./features/providers/ProvidersPage'))
const Audit = lazy(() => import('./features/audit/AuditPage'))

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <Routes>
          <Route element={<GuestOnly />}>
            <Route element={<AuthLayout />}>
              <Route path="signin" element={<SignIn />} />
              <Route path="signup" element={<SignUp />} />
            </Route>
          </Route>
          <Route element={<RequireUser />}>
            <Route element={<AppShell />}>
              <Route index element={<Home />} />
              <Route path="new" element={<NewTenant />} />
              <Route path="account" element={<Account />} />
              <Route path="invite" element={<Invite />} />
              <Route path="t/:slug" element={<TenantLayout />}>
                <Route index element={<Overview />} />
                <Route path="members" element={<Members />} />
                <Route path="settings" element={<Settings />} />
                <Route path="discussions" element={<Discussions />} />
                <Route path="discussions/:id" element={<Discussion />} />
                <Route path="personas" element={<Personas />} />
                <Route path="personas/new" element={<PersonaEditor />} />
                <Route path="personas/:id" element={<PersonaEditor />} />
                <Route path="models" element={<Models />} />
                <Route path="providers" element={<Providers />} />
                <Route path="audit" element={<Audit />} />
                <Route path="*" element={<NotFound />} />
              </Route>
              <Route path="*" element={<NotFound />} />
            </Route>
          </Route>
        </Routes>
      </BrowserRouter>
      <Toaster />
    </QueryClientProvider>
  )
}
