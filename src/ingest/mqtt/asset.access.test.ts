import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDuckDbStores } from '../../store/duckdb/open.js'
import type { Stores } from '../../store/ports.js'
import { AssetAccess } from './asset.access.js'

const CACHE_MS = 10_000
const NEGATIVE_MS = 1_000

let stores: Stores
beforeAll(async () => {
  stores = await openDuckDbStores({ dataDir: ':memory:' })
  const t = stores.meta.tenant('default')
  for (const id of ['s1', 's2']) await t.createSite({ id, name: id, latitude: 0, longitude: 0, timezone: 'UTC' })
})
afterAll(async () => {
  await stores?.close()
})

/** Resolves a check that may or may not need a store query. */
const settle = async (d: ReturnType<AssetAccess['check']>) => (d instanceof Promise ? await d : d)

describe('AssetAccess', () => {
  it('answers from the cache, keeps using an expired "exists" while it looks the asset up again, then applies the change', async () => {
    const t = stores.meta.tenant('default')
    await t.createAsset({ id: 'p1', siteId: 's1', type: 'rotating_machine' })
    let now = 1_000_000
    const acl = new AssetAccess(stores.meta, { cacheMs: CACHE_MS, negativeCacheMs: NEGATIVE_MS, maxEntries: 100 }, () => now)

    const first = acl.check('default', 's1', 'p1')
    expect(first).toBeInstanceOf(Promise)
    expect(await first).toEqual({ ok: true })
    expect(acl.check('default', 's1', 'p1')).toEqual({ ok: true })
    expect(acl.check('default', 's2', 'p1')).toMatchObject({ ok: false, reason: expect.stringContaining("site 's1'") })

    await t.updateAsset('p1', { siteId: 's2' })
    now += CACHE_MS + 1
    // Expired: answered at once from the old entry (no wait on the store), refreshed behind it.
    expect(acl.check('default', 's1', 'p1')).toEqual({ ok: true })
    for (let i = 0; i < 100 && (acl.check('default', 's1', 'p1') as { ok: boolean }).ok; i++) await new Promise((r) => setTimeout(r, 10))
    expect(acl.check('default', 's1', 'p1')).toMatchObject({ ok: false, reason: expect.stringContaining("site 's2'") })
    expect(acl.check('default', 's2', 'p1')).toEqual({ ok: true })
  })

  it('never uses an expired "no such asset": an asset created since is looked up before the answer', async () => {
    let now = 2_000_000
    const acl = new AssetAccess(stores.meta, { cacheMs: CACHE_MS, negativeCacheMs: NEGATIVE_MS, maxEntries: 100 }, () => now)
    expect(await settle(acl.check('default', 's1', 'p9'))).toMatchObject({ ok: false, reason: expect.stringContaining('does not exist') })
    expect(acl.check('default', 's1', 'p9')).toMatchObject({ ok: false })

    await stores.meta.tenant('default').createAsset({ id: 'p9', siteId: 's1', type: 'rotating_machine' })
    now += NEGATIVE_MS + 1
    const again = acl.check('default', 's1', 'p9')
    expect(again).toBeInstanceOf(Promise)
    expect(await again).toEqual({ ok: true })
  })

  it('answers a big fleet from one read of the tenant, and still refuses another tenant\'s assets', async () => {
    const a = stores.meta.tenant('big-a')
    const b = stores.meta.tenant('big-b')
    for (const t of [a, b]) await t.createSite({ id: 's1', name: 's1', latitude: 0, longitude: 0, timezone: 'UTC' })
    for (let i = 0; i < 300; i++) await a.createAsset({ id: `a${i}`, siteId: 's1', type: 'rotating_machine' })
    await b.createAsset({ id: 'b0', siteId: 's1', type: 'rotating_machine' })
    // Counts the store queries the ACL makes, per tenant.
    const calls: string[] = []
    const counted = {
      ...stores.meta,
      tenant(id: string) {
        const t = stores.meta.tenant(id)
        return {
          ...t,
          tenantId: t.tenantId,
          listAssets: (f?: Parameters<typeof t.listAssets>[0]) => (calls.push(`${id}:list`), t.listAssets(f)),
          getAsset: (asset: string) => (calls.push(`${id}:get:${asset}`), t.getAsset(asset)),
        }
      },
    } as typeof stores.meta
    const acl = new AssetAccess(counted, { cacheMs: CACHE_MS, negativeCacheMs: NEGATIVE_MS, maxEntries: 10_000 }, () => 3_000_000)

    const answers = await Promise.all(Array.from({ length: 300 }, (_, i) => settle(acl.check('big-a', 's1', `a${i}`))))
    expect(answers.every((d) => d.ok)).toBe(true)
    expect(calls).toEqual(['big-a:list'])
    // Another tenant's asset is not in big-a's read, and its own lookup does not find it either.
    expect(await settle(acl.check('big-a', 's1', 'b0'))).toMatchObject({ ok: false, reason: expect.stringContaining('does not exist') })
    expect(calls).toEqual(['big-a:list', 'big-a:get:b0'])
    expect(await settle(acl.check('big-b', 's1', 'a1'))).toMatchObject({ ok: false, reason: expect.stringContaining('does not exist') })
    expect(await settle(acl.check('big-b', 's1', 'b0'))).toEqual({ ok: true })
    expect(calls.filter((c) => c.startsWith('big-b:list'))).toHaveLength(1)
  })
})
