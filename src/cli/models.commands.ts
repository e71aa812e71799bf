/**
 * `prognos models …`, `prognos train` and `prognos runs …`: the registry from the command
 * line. With `--url` (and `--key` or PROGNOS_API_KEY) the commands go through the API of a
 * running platform; without, they open the store directly (DuckDB: only while no server holds
 * the data directory; PostgreSQL: any time, and running instances pick the change up within
 * their refresh interval).
 */
import { readFileSync } from 'node:fs'
import { userInfo } from 'node:os'
import { Presets, SingleBar } from 'cli-progress'
import { Option, type Command } from 'commander'
import { compareRuns } from '../api/models.routes.js'
import type { ModelKind } from '../models/model.js'
import { RUNTIMES } from '../models/runtime/index.js'
import { ExperimentService, loadTrainingSpec, type TrainingProgress } from '../registry/experiments.service.js'
import { RegistryService } from '../registry/registry.service.js'
import type { Stores } from '../store/ports.js'
import type { Config } from '../config.js'
import { openArtifactStore } from '../main.js'
import { withStores } from './commands.js'

type Opts = Record<string, string | boolean | undefined>

const out = (s: string): void => {
  process.stdout.write(`${s}\n`)
}

/** What every command needs from the registry, locally or over HTTP. */
interface RegistryClient {
  list(): Promise<unknown>
  show(name: string): Promise<unknown>
  promote(name: string, version: number, alias: string, reason: string, force: boolean): Promise<unknown>
  rollback(name: string, to: number | undefined, reason: string): Promise<unknown>
  canary(name: string, c: { version: number; percent: number } | null, reason: string): Promise<unknown>
  ab(name: string, variants: { name: string; version: number; weight: number }[] | null, reason: string): Promise<unknown>
  shadow(name: string, versions: number[], reason: string): Promise<unknown>
  register(name: string, body: { flavour: 'onnx'; kind: ModelKind; artifact: Uint8Array; signature: { inputs: { name: string }[]; outputs: { name: string }[] }; metrics: Record<string, number> }): Promise<unknown>
  drift(name: string): Promise<unknown>
  history(name: string): Promise<unknown>
  runs(model?: string): Promise<unknown>
  compare(ids: string[]): Promise<unknown>
}

class HttpClient implements RegistryClient {
  constructor(
    private readonly base: string,
    private readonly key: string,
  ) {}

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`${this.base.replace(/\/$/, '')}${path}`, { method, headers: { 'x-api-key': this.key, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) })
    const json = (await res.json().catch(() => ({}))) as { code?: string; message?: string }
    if (!res.ok) throw new Error(`${json.code ?? res.status}: ${json.message ?? res.statusText}`)
    return json
  }

  list = () => this.call('GET', '/v1/models')
  show = (n: string) => this.call('GET', `/v1/models/${encodeURIComponent(n)}`)
  promote = (n: string, version: number, alias: string, reason: string, force: boolean) => this.call('POST', `/v1/models/${encodeURIComponent(n)}/promote`, { version, alias, reason, force })
  rollback = (n: string, to: number | undefined, reason: string) => this.call('POST', `/v1/models/${encodeURIComponent(n)}/rollback`, { ...(to !== undefined ? { to } : {}), reason })
  canary = (n: string, c: { version: number; percent: number } | null, reason: string) => this.call('POST', `/v1/models/${encodeURIComponent(n)}/canary`, c ? { ...c, reason } : { version: null, reason })
  ab = (n: string, variants: { name: string; version: number; weight: number }[] | null, reason: string) => this.call('POST', `/v1/models/${encodeURIComponent(n)}/ab`, { variants, reason })
  shadow = (n: string, versions: number[], reason: string) => this.call('POST', `/v1/models/${encodeURIComponent(n)}/shadow`, { versions, reason })
  register = (n: string, b: Parameters<RegistryClient['register']>[1]) => this.call('POST', `/v1/models/${encodeURIComponent(n)}/versions`, { ...b, artifact: Buffer.from(b.artifact).toString('base64') })
  drift = (n: string) => this.call('GET', `/v1/models/${encodeURIComponent(n)}/drift`)
  history = (n: string) => this.call('GET', `/v1/models/${encodeURIComponent(n)}/history`)
  runs = (model?: string) => this.call('GET', `/v1/runs${model ? `?model=${encodeURIComponent(model)}` : ''}`)
  compare = (ids: string[]) => this.call('GET', `/v1/runs/compare?ids=${ids.map(encodeURIComponent).join(',')}`)
}

