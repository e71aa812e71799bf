/**
 * The alerting parts of the Settings page: notification channels, notification preferences and
 * alert rules (README "Alerting and notifications", src/api/alerts.routes.ts).
 *
 * Who may do what follows src/auth/permissions.ts: channels hold secrets and need `manage`
 * (admins); preferences are read by everyone and changed with `manage`; rules are read by
 * everyone and changed with `write` (operators and admins).
 */
import { useState, type FormEvent, type ReactNode } from 'react'
import { ApiError, listUsers, type Role } from '../api'
import {
  CHANNEL_TYPES,
  createChannel,
  createPreference,
  createRule,
  deleteChannel,
  deletePreference,
  deleteRule,
  listChannels,
  listPreferences,
  listRules,
  MASKED,
  RULE_KINDS,
  ruleBody,
  SEVERITIES,
  updateChannel,
  testChannel,
  updateRule,
  type AlertRule,
  type ChannelBody,
  type ChannelTestOutcome,
  type ChannelType,
  type NotificationChannel,
  type RuleBody,
  type RuleKind,
  type Severity,
} from '../api.alerts'
import { ConfirmDialog } from '../components/ConfirmDialog'
import { formatValue } from '../format'
import { usePoll } from '../usePoll'
import '../ops.css'

const KIND_LABEL: Record<ChannelType, string> = { email: 'E-mail', slack: 'Slack', teams: 'Microsoft Teams', webhook: 'Webhook' }

/** A refusal split by field (the API names each: `config.url`, `critical`, `body.rateLimitPerMin` …) and the rest. */
interface Problems {
  byField: Record<string, string>
  other: string | null
}
const NO_PROBLEMS: Problems = { byField: {}, other: null }

const plain = (err: unknown, forbidden: string): string => {
  if (err instanceof ApiError) {
    if (err.code === 'AUTH_FORBIDDEN') return forbidden
    if (err.code === 'NETWORK_ERROR') return 'Cannot reach the Prognos server.'
  }
  return err instanceof Error ? err.message : String(err)
}

/**
 * Puts each problem of a 400 next to its field when the form shows that field (`shown` says
 * whether it does); what no shown field takes is said under the form.
 */
function problemsOf(err: unknown, shown: (field: string) => boolean, forbidden: string): Problems {
  if (!(err instanceof ApiError) || err.code !== 'VALIDATION_FAILED' || !Array.isArray(err.details)) return { byField: {}, other: plain(err, forbidden) }
  const byField: Record<string, string> = {}
  const rest: string[] = []
  for (const d of err.details as { field?: unknown; reason?: unknown }[]) {
    const field = String(d.field ?? '').replace(/^body\.?/, '')
    const reason = String(d.reason ?? 'is invalid')
    if (field !== '' && shown(field)) byField[field] = byField[field] === undefined ? reason : `${byField[field]}; ${reason}`
    else rest.push(field === '' ? reason : `${field}: ${reason}`)
  }
  return { byField, other: rest.length === 0 ? null : rest.join('; ') }
}

