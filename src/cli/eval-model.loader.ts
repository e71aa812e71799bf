/**
 * `--model` of `prognos eval cmapss | forecast | battery`: a registered version (`name@3`,
 * `name@production`, `name@staging`, or `name` for production) or an artifact file (a built-in
 * model's JSON, as `prognos train` registers it), restored for evaluation instead of training.
 */
import { existsSync, readFileSync } from 'node:fs'
import { families } from '../models/catalogue.js'
import type { Model, SerializedModel } from '../models/model.js'
import { withStores } from './commands.js'
import { withRegistry } from './models.commands.js'

/** A model restored for evaluation, and where it came from (for people). */
export interface EvalModel {
  model: Model
  source: string
}

function restore(json: unknown, family: string, source: string): EvalModel {
  const f = (json as Partial<SerializedModel> | null)?.family
  if (f !== family) throw new Error(`--model: ${source} is a '${String(f)}' model; this evaluation needs a '${family}' model`)
  return { model: families.fromJSON(json), source }
}

/** Reads `ref` as an artifact file when one exists at that path, else as a registry reference. */
export async function loadEvalModel(ref: string, family: string, tenantId = 'default'): Promise<EvalModel> {
  if (existsSync(ref)) {
    let json: unknown
    try {
      json = JSON.parse(readFileSync(ref, 'utf8'))
    } catch (err) {
      throw new Error(`--model: ${ref} is not a model artifact (JSON): ${(err as Error).message}`, { cause: err })
    }
    return restore(json, family, ref)
  }
  const m = /^([^@\s]+)(?:@(\w+))?$/.exec(ref)
  if (!m) throw new Error(`--model must be an artifact file, or name[@version|@production|@staging], got ${JSON.stringify(ref)}`)
  const name = m[1]!
  const sel = m[2] ?? 'production'
  // The configured artifact store (a directory or a bucket), as every other registry command uses.
  return withStores((stores, cfg) => withRegistry(stores, cfg, async (registry) => {
    let version: number
    if (/^\d+$/.test(sel)) version = Number(sel)
    else if (sel === 'production' || sel === 'staging') {
      const d = await registry.deployment(tenantId, name)
      const v = d?.spec[sel] ?? null
      if (v === null) throw new Error(`--model: '${name}' has no ${sel} version`)
      version = v
    } else throw new Error(`--model: '@${sel}' is neither a version number nor production or staging`)
    const record = await registry.getVersion(tenantId, name, version)
    if (record.flavour !== 'builtin') throw new Error(`--model: ${name} version ${version} is a '${record.flavour}' artifact; evaluation takes built-in models`)
    const bytes = await registry.artifactStore().get(record.artifactKey, record.artifactSha256)
    return restore(JSON.parse(new TextDecoder().decode(bytes)), family, `${name} version ${version}`)
  }))
}
