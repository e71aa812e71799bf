import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDuckDbStores } from '../store/duckdb/open.js'
import type { MetaStore, Stores } from '../store/ports.js'
import { Catalog } from './catalog.js'

let stores: Stores
beforeAll(async () => {
  stores = await openDuckDbStores({ dataDir: ':memory:' })
})
afterAll(async () => {
  await stores?.close()
})

/** The meta store, logging each asset/channel read as `tenant:method`. */
function counting(meta: MetaStore, calls: string[]): MetaStore {
  return {
    ...meta,
    tenant(id: string) {
      const t = meta.tenant(id)
      const log =
        <A extends unknown[], R>(name: string, f: (...a: A) => Promise<R>) =>
        (...a: A) => (calls.push(`${id}:${name}`), f(...a))
      return Object.assign(Object.create(t) as typeof t, {
        listAssets: log('listAssets', t.listAssets.bind(t)),
        listAllChannels: log('listAllChannels', t.listAllChannels.bind(t)),
        getAsset: log('getAsset', t.getAsset.bind(t)),
        listChannels: log('listChannels', t.listChannels.bind(t)),
      })
    },
  } as MetaStore
}

/** An asset with channels, as POST /v1/assets creates it. */
async function create(tenantId: string, id: string, channels: string[]): Promise<void> {
  const t = stores.meta.tenant(tenantId)
  await t.createAsset({ id, siteId: null, type: 'rotating_machine' })
  await t.ensureChannels(id, channels.map((name) => ({ name })))
}

describe('Catalog', () => {
  it("resolves a big fleet's assets from one read of the tenant, and only the tenant's own", async () => {
    const a = stores.meta.tenant('cat-a')
    for (let i = 0; i < 200; i++) await create('cat-a', `m${i}`, ['x', `y${i}`])
    await create('cat-b', 'other', ['z'])
    const calls: string[] = []
    const catalog = new Catalog(counting(stores.meta, calls))

    const all = await Promise.all(Array.from({ length: 200 }, (_, i) => catalog.asset('cat-a', `m${i}`)))
    expect(all.map((c) => [...c!.keys()].sort())).toEqual(Array.from({ length: 200 }, (_, i) => ['x', `y${i}`]))
    expect(calls.sort()).toEqual(['cat-a:listAllChannels', 'cat-a:listAssets'])
    // Every series key resolves back to its channel.
    for (const c of all[7]!.values()) expect(catalog.channel(c.key)).toBe(c)

    // Another tenant's asset is unknown here, and its channels are not mixed in.
    expect(await catalog.asset('cat-a', 'other')).toBeNull()
    expect(calls).toContain('cat-a:getAsset')
    expect([...(await catalog.asset('cat-b', 'other'))!.keys()]).toEqual(['z'])

    // An asset created after the read is found on its own; a deleted one is forgotten on invalidate.
    await create('cat-a', 'late', ['n'])
    expect([...(await catalog.asset('cat-a', 'late'))!.keys()]).toEqual(['n'])
    await a.deleteAsset('m3')
    catalog.invalidate('cat-a', 'm3')
    expect(await catalog.asset('cat-a', 'm3')).toBeNull()
  })

  it("gives an asset's record with its channels from the same reads, and the changed record after an invalidate", async () => {
    const t = stores.meta.tenant('cat-d')
    await t.createAsset({ id: 'pump', siteId: null, type: 'rotating_machine', metadata: { rpm: 1450 } })
    await t.ensureChannels('pump', [{ name: 'vib' }])
    await create('cat-d', 'fan', ['rpm'])
    const calls: string[] = []
    const catalog = new Catalog(counting(stores.meta, calls))
    const pump = await catalog.entry('cat-d', 'pump')
    expect(pump!.asset).toMatchObject({ id: 'pump', type: 'rotating_machine', metadata: { rpm: 1450 } })
    expect([...pump!.channels.keys()]).toEqual(['vib'])
    expect((await catalog.entry('cat-d', 'fan'))!.asset.type).toBe('rotating_machine')
    expect(calls.sort()).toEqual(['cat-d:listAllChannels', 'cat-d:listAssets'])

    await t.updateAsset('pump', { type: 'compressor' })
    catalog.invalidate('cat-d', 'pump')
    expect((await catalog.entry('cat-d', 'pump'))!.asset.type).toBe('compressor')
    expect(calls).toContain('cat-d:getAsset')
    expect(await catalog.entry('cat-d', 'nope')).toBeNull()
  })

  it('does not take an asset changed during the whole-tenant read from that read', async () => {
    const t = stores.meta.tenant('cat-c')
    await create('cat-c', 'p', ['a'])
    await create('cat-c', 'q', ['a'])
    const catalog = new Catalog(stores.meta)
    const first = catalog.asset('cat-c', 'p')
    // While the read runs, q gains a channel behind the catalog's back and is invalidated.
    await t.ensureChannels('q', [{ name: 'b' }])
    catalog.invalidate('cat-c', 'q')
    expect([...(await first)!.keys()]).toEqual(['a'])
    expect([...(await catalog.asset('cat-c', 'q'))!.keys()].sort()).toEqual(['a', 'b'])
  })

  it('gives a fleet-wide read the records it already holds, not a second copy, and a change reads afresh', async () => {
    const t = stores.meta.tenant('cat-e')
    for (let i = 0; i < 20; i++) await create('cat-e', `e${i}`, ['temp', 'vib'])
    const catalog = new Catalog(stores.meta)
    const e3 = (await catalog.entry('cat-e', 'e3'))!
    const fleet = await catalog.fleet('cat-e')
    expect(fleet.assets).toHaveLength(20)
    expect(fleet.channels).toHaveLength(40)
    expect(fleet.assets.find((a) => a.id === 'e3')).toBe(e3.asset)
    expect(fleet.channels.find((c) => c.assetId === 'e3' && c.name === 'vib')).toBe(e3.channels.get('vib'))
    // Strings are shared too: every channel of an asset carries its asset's own id string, and names are one copy.
    const e5 = (await catalog.entry('cat-e', 'e5'))!
    expect(fleet.channels.filter((c) => c.assetId === 'e5').every((c) => c === e5.channels.get(c.name))).toBe(true)
    expect(await catalog.fleet('cat-e')).toBe(fleet)

    await t.updateAsset('e3', { type: 'compressor' })
    catalog.invalidate('cat-e', 'e3')
    const after = await catalog.fleet('cat-e')
    expect(after).not.toBe(fleet)
    expect(after.assets.find((a) => a.id === 'e3')!.type).toBe('compressor')
    expect(after.assets.find((a) => a.id === 'e4')).toBe(fleet.assets.find((a) => a.id === 'e4'))
  })
})
