import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { startSession } from './lib/session'
import { persistQueries } from './lib/persist'
import { queryClient } from './lib/queries'
import './app.css'

persistQueries(queryClient)

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
)

startSession()

if ('serviceWorker' in navigator && import.meta.env.PROD) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => {
      // No offline shell (e.g. plain http on a LAN address); the app still works online.
    })
  })
}
