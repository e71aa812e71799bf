import { useEffect, useState } from 'react'
import { currentUser, logout, onSessionEnd } from './api'
import { AssetPage } from './pages/Asset'
import { FleetPage } from './pages/Fleet'
import { LoginPage } from './pages/Login'
import { useRoute } from './router'

export function App() {
  const [user, setUser] = useState(currentUser)
  const route = useRoute()
  useEffect(() => onSessionEnd(() => setUser(null)), [])

  if (user === null) return <LoginPage onLogin={setUser} />

  return (
    <>
      <header className="topbar">
        <a className="brand" href="#/">
          Prognos
        </a>
        <nav aria-label="Main">
          <a href="#/" aria-current={route.page === 'fleet' ? 'page' : undefined}>
            Fleet
          </a>
        </nav>
        <span className="topbar-user">
          {user.username} <span className="muted">· {user.role}</span>
        </span>
        <button type="button" className="button" data-testid="logout" onClick={() => void logout()}>
          Log out
        </button>
      </header>
      <main className="page">{route.page === 'asset' ? <AssetPage key={`${route.id}:${route.from ?? ''}`} id={route.id} from={route.from} to={route.to} /> : <FleetPage />}</main>
    </>
  )
}
