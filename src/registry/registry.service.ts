/**
 * The model registry: models → immutable versions (artifact, flavour, signature, params,
 * metrics, training fingerprint, reference statistics, creator), deployments with their whole
 * history, promotion gates, rollback, and the audit question "which version scored asset X at
 * time T, under which deployment". Transport-free: the API and the CLI both call it.
 */
import { createHash } from 'node:crypto'
import '../models/anomaly/zscore.model.js'
import { families } from '../models/families.js'
import type { ModelKind, ModelSignature } from '../models/model.js'
import { checkRows, type RuntimeAdapter } from '../models/runtime/runtime.js'
import { ModelArtifactInvalidError } from '../models/runtime/errors.js'
import type { Prediction } from '../pipeline/bus.js'
import { ArtifactCorruptError, MetaConflictError } from '../store/errors.js'
import {
  FLAVOURS,
  type ArtifactStore,
  type DeploymentAction,
  type DeploymentRecord,
  type DeploymentSpec,
  type Flavour,
  type Gate,
  type ModelRecord,
  type PredictionStore,
  type ReferenceStats,
  type RegistryStore,
  type VersionRecord,
} from '../store/registry.ports.js'
import { EMPTY_SPEC, route } from './deployment.policy.js'
import { DeploymentInvalidError, DeploymentNotFoundError, GateFailedError, ModelNotFoundError, ModelVersionNotFoundError, RegistrationInvalidError } from './errors.js'

export const MODEL_KINDS: readonly ModelKind[] = ['anomaly', 'health', 'rul', 'soh', 'forecast', 'classifier']
const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/
const EXTENSIONS: Record<Flavour, string> = { builtin: 'json', onnx: 'onnx', tfjs: 'tfjs.json', xgboost: 'xgb.json' }

/** Registry events (webhooks, logs, the serving router). */
export type RegistryEvent =
  | { type: 'version.created'; tenantId: string; model: string; version: number; flavour: Flavour; actor: string; ts: number }
  | { type: 'deployment.changed'; tenantId: string; model: string; deployment: DeploymentRecord }
  | { type: 'drift.detected'; tenantId: string; model: string; version: number; ts: number; report: Record<string, unknown> }

export interface RegisterInput {
  model: string
  /** Required when the model does not exist yet (it is created with it). */
  kind?: ModelKind
  description?: string
  flavour: Flavour
  artifact: Uint8Array
  /** Required for non-builtin flavours; a builtin model describes its own. */
  signature?: ModelSignature
  params?: Record<string, unknown>
  metrics?: Record<string, number>
  trainingFingerprint?: string | null
  reference?: ReferenceStats | null
  runId?: string | null
}

export interface ChangeMeta {
  actor: string
  reason: string
}

/** The answer to the audit question. */
export interface AuditAnswer {
  assetId: string
  at: number
  model: string
  version: number
  /** `production`, `canary`, `ab:<variant>`. */
  deployment: string
  /** When that prediction was made (the newest at or before `at`). */
  predictionTs: number
  value: number
  kind: string
  /** The deployment record in force when the prediction was made, with who made it and why. */
  deploymentRecord: DeploymentRecord | null
}

function checkName(name: string): void {
  if (!MODEL_NAME.test(name)) throw new RegistrationInvalidError('model', `model name '${name}' must be 1–128 letters, digits or _ . : - and start with a letter or digit`)
}

function checkSignature(sig: unknown): ModelSignature {
  const s = sig as ModelSignature
  const fieldsOk = (xs: unknown): boolean => Array.isArray(xs) && xs.every((f) => typeof f === 'object' && f !== null && typeof (f as { name?: unknown }).name === 'string' && (f as { name: string }).name.length > 0)
  if (typeof s !== 'object' || s === null || !fieldsOk(s.inputs) || !fieldsOk(s.outputs)) throw new RegistrationInvalidError('signature', 'the signature must be {inputs: [{name, type}], outputs: [{name, type}]}')
  if (s.inputs.length === 0) throw new RegistrationInvalidError('signature.inputs', 'the signature must name at least one input')
  const names = s.inputs.map((f) => f.name)
  const dup = names.find((n, i) => names.indexOf(n) !== i)
  if (dup) throw new RegistrationInvalidError('signature.inputs', `input '${dup}' appears twice`)
  return { inputs: s.inputs.map((f) => ({ name: f.name, type: f.type ?? 'number', ...(f.description ? { description: f.description } : {}) })), outputs: s.outputs.map((f) => ({ name: f.name, type: f.type ?? 'number' })) }
}

