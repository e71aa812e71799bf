import { useState, type FormEvent } from 'react'
import { ApiError, login, type User } from '../api'

export function LoginPage({ onLogin }: { onLogin: (user: User) => void }) {
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    setBusy(true)
    setError(null)
    try {
      onLogin(await login(String(form.get('username')), String(form.get('password'))))
    } catch (err) {
      setError(
        err instanceof ApiError && err.code === 'AUTH_INVALID_CREDENTIALS'
          ? 'Wrong username or password.'
          : err instanceof Error
            ? err.message
            : String(err),
      )
      setBusy(false)
    }
  }

  return (
    <main className="login">
      <form className="login-card" onSubmit={(e) => void submit(e)}>
        <h1 className="brand">Prognos</h1>
        <label>
          Username
          <input name="username" autoComplete="username" required autoFocus />
        </label>
        <label>
          Password
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        {error !== null && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  )
}
