import { useEffect, useState } from 'react'
import { currentUser, logout, onSessionEnd } from './api'
import { AssetPage } from './pages/Asset'
import { AssetsPage } from './pages/Assets'
import { LoginPage } from './pages/Login'
import { OverviewPage } from './pages/Overview'
import { SettingsPage } from './pages/Settings'
import { hashParams, useRoute, type Route } from './router'

const NAV: { page: Route['page']; href: string; label: string }[] = [
  { page: 'overview', href: '#/', label: 'Overview' },
  { page: 'assets', href: '#/assets', label: 'Assets' },
  { page: 'settings', href: '#/settings', label: 'Settings' },
]

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'overview':
      return <OverviewPage />
    case 'assets':
      // A new filter in the address (a map dot, a KPI link, the menu) starts the list afresh.
      return <AssetsPage key={route.query} />
    case 'asset':
      // Keyed by the address's time range too: following an alert's chart link to the same asset reopens it on that time.
      return <AssetPage key={`${route.id}?${hashParams().get('from') ?? ''}-${hashParams().get('to') ?? ''}`} id={route.id} />
    case 'settings':
      return <SettingsPage />
  }
}

export function App() {
  const [user, setUser] = useState(currentUser)
  const route = useRoute()
  useEffect(() => onSessionEnd(() => setUser(null)), [])
  const section = route.page === 'asset' ? 'assets' : route.page
  useEffect(() => {
    document.title = `${NAV.find((n) => n.page === section)?.label ?? 'Prognos'} · Prognos`
  }, [section])

  if (user === null) return <LoginPage onLogin={setUser} />

  return (
    <>
      <a className="skip-link" href="#main" onClick={(e) => {
        e.preventDefault()
        document.getElementById('main')?.focus()
      }}>
        Skip to content
      </a>
      <header className="topbar">
        <a className="brand" href="#/">
          Prognos
        </a>
        <nav aria-label="Main">
          {NAV.map((n) => (
            <a key={n.page} href={n.href} aria-current={section === n.page ? 'page' : undefined}>
              {n.label}
            </a>
          ))}
        </nav>
        <span className="topbar-user">
          {user.username} <span className="muted">· {user.role}</span>
        </span>
        <button type="button" className="button" data-testid="logout" onClick={() => void logout()}>
          Log out
        </button>
      </header>
      <main className="page" id="main" tabIndex={-1}>
        <Page route={route} />
      </main>
    </>
  )
}
