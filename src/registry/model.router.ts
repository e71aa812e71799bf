/**
 * Serving: routes each request (API predict, pipeline scoring) to a version by the model's
 * deployment, runs it, and reports metrics and drift. Deployments are polled from the store
 * every `refreshIntervalMs`, so a change made on any instance takes effect here without a
 * restart; a change made through this instance's registry service applies at once.
 *
 * A new deployment is loaded whole (every version it routes to or shadows) before it
 * replaces the old one in a single assignment: requests in flight finish on the versions
 * they started with, and a deployment that cannot be loaded never replaces a working one.
 */
import type { ModelKind } from '../models/model.js'
import { ModelArtifactInvalidError, ModelInputError, ModelRuntimeUnavailableError } from '../models/runtime/errors.js'
import { checkRows, type LoadedModel, type RuntimeAdapter, type ScoreRow, type ServingOutput } from '../models/runtime/runtime.js'
import type { Prediction } from '../pipeline/bus.js'
import { ArtifactStoreUnavailableError } from '../store/errors.js'
import type { ArtifactStore, DeploymentSpec, Flavour, RegistryStore, VersionRecord } from '../store/registry.ports.js'
import { isDeployed, route, servedVersions } from './deployment.policy.js'
import { DEFAULT_DRIFT_OPTIONS, DriftMonitor, type DriftOptions, type DriftReport } from './drift.js'
import { ModelNotDeployedError, ModelNotFoundError } from './errors.js'
import type { ServingObserver } from './serving.metrics.js'

export const DEFAULT_REFRESH_INTERVAL_MS = 5000

/** One row to score. */
export interface PredictItem {
  assetId?: string
  /** Epoch ms; default now. */
  ts?: number
  features: Readonly<Record<string, number>>
  /** A structured input (a history) for windowed models; see ScoreRow.input. */
  input?: unknown
}

export interface PredictResult {
  assetId?: string
  ts: number
  model: string
  version: number
  /** `production`, `canary`, `ab:<variant>`. */
  deployment: string
  deploymentId: number
  value: number
  outputs: Record<string, number>
  details?: Record<string, unknown>
}

interface LoadedVersion {
  record: VersionRecord
  model: LoadedModel
  drift: DriftMonitor | null
}

interface Entry {
  tenantId: string
  model: string
  kind: ModelKind
  deploymentId: number
  spec: DeploymentSpec
  versions: Map<number, LoadedVersion>
  loadedAt: number
}

export type RouterEvent =
  | { type: 'loaded'; tenantId: string; model: string; deploymentId: number; versions: number[] }
  | { type: 'load_failed'; tenantId: string; model: string; deploymentId: number; error: unknown }
  | { type: 'drift'; tenantId: string; model: string; version: number; report: DriftReport }
  /** The version has drifted for `retrainAfterWindows` windows in a row. */
  | { type: 'drift_persisted'; tenantId: string; model: string; version: number; runId: string | null; report: DriftReport }
  | { type: 'shadow_failed'; tenantId: string; model: string; version: number; error: unknown }

export interface RouterDeps {
  store: RegistryStore
  artifacts: ArtifactStore
  runtimes: Record<Flavour, RuntimeAdapter>
  /** Where shadow predictions (and recorded API predictions) go. */
  record?: (tenantId: string, predictions: readonly Prediction[]) => void
  observer?: ServingObserver
  onEvent?: (e: RouterEvent) => void
  drift?: DriftOptions
  /** Consecutive drifting windows that make a `drift_persisted` event; 0 = never. */
  retrainAfterWindows?: number
  clock?: () => number
}

/** The stored prediction kind of a model kind. */
export function predictionKind(kind: ModelKind): string {
  return kind === 'anomaly' ? 'anomaly_score' : kind
}

const key = (tenantId: string, model: string): string => `${tenantId}\u0000${model}`

export class ModelRouter {
  private entries = new Map<string, Entry>()
  private readonly versions = new Map<string, Promise<LoadedVersion>>()
  private readonly loading = new Map<string, Promise<Entry | null>>()
  private timer: NodeJS.Timeout | null = null
  private refreshing: Promise<void> | null = null
  private readonly clock: () => number