/** The metric values a gate reads, checked against every gate. */
export function failedGates(gates: readonly Gate[], metrics: Readonly<Record<string, number>>): { field: string; reason: string }[] {
  const failed: { field: string; reason: string }[] = []
  for (const g of gates) {
    const v = metrics[g.metric]
    const ok = v !== undefined && (g.op === '>=' ? v >= g.value : g.op === '>' ? v > g.value : g.op === '<=' ? v <= g.value : v < g.value)
    if (!ok) failed.push({ field: `metrics.${g.metric}`, reason: v === undefined ? `metric '${g.metric}' is missing (gate ${g.op} ${g.value})` : `${g.metric} = ${v} fails ${g.op} ${g.value}` })
  }
  return failed
}

export class RegistryService {
  private readonly listeners: ((e: RegistryEvent) => void)[] = []
  private changeHook: (tenantId: string, model: string) => Promise<void> = async () => undefined
  private preflight: (tenantId: string, model: string, spec: DeploymentSpec) => Promise<void> = async () => undefined

  constructor(
    private readonly store: RegistryStore,
    private readonly artifacts: ArtifactStore,
    private readonly runtimes: Record<Flavour, RuntimeAdapter>,
    private readonly predictions: PredictionStore,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Registry events go to every listener (the router, webhooks, logs). */
  onEvent(listener: (e: RegistryEvent) => void): void {
    this.listeners.push(listener)
  }

  /**
   * Awaited before a deployment change is written, with the new state: serving loads every
   * version it would route to, and a version that cannot be loaded (a damaged artifact) refuses
   * the change, so what serves stays as it was.
   */
  setPreflight(hook: (tenantId: string, model: string, spec: DeploymentSpec) => Promise<void>): void {
    this.preflight = hook
  }

  /** Awaited after every deployment change, before the change call returns (this instance's router applies it at once). */
  setChangeHook(hook: (tenantId: string, model: string) => Promise<void>): void {
    this.changeHook = hook
  }

  emit(e: RegistryEvent): void {
    for (const l of this.listeners) {
      try {
        l(e)
      } catch {
        // a listener's failure is its own
      }
    }
  }

  async createModel(tenantId: string, input: { name: string; kind: ModelKind; description?: string; gates?: Gate[] }, actor: string): Promise<ModelRecord> {
    checkName(input.name)
    if (!MODEL_KINDS.includes(input.kind)) throw new RegistrationInvalidError('kind', `kind must be one of ${MODEL_KINDS.join(', ')}`)
    return this.store.createModel(tenantId, { name: input.name, kind: input.kind, description: input.description ?? '', gates: input.gates ?? [], createdBy: actor, createdAt: this.clock() })
  }

  async getModel(tenantId: string, name: string): Promise<ModelRecord> {
    const m = await this.store.getModel(tenantId, name)
    if (!m) throw new ModelNotFoundError(name)
    return m
  }

  listModels(tenantId: string): Promise<ModelRecord[]> {
    return this.store.listModels(tenantId)
  }

  async setGates(tenantId: string, name: string, gates: Gate[]): Promise<ModelRecord> {
    const m = await this.store.updateModel(tenantId, name, { gates })
    if (!m) throw new ModelNotFoundError(name)
    return m
  }

  async getVersion(tenantId: string, model: string, version: number): Promise<VersionRecord> {
    await this.getModel(tenantId, model)
    const v = await this.store.getVersion(tenantId, model, version)
    if (!v) throw new ModelVersionNotFoundError(model, version)
    return v
  }

  async listVersions(tenantId: string, model: string): Promise<VersionRecord[]> {
    await this.getModel(tenantId, model)
    return this.store.listVersions(tenantId, model)
  }

  /**
   * Registers a new immutable version. The artifact is loaded by its flavour's runtime and
   * scored once on a row of its signature before anything is written; then its bytes are
   * written (atomically, under their SHA-256) and only then the version row. A failure at
   * any step leaves no version behind.
   */
  async register(tenantId: string, input: RegisterInput, actor: string): Promise<VersionRecord> {
    checkName(input.model)
    if (!FLAVOURS.includes(input.flavour)) throw new RegistrationInvalidError('flavour', `flavour must be one of ${FLAVOURS.join(', ')}`)
    if (!(input.artifact instanceof Uint8Array) || input.artifact.length === 0) throw new RegistrationInvalidError('artifact', 'the artifact is empty')
    const model = await this.store.getModel(tenantId, input.model)
    let signature: ModelSignature | undefined = input.signature === undefined ? undefined : checkSignature(input.signature)
    let params = input.params ?? {}
    let kind = input.kind ?? model?.kind
    if (input.flavour === 'builtin') {
      // A built-in model describes itself: its signature and params come from the artifact.
      let described
      try {
        described = families.fromJSON(JSON.parse(new TextDecoder().decode(input.artifact))).describe()
      } catch (err) {
        throw new ModelArtifactInvalidError(`the built-in artifact cannot be restored: ${(err as Error).message}`, { cause: err })
      }
      if (signature && signature.inputs.map((f) => f.name).join('\u0000') !== described.signature.inputs.map((f) => f.name).join('\u0000')) {
        throw new RegistrationInvalidError('signature', `the signature's inputs (${signature.inputs.map((f) => f.name).join(', ')}) differ from the model's (${described.signature.inputs.map((f) => f.name).join(', ')})`)
      }
      signature ??= described.signature
      params = { ...described.params, ...params }
      if (kind !== undefined && kind !== described.kind) throw new RegistrationInvalidError('kind', `the artifact is a '${described.kind}' model, the registry model '${input.model}' is '${kind}'`)
      kind = described.kind
    }
    if (!signature) throw new RegistrationInvalidError('signature', `a ${input.flavour} model needs a signature: its input features in column order, and its outputs`)
    if (signature.inputs.length === 0) throw new RegistrationInvalidError('signature.inputs', 'the signature must name at least one input')
    if (kind === undefined) throw new RegistrationInvalidError('kind', `model '${input.model}' does not exist yet: give its kind (${MODEL_KINDS.join(', ')})`)
    if (model && model.kind !== kind) throw new RegistrationInvalidError('kind', `model '${input.model}' is '${model.kind}', not '${kind}'`)
    for (const [k, v] of Object.entries(input.metrics ?? {})) if (typeof v !== 'number' || !Number.isFinite(v)) throw new RegistrationInvalidError(`metrics.${k}`, 'metrics must be finite numbers')

    // Load and run once: a corrupt or mismatched artifact is refused before anything is written.
    const loaded = await this.runtimes[input.flavour].load(input.artifact, { signature, kind })
    try {
      // Windowed models (inputs such as a cycle history) have no neutral row to run on: restoring them is the check.
      if (signature.inputs.every((f) => f.type === 'number')) {
        const row = { ts: this.clock(), values: Object.fromEntries(signature.inputs.map((f) => [f.name, 0])) }
        checkRows([row], signature)
        const out = await loaded.predictBatch([row])
        if (out.length !== 1) throw new Error(`one row in gave ${out.length} outputs`)
      }
    } catch (err) {
      throw err instanceof ModelArtifactInvalidError ? err : new ModelArtifactInvalidError(`the model does not run on its signature (${signature.inputs.length} inputs): ${(err as Error).message}`, { cause: err })
    } finally {
      await loaded.dispose?.()
    }

    // The bytes first, then the model and the version rows: a store that is down or refuses
    // the write leaves nothing registered, not even a model without versions.
    const sha = createHash('sha256').update(input.artifact).digest('hex')
    const key = `${tenantId}/${input.model}/${sha}.${EXTENSIONS[input.flavour]}`
    const existed = await this.artifacts.exists(key)
    if (!existed) await this.artifacts.put(key, input.artifact)
    else await this.artifacts.get(key, sha).catch(async (err: unknown) => {
      // The same bytes were registered before and have since been damaged: written again whole.
      if (!(err instanceof ArtifactCorruptError)) throw err
      await this.artifacts.put(key, input.artifact)
    })
    // Content-addressed: an identical artifact of another version stays; a new one goes.
    const undo = async (): Promise<void> => {
      if (!existed) await this.artifacts.delete(key).catch(() => undefined)
    }
    if (!model) {
      try {
        await this.createModel(tenantId, { name: input.model, kind, description: input.description ?? '' }, actor)
      } catch (err) {
        // Created meanwhile by a concurrent register: fine if it has the same kind.
        const other = err instanceof MetaConflictError ? await this.store.getModel(tenantId, input.model) : null
        if (!other || other.kind !== kind) {
          await undo()
          throw other ? new RegistrationInvalidError('kind', `model '${input.model}' is '${other.kind}', not '${kind}'`) : err
        }
      }
    }
    let version: VersionRecord
    try {
      version = await this.store.addVersion(tenantId, {
        model: input.model,
        flavour: input.flavour,
        artifactKey: key,
        artifactSha256: sha,
        artifactBytes: input.artifact.length,
        signature,
        params,
        metrics: input.metrics ?? {},
        trainingFingerprint: input.trainingFingerprint ?? null,
        reference: input.reference ?? null,
        runId: input.runId ?? null,
        createdBy: actor,
        createdAt: this.clock(),
      })
    } catch (err) {
      await undo()
      throw err
    }
    this.emit({ type: 'version.created', tenantId, model: input.model, version: version.version, flavour: input.flavour, actor, ts: version.createdAt })
    return version
  }

  async deployment(tenantId: string, model: string): Promise<DeploymentRecord | null> {
    await this.getModel(tenantId, model)
    return this.store.currentDeployment(tenantId, model)
  }

  async history(tenantId: string, model: string): Promise<DeploymentRecord[]> {
    await this.getModel(tenantId, model)
    return this.store.listDeployments(tenantId, model)
  }

  private async requireVersions(tenantId: string, model: string, versions: readonly number[]): Promise<VersionRecord[]> {
    const out: VersionRecord[] = []
    for (const v of versions) {
      const rec = await this.store.getVersion(tenantId, model, v)
      if (!rec) throw new ModelVersionNotFoundError(model, v)
      out.push(rec)
    }
    return out
  }

  private async change(tenantId: string, model: string, action: DeploymentAction, meta: ChangeMeta, next: (cur: DeploymentSpec) => DeploymentSpec, restoredFrom: number | null = null): Promise<DeploymentRecord> {
    await this.getModel(tenantId, model)
    const cur = await this.store.currentDeployment(tenantId, model)
    const spec = next(cur?.spec ?? EMPTY_SPEC)
    await this.preflight(tenantId, model, spec)
    const rec = await this.store.appendDeployment(tenantId, { model, spec, action, actor: meta.actor, reason: meta.reason, restoredFrom, createdAt: this.clock() }, cur?.id ?? 0)
    await this.changeHook(tenantId, model).catch(() => undefined)
    this.emit({ type: 'deployment.changed', tenantId, model, deployment: rec })
    return rec
  }

  /**
   * Moves a version to an alias. To production only through the model's gates (or `force`,
   * which is recorded in the history); the production version it replaces is archived.
   */
  async promote(tenantId: string, model: string, version: number, alias: 'production' | 'staging' | 'archived', meta: ChangeMeta & { force?: boolean }): Promise<DeploymentRecord> {
    const m = await this.getModel(tenantId, model)
    const [v] = await this.requireVersions(tenantId, model, [version])
    if (alias === 'production' && !meta.force) {
      const failed = failedGates(m.gates, v!.metrics)
      if (failed.length > 0) throw new GateFailedError(failed)
    }
    const reason = meta.force && alias === 'production' ? `${meta.reason} [gates bypassed with force]` : meta.reason
    const action: DeploymentAction = alias === 'production' ? 'promote' : alias === 'staging' ? 'stage' : 'archive'
    return this.change(tenantId, model, action, { actor: meta.actor, reason }, (cur) => {
      const archived = cur.archived.filter((a) => a !== version)
      if (alias === 'production') {
        if (cur.production !== null && cur.production !== version) archived.push(cur.production)
        return { ...cur, production: version, staging: cur.staging === version ? null : cur.staging, archived, canary: cur.canary?.version === version ? null : cur.canary }
      }
      if (alias === 'staging') return { ...cur, staging: version, archived }
      if (cur.production === version) throw new DeploymentInvalidError('version', `version ${version} serves production: promote another version first`)
      if (cur.canary?.version === version || cur.ab?.variants.some((x) => x.version === version)) throw new DeploymentInvalidError('version', `version ${version} serves a canary or A/B test: clear it first`)
      return { ...cur, staging: cur.staging === version ? null : cur.staging, archived: [...archived, version], shadow: cur.shadow.filter((s) => s !== version) }
    })
  }

  /** Sends `percent` % of assets (stable hash) to a version; null clears the canary. */
  async canary(tenantId: string, model: string, c: { version: number; percent: number } | null, meta: ChangeMeta): Promise<DeploymentRecord> {
    if (c) {
      if (!(c.percent > 0 && c.percent <= 100)) throw new DeploymentInvalidError('percent', 'percent must be above 0 and at most 100')
      await this.requireVersions(tenantId, model, [c.version])
    }
    return this.change(tenantId, model, c ? 'canary' : 'clear', meta, (cur) => {
      if (c && cur.production === null) throw new DeploymentInvalidError('version', 'a canary runs beside production: promote a production version first')
      if (c && cur.ab) throw new DeploymentInvalidError('ab', 'an A/B test is running: clear it before starting a canary')
      return { ...cur, canary: c ? { version: c.version, percent: c.percent } : null }
    })
  }

  /** Splits all assets between named variants by weight (stable hash); null ends the test. */
  async ab(tenantId: string, model: string, variants: { name: string; version: number; weight: number }[] | null, meta: ChangeMeta): Promise<DeploymentRecord> {
    if (variants) {
      if (variants.length < 2) throw new DeploymentInvalidError('variants', 'an A/B test needs at least two variants')
      const names = variants.map((v) => v.name)
      if (new Set(names).size !== names.length) throw new DeploymentInvalidError('variants', 'variant names must be distinct')
      if (variants.some((v) => !(v.weight > 0) || !Number.isFinite(v.weight))) throw new DeploymentInvalidError('variants', 'every weight must be a positive number')
      await this.requireVersions(tenantId, model, variants.map((v) => v.version))
    }
    return this.change(tenantId, model, variants ? 'ab' : 'clear', meta, (cur) => {
      if (variants && cur.canary) throw new DeploymentInvalidError('canary', 'a canary is running: clear it before starting an A/B test')
      return { ...cur, ab: variants ? { variants: variants.map((v) => ({ name: v.name, version: v.version, weight: v.weight })) } : null }
    })
  }

  /** Versions scored and recorded beside the serving ones, never acted on. An empty list ends shadowing. */
  async shadow(tenantId: string, model: string, versions: number[], meta: ChangeMeta): Promise<DeploymentRecord> {
    await this.requireVersions(tenantId, model, versions)
    return this.change(tenantId, model, versions.length ? 'shadow' : 'clear', meta, (cur) => ({ ...cur, shadow: [...new Set(versions)].sort((a, b) => a - b) }))
  }

  /** Restores the whole state of an earlier deployment (default: the one before the current), as a new history entry. */
  async rollback(tenantId: string, model: string, to: number | undefined, meta: ChangeMeta): Promise<DeploymentRecord> {
    await this.getModel(tenantId, model)
    const cur = await this.store.currentDeployment(tenantId, model)
    const target = to ?? (cur ? cur.id - 1 : 0)
    if (cur && target === cur.id) throw new DeploymentInvalidError('to', `deployment #${target} is the current one`)
    const rec = target >= 1 ? await this.store.getDeployment(tenantId, model, target) : null
    if (!rec) throw new DeploymentNotFoundError(model, target)
    return this.change(tenantId, model, 'rollback', meta, () => rec.spec, rec.id)
  }

  /** Which version scored an asset at a time, under which deployment (and who set that deployment up, when, why). */
  async audit(tenantId: string, assetId: string, at: number, filter: { model?: string; kind?: string } = {}): Promise<AuditAnswer | null> {
    const p: Prediction | null = await this.predictions.at(tenantId, assetId, at, filter)
    if (!p || p.model === undefined || p.version === undefined) return null
    const history = await this.store.listDeployments(tenantId, p.model)
    const id = typeof p.details?.deploymentId === 'number' ? p.details.deploymentId : undefined
    const record = (id !== undefined ? history.find((d) => d.id === id) : undefined) ?? [...history].reverse().find((d) => d.createdAt <= p.ts) ?? null
    return { assetId, at, model: p.model, version: p.version, deployment: p.deployment ?? 'unknown', predictionTs: p.ts, value: p.value, kind: p.kind, deploymentRecord: record }
  }

  /** What a deployment would route an asset to, without scoring (for people checking a canary). */
  async explainRoute(tenantId: string, model: string, assetId: string): Promise<{ version: number; deployment: string } | null> {
    const cur = await this.deployment(tenantId, model)
    return cur ? route(model, cur.spec, assetId) : null
  }

  artifactStore(): ArtifactStore {
    return this.artifacts
  }

  registryStore(): RegistryStore {
    return this.store
  }
}