class LocalClient implements RegistryClient {
  constructor(
    private readonly reg: RegistryService,
    private readonly stores: Stores,
    private readonly tenantId: string,
    private readonly actor: string,
  ) {}

  async list() {
    const items = []
    for (const m of await this.reg.listModels(this.tenantId)) items.push({ ...m, deployment: (await this.reg.deployment(this.tenantId, m.name))?.spec ?? null, versions: (await this.reg.listVersions(this.tenantId, m.name)).length })
    return { items }
  }
  async show(n: string) {
    const m = await this.reg.getModel(this.tenantId, n)
    return { ...m, versions: (await this.reg.listVersions(this.tenantId, n)).map(({ reference, ...v }) => ({ ...v, hasReference: reference !== null })), deployment: await this.reg.deployment(this.tenantId, n) }
  }
  promote = (n: string, version: number, alias: string, reason: string, force: boolean) => this.reg.promote(this.tenantId, n, version, alias as 'production', { actor: this.actor, reason, force })
  rollback = (n: string, to: number | undefined, reason: string) => this.reg.rollback(this.tenantId, n, to, { actor: this.actor, reason })
  canary = (n: string, c: { version: number; percent: number } | null, reason: string) => this.reg.canary(this.tenantId, n, c, { actor: this.actor, reason })
  ab = (n: string, v: { name: string; version: number; weight: number }[] | null, reason: string) => this.reg.ab(this.tenantId, n, v, { actor: this.actor, reason })
  shadow = (n: string, versions: number[], reason: string) => this.reg.shadow(this.tenantId, n, versions, { actor: this.actor, reason })
  register = (n: string, b: Parameters<RegistryClient['register']>[1]) =>
    this.reg.register(this.tenantId, { model: n, flavour: b.flavour, kind: b.kind, artifact: b.artifact, signature: { inputs: b.signature.inputs.map((f) => ({ ...f, type: 'number' as const })), outputs: b.signature.outputs.map((f) => ({ ...f, type: 'number' as const })) }, metrics: b.metrics }, this.actor)
  async drift(n: string) {
    await this.reg.getModel(this.tenantId, n)
    // Live drift lives in the serving processes: use --url for it. The store keeps the events.
    return { model: n, versions: [], events: await this.stores.registry.listDriftEvents(this.tenantId, n, 50), note: 'live drift reports are held by the serving instances: pass --url to read them' }
  }
  history = async (n: string) => ({ items: await this.reg.history(this.tenantId, n) })
  runs = async (model?: string) => ({ items: await this.stores.registry.listRuns(this.tenantId, model ? { model } : {}) })
  async compare(ids: string[]) {
    const runs = []
    for (const id of ids) {
      const r = await this.stores.registry.getRun(this.tenantId, id)
      if (!r) throw new Error(`NOT_FOUND: run '${id}' not found`)
      runs.push(r)
    }
    return compareRuns(runs)
  }
}

const localActor = (): string => `cli:${userInfo().username}`

/** Runs `fn` with a registry over the local stores and the configured artifact store, closed afterwards. */
export async function withRegistry<T>(stores: Stores, cfg: Config, fn: (reg: RegistryService) => Promise<T>): Promise<T> {
  const artifacts = openArtifactStore(cfg)
  try {
    return await fn(new RegistryService(stores.registry, artifacts, RUNTIMES, stores.predictions))
  } finally {
    artifacts.close?.()
  }
}

/** Runs `fn` with a client: HTTP when --url is given, else the store opened locally. */
async function withClient(opts: Opts, fn: (c: RegistryClient) => Promise<void>): Promise<void> {
  try {
    if (typeof opts.url === 'string') {
      const key = (opts.key as string | undefined) ?? process.env.PROGNOS_API_KEY
      if (!key) throw new Error('--url needs an API key: --key or PROGNOS_API_KEY')
      await fn(new HttpClient(opts.url, key))
      return
    }
    await withStores(async (stores, cfg) => {
      await withRegistry(stores, cfg, (reg) => fn(new LocalClient(reg, stores, String(opts.tenant ?? 'default'), localActor())))
    })
  } catch (err) {
    const e = err as { code?: string; message: string }
    process.stderr.write(`prognos: ${e.code ? `${e.code}: ` : ''}${e.message}\n`)
    process.exit(1)
  }
}

