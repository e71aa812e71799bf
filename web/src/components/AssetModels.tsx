import { assetPredictions } from '../api.models'
import { scorers } from '../ops'
import { usePoll } from '../usePoll'

const POLL_MS = 30_000

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
                  <td>{s.kinds.join(', ')}</td>
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
