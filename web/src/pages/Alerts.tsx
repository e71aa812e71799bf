import { useEffect, useMemo, useRef, useState } from 'react'
import { ApiError, listSites, subscribe } from '../api'
import {
  acknowledgeAlert,
  createSilence,
  listAlerts,
  resolveAlert,
  SEVERITIES,
  STATE_FILTERS,
  type Alert,
  type AlertQuery,
  type LiveAlertEvent,
  type Severity,
  type StateFilter,
} from '../api.alerts'
import { formatAge, formatValue } from '../format'
import { chartHref, fromLiveEvent, matches } from '../ops'
import { assetHref, hashParams } from '../router'
import { usePoll } from '../usePoll'
import '../ops.css'

const POLL_MS = 30_000
const SILENCE_DURATIONS = [
  { label: '1 hour', ms: 3_600_000 },
  { label: '4 hours', ms: 4 * 3_600_000 },
  { label: '24 hours', ms: 24 * 3_600_000 },
  { label: '7 days', ms: 7 * 24 * 3_600_000 },
]

const STATE_LABEL: Record<StateFilter, string> = { active: 'Open or acknowledged', open: 'Open', acknowledged: 'Acknowledged', resolved: 'Resolved' }

const plain = (err: unknown): string => {
  if (err instanceof ApiError) {
    if (err.code === 'AUTH_FORBIDDEN') return 'Your role may not change alerts.'
    if (err.status === 409) return `Not done: ${err.message}`
    if (err.code === 'NETWORK_ERROR') return 'Cannot reach the Prognos server.'
  }
  return err instanceof Error ? err.message : String(err)
}