function print(opts: Opts, value: unknown, human: (v: never) => string): void {
  out(opts.json ? JSON.stringify(value) : human(value as never))
}

const int = (name: string, v: string): number => {
  if (!/^\d+$/.test(v)) throw new Error(`${name} must be a whole number, got '${v}'`)
  return Number(v)
}

interface DeploymentView {
  id: number
  action: string
  actor: string
  reason: string
  createdAt: number
  restoredFrom: number | null
  spec: { production: number | null; staging: number | null; canary: { version: number; percent: number } | null; ab: { variants: { name: string; version: number; weight: number }[] } | null; shadow: number[]; archived: number[] }
}

function specLine(s: DeploymentView['spec'] | null): string {
  if (!s) return 'not deployed'
  const parts = [`production=${s.production ?? '-'}`]
  if (s.staging !== null) parts.push(`staging=${s.staging}`)
  if (s.canary) parts.push(`canary=v${s.canary.version}@${s.canary.percent}%`)
  if (s.ab) parts.push(`ab=${s.ab.variants.map((v) => `${v.name}:v${v.version}×${v.weight}`).join(',')}`)
  if (s.shadow.length) parts.push(`shadow=${s.shadow.join(',')}`)
  if (s.archived.length) parts.push(`archived=${s.archived.join(',')}`)
  return parts.join(' ')
}

const change = (d: DeploymentView): string => `deployment #${d.id} (${d.action}): ${specLine(d.spec)}`

function remote(cmd: Command): Command {
  return cmd
    .option('--url <url>', 'base URL of a running platform (else the store is opened directly)')
    .option('--key <apiKey>', 'API key with the operator role (or PROGNOS_API_KEY)')
    .option('--tenant <id>', 'tenant, without --url', 'default')
    .option('--json', 'print JSON')
}

