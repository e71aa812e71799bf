import { useEffect, useMemo, useState } from 'react'
import { ApiError } from '../api'
import {
  compareRuns,
  getDrift,
  getHistory,
  getModel,
  listModels,
  listRuns,
  promote,
  rollback,
  setAb,
  setCanary,
  setShadow,
  type DeploymentRecord,
  type DeploymentSpec,
  type ModelDetail,
  type ModelDrift,
  type VersionView,
} from '../api.models'
import { BarChart } from '../components/BarChart'
import { ConfirmDialog } from '../components/ConfirmDialog'
import { formatValue } from '../format'
import { hashParams } from '../router'
import { usePoll } from '../usePoll'
import '../ops.css'

const POLL_MS = 15_000
/** PSI above this is drift (the registry's default threshold, README "Model registry"). */
const PSI_LIMIT = 0.2

const plain = (err: unknown): string => {
  if (err instanceof ApiError) {
    if (err.code === 'AUTH_FORBIDDEN') return 'Your role may not change deployments.'
    if (err.code === 'NETWORK_ERROR') return 'Cannot reach the Prognos server.'
    if (err.code === 'MODEL_GATE_FAILED' || /gate/i.test(err.message)) return `Refused by the promotion gates: ${err.message}`
  }
  return err instanceof Error ? err.message : String(err)
}

const when = (ms: number): string => new Date(ms).toLocaleString()

/** What a version does in the deployment: production, staging, canary 10 %, variant a, shadow, archived. */
function roles(spec: DeploymentSpec | null | undefined, v: number): string[] {
  if (!spec) return []
  const out: string[] = []
  if (spec.production === v) out.push('production')
  if (spec.staging === v) out.push('staging')
  if (spec.canary?.version === v) out.push(`canary ${spec.canary.percent} %`)
  for (const x of spec.ab?.variants ?? []) if (x.version === v) out.push(`A/B ${x.name} (weight ${x.weight})`)
  if (spec.shadow.includes(v)) out.push('shadow')
  if (spec.archived.includes(v)) out.push('archived')
  return out
}

function describeSpec(spec: DeploymentSpec): string {
  const parts = [spec.production === null ? 'no production version' : `production v${spec.production}`]
  if (spec.staging !== null) parts.push(`staging v${spec.staging}`)
  if (spec.canary) parts.push(`canary v${spec.canary.version} at ${spec.canary.percent} %`)
  if (spec.ab) parts.push(`A/B ${spec.ab.variants.map((x) => `${x.name}=v${x.version}·${x.weight}`).join(' ')}`)
  if (spec.shadow.length > 0) parts.push(`shadow ${spec.shadow.map((s) => `v${s}`).join(', ')}`)
  return parts.join(' · ')
}

type Pending = { title: string; body: React.ReactNode; confirm: string; run: (reason: string) => Promise<unknown>; done: string }

