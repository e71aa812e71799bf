import { afterEach, describe, expect, it } from 'vitest'
import { ReadingBatchBuilder } from '../domain/readings.js'
import { openDuckDbStores } from '../store/duckdb/open.js'
import type { Stores } from '../store/ports.js'
import { Catalog } from './catalog.js'
import { FleetView } from './fleet.view.js'
import { LatestCache } from './latest.cache.js'

let stores: Stores | null = null
afterEach(async () => {
  await stores?.close()
  stores = null
})

describe('FleetView', () => {
  it('writes the same JSON as serialising its items, and follows appends, new series and filters', async () => {
    stores = await openDuckDbStores({ dataDir: ':memory:' })
    await stores.meta.createTenant({ id: 't', name: 'T' })
    const tm = stores.meta.tenant('t')
    await tm.createSite({ id: 's1', name: 'S', latitude: 0, longitude: 0, timezone: 'UTC' })
    await tm.createAsset({ id: 'a"1', siteId: 's1', type: 'pump', name: 'Pompe «1»\n' })
    await tm.createAsset({ id: 'a2', type: 'fan' })
    await tm.createAsset({ id: 'silent', type: 'fan' })
    const [c1, c2] = await tm.ensureChannels('a"1', [{ name: 'température', unit: '°C', min: -5.5, max: 80 }, { name: 'x\\y' }])
    const [c3] = await tm.ensureChannels('a2', [{ name: 'rpm', unit: null }])
    // One value stored before the view exists (loaded from the store), the rest through the cache.
    const b = new ReadingBatchBuilder()
    b.push(c1!.key, 1000, 21.25)
    await stores.series.append(b.build())
    const latest = new LatestCache(stores.series)
    const view = new FleetView(new Catalog(stores.meta), latest)
    const both = async (filter = {}): Promise<unknown> => {
      const text = await view.json('t', filter)
      expect(text).toBe(JSON.stringify({ items: await view.items('t', filter) }))
      return JSON.parse(text)
    }
    expect(await both()).toEqual({
      items: [
        { assetId: 'a"1', name: 'Pompe «1»\n', type: 'pump', siteId: 's1', parentId: null, values: { température: { ts: 1000, value: 21.25, unit: '°C', min: -5.5, max: 80 } } },
        { assetId: 'a2', name: 'a2', type: 'fan', siteId: null, parentId: null, values: {} },
        { assetId: 'silent', name: 'silent', type: 'fan', siteId: null, parentId: null, values: {} },
      ],
    })
    // Newer values update in place; older ones do not win; new series appear.
    const next = new ReadingBatchBuilder()
    next.push(c1!.key, 2000, -3)
    next.push(c1!.key, 1500, 99)
    next.push(c2!.key, 1, 1e-7)
    next.push(c3!.key, 5, 1234.5)
    latest.update(next.build())
    const all = (await both()) as { items: { assetId: string; values: Record<string, { ts: number; value: number }> }[] }
    expect(all.items[0]!.values).toMatchObject({ température: { ts: 2000, value: -3 }, 'x\\y': { ts: 1, value: 1e-7, unit: null, min: null, max: null } })
    expect(all.items[1]!.values.rpm).toMatchObject({ ts: 5, value: 1234.5 })
    expect(((await both({ type: 'fan' })) as { items: { assetId: string }[] }).items.map((i) => i.assetId)).toEqual(['a2', 'silent'])
    expect(((await both({ siteId: 's1', type: 'fan' })) as { items: unknown[] }).items).toEqual([])
    expect(await view.json('t', { siteId: 'nowhere' })).toBe('{"items":[]}')
  })
})