  constructor(
    private readonly deps: RouterDeps,
    private readonly refreshIntervalMs = DEFAULT_REFRESH_INTERVAL_MS,
  ) {
    this.clock = deps.clock ?? Date.now
  }

  /** Polls deployments every refreshIntervalMs (first poll at once). */
  start(): Promise<void> {
    const first = this.refresh()
    this.timer = setInterval(() => void this.refresh(), this.refreshIntervalMs)
    this.timer.unref()
    return first
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }

  /** One poll: reloads every model whose deployment head moved. Never throws (failures are events). */
  refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        const heads = await this.deps.store.deploymentHeads()
        for (const h of heads) {
          const cur = this.entries.get(key(h.tenantId, h.model))
          if (cur && cur.deploymentId === h.id) continue
          await this.reload(h.tenantId, h.model).catch(() => undefined)
        }
      } catch (error) {
        this.deps.onEvent?.({ type: 'load_failed', tenantId: '*', model: '*', deploymentId: 0, error })
      } finally {
        this.refreshing = null
      }
    })()
    return this.refreshing
  }

  /** Loads the current deployment of one model and swaps it in; keeps the previous one when loading fails. */
  reload(tenantId: string, model: string): Promise<Entry | null> {
    const k = key(tenantId, model)
    const running = this.loading.get(k)
    if (running) return running
    const p = this.load(tenantId, model).finally(() => this.loading.delete(k))
    this.loading.set(k, p)
    return p
  }

  private async load(tenantId: string, model: string): Promise<Entry | null> {
    const k = key(tenantId, model)
    const [m, dep] = await Promise.all([this.deps.store.getModel(tenantId, model), this.deps.store.currentDeployment(tenantId, model)])
    if (!m || !dep) return null
    const prev = this.entries.get(k)
    if (prev && prev.deploymentId >= dep.id) return prev
    try {
      const versions = new Map<number, LoadedVersion>()
      for (const v of servedVersions(dep.spec)) versions.set(v, await this.version(tenantId, model, v))
      const entry: Entry = { tenantId, model, kind: m.kind, deploymentId: dep.id, spec: dep.spec, versions, loadedAt: this.clock() }
      const now = this.entries.get(k)
      if (now && now.deploymentId >= dep.id) return now
      this.entries.set(k, entry)
      this.deps.onEvent?.({ type: 'loaded', tenantId, model, deploymentId: dep.id, versions: [...versions.keys()] })
      return entry
    } catch (error) {
      this.deps.onEvent?.({ type: 'load_failed', tenantId, model, deploymentId: dep.id, error })
      throw error
    }
  }

  /**
   * Loads every version a deployment state would serve (kept for when it takes effect).
   * Throws ModelArtifactInvalidError when one cannot be loaded.
   */
  async preload(tenantId: string, model: string, spec: DeploymentSpec): Promise<void> {
    for (const v of servedVersions(spec)) {
      try {
        await this.version(tenantId, model, v)
      } catch (err) {
        // An unreachable store or a missing runtime says nothing about the artifact: kept as they are (503, 501).
        if (err instanceof ModelRuntimeUnavailableError || err instanceof ArtifactStoreUnavailableError) throw err
        throw new ModelArtifactInvalidError(`version ${v} of model '${model}' cannot be loaded: ${(err as Error).message}`, { cause: err })
      }
    }
  }

  /** Versions are immutable: each is loaded once and kept (with its drift monitor) while the process runs. */
  private version(tenantId: string, model: string, version: number): Promise<LoadedVersion> {
    const k = `${key(tenantId, model)}\u0000${version}`
    let p = this.versions.get(k)
    if (!p) {
      p = (async () => {
        const record = await this.deps.store.getVersion(tenantId, model, version)
        if (!record) throw new Error(`model '${model}' version ${version} is missing from the store`)
        const bytes = await this.deps.artifacts.get(record.artifactKey, record.artifactSha256)
        const loaded = await this.deps.runtimes[record.flavour].load(bytes, { signature: record.signature })
        return { record, model: loaded, drift: record.reference ? new DriftMonitor(record.reference, this.deps.drift ?? DEFAULT_DRIFT_OPTIONS) : null }
      })()
      p.catch(() => this.versions.delete(k))
      this.versions.set(k, p)
    }
    return p
  }

  private async entry(tenantId: string, model: string): Promise<Entry> {
    const e = this.entries.get(key(tenantId, model)) ?? (await this.reload(tenantId, model))
    if (!e) {
      if (!(await this.deps.store.getModel(tenantId, model))) throw new ModelNotFoundError(model)
      throw new ModelNotDeployedError(model)
    }
    return e
  }

  /** Deployed models of a tenant as this instance serves them now. */
  served(tenantId?: string): { tenantId: string; model: string; kind: ModelKind; deploymentId: number; spec: DeploymentSpec; inputs: string[] }[] {
    const out = []
    for (const e of this.entries.values()) {
      if (tenantId !== undefined && e.tenantId !== tenantId) continue
      if (!isDeployed(e.spec)) continue
      const prod = route(e.model, e.spec, undefined)
      const inputs = prod ? (e.versions.get(prod.version)?.record.signature.inputs.map((f) => f.name) ?? []) : []
      out.push({ tenantId: e.tenantId, model: e.model, kind: e.kind, deploymentId: e.deploymentId, spec: e.spec, inputs })
    }
    return out
  }

  /** The drift report of each served version of a model. */
  drift(tenantId: string, model: string): { version: number; report: (DriftReport & { pendingInWindow: number }) | null; observed: number; hasReference: boolean }[] {
    const e = this.entries.get(key(tenantId, model))
    if (!e) return []
    return [...e.versions.values()].map((v) => ({ version: v.record.version, report: v.drift?.report() ?? null, observed: v.drift?.progress.observed ?? 0, hasReference: v.drift !== null }))
  }

  /**
   * Scores items, each on the version its asset routes to. Items that do not fit their
   * version's signature make the whole call fail (MODEL_SIGNATURE_MISMATCH, with each item's
   * index), unless `skipUnfit` (the pipeline: assets without the model's features are not
   * its business). Shadow versions score the same items afterwards, off the answer's path,
   * and are recorded with deployment `shadow`.
   */
  async predict(tenantId: string, model: string, items: readonly PredictItem[], opts: { record?: boolean; skipUnfit?: boolean; source?: string } = {}): Promise<PredictResult[]> {
    const e = await this.entry(tenantId, model)
    const now = this.clock()
    const groups = new Map<number, { deployment: string; idx: number[]; rows: ScoreRow[] }[]>()
    const unfit: { index: number; field: string; reason: string }[] = []
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!
      const r = route(model, e.spec, it.assetId)
      if (!r) throw new ModelNotDeployedError(model)
      const v = e.versions.get(r.version)!
      const row: ScoreRow = { ts: it.ts ?? now, values: it.features }
      if (it.input !== undefined) row.input = it.input
      try {
        checkRows([row], v.record.signature)
      } catch (err) {
        if (opts.skipUnfit) continue
        for (const d of (err as { details: { field: string; reason: string }[] }).details) unfit.push({ index: i, field: `items[${i}].features.${d.field}`, reason: d.reason })
        continue
      }
      let gs = groups.get(r.version)
      if (!gs) groups.set(r.version, (gs = []))
      let g = gs.find((x) => x.deployment === r.deployment)
      if (!g) gs.push((g = { deployment: r.deployment, idx: [], rows: [] }))
      g.idx.push(i)
      g.rows.push(row)
    }
    if (unfit.length > 0) throw new ModelInputError(unfit.slice(0, 20))
    const results: (PredictResult | undefined)[] = new Array(items.length)
    for (const [version, gs] of groups) {
      const v = e.versions.get(version)!
      for (const g of gs) {
        const t0 = performance.now()
        let outs: ServingOutput[]
        try {
          outs = await v.model.predictBatch(g.rows)
        } catch (err) {
          this.deps.observer?.failed(model, version, g.deployment)
          throw err
        }
        this.deps.observer?.served(
          model,
          version,
          g.deployment,
          (performance.now() - t0) / 1000,
          outs.map((o) => o.value),
        )
        for (let j = 0; j < g.idx.length; j++) {
          const i = g.idx[j]!
          const o = outs[j]!
          const it = items[i]!
          const res: PredictResult = { ts: g.rows[j]!.ts, model, version, deployment: g.deployment, deploymentId: e.deploymentId, value: o.value, outputs: o.outputs }
          if (it.assetId !== undefined) res.assetId = it.assetId
          if (o.details) res.details = o.details
          // Built field by field: conditional object spreads cost tens of µs a row in V8's slow clone path.
          results[i] = res
          this.observeDrift(e, v, it.features, o.value)
        }
      }
    }
    const out = results.filter((r): r is PredictResult => r !== undefined)
    if (opts.record && this.deps.record) {
      const preds = out.filter((r) => r.assetId !== undefined).map((r) => this.toPrediction(e, r, opts.source ?? 'api'))
      if (preds.length > 0) this.deps.record(tenantId, preds)
    }
    if (e.spec.shadow.length > 0 && this.deps.record) void this.shadow(e, items, opts.source ?? 'api')
    return out
  }

  private observeDrift(e: Entry, v: LoadedVersion, features: Readonly<Record<string, number>>, value: number): void {
    if (!v.drift) return
    const report = v.drift.observe(features, value)
    // One event when a version starts drifting; the report stays readable while it lasts.
    if (report?.drifting && report.consecutive === 1) this.deps.onEvent?.({ type: 'drift', tenantId: e.tenantId, model: e.model, version: v.record.version, report })
    const after = this.deps.retrainAfterWindows ?? 0
    if (report?.drifting && after > 0 && report.consecutive === after) this.deps.onEvent?.({ type: 'drift_persisted', tenantId: e.tenantId, model: e.model, version: v.record.version, runId: v.record.runId, report })
  }

  /** A stored prediction of a result. */
  toPrediction(e: { model: string; kind: ModelKind }, r: PredictResult, source: string): Prediction {
    // Built field by field: conditional object spreads cost tens of µs a row in V8's slow clone path.
    const details: Record<string, unknown> = r.details ? Object.assign({ deploymentId: r.deploymentId }, r.details) : { deploymentId: r.deploymentId }
    if (Object.keys(r.outputs).length > 1) details.outputs = r.outputs
    return { assetId: r.assetId!, ts: r.ts, source, kind: predictionKind(e.kind), value: r.value, model: r.model, version: r.version, deployment: r.deployment, details }
  }

  /** Kind of a served model (for the pipeline's predictions). */
  kindOf(tenantId: string, model: string): ModelKind | undefined {
    return this.entries.get(key(tenantId, model))?.kind
  }

  private async shadow(e: Entry, items: readonly PredictItem[], source: string): Promise<void> {
    const now = this.clock()
    for (const version of e.spec.shadow) {
      const v = e.versions.get(version)
      if (!v) continue
      const fit: { it: PredictItem; row: ScoreRow }[] = []
      for (const it of items) {
        if (it.assetId === undefined) continue
        const row: ScoreRow = { ts: it.ts ?? now, values: it.features }
        if (it.input !== undefined) row.input = it.input
        try {
          checkRows([row], v.record.signature)
          fit.push({ it, row })
        } catch {
          // not this version's input
        }
      }
      if (fit.length === 0) continue
      try {
        const t0 = performance.now()
        const outs = await v.model.predictBatch(fit.map((f) => f.row))
        this.deps.observer?.served(
          e.model,
          version,
          'shadow',
          (performance.now() - t0) / 1000,
          outs.map((o) => o.value),
        )
        const preds = fit.map((f, j) => {
          const r: PredictResult = { assetId: f.it.assetId!, ts: f.row.ts, model: e.model, version, deployment: 'shadow', deploymentId: e.deploymentId, value: outs[j]!.value, outputs: outs[j]!.outputs }
          if (outs[j]!.details) r.details = outs[j]!.details
          return this.toPrediction(e, r, source)
        })
        this.deps.record!(e.tenantId, preds)
        fit.forEach((f, j) => this.observeDrift(e, v, f.it.features, outs[j]!.value))
      } catch (error) {
        this.deps.observer?.failed(e.model, version, 'shadow')
        this.deps.onEvent?.({ type: 'shadow_failed', tenantId: e.tenantId, model: e.model, version, error })
      }
    }
  }
}
