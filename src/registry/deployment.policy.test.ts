import { describe, expect, it } from 'vitest'
import type { DeploymentSpec } from '../store/registry.ports.js'
import { EMPTY_SPEC, bucketOf, route, servedVersions } from './deployment.policy.js'

const spec = (over: Partial<DeploymentSpec>): DeploymentSpec => ({ ...EMPTY_SPEC, ...over })
const assets = (n: number) => Array.from({ length: n }, (_, i) => `tf-${String(i).padStart(5, '0')}`)

describe('route', () => {
  it.each([1, 10, 25, 50])('a %i %% canary over 10,000 sequential asset ids takes that share ± 2 points', (percent) => {
    const s = spec({ production: 1, canary: { version: 2, percent } })
    const share = assets(10_000).filter((a) => route('m', s, a)?.deployment === 'canary').length / 100
    expect(Math.abs(share - percent)).toBeLessThanOrEqual(2)
  })

  it('widening a canary keeps the assets already in it', () => {
    const at10 = new Set(assets(5000).filter((a) => route('m', spec({ production: 1, canary: { version: 2, percent: 10 } }), a)?.deployment === 'canary'))
    const at30 = new Set(assets(5000).filter((a) => route('m', spec({ production: 1, canary: { version: 2, percent: 30 } }), a)?.deployment === 'canary'))
    for (const a of at10) expect(at30.has(a)).toBe(true)
  })

  it('different models pick different canary assets', () => {
    const s = spec({ production: 1, canary: { version: 2, percent: 10 } })
    const a = assets(5000).filter((x) => route('a', s, x)?.deployment === 'canary')
    const b = new Set(assets(5000).filter((x) => route('b', s, x)?.deployment === 'canary'))
    const overlap = a.filter((x) => b.has(x)).length / a.length
    expect(overlap).toBeLessThan(0.2)
  })

  it('A/B splits by weight, deterministically, and names the variant', () => {
    const s = spec({ production: 1, ab: { variants: [{ name: 'control', version: 1, weight: 1 }, { name: 'new', version: 2, weight: 1 }, { name: 'wide', version: 3, weight: 2 }] } })
    const routes = assets(20_000).map((a) => route('m', s, a)!)
    const share = (d: string) => routes.filter((r) => r.deployment === d).length / routes.length
    expect(share('ab:control')).toBeCloseTo(0.25, 1)
    expect(share('ab:new')).toBeCloseTo(0.25, 1)
    expect(share('ab:wide')).toBeCloseTo(0.5, 1)
    expect(assets(20_000).map((a) => route('m', s, a)!.version)).toEqual(routes.map((r) => r.version))
  })

  it('without an asset id: production; with nothing deployed: null', () => {
    expect(route('m', spec({ production: 4, canary: { version: 5, percent: 100 } }), undefined)).toEqual({ version: 4, deployment: 'production' })
    expect(route('m', EMPTY_SPEC, 'a')).toBeNull()
    expect(route('m', spec({ staging: 3 }), 'a')).toBeNull()
  })

  it('lists every version a spec needs loaded', () => {
    expect(servedVersions(spec({ production: 3, canary: { version: 4, percent: 5 }, shadow: [6, 3], staging: 9, archived: [1] }))).toEqual([3, 4, 6])
  })

  it('buckets are spread evenly', () => {
    const counts = new Array(10).fill(0)
    for (const a of assets(50_000)) counts[Math.floor(bucketOf('m', a) / 1000)]++
    for (const c of counts) expect(Math.abs(c - 5000)).toBeLessThan(300)
  })
})