/** Everything an alert was raised on: values, levels, channels, model version, and a jump to the chart. */
function Evidence({ a }: { a: Alert }) {
  const e = a.evidence
  const t = e.thresholds
  const recent = e.values.slice(-12)
  return (
    <div className="evidence" data-testid="evidence">
      <dl className="facts">
        <div>
          <dt>Value</dt>
          <dd>{formatValue(a.value)}</dd>
        </div>
        <div>
          <dt>Crossed level</dt>
          <dd>
            {formatValue(a.threshold)} ({t.direction === 'above' ? 'rising to or above' : 'falling to or below'})
          </dd>
        </div>
        <div>
          <dt>Levels</dt>
          <dd>
            {t.warning !== undefined ? `warning ${formatValue(t.warning)}` : 'no warning level'}
            {' · '}
            {t.critical !== undefined ? `critical ${formatValue(t.critical)}` : 'no critical level'}
            {` · hysteresis ${formatValue(t.hysteresis)}`}
          </dd>
        </div>
        <div>
          <dt>Contributing channels</dt>
          <dd>{e.channels.length === 0 ? '—' : e.channels.join(', ')}</dd>
        </div>
        <div>
          <dt>Model version</dt>
          <dd>{e.modelVersion ?? 'none (a rule on readings)'}</dd>
        </div>
        {e.source !== undefined && (
          <div>
            <dt>Source</dt>
            <dd>{e.source}</dd>
          </div>
        )}
        <div>
          <dt>Started</dt>
          <dd>{new Date(a.startedAt).toLocaleString()}</dd>
        </div>
        {a.acknowledgedAt !== null && (
          <div>
            <dt>Acknowledged</dt>
            <dd>
              {new Date(a.acknowledgedAt).toLocaleString()} by {a.acknowledgedBy ?? '—'}
            </dd>
          </div>
        )}
        {a.resolvedAt !== null && (
          <div>
            <dt>Resolved</dt>
            <dd>
              {new Date(a.resolvedAt).toLocaleString()} by {a.resolvedBy ?? 'the rule (the condition cleared)'}
            </dd>
          </div>
        )}
      </dl>
      {recent.length > 0 && (
        <div className="table-scroll">
          <table className="plain-table evidence-values" aria-label="Recent values">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Value</th>
              </tr>
            </thead>
            <tbody>
              {recent.map((v) => (
                <tr key={v.ts}>
                  <td>{new Date(v.ts).toLocaleTimeString()}</td>
                  <td>{formatValue(v.value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p>
        <a href={chartHref(a)} data-testid="chart-link">
          Open the chart of {a.assetId} at that time
        </a>
      </p>
    </div>
  )
}

function AlertRow({ a, onDone }: { a: Alert; onDone: (a: Alert | null, message: string, error?: boolean) => void }) {
  const [open, setOpen] = useState(false)
  const [busy, setBusy] = useState(false)
  const [silenceMs, setSilenceMs] = useState(SILENCE_DURATIONS[0]!.ms)
  const act = async (what: () => Promise<Alert | null>, done: string): Promise<void> => {
    setBusy(true)
    try {
      onDone(await what(), done)
    } catch (err) {
      onDone(null, `${a.ruleName} on ${a.assetId}: ${plain(err)}`, true)
    } finally {
      setBusy(false)
    }
  }
  const evidenceId = `evidence-${a.id}`
  return (
    <li className={`alert-card severity-border-${a.severity}`} data-testid="alert-row" data-alert-id={a.id} data-state={a.state}>
      <div className="alert-head">
        <span className={`badge severity-${a.severity}`}>{a.severity}</span>
        <span className="alert-state" data-testid="alert-state">
          {a.state}
          {a.silenced && ' · silenced'}
          {a.flapping && ' · flapping'}
        </span>
        <a href={assetHref(a.assetId)} className="alert-asset">
          {a.assetId}
        </a>
        <span className="alert-message">{a.message}</span>
        <span className="muted alert-age" title={new Date(a.openedAt ?? a.startedAt).toLocaleString()}>
          {formatAge(Date.now() - (a.openedAt ?? a.startedAt))}
        </span>
      </div>
      <div className="alert-actions">
        <button type="button" className="button" aria-expanded={open} aria-controls={evidenceId} onClick={() => setOpen((o) => !o)}>
          {open ? 'Hide evidence' : 'Evidence'}
        </button>
        {a.state === 'open' && (
          <button type="button" className="button" data-testid="ack" disabled={busy} onClick={() => void act(() => acknowledgeAlert(a.id), `Acknowledged: ${a.ruleName} on ${a.assetId}.`)}>
            Acknowledge
          </button>
        )}
        {a.state !== 'resolved' && (
          <button type="button" className="button" data-testid="resolve" disabled={busy} onClick={() => void act(() => resolveAlert(a.id), `Resolved: ${a.ruleName} on ${a.assetId}.`)}>
            Resolve
          </button>
        )}
        {a.state !== 'resolved' && (
          <span className="silence">
            <select className="input" aria-label={`Silence ${a.assetId} for`} value={silenceMs} onChange={(e) => setSilenceMs(Number(e.target.value))}>
              {SILENCE_DURATIONS.map((d) => (
                <option key={d.ms} value={d.ms}>
                  {d.label}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="button"
              data-testid="silence"
              disabled={busy}
              onClick={() => {
                const until = Date.now() + silenceMs
                void act(async () => {
                  await createSilence({ assetId: a.assetId, ruleId: a.ruleId, endsAt: until, reason: `silenced from the dashboard (alert ${a.id})` })
                  return null
                }, `Notifications of ${a.ruleName} on ${a.assetId} are silenced until ${new Date(until).toLocaleString()}. The alert stays listed.`)
              }}
            >
              Silence
            </button>
          </span>
        )}
      </div>
      {open && (
        <div id={evidenceId}>
          <Evidence a={a} />
        </div>
      )}
    </li>
  )
}

/** The alerts page: filters, the list with its actions, each alert's evidence, live updates. */
export function AlertsPage() {
  const initial = hashParams()
  const [state, setState] = useState<StateFilter | ''>((initial.get('state') as StateFilter | null) ?? 'active')
  const [severity, setSeverity] = useState<Severity | ''>((initial.get('severity') as Severity | null) ?? '')
  const [siteId, setSiteId] = useState(initial.get('siteId') ?? '')
  const [assetId, setAssetId] = useState(initial.get('assetId') ?? '')
  const [reload, setReload] = useState(0)
  const [feedback, setFeedback] = useState<{ text: string; error: boolean } | null>(null)
  const [live, setLive] = useState<Map<string, Alert>>(new Map())
  const [connected, setConnected] = useState(false)

  const q: AlertQuery = useMemo(
    () => ({
      ...(state !== '' ? { state } : {}),
      ...(severity !== '' ? { severity } : {}),
      ...(siteId !== '' ? { siteId } : {}),
      ...(assetId.trim() !== '' ? { assetId: assetId.trim() } : {}),
      limit: 500,
    }),
    [state, severity, siteId, assetId],
  )
  const sites = usePoll(listSites, null, [])
  const alerts = usePoll(() => listAlerts(q), POLL_MS, [q, reload])

  // A fresh list replaces what arrived live before it.
  useEffect(() => setLive(new Map()), [alerts.data])
  const listed = useRef<Alert[]>([])
  listed.current = alerts.data?.items ?? []
  useEffect(() => {
    let refetch: number | undefined
    const stop = subscribe({
      status: setConnected,
      other: (event, data) => {
        if (event !== 'alert') return
        const e = data as LiveAlertEvent
        setLive((m) => new Map(m).set(e.details.alertId, fromLiveEvent(e, m.get(e.details.alertId) ?? listed.current.find((a) => a.id === e.details.alertId))))
        // Shown at once from the event; then the full record (who acknowledged, when it opened) shortly after.
        window.clearTimeout(refetch)
        refetch = window.setTimeout(() => setReload((r) => r + 1), 1500)
      },
    })
    return () => {
      stop()
      window.clearTimeout(refetch)
    }
  }, [])

  const shown = useMemo(() => {
    const byId = new Map<string, Alert>((alerts.data?.items ?? []).map((a) => [a.id, a]))
    for (const [id, a] of live) {
      const had = byId.get(id)
      if (had === undefined || had.updatedAt <= a.updatedAt) byId.set(id, a)
    }
    return [...byId.values()].filter((a) => matches(a, q)).sort((x, y) => (y.openedAt ?? y.startedAt) - (x.openedAt ?? x.startedAt))
  }, [alerts.data, live, q])

  const onDone = (a: Alert | null, text: string, error = false): void => {
    setFeedback({ text, error })
    if (a !== null) setLive((m) => new Map(m).set(a.id, a))
    if (!error) setReload((r) => r + 1)
  }

  return (
    <section className="ops-page alerts-page" aria-labelledby="alerts-title">
      <div className="page-head">
        <h1 id="alerts-title">Alerts</h1>
        <span className={connected ? 'live' : 'muted'} data-testid="live-status">
          {connected ? 'Live' : 'Connecting to live updates…'}
        </span>
      </div>
      <form className="toolbar filters" role="search" aria-label="Filter alerts" onSubmit={(e) => e.preventDefault()}>
        <label>
          <span>State</span>
          <select className="input" aria-label="State" value={state} onChange={(e) => setState(e.target.value as StateFilter | '')}>
            {STATE_FILTERS.map((s) => (
              <option key={s} value={s}>
                {STATE_LABEL[s]}
              </option>
            ))}
            <option value="">Any state</option>
          </select>
        </label>
        <label>
          <span>Severity</span>
          <select className="input" aria-label="Severity" value={severity} onChange={(e) => setSeverity(e.target.value as Severity | '')}>
            <option value="">Any severity</option>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Site</span>
          <select className="input" aria-label="Site" value={siteId} onChange={(e) => setSiteId(e.target.value)}>
            <option value="">All sites</option>
            {(sites.data?.items ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Asset</span>
          <input className="input" aria-label="Asset id" placeholder="asset id" value={assetId} onChange={(e) => setAssetId(e.target.value)} />
        </label>
      </form>
      <p className={feedback?.error ? 'error feedback' : 'feedback'} role="status" aria-live="polite" data-testid="feedback">
        {feedback?.text ?? ''}
      </p>
      {alerts.error !== undefined && (
        <p className="error" role="alert">
          Could not load the alerts: {plain(alerts.error)}
          {alerts.data !== undefined && ' (showing the last list that loaded)'}
        </p>
      )}
      {alerts.data === undefined ? (
        alerts.error === undefined && <p className="muted">Loading alerts…</p>
      ) : shown.length === 0 ? (
        <p className="muted" data-testid="alerts-empty">
          No alerts match these filters.
        </p>
      ) : (
        <>
          <p className="muted" data-testid="alert-count">
            {shown.length} alert{shown.length === 1 ? '' : 's'}
          </p>
          <ul className="alert-list" aria-label="Alerts">
            {shown.map((a) => (
              <AlertRow key={a.id} a={a} onDone={onDone} />
            ))}
          </ul>
        </>
      )}
    </section>
  )
}