/** Registers `prognos models …`, `prognos train` and `prognos runs …`. */
export function registerModelsCommands(program: Command): void {
  const models = program.command('models').description('the model registry: versions, deployments, drift')

  remote(models.command('list').description('registered models and what serves'))
    .action((o: Opts) => withClient(o, async (c) => print(o, await c.list(), (v: { items: { name: string; kind: string; versions: number; deployment: DeploymentView['spec'] | null }[] }) => v.items.map((m) => `${m.name.padEnd(28)} ${m.kind.padEnd(10)} ${String(m.versions).padStart(3)} versions  ${specLine(m.deployment)}`).join('\n') || 'no models')))

  remote(models.command('show').argument('<name>').description('a model, its versions and its deployment'))
    .action((name: string, o: Opts) =>
      withClient(o, async (c) =>
        print(o, await c.show(name), (v: { name: string; kind: string; gates: unknown[]; versions: { version: number; flavour: string; createdBy: string; createdAt: number; metrics: Record<string, number> }[]; deployment: DeploymentView | null }) =>
          [
            `${v.name} (${v.kind}) gates=${JSON.stringify(v.gates)}`,
            `deployment: ${specLine(v.deployment?.spec ?? null)}`,
            ...v.versions.map((x) => `  v${x.version} ${x.flavour.padEnd(8)} ${new Date(x.createdAt).toISOString()} ${x.createdBy} ${JSON.stringify(x.metrics)}`),
          ].join('\n'),
        ),
      ),
    )

  remote(models.command('promote').argument('<name>').argument('<version>').description('move a version to production (through the gates), staging or archived'))
    .addOption(new Option('--alias <alias>').choices(['production', 'staging', 'archived']).default('production'))
    .requiredOption('--reason <text>', 'why (kept in the history)')
    .option('--force', 'bypass the gates (recorded)')
    .action((name: string, version: string, o: Opts) => withClient(o, async (c) => print(o, await c.promote(name, int('version', version), String(o.alias), String(o.reason), o.force === true), change)))

  remote(models.command('rollback').argument('<name>').description('restore an earlier deployment whole (default: the previous one)'))
    .option('--to <id>', 'deployment id (see history)')
    .requiredOption('--reason <text>', 'why')
    .action((name: string, o: Opts) => withClient(o, async (c) => print(o, await c.rollback(name, o.to ? int('--to', String(o.to)) : undefined, String(o.reason)), change)))

  remote(models.command('canary').argument('<name>').argument('<version>', "version, or 'off'").description('send a share of assets to a version (stable per asset)'))
    .option('--percent <p>', 'share of assets, 0–100', '10')
    .requiredOption('--reason <text>', 'why')
    .action((name: string, version: string, o: Opts) => withClient(o, async (c) => print(o, await c.canary(name, version === 'off' ? null : { version: int('version', version), percent: Number(o.percent) }, String(o.reason)), change)))

  remote(models.command('ab').argument('<name>').argument('<variants>', "name=version:weight,… (e.g. A=1:50,B=2:50), or 'off'").description('split all assets between named variants (deterministic per asset)'))
    .requiredOption('--reason <text>', 'why')
    .action((name: string, spec: string, o: Opts) =>
      withClient(o, async (c) => {
        const variants =
          spec === 'off'
            ? null
            : spec.split(',').map((p) => {
                const m = /^([^=]+)=(\d+):([0-9.]+)$/.exec(p.trim())
                if (!m) throw new Error(`variant '${p}' must be name=version:weight`)
                return { name: m[1]!, version: Number(m[2]), weight: Number(m[3]) }
              })
        print(o, await c.ab(name, variants, String(o.reason)), change)
      }),
    )

  remote(models.command('shadow').argument('<name>').argument('[versions...]', 'versions to shadow; none ends shadowing').description('score and record versions beside the serving ones, never acting on them'))
    .requiredOption('--reason <text>', 'why')
    .action((name: string, versions: string[], o: Opts) => withClient(o, async (c) => print(o, await c.shadow(name, versions.map((v) => int('version', v)), String(o.reason)), change)))

  remote(models.command('import').argument('<name>').argument('<file>', 'an ONNX model file').description('import an externally trained ONNX model as a new version'))
    .requiredOption('--inputs <names>', 'comma-separated feature names, in the model input’s column order')
    .option('--outputs <names>', 'comma-separated output names', 'value')
    .addOption(new Option('--kind <kind>').choices(['anomaly', 'health', 'rul', 'soh', 'forecast', 'classifier']).default('anomaly'))
    .option('--metrics <k=v,…>', 'metrics to record (gates read them)')
    .action((name: string, file: string, o: Opts) =>
      withClient(o, async (c) => {
        const metrics = Object.fromEntries(
          String(o.metrics ?? '')
            .split(',')
            .filter(Boolean)
            .map((kv) => {
              const [k, v] = kv.split('=')
              if (!k || v === undefined || !Number.isFinite(Number(v))) throw new Error(`metric '${kv}' must be name=number`)
              return [k, Number(v)]
            }),
        )
        const names = (s: string) => s.split(',').map((x) => ({ name: x.trim() })).filter((x) => x.name)
        const v = await c.register(name, { flavour: 'onnx', kind: o.kind as ModelKind, artifact: new Uint8Array(readFileSync(file)), signature: { inputs: names(String(o.inputs)), outputs: names(String(o.outputs)) }, metrics })
        print(o, v, (x: { model: string; version: number; artifactSha256: string }) => `imported ${x.model} version ${x.version} (sha256 ${x.artifactSha256.slice(0, 12)}…)`)
      }),
    )

  remote(models.command('drift').argument('<name>').description('live drift (PSI, KS) per feature and on predictions, and past drift events'))
    .action((name: string, o: Opts) =>
      withClient(o, async (c) =>
        print(o, await c.drift(name), (v: { versions: { version: number; observed: number; report: { drifting: boolean; windows: number; features: Record<string, { psi: number; ks: number; ksCritical: number; drifting: boolean }>; prediction: { psi: number; ks: number } | null } | null }[]; events: { ts: number; version: number }[]; note?: string }) =>
          [
            ...(v.note ? [v.note] : []),
            ...v.versions.flatMap((x) => [
              `v${x.version}: ${x.observed} readings, ${x.report ? `${x.report.windows} windows, ${x.report.drifting ? 'DRIFTING' : 'stable'}` : 'no window closed yet'}`,
              ...Object.entries(x.report?.features ?? {}).map(([f, d]) => `  ${f.padEnd(28)} psi=${d.psi.toFixed(3)} ks=${d.ks.toFixed(3)} (critical ${d.ksCritical.toFixed(3)})${d.drifting ? '  drift' : ''}`),
              ...(x.report?.prediction ? [`  ${'prediction'.padEnd(28)} psi=${x.report.prediction.psi.toFixed(3)} ks=${x.report.prediction.ks.toFixed(3)}`] : []),
            ]),
            `${v.events.length} drift events${v.events.length ? `, last ${new Date(v.events[0]!.ts).toISOString()} (v${v.events[0]!.version})` : ''}`,
          ].join('\n'),
        ),
      ),
    )

  remote(models.command('history').argument('<name>').description('every deployment change: who, when, why'))
    .action((name: string, o: Opts) => withClient(o, async (c) => print(o, await c.history(name), (v: { items: DeploymentView[] }) => v.items.map((d) => `#${String(d.id).padEnd(3)} ${new Date(d.createdAt).toISOString()} ${d.action.padEnd(8)} ${d.actor.padEnd(16)} ${specLine(d.spec)}${d.restoredFrom ? ` (restores #${d.restoredFrom})` : ''}  — ${d.reason}`).join('\n'))))

  program
    .command('train')
    .argument('<spec>', 'training spec (YAML): model, family, params, data.csv, gates …')
    .description('train a model from a spec, record the run, register the result')
    .option('--promote', 'promote the new version to production when the gates pass')
    .option('--tenant <id>', 'tenant', 'default')
    .option('--json', 'print one JSON line')
    .action(async (file: string, o: Opts) => {
      const spec = (() => {
        try {
          return loadTrainingSpec(file)
        } catch (err) {
          process.stderr.write(`prognos: ${(err as Error).message}\n`)
          process.exit(2)
        }
      })()
      await withStores((stores, cfg) => withRegistry(stores, cfg, async (reg) => {
        const bar = new SingleBar({ format: 'train {stage} [{bar}] {value}/{total}', stream: process.stderr, hideCursor: true, noTTYOutput: true, notTTYSchedule: 1000 }, Presets.shades_classic)
        let stage = ''
        const onProgress = (p: TrainingProgress): void => {
          if (p.stage !== stage) {
            if (stage) bar.stop()
            stage = p.stage
            bar.start(p.total, p.done, { stage: p.stage.padEnd(8) })
          } else bar.update(p.done)
        }
        try {
          const r = await new ExperimentService(reg).train(String(o.tenant), spec, { actor: localActor(), promote: o.promote === true, onProgress })
          bar.stop()
          const summary = { runId: r.run.id, model: spec.model, version: r.version, promoted: r.promoted, ...(r.promotionRefused ? { promotionRefused: r.promotionRefused } : {}), metrics: r.run.metrics }
          out(o.json ? JSON.stringify(summary) : `run ${r.run.id}: registered ${spec.model} version ${r.version}${r.promoted ? ', promoted to production' : r.promotionRefused ? `, not promoted (${r.promotionRefused})` : ''}\n${Object.entries(r.run.metrics).map(([k, v]) => `  ${k.padEnd(18)} ${v}`).join('\n')}`)
        } catch (err) {
          bar.stop()
          process.stderr.write(`prognos: ${(err as Error).message}\n`)
          process.exitCode = 1
        }
      }))
    })

  const runs = program.command('runs').description('training runs')
  remote(runs.command('list').description('runs, newest first'))
    .option('--model <name>', 'only this model’s runs')
    .action((o: Opts) => withClient(o, async (c) => print(o, await c.runs(o.model as string | undefined), (v: { items: { id: string; model: string; status: string; version: number | null; startedAt: number }[] }) => v.items.map((r) => `${r.id}  ${r.model.padEnd(24)} ${r.status.padEnd(9)} v${r.version ?? '-'}  ${new Date(r.startedAt).toISOString()}`).join('\n') || 'no runs')))
  remote(runs.command('compare').argument('<ids...>', 'run ids').description('runs side by side: params and metrics as rows'))
    .action((ids: string[], o: Opts) =>
      withClient(o, async (c) =>
        print(o, await c.compare(ids), (v: ReturnType<typeof compareRuns>) => {
          const w = 16
          const cell = (x: unknown) => String(typeof x === 'number' ? Number(x.toPrecision(6)) : JSON.stringify(x ?? '-')).slice(0, w - 1).padEnd(w)
          return [
            `${''.padEnd(22)}${v.runs.map((r) => r.id.slice(0, w - 1).padEnd(w)).join('')}`,
            `${'version'.padEnd(22)}${v.runs.map((r) => cell(r.version)).join('')}`,
            ...v.params.map((p) => `${`param ${p.name}`.slice(0, 21).padEnd(22)}${p.values.map(cell).join('')}`),
            ...v.metrics.map((m) => `${m.name.slice(0, 21).padEnd(22)}${m.values.map(cell).join('')}`),
          ].join('\n')
        }),
      ),
    )
}