/** A labelled control with its error under it, tied to it for screen readers. */
function Field(props: { id: string; label: string; error?: string; hint?: string; children: (a11y: { id: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode }) {
  const { id, label, error, hint, children } = props
  const described = [error !== undefined ? `${id}-error` : null, hint !== undefined ? `${id}-hint` : null].filter(Boolean).join(' ')
  return (
    <div className="field" data-field={id}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': error !== undefined, ...(described === '' ? {} : { 'aria-describedby': described }) })}
      {hint !== undefined && (
        <span className="field-hint" id={`${id}-hint`}>
          {hint}
        </span>
      )}
      {error !== undefined && (
        <span className="field-error" id={`${id}-error`} data-testid="field-error">
          {error}
        </span>
      )}
    </div>
  )
}

/**
 * The end of each settings form: what no field took (said as an alert), then Cancel (when the
 * form can be closed) and the submit button, which says "Saving…" and waits while `busy`.
 */
function FormFooter({ problems, submit, busy = false, onCancel }: { problems: Problems; submit: string; busy?: boolean; onCancel?: () => void }) {
  return (
    <>
      {problems.other !== null && (
        <p className="error" role="alert">
          {problems.other}
        </p>
      )}
      <div className="dialog-buttons">
        {onCancel !== undefined && (
          <button type="button" className="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
        )}
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Saving…' : submit}
        </button>
      </div>
    </>
  )
}

function Loading<T>({ state, what, children }: { state: { data: T | undefined; error: Error | undefined }; what: string; children: (d: T) => ReactNode }) {
  if (state.data !== undefined) return <>{children(state.data)}</>
  if (state.error instanceof ApiError && state.error.status === 404) {
    // The list routes exist only while alerting is on.
    return (
      <p className="muted not-available" data-testid="alerting-off">
        Alerting is turned off on this server (<code>PROGNOS_ALERTS=off</code>).
      </p>
    )
  }
  return state.error === undefined ? (
    <p className="muted">Loading {what}…</p>
  ) : (
    <p className="error" role="alert">
      Could not load {what}: {plain(state.error, `Your role may not see ${what}.`)}
    </p>
  )
}

type Pending = { title: string; body: ReactNode; confirm: string; run: () => Promise<unknown> }

/** The delete confirmation, as the Models page asks it (no reason: nothing keeps one). */
function Confirm({ pending, onClose, onDone }: { pending: Pending | null; onClose: () => void; onDone: () => void }) {
  if (pending === null) return null
  return (
    <ConfirmDialog
      title={pending.title}
      confirmLabel={pending.confirm}
      onClose={onClose}
      onConfirm={async () => {
        try {
          await pending.run()
        } catch (err) {
          throw new Error(plain(err, 'Your role may not do this.'))
        }
        onDone()
      }}
    >
      {pending.body}
    </ConfirmDialog>
  )
}

// --- Notification channels -----------------------------------------------------------------------

/** The config fields of each kind; `secret` ones are write-only (the API answers `***`). */
const CHANNEL_FIELDS: Record<ChannelType, { key: string; label: string; secret?: boolean; hint?: string; kind?: 'number' | 'list' | 'bool' }[]> = {
  email: [
    { key: 'host', label: 'SMTP host' },
    { key: 'port', label: 'Port', kind: 'number', hint: '587 if empty' },
    { key: 'secure', label: 'TLS from the start (port 465)', kind: 'bool' },
    { key: 'user', label: 'SMTP user' },
    { key: 'password', label: 'SMTP password', secret: true },
    { key: 'from', label: 'From address' },
    { key: 'to', label: 'To (comma-separated)', kind: 'list' },
  ],
  slack: [{ key: 'url', label: 'Incoming webhook URL', secret: true }],
  teams: [{ key: 'url', label: 'Incoming webhook URL', secret: true }],
  webhook: [
    { key: 'url', label: 'URL', secret: true },
    { key: 'secret', label: 'Signing secret (16 characters or more)', secret: true, hint: 'signs X-Prognos-Signature' },
  ],
}

interface ChannelDraft {
  id: string | null
  name: string
  type: ChannelType
  enabled: boolean
  subscribeAll: boolean
  minSeverity: Severity
  rateLimitPerMin: string
  /** Config values as typed; a secret left empty while editing keeps the stored one. */
  config: Record<string, string | boolean>
  /** Secrets the server holds for this channel (answered as `***`). */
  stored: Set<string>
}

const newChannel = (): ChannelDraft => ({ id: null, name: '', type: 'webhook', enabled: true, subscribeAll: true, minSeverity: 'warning', rateLimitPerMin: '60', config: {}, stored: new Set() })

function draftOf(c: NotificationChannel): ChannelDraft {
  const config: Record<string, string | boolean> = {}
  const stored = new Set<string>()
  for (const f of CHANNEL_FIELDS[c.type]) {
    const v = c.config[f.key]
    if (f.secret) {
      if (v === MASKED) stored.add(f.key)
      config[f.key] = ''
    } else if (f.kind === 'bool') config[f.key] = v === true
    else if (f.kind === 'list') config[f.key] = Array.isArray(v) ? v.join(', ') : ''
    else config[f.key] = v === undefined || v === null ? '' : String(v)
  }
  return { id: c.id, name: c.name, type: c.type, enabled: c.enabled, subscribeAll: c.subscribeAll, minSeverity: c.minSeverity, rateLimitPerMin: String(c.rateLimitPerMin), config, stored }
}

function channelBody(d: ChannelDraft): ChannelBody {
  const config: Record<string, unknown> = {}
  for (const f of CHANNEL_FIELDS[d.type]) {
    const v = d.config[f.key]
    if (f.kind === 'bool') {
      if (v === true) config[f.key] = true
    } else if (typeof v === 'string' && v.trim() !== '') {
      // A port that is not a number goes as typed: the server says why it is refused.
      config[f.key] = f.kind === 'list' ? v.split(',').map((s) => s.trim()).filter((s) => s !== '') : f.kind === 'number' && Number.isFinite(Number(v)) ? Number(v) : v.trim()
    } else if (f.secret && d.stored.has(f.key)) config[f.key] = MASKED
  }
  return { name: d.name, type: d.type, config, enabled: d.enabled, subscribeAll: d.subscribeAll, minSeverity: d.minSeverity, rateLimitPerMin: Number(d.rateLimitPerMin) }
}

function ChannelForm({ initial, onSaved, onCancel }: { initial: ChannelDraft; onSaved: (name: string) => void; onCancel: () => void }) {
  const [d, setD] = useState(initial)
  const [problems, setProblems] = useState<Problems>(NO_PROBLEMS)
  const [busy, setBusy] = useState(false)
  const set = (patch: Partial<ChannelDraft>): void => setD((x) => ({ ...x, ...patch }))
  const setConfig = (key: string, v: string | boolean): void => setD((x) => ({ ...x, config: { ...x.config, [key]: v } }))
  const fields = CHANNEL_FIELDS[d.type]
  const shown = (f: string): boolean => ['name', 'type', 'minSeverity', 'rateLimitPerMin'].includes(f) || fields.some((x) => `config.${x.key}` === f)
  const err = (f: string): string | undefined => problems.byField[f]
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault()
    setBusy(true)
    setProblems(NO_PROBLEMS)
    try {
      const body = channelBody(d)
      await (d.id === null ? createChannel(body) : updateChannel(d.id, body))
      onSaved(d.name)
    } catch (caught) {
      setProblems(problemsOf(caught, shown, 'Only administrators manage notification channels.'))
      setBusy(false)
    }
  }
  return (
    <form className="settings-form" onSubmit={(e) => void submit(e)} aria-label={d.id === null ? 'New notification channel' : `Edit channel ${initial.name}`} data-testid="channel-form" noValidate>
      <h3 className="form-title">{d.id === null ? 'New notification channel' : `Edit “${initial.name}”`}</h3>
      <div className="form-grid">
        <Field id="ch-name" label="Name" error={err('name')}>
          {(a) => <input className="input" {...a} value={d.name} onChange={(e) => set({ name: e.target.value })} maxLength={200} />}
        </Field>
        <Field id="ch-type" label="Kind" error={err('type')}>
          {(a) => (
            <select className="input" {...a} value={d.type} onChange={(e) => set({ type: e.target.value as ChannelType, config: {}, stored: new Set() })} disabled={d.id !== null}>
              {CHANNEL_TYPES.map((t) => (
                <option key={t} value={t}>
                  {KIND_LABEL[t]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {fields.map((f) =>
          f.kind === 'bool' ? (
            <label key={f.key} className="check">
              <input type="checkbox" checked={d.config[f.key] === true} onChange={(e) => setConfig(f.key, e.target.checked)} /> {f.label}
            </label>
          ) : (
            <Field key={f.key} id={`ch-${f.key}`} label={f.label} error={err(`config.${f.key}`)} hint={f.secret && d.stored.has(f.key) ? 'stored: leave empty to keep it' : f.hint}>
              {(a) => (
                <input
                  className="input"
                  {...a}
                  type={f.secret ? 'password' : 'text'}
                  autoComplete={f.secret ? 'new-password' : 'off'}
                  placeholder={f.secret && d.stored.has(f.key) ? MASKED : undefined}
                  value={String(d.config[f.key] ?? '')}
                  onChange={(e) => setConfig(f.key, e.target.value)}
                />
              )}
            </Field>
          ),
        )}
        <Field id="ch-min-severity" label="Sends alerts from" error={err('minSeverity')}>
          {(a) => (
            <select className="input" {...a} value={d.minSeverity} onChange={(e) => set({ minSeverity: e.target.value as Severity })}>
              {SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {s} up
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="ch-rate" label="Rate limit per minute" error={err('rateLimitPerMin')} hint="0 for none">
          {(a) => <input className="input input-narrow" {...a} type="number" min={0} step={1} value={d.rateLimitPerMin} onChange={(e) => set({ rateLimitPerMin: e.target.value })} />}
        </Field>
        <label className="check">
          <input type="checkbox" checked={d.subscribeAll} onChange={(e) => set({ subscribeAll: e.target.checked })} /> Every alert (else only through preferences)
        </label>
        <label className="check">
          <input type="checkbox" checked={d.enabled} onChange={(e) => set({ enabled: e.target.checked })} /> Enabled
        </label>
      </div>
      <FormFooter problems={problems} busy={busy} onCancel={onCancel} submit={d.id === null ? 'Create channel' : 'Save channel'} />
    </form>
  )
}

/** What a channel test came to, in words: the server's reason and code when it failed. */
function testOutcomeText(name: string, o: ChannelTestOutcome): { text: string; error: boolean } {
  if (o.ok) return { text: `Test delivered to “${name}” in ${formatValue(o.latencyMs)} ms.`, error: false }
  return { text: `Test to “${name}” failed: ${o.reason} (${o.code}${o.permanent ? ', fix the channel before trying again' : ''}).`, error: true }
}

/** Notification channels: admins only, since they hold secrets (the API refuses others). */
export function Channels({ role, version, onChanged }: { role: Role | undefined; version: number; onChanged: () => void }) {
  const admin = role === 'admin'
  const channels = usePoll(() => (admin ? listChannels() : Promise.resolve({ items: [] })), null, [version, admin])
  const [editing, setEditing] = useState<ChannelDraft | null>(null)
  const [pending, setPending] = useState<Pending | null>(null)
  const [feedback, setFeedback] = useState<{ text: string; error: boolean }>({ text: '', error: false })
  const [testing, setTesting] = useState<string | null>(null)
  const sendTest = (c: NotificationChannel): void => {
    setTesting(c.id)
    setFeedback({ text: `Sending a test to “${c.name}”…`, error: false })
    testChannel(c.id)
      .then((o) => setFeedback(testOutcomeText(c.name, o)))
      .catch((err: unknown) => setFeedback({ text: `Could not send a test to “${c.name}”: ${plain(err, 'Only administrators test notification channels.')}`, error: true }))
      .finally(() => setTesting(null))
  }
  return (
    <section className="panel" aria-labelledby="channels-title" data-testid="channels">
      <h2 id="channels-title" className="panel-title">
        Notification channels
      </h2>
      {!admin ? (
        <p className="muted">Channels hold passwords and webhook secrets: an administrator of your organisation manages them.</p>
      ) : (
        <>
          <Loading state={channels} what="notification channels">
            {(d) =>
              d.items.length === 0 ? (
                <p className="muted" data-testid="channels-empty">
                  No notification channels yet: alerts are listed here but sent nowhere.
                </p>
              ) : (
                <div className="table-scroll">
                  <table className="plain-table">
                    <thead>
                      <tr>
                        <th scope="col">Name</th>
                        <th scope="col">Kind</th>
                        <th scope="col">Sends</th>
                        <th scope="col">Enabled</th>
                        <th scope="col">Rate limit</th>
                        <th scope="col">
                          <span className="visually-hidden">Actions</span>
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {d.items.map((c) => (
                        <tr key={c.id} data-testid="channel-row" data-channel-name={c.name}>
                          <td>{c.name}</td>
                          <td>{KIND_LABEL[c.type] ?? c.type}</td>
                          <td>{c.subscribeAll ? `${c.minSeverity} and up` : 'through preferences'}</td>
                          <td>{c.enabled ? 'yes' : 'no'}</td>
                          <td>{c.rateLimitPerMin === 0 ? 'none' : `${c.rateLimitPerMin}/min`}</td>
                          <td className="row-actions">
                            <button type="button" className="button" onClick={() => sendTest(c)} disabled={testing !== null} data-testid="channel-test">
                              {testing === c.id ? 'Sending…' : 'Send test'}
                            </button>
                            <button type="button" className="button" onClick={() => setEditing(draftOf(c))}>
                              Edit
                            </button>
                            <button
                              type="button"
                              className="button danger"
                              onClick={() =>
                                setPending({
                                  title: `Delete the channel “${c.name}”?`,
                                  body: <p>Alerts are no longer sent to it; preferences naming it lose it.</p>,
                                  confirm: 'Delete channel',
                                  run: () => deleteChannel(c.id),
                                })
                              }
                            >
                              Delete
                            </button>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )
            }
          </Loading>
          {editing === null ? (
            <div className="inline-form">
              <button type="button" className="button primary" onClick={() => setEditing(newChannel())}>
                New channel
              </button>
            </div>
          ) : (
            <ChannelForm
              key={editing.id ?? 'new'}
              initial={editing}
              onCancel={() => setEditing(null)}
              onSaved={(name) => {
                setFeedback({ text: `Channel “${name}” saved.`, error: false })
                setEditing(null)
                onChanged()
              }}
            />
          )}
          <p className={feedback.error ? 'feedback error' : 'feedback'} role="status" data-testid="channels-feedback">
            {feedback.text}
          </p>
          <Confirm
            pending={pending}
            onClose={() => setPending(null)}
            onDone={() => {
              setFeedback({ text: 'Channel deleted.', error: false })
              onChanged()
            }}
          />
        </>
      )}
    </section>
  )
}

// --- Preferences ---------------------------------------------------------------------------------

const ROLES_FOR_PREFS: readonly Role[] = ['admin', 'operator', 'viewer']

/** Who gets which severities on which channels: listed for everyone, changed by admins. */
export function Preferences({ role, channelsVersion }: { role: Role | undefined; channelsVersion: number }) {
  const admin = role === 'admin'
  const [version, setVersion] = useState(0)
  // A deleted channel leaves the preferences naming it, so they are read again with the channels.
  const prefs = usePoll(listPreferences, null, [version, channelsVersion])
  // Names for the ids in the list: only admins may list channels and users.
  const channels = usePoll(() => (admin ? listChannels() : Promise.resolve({ items: [] })), null, [channelsVersion, admin])
  const users = usePoll(() => (admin ? listUsers() : Promise.resolve({ items: [] })), null, [admin])
  const [who, setWho] = useState<'role' | 'user'>('role')
  const [draft, setDraft] = useState({ role: 'operator', userId: '', severities: ['warning', 'critical'] as Severity[], channelIds: [] as string[], emails: '', quiet: false, start: '22:00', end: '07:00', timezone: Intl.DateTimeFormat().resolvedOptions().timeZone })
  const [problems, setProblems] = useState<Problems>(NO_PROBLEMS)
  const [busy, setBusy] = useState(false)
  const [pending, setPending] = useState<Pending | null>(null)
  const [feedback, setFeedback] = useState('')
  const channelName = (id: string): string => channels.data?.items.find((c) => c.id === id)?.name ?? id
  const userName = (id: string): string => users.data?.items.find((u) => u.id === id)?.username ?? id
  const toggle = <T,>(list: T[], v: T, on: boolean): T[] => (on ? [...list.filter((x) => x !== v), v] : list.filter((x) => x !== v))
  const shown = (f: string): boolean => ['userId', 'role', 'severities', 'channelIds', 'emails'].includes(f) || f.startsWith('quietHours')
  const err = (f: string): string | undefined => problems.byField[f]
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault()
    setProblems(NO_PROBLEMS)
    setBusy(true)
    try {
      await createPreference({
        ...(who === 'role' ? { role: draft.role } : { userId: draft.userId }),
        severities: draft.severities,
        channelIds: draft.channelIds,
        emails: draft.emails.split(',').map((s) => s.trim()).filter((s) => s !== ''),
        quietHours: draft.quiet ? { start: draft.start, end: draft.end, timezone: draft.timezone } : null,
      })
      setFeedback('Preference added.')
      setVersion((v) => v + 1)
    } catch (caught) {
      setProblems(problemsOf(caught, shown, 'Only administrators change notification preferences.'))
    } finally {
      setBusy(false)
    }
  }
  const quietErr = err('quietHours.start') ?? err('quietHours.end') ?? err('quietHours.timezone')
  return (
    <section className="panel" aria-labelledby="prefs-title" data-testid="preferences">
      <h2 id="prefs-title" className="panel-title">
        Notification preferences
      </h2>
      <p className="muted">Besides what each channel sends on its own, these route alerts of some severities to a user or a role. During quiet hours only critical alerts get through.</p>
      <Loading state={prefs} what="preferences">
        {(d) =>
          d.items.length === 0 ? (
            <p className="muted">No preferences: each channel sends what it subscribes to.</p>
          ) : (
            <div className="table-scroll">
              <table className="plain-table">
                <thead>
                  <tr>
                    <th scope="col">Who</th>
                    <th scope="col">Severities</th>
                    <th scope="col">Channels</th>
                    <th scope="col">E-mail to</th>
                    <th scope="col">Quiet hours</th>
                    {admin && (
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {d.items.map((p) => (
                    <tr key={p.id} data-testid="preference-row">
                      <td>{p.userId !== null ? `user ${userName(p.userId)}` : `role ${p.role ?? '?'}`}</td>
                      <td>{p.severities.join(', ')}</td>
                      <td>{p.channelIds.length === 0 ? '—' : p.channelIds.map(channelName).join(', ')}</td>
                      <td>{p.emails.length === 0 ? '—' : p.emails.join(', ')}</td>
                      <td>{p.quietHours === null ? '—' : `${p.quietHours.start}–${p.quietHours.end} (${p.quietHours.timezone})`}</td>
                      {admin && (
                        <td>
                          <button
                            type="button"
                            className="button danger"
                            onClick={() => setPending({ title: 'Delete this preference?', body: <p>Alerts stop being routed this way.</p>, confirm: 'Delete preference', run: () => deletePreference(p.id) })}
                          >
                            Delete
                          </button>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loading>
      {admin && (
        <form className="settings-form" onSubmit={(e) => void submit(e)} aria-label="New notification preference" data-testid="preference-form" noValidate>
          <h3 className="form-title">New preference</h3>
          <div className="form-grid">
            <Field id="pref-who" label="For" error={err('userId') ?? err('role')}>
              {(a) => (
                <span className="inline-form">
                  <select className="input" aria-label="For a role or a user" value={who} onChange={(e) => setWho(e.target.value as 'role' | 'user')}>
                    <option value="role">role</option>
                    <option value="user">user</option>
                  </select>
                  {who === 'role' ? (
                    <select className="input" {...a} value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.target.value })}>
                      {ROLES_FOR_PREFS.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <select className="input" {...a} value={draft.userId} onChange={(e) => setDraft({ ...draft, userId: e.target.value })}>
                      <option value="">(choose)</option>
                      {(users.data?.items ?? []).map((u) => (
                        <option key={u.id} value={u.id}>
                          {u.username}
                        </option>
                      ))}
                    </select>
                  )}
                </span>
              )}
            </Field>
            <fieldset className="field" aria-invalid={err('severities') !== undefined}>
              <legend>Severities</legend>
              {SEVERITIES.map((s) => (
                <label key={s} className="check">
                  <input type="checkbox" checked={draft.severities.includes(s)} onChange={(e) => setDraft({ ...draft, severities: toggle(draft.severities, s, e.target.checked) })} /> {s}
                </label>
              ))}
              {err('severities') !== undefined && <span className="field-error">{err('severities')}</span>}
            </fieldset>
            <fieldset className="field">
              <legend>Channels</legend>
              {(channels.data?.items ?? []).length === 0 && <span className="muted">no channels yet</span>}
              {(channels.data?.items ?? []).map((c) => (
                <label key={c.id} className="check">
                  <input type="checkbox" checked={draft.channelIds.includes(c.id)} onChange={(e) => setDraft({ ...draft, channelIds: toggle(draft.channelIds, c.id, e.target.checked) })} /> {c.name}
                </label>
              ))}
              {err('channelIds') !== undefined && <span className="field-error">{err('channelIds')}</span>}
            </fieldset>
            <Field id="pref-emails" label="E-mail to (comma-separated, for e-mail channels)" error={err('emails')}>
              {(a) => <input className="input" {...a} value={draft.emails} onChange={(e) => setDraft({ ...draft, emails: e.target.value })} />}
            </Field>
            <fieldset className="field">
              <legend>
                <label className="check">
                  <input type="checkbox" checked={draft.quiet} onChange={(e) => setDraft({ ...draft, quiet: e.target.checked })} /> Quiet hours
                </label>
              </legend>
              {draft.quiet && (
                <span className="inline-form">
                  <input className="input input-narrow" aria-label="Quiet from (HH:MM)" value={draft.start} onChange={(e) => setDraft({ ...draft, start: e.target.value })} />
                  <input className="input input-narrow" aria-label="Quiet until (HH:MM)" value={draft.end} onChange={(e) => setDraft({ ...draft, end: e.target.value })} />
                  <input className="input" aria-label="Time zone" value={draft.timezone} onChange={(e) => setDraft({ ...draft, timezone: e.target.value })} />
                </span>
              )}
              {quietErr !== undefined && <span className="field-error">{quietErr}</span>}
            </fieldset>
          </div>
          <FormFooter problems={problems} busy={busy} submit="Add preference" />
        </form>
      )}
      <p className="feedback" role="status">
        {feedback}
      </p>
      <Confirm
        pending={pending}
        onClose={() => setPending(null)}
        onDone={() => {
          setFeedback('Preference deleted.')
          setVersion((v) => v + 1)
        }}
      />
    </section>
  )
}

// --- Alert rules ---------------------------------------------------------------------------------

const RULE_KIND_LABEL: Record<RuleKind, string> = {
  threshold: 'threshold',
  rate_of_change: 'rate of change',
  anomaly_score: 'anomaly score',
  health: 'health index',
  rul: 'remaining life (h)',
  forecast: 'forecast',
  staleness: 'no data',
  drift: 'model drift',
  model_error: 'model error',
}
/** Kinds that watch a channel or feature, so need a target. */
const TARGETED: readonly RuleKind[] = ['threshold', 'rate_of_change', 'staleness', 'forecast']
/** Kinds fed by a model's predictions, which may be limited to one source. */
const FROM_MODELS: readonly RuleKind[] = ['anomaly_score', 'health', 'rul', 'forecast', 'drift', 'model_error']

type ScopeKind = 'tenant' | 'siteId' | 'assetType' | 'assetId'
const SCOPE_LABEL: Record<ScopeKind, string> = { tenant: 'every asset', siteId: 'a site', assetType: 'an asset type', assetId: 'one asset' }

function scopeText(r: AlertRule): string {
  switch (r.scope.kind) {
    case 'asset':
      return `asset ${r.scope.assetId}`
    case 'asset_type':
      return `type ${r.scope.assetType}`
    case 'site':
      return `site ${r.scope.siteId}`
    case 'tenant':
      return 'every asset'
  }
}

function levelsText(r: AlertRule): string {
  const dir = r.direction === 'above' ? '≥' : '≤'
  if (r.kind === 'staleness') return `silent ≥ ${formatValue(r.staleSec ?? r.warning ?? 0)} s${r.critical !== undefined ? ` · critical ≥ ${formatValue(r.critical)} s` : ''}`
  const parts = [r.warning !== undefined ? `warning ${dir} ${formatValue(r.warning)}` : null, r.critical !== undefined ? `critical ${dir} ${formatValue(r.critical)}` : null].filter(Boolean)
  return parts.join(' · ') || '—'
}

interface RuleDraft {
  id: string | null
  name: string
  kind: RuleKind
  scopeKind: ScopeKind
  scopeValue: string
  target: string
  direction: 'above' | 'below'
  warning: string
  critical: string
  hysteresis: string
  for: string
  window: string
  stale: string
  withinHours: string
  escalateAfter: string
  source: string
  enabled: boolean
}

const newRule = (): RuleDraft => ({ id: null, name: '', kind: 'threshold', scopeKind: 'tenant', scopeValue: '', target: '', direction: 'above', warning: '', critical: '', hysteresis: '', for: '', window: '', stale: '', withinHours: '', escalateAfter: '', source: '', enabled: true })

function ruleDraft(r: AlertRule): RuleDraft {
  const b = ruleBody(r)
  const s = b.scope
  const [scopeKind, scopeValue]: [ScopeKind, string] = s === 'tenant' ? ['tenant', ''] : s.assetId !== undefined ? ['assetId', s.assetId] : s.siteId !== undefined ? ['siteId', s.siteId] : ['assetType', s.assetType ?? '']
  const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v))
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    scopeKind,
    scopeValue,
    target: str(b.target),
    direction: r.direction,
    warning: str(b.warning),
    critical: str(b.critical),
    hysteresis: str(b.hysteresis),
    for: r.forSec === 0 ? '' : str(b.for),
    window: str(b.window),
    stale: str(b.stale),
    withinHours: str(b.withinHours),
    escalateAfter: r.escalateAfterMin === 0 ? '' : str(b.escalateAfter),
    source: str(b.source),
    enabled: r.enabled,
  }
}

/** A number as typed: a number when it is one, else the text (the server names the field and says why). */
const numberOrText = (v: string): number | string | undefined => (v.trim() === '' ? undefined : Number.isFinite(Number(v)) ? Number(v) : v.trim())

function toRuleBody(d: RuleDraft, keep: AlertRule | null): RuleBody {
  const b: RuleBody = { kind: d.kind, scope: d.scopeKind === 'tenant' ? 'tenant' : { [d.scopeKind]: d.scopeValue.trim() }, enabled: d.enabled, direction: d.direction }
  if (d.name.trim() !== '') b.name = d.name.trim()
  if (TARGETED.includes(d.kind) && d.target.trim() !== '') b.target = d.target.trim()
  const put = (k: 'warning' | 'critical' | 'hysteresis' | 'for' | 'window' | 'stale' | 'withinHours' | 'escalateAfter', v: string): void => {
    const n = numberOrText(v)
    if (n !== undefined) b[k] = n
  }
  // A staleness rule's warning level is its `stale` duration.
  if (d.kind !== 'staleness') put('warning', d.warning)
  put('critical', d.critical)
  put('hysteresis', d.hysteresis)
  put('for', d.for)
  put('escalateAfter', d.escalateAfter)
  if (d.kind === 'rate_of_change') put('window', d.window)
  if (d.kind === 'staleness') put('stale', d.stale)
  if (d.kind === 'forecast') put('withinHours', d.withinHours)
  if (FROM_MODELS.includes(d.kind) && d.source.trim() !== '') b.source = d.source.trim()
  // What the form does not show is kept as it was.
  if (keep !== null) {
    if (keep.escalateChannelIds.length > 0) b.escalateChannelIds = keep.escalateChannelIds
    if (keep.template !== undefined) b.template = keep.template
  }
  return b
}

function RuleForm({ initial, rule, onSaved, onCancel }: { initial: RuleDraft; rule: AlertRule | null; onSaved: (name: string) => void; onCancel: () => void }) {
  const [d, setD] = useState(initial)
  const [problems, setProblems] = useState<Problems>(NO_PROBLEMS)
  const [busy, setBusy] = useState(false)
  const set = (patch: Partial<RuleDraft>): void => setD((x) => ({ ...x, ...patch }))
  const targeted = TARGETED.includes(d.kind)
  const shownFields = new Set(['name', 'kind', 'direction', ...(d.kind === 'staleness' ? [] : ['warning']), 'critical', 'hysteresis', 'for', 'escalateAfter', ...(targeted ? ['target'] : []), ...(d.kind === 'rate_of_change' ? ['window'] : []), ...(d.kind === 'staleness' ? ['stale'] : []), ...(d.kind === 'forecast' ? ['withinHours'] : [])])
  const shown = (f: string): boolean => shownFields.has(f) || f.startsWith('scope')
  const err = (f: string): string | undefined => problems.byField[f]
  const scopeErr = Object.entries(problems.byField).find(([f]) => f.startsWith('scope'))?.[1]
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault()
    setBusy(true)
    setProblems(NO_PROBLEMS)
    try {
      const body = toRuleBody(d, rule)
      const saved = await (d.id === null ? createRule(body) : updateRule(d.id, body))
      onSaved(saved.name)
    } catch (caught) {
      setProblems(problemsOf(caught, shown, 'Your role may not change alert rules.'))
      setBusy(false)
    }
  }
  const text = (id: string, key: keyof RuleDraft, label: string, hint?: string, narrow = false): ReactNode => (
    <Field id={id} label={label} error={err(key)} hint={hint}>
      {(a) => <input className={narrow ? 'input input-narrow' : 'input'} {...a} value={String(d[key])} onChange={(e) => set({ [key]: e.target.value } as Partial<RuleDraft>)} />}
    </Field>
  )
  return (
    <form className="settings-form" onSubmit={(e) => void submit(e)} aria-label={d.id === null ? 'New alert rule' : `Edit rule ${initial.name}`} data-testid="rule-form" noValidate>
      <h3 className="form-title">{d.id === null ? 'New alert rule' : `Edit “${initial.name}”`}</h3>
      <div className="form-grid">
        {text('rule-name', 'name', 'Name')}
        <Field id="rule-kind" label="Kind" error={err('kind')}>
          {(a) => (
            <select className="input" {...a} value={d.kind} onChange={(e) => set({ kind: e.target.value as RuleKind })} disabled={d.id !== null}>
              {RULE_KINDS.map((k) => (
                <option key={k} value={k}>
                  {RULE_KIND_LABEL[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id="rule-scope" label="Applies to" error={scopeErr}>
          {(a) => (
            <span className="inline-form">
              <select className="input" {...a} value={d.scopeKind} onChange={(e) => set({ scopeKind: e.target.value as ScopeKind })}>
                {(Object.keys(SCOPE_LABEL) as ScopeKind[]).map((s) => (
                  <option key={s} value={s}>
                    {SCOPE_LABEL[s]}
                  </option>
                ))}
              </select>
              {d.scopeKind !== 'tenant' && <input className="input" aria-label={`Scope: ${SCOPE_LABEL[d.scopeKind]}`} placeholder={d.scopeKind === 'siteId' ? 'site id' : d.scopeKind === 'assetId' ? 'asset id' : 'e.g. rotating_machine'} value={d.scopeValue} onChange={(e) => set({ scopeValue: e.target.value })} />}
            </span>
          )}
        </Field>
        {targeted && text('rule-target', 'target', 'Channel or feature', 'e.g. temp or temp.w60.mean')}
        {d.kind !== 'staleness' && (
          <Field id="rule-direction" label="Fires when the value is" error={err('direction')}>
            {(a) => (
              <select className="input" {...a} value={d.direction} onChange={(e) => set({ direction: e.target.value as 'above' | 'below' })}>
                <option value="above">at or above a level</option>
                <option value="below">at or below a level</option>
              </select>
            )}
          </Field>
        )}
        {d.kind === 'staleness' && text('rule-stale', 'stale', 'No data for', 'e.g. 2m', true)}
        {d.kind !== 'staleness' && text('rule-warning', 'warning', 'Warning level', FROM_MODELS.includes(d.kind) ? 'empty: the kind’s default' : undefined, true)}
        {text('rule-critical', 'critical', d.kind === 'staleness' ? 'Critical after (seconds)' : 'Critical level', undefined, true)}
        {d.kind !== 'staleness' && text('rule-hysteresis', 'hysteresis', 'Hysteresis', 'to clear, back past the level by this', true)}
        {d.kind === 'rate_of_change' && text('rule-window', 'window', 'Rate over', 'e.g. 60s', true)}
        {d.kind === 'forecast' && text('rule-within', 'withinHours', 'Within hours', undefined, true)}
        {text('rule-for', 'for', 'Holds for', 'e.g. 30s, 5m', true)}
        {text('rule-escalate', 'escalateAfter', 'Escalate after', 'unacknowledged, e.g. 15m', true)}
        {FROM_MODELS.includes(d.kind) && text('rule-source', 'source', 'Only from model', 'empty: any model')}
        <label className="check">
          <input type="checkbox" checked={d.enabled} onChange={(e) => set({ enabled: e.target.checked })} /> Enabled
        </label>
      </div>
      <FormFooter problems={problems} busy={busy} onCancel={onCancel} submit={d.id === null ? 'Create rule' : 'Save rule'} />
    </form>
  )
}

/** Alert rules: read by everyone, changed by operators and admins. */
export function Rules({ role }: { role: Role | undefined }) {
  const editor = role === 'admin' || role === 'operator'
  const [version, setVersion] = useState(0)
  const rules = usePoll(listRules, null, [version])
  const [editing, setEditing] = useState<{ draft: RuleDraft; rule: AlertRule | null } | null>(null)
  const [pending, setPending] = useState<Pending | null>(null)
  const [feedback, setFeedback] = useState<{ text: string; error: boolean }>({ text: '', error: false })
  const toggle = (r: AlertRule): void => {
    setFeedback({ text: '', error: false })
    updateRule(r.id, { ...ruleBody(r), enabled: !r.enabled })
      .then(() => {
        setFeedback({ text: `Rule “${r.name}” ${r.enabled ? 'disabled' : 'enabled'}.`, error: false })
        setVersion((v) => v + 1)
      })
      .catch((err: unknown) => setFeedback({ text: plain(err, 'Your role may not change alert rules.'), error: true }))
  }
  return (
    <section className="panel" aria-labelledby="rules-title" data-testid="rules">
      <h2 id="rules-title" className="panel-title">
        Alert rules
      </h2>
      {!editor && <p className="muted">Read-only: operators and administrators change rules.</p>}
      <Loading state={rules} what="alert rules">
        {(d) =>
          d.items.length === 0 ? (
            <p className="muted" data-testid="rules-empty">
              No alert rules: nothing raises alerts.
            </p>
          ) : (
            <div className="table-scroll">
              <table className="plain-table">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Target</th>
                    <th scope="col">Levels</th>
                    <th scope="col">Scope</th>
                    <th scope="col">Enabled</th>
                    {editor && (
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {d.items.map((r) => (
                    <tr key={r.id} data-testid="rule-row" data-rule-id={r.id} data-rule-name={r.name} className={r.enabled ? undefined : 'revoked'}>
                      <td>{r.name}</td>
                      <td>{RULE_KIND_LABEL[r.kind] ?? r.kind}</td>
                      <td>{r.target ?? (r.source !== undefined ? `model ${r.source}` : '—')}</td>
                      <td>{levelsText(r)}</td>
                      <td>{scopeText(r)}</td>
                      <td>
                        {editor ? (
                          <button type="button" className="button" aria-pressed={r.enabled} aria-label={`${r.enabled ? 'Disable' : 'Enable'} rule ${r.name}`} onClick={() => toggle(r)} data-testid="rule-toggle">
                            {r.enabled ? 'on' : 'off'}
                          </button>
                        ) : r.enabled ? (
                          'yes'
                        ) : (
                          'no'
                        )}
                      </td>
                      {editor && (
                        <td className="row-actions">
                          <button type="button" className="button" onClick={() => setEditing({ draft: ruleDraft(r), rule: r })}>
                            Edit
                          </button>
                          <button
                            type="button"
                            className="button danger"
                            data-testid="rule-delete"
                            onClick={() =>
                              setPending({
                                title: `Delete the rule “${r.name}”?`,
                                body: <p>It stops raising alerts; its open alerts stay until resolved. A deleted default rule is not recreated.</p>,
                                confirm: 'Delete rule',
                                run: () => deleteRule(r.id),
                              })
                            }
                          >
                            Delete
                          </button>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loading>
      {editor &&
        (editing === null ? (
          <div className="inline-form">
            <button type="button" className="button primary" onClick={() => setEditing({ draft: newRule(), rule: null })}>
              New rule
            </button>
          </div>
        ) : (
          <RuleForm
            key={editing.draft.id ?? 'new'}
            initial={editing.draft}
            rule={editing.rule}
            onCancel={() => setEditing(null)}
            onSaved={(name) => {
              setFeedback({ text: `Rule “${name}” saved.`, error: false })
              setEditing(null)
              setVersion((v) => v + 1)
            }}
          />
        ))}
      <p className={feedback.error ? 'feedback error' : 'feedback'} role="status" data-testid="rules-feedback">
        {feedback.text}
      </p>
      <Confirm
        pending={pending}
        onClose={() => setPending(null)}
        onDone={() => {
          setFeedback({ text: 'Rule deleted.', error: false })
          setVersion((v) => v + 1)
        }}
      />
    </section>
  )
}