function Versions({ model, onAsk }: { model: ModelDetail; onAsk: (p: Pending) => void }) {
  const spec = model.deployment?.spec
  const metricNames = [...new Set(model.versions.flatMap((v) => Object.keys(v.metrics)))].sort()
  const gates = model.gates.length === 0 ? 'no promotion gates' : `gates: ${model.gates.map((g) => `${g.metric} ${g.op} ${g.value}`).join(', ')}`
  return (
    <section className="panel" aria-labelledby="versions-title" data-testid="versions">
      <h2 id="versions-title" className="panel-title">
        Versions <span className="muted">({gates})</span>
      </h2>
      {model.versions.length === 0 ? (
        <p className="muted">No version is registered under this model yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="plain-table">
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">In the deployment</th>
                {metricNames.map((n) => (
                  <th scope="col" key={n}>
                    {n}
                  </th>
                ))}
                <th scope="col">Flavour</th>
                <th scope="col">Registered</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {[...model.versions].reverse().map((v: VersionView) => {
                const r = roles(spec, v.version)
                return (
                  <tr key={v.version} data-testid="version-row" data-version={v.version}>
                    <th scope="row">v{v.version}</th>
                    <td data-testid="version-roles">{r.length === 0 ? <span className="muted">—</span> : r.join(', ')}</td>
                    {metricNames.map((n) => (
                      <td key={n}>{v.metrics[n] === undefined ? '—' : formatValue(v.metrics[n])}</td>
                    ))}
                    <td>{v.flavour}</td>
                    <td>
                      {when(v.createdAt)} <span className="muted">by {v.createdBy}</span>
                    </td>
                    <td className="row-actions">
                      {spec?.production !== v.version && (
                        <button
                          type="button"
                          className="button"
                          data-testid="promote"
                          onClick={() =>
                            onAsk({
                              title: `Promote ${model.name} v${v.version} to production?`,
                              body: (
                                <p>
                                  Every asset not in a canary or an A/B test will be scored by v{v.version}
                                  {spec?.production != null ? ` instead of v${spec.production}` : ''}.{' '}
                                  {model.gates.length === 0 ? 'This model has no promotion gates.' : `It must pass the promotion gates (${model.gates.map((g) => `${g.metric} ${g.op} ${g.value}`).join(', ')}).`}
                                </p>
                              ),
                              confirm: `Promote v${v.version}`,
                              run: (reason) => promote(model.name, { version: v.version, reason }),
                              done: `${model.name} v${v.version} is now in production.`,
                            })
                          }
                        >
                          Promote
                        </button>
                      )}
                      {spec?.staging !== v.version && spec?.production !== v.version && (
                        <button
                          type="button"
                          className="button"
                          onClick={() =>
                            onAsk({
                              title: `Stage ${model.name} v${v.version}?`,
                              body: <p>Staging does not score any asset; it marks the version as the next candidate.</p>,
                              confirm: `Stage v${v.version}`,
                              run: (reason) => promote(model.name, { version: v.version, alias: 'staging', reason }),
                              done: `${model.name} v${v.version} is staged.`,
                            })
                          }
                        >
                          Stage
                        </button>
                      )}
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

function History({ model, items, onAsk }: { model: ModelDetail; items: DeploymentRecord[] | undefined; onAsk: (p: Pending) => void }) {
  const current = model.deployment
  return (
    <section className="panel" aria-labelledby="history-title" data-testid="history">
      <h2 id="history-title" className="panel-title">
        Deployment history
      </h2>
      {current === null ? (
        <p className="muted">Never deployed: promote a version to start serving it.</p>
      ) : (
        <p>
          In force: <strong data-testid="deployment-now">{describeSpec(current.spec)}</strong>{' '}
          <span className="muted">
            (#{current.id}, {current.action} by {current.actor}, {when(current.createdAt)})
          </span>{' '}
          {current.id > 1 && (
            <button
              type="button"
              className="button"
              data-testid="rollback"
              onClick={() => {
                const prev = items?.find((d) => d.id === current.id - 1)
                onAsk({
                  title: `Roll ${model.name} back to deployment #${current.id - 1}?`,
                  body: (
                    <p>
                      The deployment before this one is restored whole{prev ? `: ${describeSpec(prev.spec)}` : ''}. It replaces: {describeSpec(current.spec)}.
                    </p>
                  ),
                  confirm: 'Roll back',
                  run: (reason) => rollback(model.name, { reason }),
                  done: `${model.name} rolled back to deployment #${current.id - 1}.`,
                })
              }}
            >
              Roll back
            </button>
          )}
        </p>
      )}
      {items === undefined ? (
        <p className="muted">Loading the history…</p>
      ) : items.length === 0 ? null : (
        <div className="table-scroll">
          <table className="plain-table" aria-label="Deployment changes">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">Change</th>
                <th scope="col">Who</th>
                <th scope="col">When</th>
                <th scope="col">Why</th>
                <th scope="col">Then serving</th>
              </tr>
            </thead>
            <tbody>
              {[...items].reverse().map((d) => (
                <tr key={d.id} data-testid="history-row" data-action={d.action}>
                  <td>{d.id}</td>
                  <td>
                    {d.action}
                    {d.restoredFrom !== null && ` (restored #${d.restoredFrom})`}
                  </td>
                  <td>{d.actor}</td>
                  <td>{when(d.createdAt)}</td>
                  <td>{d.reason}</td>
                  <td>{describeSpec(d.spec)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

/** Canary, A/B and shadow: each change goes through the confirmation dialog with a reason. */
function Controls({ model, onAsk }: { model: ModelDetail; onAsk: (p: Pending) => void }) {
  const spec = model.deployment?.spec ?? null
  const versions = model.versions.map((v) => v.version)
  const last = versions[versions.length - 1] ?? 1
  const [canaryV, setCanaryV] = useState(last)
  const [percent, setPercent] = useState(10)
  const [a, setA] = useState(spec?.production ?? versions[0] ?? 1)
  const [b, setB] = useState(last)
  const [weightB, setWeightB] = useState(50)
  const [shadow, setShadowSel] = useState<number[]>(spec?.shadow ?? [])
  useEffect(() => setShadowSel(spec?.shadow ?? []), [model.deployment?.id])
  if (versions.length === 0) return null
  const pick = (label: string, value: number, set: (n: number) => void) => (
    <select className="input" aria-label={label} value={value} onChange={(e) => set(Number(e.target.value))}>
      {versions.map((v) => (
        <option key={v} value={v}>
          v{v}
        </option>
      ))}
    </select>
  )
  return (
    <section className="panel" aria-labelledby="controls-title" data-testid="controls">
      <h2 id="controls-title" className="panel-title">
        Canary, A/B and shadow
      </h2>
      <div className="controls-grid">
        <fieldset>
          <legend>Canary {spec?.canary ? <span className="muted">(now v{spec.canary.version} at {spec.canary.percent} %)</span> : <span className="muted">(none)</span>}</legend>
          <div className="inline-form">
            {pick('Canary version', canaryV, setCanaryV)}
            <label>
              <input className="input input-narrow" type="number" min={1} max={100} aria-label="Canary share of assets in percent" value={percent} onChange={(e) => setPercent(Number(e.target.value))} /> % of assets
            </label>
            <button
              type="button"
              className="button"
              disabled={!(percent > 0 && percent <= 100)}
              onClick={() =>
                onAsk({
                  title: `Send ${percent} % of assets to v${canaryV}?`,
                  body: <p>Assets are picked by a stable hash of their id; the rest stay on production.</p>,
                  confirm: 'Start canary',
                  run: (reason) => setCanary(model.name, { version: canaryV, percent, reason }),
                  done: `Canary: v${canaryV} scores ${percent} % of assets.`,
                })
              }
            >
              Start canary
            </button>
            {spec?.canary && (
              <button type="button" className="button" onClick={() => onAsk({ title: 'End the canary?', body: <p>Every asset goes back to production.</p>, confirm: 'End canary', run: (reason) => setCanary(model.name, { version: null, reason }), done: 'The canary has ended.' })}>
                End canary
              </button>
            )}
          </div>
        </fieldset>
        <fieldset>
          <legend>A/B test {spec?.ab ? <span className="muted">(running)</span> : <span className="muted">(none)</span>}</legend>
          <div className="inline-form">
            <label>A {pick('Variant A version', a, setA)}</label>
            <label>B {pick('Variant B version', b, setB)}</label>
            <label>
              <input className="input input-narrow" type="number" min={1} max={99} aria-label="Share of variant B in percent" value={weightB} onChange={(e) => setWeightB(Number(e.target.value))} /> % to B
            </label>
            <button
              type="button"
              className="button"
              disabled={!(weightB > 0 && weightB < 100) || a === b}
              onClick={() =>
                onAsk({
                  title: `Split assets between v${a} and v${b}?`,
                  body: <p>While the test runs it replaces production routing: {100 - weightB} % of assets on v{a}, {weightB} % on v{b}.</p>,
                  confirm: 'Start A/B test',
                  run: (reason) => setAb(model.name, { variants: [{ name: 'a', version: a, weight: 100 - weightB }, { name: 'b', version: b, weight: weightB }], reason }),
                  done: `A/B test: v${a} and v${b}.`,
                })
              }
            >
              Start A/B test
            </button>
            {spec?.ab && (
              <button type="button" className="button" onClick={() => onAsk({ title: 'End the A/B test?', body: <p>Every asset goes back to production.</p>, confirm: 'End A/B test', run: (reason) => setAb(model.name, { variants: null, reason }), done: 'The A/B test has ended.' })}>
                End A/B test
              </button>
            )}
          </div>
        </fieldset>
        <fieldset>
          <legend>Shadow (scored and recorded, never acted on)</legend>
          <div className="inline-form">
            {versions.map((v) => (
              <label key={v} className="check">
                <input type="checkbox" checked={shadow.includes(v)} onChange={(e) => setShadowSel((s) => (e.target.checked ? [...s, v] : s.filter((x) => x !== v)))} /> v{v}
              </label>
            ))}
            <button
              type="button"
              className="button"
              onClick={() =>
                onAsk({
                  title: shadow.length === 0 ? 'End shadowing?' : `Shadow ${shadow.map((v) => `v${v}`).join(', ')}?`,
                  body: <p>Shadow versions score the same assets as the serving ones; their answers are stored, never used for alerts.</p>,
                  confirm: 'Apply',
                  run: (reason) => setShadow(model.name, { versions: [...shadow].sort((x, y) => x - y), reason }),
                  done: shadow.length === 0 ? 'No version is shadowed now.' : `Shadowing ${shadow.map((v) => `v${v}`).join(', ')}.`,
                })
              }
            >
              Apply shadow set
            </button>
          </div>
        </fieldset>
      </div>
    </section>
  )
}

function Drift({ drift }: { drift: ModelDrift | undefined; }) {
  if (drift === undefined) return <p className="muted">Loading drift…</p>
  const reported = drift.versions.filter((v) => v.report !== null)
  return (
    <section className="panel" aria-labelledby="drift-title" data-testid="drift">
      <h2 id="drift-title" className="panel-title">
        Drift per feature
      </h2>
      {drift.versions.length === 0 ? (
        <p className="muted">No version of this model is serving, so there is no live drift to show.</p>
      ) : reported.length === 0 ? (
        <ul className="link-list">
          {drift.versions.map((v) => (
            <li key={v.version}>
              v{v.version}: {v.hasReference ? `${v.observed} readings observed; the first window is not complete yet.` : 'registered without reference statistics, so its drift cannot be measured.'}
            </li>
          ))}
        </ul>
      ) : (
        reported.map(({ version, report }) => {
          const r = report!
          const names = Object.keys(r.features)
          const critical = Math.max(...names.map((n) => r.features[n]!.ksCritical))
          return (
            <div key={version} className="drift-version" data-testid="drift-version" data-version={version}>
              <h3 className="section-title">
                v{version}: {r.drifting ? <span className="severity-critical">drifting ({r.drifted.join(', ')})</span> : 'no drift'}{' '}
                <span className="muted">
                  ({r.observed} readings, {r.windows} windows of {r.windowSize})
                </span>
              </h3>
              <div className="drift-charts">
                <div>
                  <p className="chart-title">PSI per feature (drift above {PSI_LIMIT})</p>
                  <BarChart testId={`drift-psi-${version}`} label={`PSI per feature of v${version}`} categories={names} series={{ label: 'PSI', values: names.map((n) => r.features[n]!.psi), color: '#5794f2' }} limit={{ value: PSI_LIMIT, label: 'PSI limit' }} />
                </div>
                <div>
                  <p className="chart-title">KS statistic per feature (critical {formatValue(critical)})</p>
                  <BarChart testId={`drift-ks-${version}`} label={`KS per feature of v${version}`} categories={names} series={{ label: 'KS', values: names.map((n) => r.features[n]!.ks), color: '#b877d9' }} limit={{ value: critical, label: 'KS critical' }} />
                </div>
              </div>
            </div>
          )
        })
      )}
      {drift.events.length > 0 && (
        <>
          <h3 className="section-title">Past drift events</h3>
          <ul className="link-list">
            {drift.events.slice(0, 10).map((e) => (
              <li key={`${e.version}-${e.ts}`}>
                {when(e.ts)}: v{e.version} drifted {Array.isArray(e.report.drifted) ? `(${e.report.drifted.join(', ')})` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  )
}

function Runs({ model }: { model: string }) {
  const runs = usePoll(() => listRuns(model), null, [model])
  const [picked, setPicked] = useState<string[]>([])
  const ids = picked.join(',')
  const cmp = usePoll(() => (picked.length < 2 ? Promise.resolve(null) : compareRuns(picked)), null, [ids])
  useEffect(() => setPicked([]), [model])
  return (
    <section className="panel" aria-labelledby="runs-title" data-testid="runs">
      <h2 id="runs-title" className="panel-title">
        Training runs
      </h2>
      {runs.data === undefined ? (
        runs.error === undefined ? <p className="muted">Loading runs…</p> : <p className="error" role="alert">Could not load the runs: {plain(runs.error)}</p>
      ) : runs.data.items.length === 0 ? (
        <p className="muted">No training run is recorded for this model (versions registered by hand have none).</p>
      ) : (
        <>
          <p className="muted">Tick two or more runs to compare them side by side.</p>
          <ul className="link-list">
            {runs.data.items.map((r) => (
              <li key={r.id}>
                <label className="check">
                  <input type="checkbox" checked={picked.includes(r.id)} onChange={(e) => setPicked((p) => (e.target.checked ? [...p, r.id] : p.filter((x) => x !== r.id)))} /> {r.id} · {r.status}
                  {r.version !== null && ` · v${r.version}`} · {when(r.startedAt)}
                </label>
              </li>
            ))}
          </ul>
          {cmp.error !== undefined && <p className="error" role="alert">Could not compare: {plain(cmp.error)}</p>}
          {cmp.data && (
            <div className="table-scroll">
              <table className="plain-table" aria-label="Runs compared" data-testid="runs-compared">
                <thead>
                  <tr>
                    <th scope="col" />
                    {cmp.data.runs.map((r) => (
                      <th scope="col" key={r.id}>
                        {r.id}
                        {r.version !== null && ` (v${r.version})`}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {cmp.data.metrics.map((m) => (
                    <tr key={`m-${m.name}`}>
                      <th scope="row">{m.name}</th>
                      {m.values.map((v, i) => (
                        <td key={i}>{v === null ? '—' : formatValue(v)}</td>
                      ))}
                    </tr>
                  ))}
                  {cmp.data.params.map((p) => (
                    <tr key={`p-${p.name}`}>
                      <th scope="row" className="muted">
                        {p.name}
                      </th>
                      {p.values.map((v, i) => (
                        <td key={i}>{v === null ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v)}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  )
}

/** The models page: the registry's models, one model's versions, deployment, controls, drift and runs. */
export function ModelsPage() {
  const [reload, setReload] = useState(0)
  const models = usePoll(listModels, POLL_MS, [reload])
  const [name, setName] = useState<string | null>(hashParams().get('model'))
  const selected = name ?? models.data?.items[0]?.name ?? null
  const detail = usePoll<ModelDetail | null>(() => (selected === null ? Promise.resolve(null) : getModel(selected)), POLL_MS, [selected, reload])
  const history = usePoll(() => (selected === null ? Promise.resolve({ items: [] }) : getHistory(selected)), POLL_MS, [selected, reload])
  const drift = usePoll(() => (selected === null ? Promise.resolve(undefined) : getDrift(selected)), POLL_MS, [selected, reload])
  const [pending, setPending] = useState<Pending | null>(null)
  const [feedback, setFeedback] = useState<string>('')
  const model = detail.data !== undefined && detail.data !== null && detail.data.name === selected ? detail.data : null
  const list = useMemo(() => models.data?.items ?? [], [models.data])

  return (
    <section className="ops-page models-page" aria-labelledby="models-title">
      <div className="page-head">
        <h1 id="models-title">Models</h1>
      </div>
      <p className="feedback" role="status" aria-live="polite" data-testid="feedback">
        {feedback}
      </p>
      {models.data === undefined ? (
        models.error === undefined ? (
          <p className="muted">Loading the model registry…</p>
        ) : (
          <p className="error" role="alert">
            Could not load the model registry: {plain(models.error)}
          </p>
        )
      ) : list.length === 0 ? (
        <p className="muted" data-testid="models-empty">
          No model is registered yet. Register one with <code>prognos models register</code> or <code>POST /v1/models</code>.
        </p>
      ) : (
        <div className="models-layout">
          <nav className="panel model-list" aria-label="Registered models">
            <ul>
              {list.map((m) => (
                <li key={m.name}>
                  <button type="button" className="model-pick" aria-current={m.name === selected ? 'true' : undefined} data-testid="model-pick" data-model={m.name} onClick={() => setName(m.name)}>
                    <strong>{m.name}</strong>
                    <span className="muted">
                      {m.kind} · {m.versions} version{m.versions === 1 ? '' : 's'}
                      {m.deployment?.production != null ? ` · v${m.deployment.production} in production` : ' · not deployed'}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </nav>
          <div className="model-main">
            {model === null ? (
              detail.error !== undefined ? (
                <p className="error" role="alert">
                  Could not load {selected}: {plain(detail.error)}
                </p>
              ) : (
                <p className="muted">Loading {selected}…</p>
              )
            ) : (
              <>
                <h2 className="model-name" data-testid="model-name">
                  {model.name} <span className="muted">({model.kind})</span>
                </h2>
                {model.description !== '' && <p>{model.description}</p>}
                <History model={model} items={history.data?.items} onAsk={setPending} />
                <Versions model={model} onAsk={setPending} />
                <Controls key={model.name} model={model} onAsk={setPending} />
                {drift.error !== undefined ? <p className="error">Could not load drift: {plain(drift.error)}</p> : <Drift drift={drift.data} />}
                <Runs model={model.name} />
              </>
            )}
          </div>
        </div>
      )}
      {pending !== null && (
        <ConfirmDialog
          title={pending.title}
          confirmLabel={pending.confirm}
          reasonLabel="Why (kept in the deployment history)"
          onClose={() => setPending(null)}
          onConfirm={async (reason) => {
            try {
              await pending.run(reason)
            } catch (err) {
              throw new Error(plain(err))
            }
            setFeedback(pending.done)
            setReload((r) => r + 1)
          }}
        >
          {pending.body}
        </ConfirmDialog>
      )}
    </section>
  )
}
