import { useState, type FormEvent } from 'react'
import { ApiError, createKey, createUser, currentUser, deleteUser, listKeys, listUsers, revokeKey, ROLES, updateUser, type Role } from '../api'
import { usePoll } from '../usePoll'
import { Channels, Preferences, Rules } from './AlertSettings'

const ROLE_HELP: Record<Role, string> = {
  admin: 'everything in the tenant, including users and keys',
  operator: 'read, write sites, assets and channels, ingest',
  viewer: 'read',
  ingest: 'ingest only (devices and gateways)',
}

const message = (err: unknown): string =>
  err instanceof ApiError && err.code === 'AUTH_FORBIDDEN' ? 'Your role may not manage users and keys.' : err instanceof Error ? err.message : String(err)

function RoleSelect({ value, onChange, label }: { value: Role; onChange: (r: Role) => void; label: string }) {
  return (
    <select className="input" aria-label={label} value={value} onChange={(e) => onChange(e.target.value as Role)}>
      {ROLES.map((r) => (
        <option key={r} value={r}>
          {r}
        </option>
      ))}
    </select>
  )
}

function Users() {
  const [version, setVersion] = useState(0)
  const users = usePoll(listUsers, null, [version])
  const [error, setError] = useState<string | null>(null)
  const [role, setRole] = useState<Role>('viewer')
  const me = currentUser()
  const act = async (what: () => Promise<unknown>): Promise<void> => {
    setError(null)
    try {
      await what()
      setVersion((v) => v + 1)
    } catch (err) {
      setError(message(err))
    }
  }
  const submit = (e: FormEvent<HTMLFormElement>): void => {
    e.preventDefault()
    const form = e.currentTarget
    const data = new FormData(form)
    void act(async () => {
      await createUser({ username: String(data.get('username')), password: String(data.get('password')), role })
      form.reset()
    })
  }
  return (
    <section className="panel" aria-labelledby="users-title" data-testid="users">
      <h2 id="users-title" className="panel-title">
        Users and roles
      </h2>
      {users.data === undefined ? (
        users.error === undefined ? (
          <p className="muted">Loading users…</p>
        ) : (
          <p className="error" role="alert">
            Could not load users: {message(users.error)}
          </p>
        )
      ) : (
        <div className="table-scroll">
          <table className="plain-table">
            <thead>
              <tr>
                <th scope="col">User</th>
                <th scope="col">Role</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {users.data.items.map((u) => (
                <tr key={u.id} data-testid="user-row" data-username={u.username}>
                  <td>
                    {u.username}
                    {u.platformAdmin && <span className="badge">platform admin</span>}
                    {u.id === me?.id && <span className="badge">you</span>}
                  </td>
                  <td>
                    <RoleSelect label={`Role of ${u.username}`} value={u.role} onChange={(r) => void act(() => updateUser(u.id, { role: r }))} />
                  </td>
                  <td>{new Date(u.createdAt).toLocaleDateString()}</td>
                  <td>
                    {u.id !== me?.id && (
                      <button
                        type="button"
                        className="button danger"
                        onClick={() => {
                          if (confirm(`Delete user ${u.username}? They can no longer sign in.`)) void act(() => deleteUser(u.id))
                        }}
                      >
                        Delete
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <form className="inline-form" onSubmit={submit} aria-label="New user">
        <input className="input" name="username" placeholder="username" aria-label="New user's username" required />
        <input className="input" name="password" type="password" placeholder="password (8 characters or more)" aria-label="New user's password" minLength={8} required autoComplete="new-password" />
        <RoleSelect label="New user's role" value={role} onChange={setRole} />
        <button type="submit" className="button primary">
          Add user
        </button>
        <span className="muted">{ROLE_HELP[role]}</span>
      </form>
      {error !== null && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  )
}

function Keys() {
  const [version, setVersion] = useState(0)
  const keys = usePoll(listKeys, null, [version])
  const [error, setError] = useState<string | null>(null)
  const [role, setRole] = useState<Role>('ingest')
  const [created, setCreated] = useState<{ name: string; id: string; key: string } | null>(null)
  const [showRevoked, setShowRevoked] = useState(false)
  const submit = (e: FormEvent<HTMLFormElement>): void => {
    e.preventDefault()
    const form = e.currentTarget
    const name = String(new FormData(form).get('name'))
    setError(null)
    createKey({ name, role })
      .then((k) => {
        setCreated({ name: k.name, id: k.id, key: k.key })
        form.reset()
        setVersion((v) => v + 1)
      })
      .catch((err: unknown) => setError(message(err)))
  }
  const revoke = (id: string, name: string): void => {
    if (!confirm(`Revoke the key "${name}"? Devices using it are refused within 10 seconds.`)) return
    setError(null)
    revokeKey(id)
      .then(() => setVersion((v) => v + 1))
      .catch((err: unknown) => setError(message(err)))
  }
  const items = (keys.data?.items ?? []).filter((k) => showRevoked || k.revokedAt === null)
  const revokedCount = (keys.data?.items ?? []).filter((k) => k.revokedAt !== null).length
  return (
    <section className="panel" aria-labelledby="keys-title" data-testid="keys">
      <h2 id="keys-title" className="panel-title">
        API keys
      </h2>
      <p className="muted">Devices and scripts send a key as <code>X-API-Key</code>; over MQTT, its id is the username and the key the password.</p>
      {created !== null && (
        <div className="new-key" role="status" data-testid="new-key">
          <p>
            <strong>Key “{created.name}” created.</strong> Copy it now: it is shown only this once.
          </p>
          <code className="key-text" data-testid="new-key-value">
            {created.key}
          </code>
          <div className="inline-form">
            <button type="button" className="button" onClick={() => void navigator.clipboard?.writeText(created.key)}>
              Copy
            </button>
            <button type="button" className="button" onClick={() => setCreated(null)}>
              I have saved it
            </button>
          </div>
        </div>
      )}
      {keys.data === undefined ? (
        keys.error === undefined ? (
          <p className="muted">Loading keys…</p>
        ) : (
          <p className="error" role="alert">
            Could not load keys: {message(keys.error)}
          </p>
        )
      ) : items.length === 0 ? (
        <p className="muted">No API keys yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="plain-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Id (MQTT username)</th>
                <th scope="col">Role</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((k) => (
                <tr key={k.id} data-testid="key-row" data-key-id={k.id} className={k.revokedAt === null ? undefined : 'revoked'}>
                  <td>{k.name}</td>
                  <td>
                    <code>{k.id}</code>
                  </td>
                  <td>{k.role}</td>
                  <td>{new Date(k.createdAt).toLocaleString()}</td>
                  <td>
                    {k.revokedAt === null ? (
                      <button type="button" className="button danger" onClick={() => revoke(k.id, k.name)}>
                        Revoke
                      </button>
                    ) : (
                      <span className="muted">revoked {new Date(k.revokedAt).toLocaleString()}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {revokedCount > 0 && (
        <label className="check">
          <input type="checkbox" checked={showRevoked} onChange={(e) => setShowRevoked(e.target.checked)} /> Show {revokedCount} revoked
        </label>
      )}
      <form className="inline-form" onSubmit={submit} aria-label="New API key">
        <input className="input" name="name" placeholder="name, e.g. pump-7 gateway" aria-label="New key's name" required maxLength={200} />
        <RoleSelect label="New key's role" value={role} onChange={setRole} />
        <button type="submit" className="button primary">
          Create key
        </button>
        <span className="muted">{ROLE_HELP[role]}</span>
      </form>
      {error !== null && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  )
}

/** Users and API keys (admins), notification channels (admins), notification preferences and alert rules. */
export function SettingsPage() {
  const me = currentUser()
  // Preferences name channels: they reload when a channel is created, changed or deleted.
  const [channelsVersion, setChannelsVersion] = useState(0)
  return (
    <section aria-labelledby="settings-title" className="settings">
      <div className="toolbar">
        <h1 id="settings-title">Settings</h1>
      </div>
      {me?.role === 'admin' ? (
        <>
          <Users />
          <Keys />
        </>
      ) : (
        <p className="state">Users and API keys are managed by an administrator of your organisation; you are signed in as {me?.role}.</p>
      )}
      <Channels role={me?.role} version={channelsVersion} onChanged={() => setChannelsVersion((v) => v + 1)} />
      <Preferences role={me?.role} channelsVersion={channelsVersion} />
      <Rules role={me?.role} />
    </section>
  )
}
