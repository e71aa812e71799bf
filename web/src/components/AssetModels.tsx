import { assetPredictions, type Prediction } from '../api.models'
import { usePoll } from '../usePoll'

const POLL_MS = 30_000

interface Scorer {
  model: string
  version: string
  deployment: string
  kinds: Set<string>
  count: number
  lastTs: number
}

/** Groups stored predictions by what made them: registry model and version (or the pipeline stage), and the deployment that routed the asset. */
export function scorers(items: readonly Prediction[]): Scorer[] {
  const byKey = new Map<string, Scorer>()
  for (const p of items) {
    const model = p.model ?? p.source
    const version = p.version === undefined ? '—' : `v${p.version}`
    const deployment = p.deployment ?? (p.model === undefined ? 'pipeline stage' : '—')
    const key = `${model}\u0000${version}\u0000${deployment}`
    const s = byKey.get(key) ?? { model, version, deployment, kinds: new Set<string>(), count: 0, lastTs: 0 }
    s.kinds.add(p.kind)
    s.count++
    s.lastTs = Math.max(s.lastTs, p.ts)
    byKey.set(key, s)
  }
  return [...byKey.values()].sort((a, b) => b.lastTs - a.lastTs)
}

/** The model versions that scored an asset over a time range, read from its stored predictions. */
export function AssetModels({ assetId, from, to }: { assetId: string; from: number; to: number }) {
  const state = usePoll(() => assetPredictions(assetId, { from, to, limit: 10_000 }), POLL_MS, [assetId, from, to])
  let body: React.ReactNode
  let status: string
  if (state.data === undefined) {
    status = state.error === undefined ? 'loading' : 'error'
    body = state.error === undefined ? <p className="muted">Loading…</p> : <p className="error">Could not load the predictions: {state.error.message}</p>
  } else {
    status = 'ok'
    const rows = scorers(state.data.items)
    body =
      rows.length === 0 ? (
        <p className="muted">No model has scored this asset in the shown time range.</p>
      ) : (
        <div className="table-scroll">
          <table className="plain-table">
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Version</th>
                <th scope="col">Deployment</th>
                <th scope="col">Kinds</th>
                <th scope="col">Scores</th>
                <th scope="col">Last scored</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((s) => (
                <tr key={`${s.model}-${s.version}-${s.deployment}`} data-testid="scorer-row">
                  <td>{s.deployment === 'pipeline stage' ? s.model : <a href={`#/models?model=${encodeURIComponent(s.model)}`}>{s.model}</a>}</td>
                  <td>{s.version}</td>
                  <td>{s.deployment}</td>
                  <td>{[...s.kinds].join(', ')}</td>
                  <td>{s.count}</td>
                  <td>{new Date(s.lastTs).toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )
  }
  return (
    <section className="panel slot" aria-label="Model versions that scored it" data-testid="slot-models" data-state={status}>
      <h2 className="panel-title">Model versions that scored it</h2>
      {body}
    </section>
  )
}
