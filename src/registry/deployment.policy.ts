/**
 * Deployment policies, pure: which version serves an asset, by a stable hash of its id.
 * The same asset id always lands on the same version for a given spec, on every instance
 * and across restarts (no state, no randomness).
 */
import type { DeploymentSpec } from '../store/registry.ports.js'

/** Hash buckets: canary percentages and A/B weights resolve to 1/10,000. */
export const BUCKETS = 10_000

export const EMPTY_SPEC: DeploymentSpec = { production: null, staging: null, archived: [], canary: null, ab: null, shadow: [] }

/** FNV-1a over UTF-16 code units, then murmur3's finaliser so that near-identical ids spread evenly. */
export function stableHash(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** The asset's bucket in [0, BUCKETS) for a model: salted by the model, so two models' canaries pick different assets. */
export function bucketOf(model: string, assetId: string): number {
  return stableHash(`${model}\u0000${assetId}`) % BUCKETS
}

export interface Route {
  version: number
  /** `production`, `canary` or `ab:<variant>`. */
  deployment: string
}

/**
 * The version that serves `assetId` (null: nothing deployed). Without an asset id (an
 * anonymous predict call) the production version serves, or the heaviest A/B variant.
 */
export function route(model: string, spec: DeploymentSpec, assetId: string | undefined): Route | null {
  if (spec.ab && spec.ab.variants.length > 0) {
    const total = spec.ab.variants.reduce((a, v) => a + v.weight, 0)
    if (assetId === undefined) {
      const top = spec.ab.variants.reduce((a, v) => (v.weight > a.weight ? v : a))
      return { version: top.version, deployment: `ab:${top.name}` }
    }
    const b = bucketOf(`${model}\u0000ab`, assetId) / BUCKETS
    let acc = 0
    for (const v of spec.ab.variants) {
      acc += v.weight / total
      if (b < acc) return { version: v.version, deployment: `ab:${v.name}` }
    }
    const last = spec.ab.variants[spec.ab.variants.length - 1]!
    return { version: last.version, deployment: `ab:${last.name}` }
  }
  if (spec.canary && assetId !== undefined && bucketOf(model, assetId) < Math.round(spec.canary.percent * (BUCKETS / 100))) {
    return { version: spec.canary.version, deployment: 'canary' }
  }
  if (spec.production !== null) return { version: spec.production, deployment: 'production' }
  return null
}

/** Every version a spec can route to or shadow: what a serving instance must have loaded. */
export function servedVersions(spec: DeploymentSpec): number[] {
  const s = new Set<number>()
  if (spec.production !== null) s.add(spec.production)
  if (spec.canary) s.add(spec.canary.version)
  for (const v of spec.ab?.variants ?? []) s.add(v.version)
  for (const v of spec.shadow) s.add(v)
  return [...s].sort((a, b) => a - b)
}

/** True when some asset would be routed somewhere. */
export function isDeployed(spec: DeploymentSpec): boolean {
  return spec.production !== null || (spec.ab !== null && spec.ab.variants.length > 0)
}
