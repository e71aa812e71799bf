/**
 * The store conformance suite: the same cases for every adapter of the storage ports.
 * Each case opens a fresh, empty store, so cases are independent of each other.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { ChannelSpec } from '../../src/domain/model.js'
import { ReadingBatchBuilder, type ReadingBatch } from '../../src/domain/readings.js'
import { MetaConflictError, MetaReferenceError } from '../../src/store/errors.js'
import type { AssetFilter, AssetInput, Bucket, Stores } from '../../src/store/ports.js'

/**
 * Opens a store. Without an argument: a fresh, empty store in a location of its own.
 * With a store that was closed: that same store (same directory, same schema) again.
 */
export type OpenStores = (reopen?: Stores) => Promise<Stores>

type Row = readonly [series: number, ts: number, value: number]

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS
/** An hour before a UTC midnight, so that data sets cross a day boundary (partitioned stores). */
const T0 = Date.UTC(2026, 10, 22, 23, 0, 0)

function batchOf(rows: readonly Row[]): ReadingBatch {
  const b = new ReadingBatchBuilder(Math.max(1, rows.length))
  for (const [s, t, v] of rows) b.push(s, t, v)
  return b.build()
}

function rowsOf(b: ReadingBatch): Row[] {
  return Array.from({ length: b.length }, (_, i): Row => [b.series[i]!, b.ts[i]!, b.value[i]!])
}

/** Every stored reading of the given series, as rows sorted by series then ts. */
async function storedRows(series: Stores['series'], keys: readonly number[]): Promise<Row[]> {
  const out: Row[] = []
  for (const k of keys) {
    const got = await series.range(k, -(2 ** 52), 2 ** 52)
    got.ts.forEach((t, i) => out.push([k, t, got.value[i]!]))
  }
  return out
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Buckets computed from the rows themselves, the way the port defines them. */
function expectedBuckets(rows: readonly Row[], series: readonly number[], from: number, to: number, bucketMs: number): Bucket[] {
  const acc = new Map<string, { series: number; ts: number; min: number; max: number; sum: number; count: number }>()
  for (const [s, t, v] of rows) {
    if (!series.includes(s) || t < from || t >= to) continue
    const start = t - (t % bucketMs)
    const k = `${s}/${start}`
    const b = acc.get(k) ?? { series: s, ts: start, min: Infinity, max: -Infinity, sum: 0, count: 0 }
    b.min = Math.min(b.min, v)
    b.max = Math.max(b.max, v)
    b.sum += v
    b.count++
    acc.set(k, b)
  }
  return [...acc.values()]
    .sort((a, b) => a.series - b.series || a.ts - b.ts)
    .map((b) => ({ series: b.series, ts: b.ts, min: b.min, avg: b.sum / b.count, max: b.max, count: b.count }))
}

function expectBucketsMatch(actual: Bucket[], expected: Bucket[]): void {
  expect(actual.map((b) => [b.series, b.ts, b.count, b.min, b.max])).toEqual(expected.map((b) => [b.series, b.ts, b.count, b.min, b.max]))
  actual.forEach((b, i) => expect(b.avg).toBeCloseTo(expected[i]!.avg, 9))
}

/**
 * Registers the conformance cases for one adapter.
 *
 * @example
 * runStoreSuite('duckdb', (reopen) => openDuckDbStores({ dataDir: reopen ? dirOf(reopen) : freshDir() }))
 */
export function runStoreSuite(name: string, open: OpenStores): void {
  describe(name, () => {
    const opened: Stores[] = []
    const fresh = async (reopen?: Stores): Promise<Stores> => {
      const s = await open(reopen)
      opened.push(s)
      return s
    }
    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close()
    })

    describe('migrations', () => {
      it('a fresh store is at the latest version, and migrating again is a no-op', async () => {
        const { meta } = await fresh()
        const status = await meta.migrationStatus()
        expect(status.pending).toEqual([])
        expect(status.latest).toBeGreaterThanOrEqual(3)
        expect(status.current).toBe(status.latest)
        const again = await meta.migrate()
        expect(again).toEqual({ applied: [], current: status.latest })
        const twice = await meta.migrate()
        expect(twice).toEqual({ applied: [], current: status.latest })
        await meta.ping()
      })
    })

    describe('metadata', () => {
      it('tenants: create, get, list, duplicates refused', async () => {
        const { meta } = await fresh()
        const a = await meta.createTenant({ id: 'acme', name: 'Acme' })
        const b = await meta.createTenant({ name: 'Generated' })
        expect(a).toMatchObject({ id: 'acme', name: 'Acme' })
        expect(a.createdAt).toBeGreaterThan(Date.now() - 60_000)
        expect(b.id).toMatch(/\S+/)
        expect(await meta.getTenant('acme')).toEqual(a)
        expect(await meta.getTenant('nope')).toBeNull()
        expect((await meta.listTenants()).map((t) => t.id).sort()).toEqual(['acme', b.id].sort())
        await expect(meta.createTenant({ id: 'acme', name: 'Again' })).rejects.toBeInstanceOf(MetaConflictError)
      })

      it('tenants: rename, and delete only when empty', async () => {
        const { meta } = await fresh()
        await meta.createTenant({ id: 'acme', name: 'Acme' })
        expect(await meta.updateTenant('acme', { name: 'Acme Corp' })).toMatchObject({ id: 'acme', name: 'Acme Corp' })
        expect(await meta.updateTenant('nope', { name: 'x' })).toBeNull()
        await meta.tenant('acme').createSite({ id: 's', name: 'S', latitude: 0, longitude: 0, timezone: 'UTC' })
        await expect(meta.deleteTenant('acme')).rejects.toBeInstanceOf(MetaConflictError)
        await meta.tenant('acme').deleteSite('s')
        await meta.createApiKey({ id: 'kaaaaaaaaaaaa', tenantId: 'acme', name: 'k', role: 'ingest', secretHash: 'h' })
        await expect(meta.deleteTenant('acme')).rejects.toBeInstanceOf(MetaConflictError)
        await meta.revokeApiKey('kaaaaaaaaaaaa')
        // Revoked keys do not hold a tenant back; they go with it.
        expect(await meta.deleteTenant('acme')).toBe(true)
        expect(await meta.getTenant('acme')).toBeNull()
        expect(await meta.getApiKey('kaaaaaaaaaaaa')).toBeNull()
        expect(await meta.deleteTenant('acme')).toBe(false)
      })

      it('sites: create, get, list, partial update, delete', async () => {
        const { meta } = await fresh()
        await meta.createTenant({ id: 't', name: 'T' })
        const tm = meta.tenant('t')
        const paris = await tm.createSite({ id: 'paris', name: 'Paris', latitude: 48.8566, longitude: 2.3522, timezone: 'Europe/Paris' })
        const auto = await tm.createSite({ name: 'Austin', latitude: 30.2672, longitude: -97.7431, timezone: 'America/Chicago' })
        expect(paris).toMatchObject({ id: 'paris', tenantId: 't', name: 'Paris', latitude: 48.8566, longitude: 2.3522, timezone: 'Europe/Paris' })
        expect(auto.id).toMatch(/\S+/)
        expect(await tm.getSite('paris')).toEqual(paris)
        expect((await tm.listSites()).map((s) => s.name)).toEqual(['Austin', 'Paris'])
        await expect(tm.createSite({ id: 'paris', name: 'Again', latitude: 0, longitude: 0, timezone: 'UTC' })).rejects.toBeInstanceOf(MetaConflictError)

        const renamed = await tm.updateSite('paris', { name: 'Paris Nord' })
        expect(renamed).toEqual({ ...paris, name: 'Paris Nord' })
        expect(await tm.getSite('paris')).toEqual(renamed)
        expect(await tm.updateSite('nowhere', { name: 'x' })).toBeNull()

        expect(await tm.deleteSite('paris')).toBe(true)
        expect(await tm.deleteSite('paris')).toBe(false)
        expect(await tm.getSite('paris')).toBeNull()
        expect((await tm.listSites()).map((s) => s.id)).toEqual([auto.id])
      })

      it('bulk assets: all or none, parents inside the batch in any order, channels keyed, refusals name the item', async () => {
        const { meta } = await fresh()
        await meta.createTenant({ id: 't', name: 'T' })
        await meta.createTenant({ id: 'other', name: 'O' })
        const tm = meta.tenant('t')
        await tm.createSite({ id: 's1', name: 'S1', latitude: 1, longitude: 2, timezone: 'UTC' })
        await tm.createAsset({ id: 'existing', type: 'pump' })
        await meta.tenant('other').createAsset({ id: 'theirs', type: 'pump' })

        // Children listed before their parents, a parent outside the batch, a repeated channel name.
        const made = await tm.createAssets([
          { id: 'cell-2', parentId: 'string-9', type: 'battery_cell', channels: [{ name: 'v', unit: 'V', min: 1.8, max: 2.5 }] },
          { id: 'string-9', siteId: 's1', parentId: 'existing', type: 'battery_string', metadata: { rated: 48 }, channels: [{ name: 'v' }, { name: 'i' }, { name: 'v' }] },
          { id: 'cell-1', parentId: 'string-9', type: 'battery_cell', name: 'Cell 1' },
        ])
        expect(made.map((a) => [a.id, a.parentId, a.channels.map((c) => c.name)])).toEqual([
          ['cell-2', 'string-9', ['v']],
          ['string-9', 'existing', ['v', 'i', 'v']],
          ['cell-1', 'string-9', []],
        ])
        expect(made[0]!.channels[0]).toMatchObject({ assetId: 'cell-2', unit: 'V', min: 1.8, max: 2.5 })
        expect(await tm.getAsset('string-9')).toMatchObject({ siteId: 's1', parentId: 'existing', metadata: { rated: 48 } })
        expect((await tm.listChannels('string-9')).map((c) => c.name).sort()).toEqual(['i', 'v'])
        const keys = [...made.flatMap((a) => a.channels.map((c) => c.key))]
        expect(new Set(keys).size).toBe(3)

        const refusals: { batch: Parameters<typeof tm.createAssets>[0]; error: typeof MetaConflictError | typeof MetaReferenceError; field?: string }[] = [
          { batch: [{ id: 'n1', type: 'pump' }, { id: 'existing', type: 'pump' }], error: MetaConflictError },
          { batch: [{ id: 'n1', type: 'pump' }, { id: 'n1', type: 'pump' }], error: MetaConflictError },
          { batch: [{ id: 'n1', type: 'pump' }, { id: 'n2', siteId: 'nowhere', type: 'pump' }], error: MetaReferenceError, field: 'assets.1.siteId' },
          { batch: [{ id: 'n1', parentId: 'theirs', type: 'pump' }], error: MetaReferenceError, field: 'assets.0.parentId' },
          { batch: [{ id: 'n1', parentId: 'n2', type: 'pump' }, { id: 'n2', parentId: 'n1', type: 'pump' }], error: MetaReferenceError, field: 'assets.0.parentId' },
          { batch: [{ id: 'n1', parentId: 'n1', type: 'pump' }], error: MetaReferenceError, field: 'assets.0.parentId' },
        ]
        for (const { batch, error, field } of refusals) {
          const err = await tm.createAssets(batch).catch((e: unknown) => e)
          expect(err, JSON.stringify(batch)).toBeInstanceOf(error)
          if (field) expect((err as MetaReferenceError).field).toBe(field)
          expect(await tm.getAsset('n1')).toBeNull()
          expect(await tm.getAsset('n2')).toBeNull()
        }

        // A fleet in one call, more rows than one statement carries.
        const fleet = Array.from({ length: 1500 }, (_, i) => ({ id: `m-${i}`, type: 'energy_meter', channels: [{ name: 'kw' }, { name: 'kvar' }] }))
        const created = await tm.createAssets(fleet)
        expect(created).toHaveLength(1500)
        expect((await tm.listAllChannels()).filter((c) => c.assetId.startsWith('m-'))).toHaveLength(3000)
        expect(await meta.tenant('other').getAsset('m-0')).toBeNull()
      })

      it('assets: references checked, duplicates refused, metadata round-trips, filters and deletes', async () => {
        const { meta } = await fresh()
        await meta.createTenant({ id: 't', name: 'T' })
        const tm = meta.tenant('t')
        await tm.createSite({ id: 's1', name: 'S1', latitude: 1, longitude: 2, timezone: 'UTC' })
        await tm.createSite({ id: 's2', name: 'S2', latitude: 3, longitude: 4, timezone: 'UTC' })
        const metadata = {
          serial: 'ESN-0042',
          ratedKw: 1250.5,
          commissioned: true,
          note: null,
          tags: ['hot', 'köln', '涡轮', "it's \"quoted\"; DROP TABLE assets; --"],
          nested: { depth: { level: 3, list: [1, 2.5, -3e-7] } },
        }
        const string = await tm.createAsset({ id: 'string-1', siteId: 's1', type: 'battery_string', name: 'String 1', metadata })
        expect(string).toMatchObject({ id: 'string-1', tenantId: 't', siteId: 's1', parentId: null, type: 'battery_string', name: 'String 1' })
        expect(string.metadata).toEqual(metadata)
        expect((await tm.getAsset('string-1'))?.metadata).toEqual(metadata)
        const cell = await tm.createAsset({ id: 'cell-1', siteId: 's1', parentId: 'string-1', type: 'battery_cell' })
        expect(cell).toMatchObject({ parentId: 'string-1', name: 'cell-1', metadata: {} })
        await tm.createAsset({ id: 'meter', siteId: 's2', type: 'energy_meter' })

        const refused: { input: AssetInput; field: string }[] = [
          { input: { id: 'x1', siteId: 'missing', type: 'pump' }, field: 'siteId' },
          { input: { id: 'x2', parentId: 'missing', type: 'pump' }, field: 'parentId' },
        ]
        for (const { input, field } of refused) {
          const err = await tm.createAsset(input).catch((e: unknown) => e)
          expect(err).toBeInstanceOf(MetaReferenceError)
          expect((err as MetaReferenceError).field).toBe(field)
          expect(await tm.getAsset(input.id!)).toBeNull()
        }
        await expect(tm.updateAsset('meter', { siteId: 'missing' })).rejects.toMatchObject({ name: 'MetaReferenceError', field: 'siteId' })
        await expect(tm.updateAsset('meter', { parentId: 'meter' })).rejects.toMatchObject({ name: 'MetaReferenceError', field: 'parentId' })
        await expect(tm.createAsset({ id: 'meter', type: 'pump' })).rejects.toBeInstanceOf(MetaConflictError)

        const filters: { filter: AssetFilter; ids: string[] }[] = [
          { filter: {}, ids: ['cell-1', 'meter', 'string-1'] },
          { filter: { siteId: 's1' }, ids: ['cell-1', 'string-1'] },
          { filter: { type: 'energy_meter' }, ids: ['meter'] },
          { filter: { parentId: 'string-1' }, ids: ['cell-1'] },
          { filter: { siteId: 's1', type: 'battery_cell' }, ids: ['cell-1'] },
          { filter: { limit: 2 }, ids: ['cell-1', 'meter'] },
          { filter: { limit: 2, offset: 2 }, ids: ['string-1'] },
        ]
        for (const { filter, ids } of filters) expect((await tm.listAssets(filter)).map((a) => a.id), JSON.stringify(filter)).toEqual(ids)

        const moved = await tm.updateAsset('meter', { siteId: 's1', metadata: { moved: true } })
        expect(moved).toMatchObject({ id: 'meter', siteId: 's1', type: 'energy_meter', metadata: { moved: true } })
        expect(await tm.updateAsset('ghost', { name: 'x' })).toBeNull()

        await expect(tm.deleteSite('s1')).rejects.toBeInstanceOf(MetaConflictError)
        expect(await tm.getSite('s1')).not.toBeNull()
        await expect(tm.deleteAsset('string-1')).rejects.toBeInstanceOf(MetaConflictError)

        await tm.ensureChannels('cell-1', [{ name: 'voltage', unit: 'V' }])
        expect(await tm.deleteAsset('cell-1')).toBe(true)
        expect(await tm.deleteAsset('cell-1')).toBe(false)
        expect(await tm.listChannels('cell-1')).toEqual([])
        expect(await tm.deleteAsset('string-1')).toBe(true)
        expect(await tm.deleteAsset('meter')).toBe(true)
        expect(await tm.deleteSite('s1')).toBe(true)
      })

      it('tenant isolation: one tenant never sees, changes or deletes another tenant’s objects', async () => {
        const { meta } = await fresh()
        await meta.createTenant({ id: 'a', name: 'A' })
        await meta.createTenant({ id: 'b', name: 'B' })
        const ta = meta.tenant('a')
        const tb = meta.tenant('b')
        expect(ta.tenantId).toBe('a')
        for (const tm of [ta, tb]) {
          await tm.createSite({ id: 'site', name: `site of ${tm.tenantId}`, latitude: 0, longitude: 0, timezone: 'UTC' })
          await tm.createAsset({ id: 'pump-1', siteId: 'site', type: 'pump', name: `pump of ${tm.tenantId}` })
        }
        await tb.createSite({ id: 'b-only', name: 'B only', latitude: 0, longitude: 0, timezone: 'UTC' })
        await tb.createAsset({ id: 'b-asset', type: 'pump' })
        const [aCh] = await ta.ensureChannels('pump-1', [{ name: 'flow' }])
        const [bCh, bOther] = await tb.ensureChannels('pump-1', [{ name: 'flow' }, { name: 'pressure' }])

        // the same ids are distinct objects
        expect((await ta.getAsset('pump-1'))?.name).toBe('pump of a')
        expect((await tb.getAsset('pump-1'))?.name).toBe('pump of b')
        expect(aCh!.key).not.toBe(bCh!.key)

        // listing is scoped
        expect((await ta.listSites()).map((s) => s.id)).toEqual(['site'])
        expect((await ta.listAssets()).map((x) => x.id)).toEqual(['pump-1'])
        expect((await ta.listChannels('pump-1')).map((c) => c.key)).toEqual([aCh!.key])
        expect((await ta.listAllChannels()).map((c) => c.key)).toEqual([aCh!.key])
        expect(await ta.listChannels('b-asset')).toEqual([])

        // reads, updates and deletes of B's objects through A find nothing and change nothing
        const attempts: [string, () => Promise<unknown>, unknown][] = [
          ['getSite', () => ta.getSite('b-only'), null],
          ['updateSite', () => ta.updateSite('b-only', { name: 'hijacked' }), null],
          ['deleteSite', () => ta.deleteSite('b-only'), false],
          ['getAsset', () => ta.getAsset('b-asset'), null],
          ['updateAsset', () => ta.updateAsset('b-asset', { name: 'hijacked' }), null],
          ['deleteAsset', () => ta.deleteAsset('b-asset'), false],
          ['updateChannel', () => ta.updateChannel('pump-1', 'pressure', { unit: 'hijacked' }), null],
          ['deleteChannel', () => ta.deleteChannel('pump-1', 'pressure'), false],
        ]
        for (const [what, attempt, result] of attempts) expect(await attempt(), what).toEqual(result)
        await expect(ta.ensureChannels('b-asset', [{ name: 'x' }])).rejects.toMatchObject({ name: 'MetaReferenceError', field: 'assetId' })
        await expect(ta.createAsset({ id: 'ref', siteId: 'b-only', type: 'pump' })).rejects.toMatchObject({ name: 'MetaReferenceError', field: 'siteId' })
        await expect(ta.createAsset({ id: 'ref', parentId: 'b-asset', type: 'pump' })).rejects.toMatchObject({ name: 'MetaReferenceError', field: 'parentId' })

        // A's own delete of the shared id leaves B's untouched
        expect(await ta.deleteChannel('pump-1', 'flow')).toBe(true)
        expect(await ta.deleteAsset('pump-1')).toBe(true)
        expect(await tb.getSite('b-only')).toMatchObject({ name: 'B only' })
        expect(await tb.getAsset('b-asset')).toMatchObject({ name: 'b-asset' })
        expect(await tb.getAsset('pump-1')).toMatchObject({ name: 'pump of b' })
        expect((await tb.listChannels('pump-1')).map((c) => [c.key, c.name, c.unit])).toEqual([
          [bCh!.key, 'flow', null],
          [bOther!.key, 'pressure', null],
        ])
      })

      it('channels: ensureChannels creates the missing ones and keeps existing keys, in spec order', async () => {
        const { meta } = await fresh()
        await meta.createTenant({ id: 't', name: 'T' })
        await meta.createTenant({ id: 'u', name: 'U' })
        const tm = meta.tenant('t')
        await tm.createAsset({ id: 'motor', type: 'rotating_machine' })
        await meta.tenant('u').createAsset({ id: 'motor', type: 'rotating_machine' })

        const first = await tm.ensureChannels('motor', [
          { name: 'speed', unit: 'rpm', min: 0, max: 3600 },
          { name: 'temp', unit: '°C' },
        ])
        expect(first.map((c) => [c.name, c.unit, c.min, c.max, c.assetId, c.tenantId])).toEqual([
          ['speed', 'rpm', 0, 3600, 'motor', 't'],
          ['temp', '°C', null, null, 'motor', 't'],
        ])
        expect(new Set(first.map((c) => c.key)).size).toBe(2)
        for (const c of first) expect(Number.isSafeInteger(c.key)).toBe(true)

        const specs: ChannelSpec[] = [{ name: 'vibration', unit: 'mm/s' }, { name: 'temp', unit: 'K' }, { name: 'speed' }]
        const second = await tm.ensureChannels('motor', specs)
        expect(second.map((c) => c.name)).toEqual(['vibration', 'temp', 'speed'])
        // existing channels are returned as stored, not changed by a differing spec
        expect(second[1]).toEqual(first[1])
        expect(second[2]).toEqual(first[0])
        expect(first.map((c) => c.key)).not.toContain(second[0]!.key)
        expect(await tm.ensureChannels('motor', specs)).toEqual(second)
        expect((await tm.listChannels('motor')).map((c) => c.name).sort()).toEqual(['speed', 'temp', 'vibration'])

        const other = await meta.tenant('u').ensureChannels('motor', specs)
        const allKeys = [...second, ...other].map((c) => c.key)
        expect(new Set(allKeys).size).toBe(allKeys.length)

        const updated = await tm.updateChannel('motor', 'temp', { unit: 'K', max: 400 })
        expect(updated).toEqual({ ...first[1], unit: 'K', max: 400 })
        expect(await tm.updateChannel('motor', 'nope', { unit: 'x' })).toBeNull()
        expect(await tm.deleteChannel('motor', 'vibration')).toBe(true)
        expect(await tm.deleteChannel('motor', 'vibration')).toBe(false)
        await expect(tm.ensureChannels('ghost', [{ name: 'x' }])).rejects.toMatchObject({ name: 'MetaReferenceError', field: 'assetId' })
      })

      it('channels: concurrent ensureChannels of the same names agree on the keys', async () => {
        const { meta } = await fresh()
        await meta.createTenant({ id: 't', name: 'T' })
        const tm = meta.tenant('t')
        await tm.createAsset({ id: 'pack', type: 'li_ion_pack' })
        const specs: ChannelSpec[] = Array.from({ length: 12 }, (_, i) => ({ name: `cell${i}`, unit: 'V' }))
        // half of the callers list the channels in reverse, as two devices of one asset might
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) => tm.ensureChannels('pack', i % 2 === 0 ? specs : [...specs].reverse())),
        )
        const keysByName = (cs: { name: string; key: number }[]): Record<string, number> => Object.fromEntries(cs.map((c) => [c.name, c.key]))
        results.forEach((r, i) => expect(r.map((c) => c.name)).toEqual((i % 2 === 0 ? specs : [...specs].reverse()).map((s) => s.name)))
        for (const r of results) expect(keysByName(r)).toEqual(keysByName(results[0]!))
        const stored = await tm.listChannels('pack')
        expect(stored).toHaveLength(specs.length)
        expect(keysByName(stored)).toEqual(keysByName(results[0]!))
      })

      it('users: create, find, update, count, delete; usernames are unique', async () => {
        const { meta } = await fresh()
        const base = { tenantId: 't', passwordHash: 'scrypt$abc', platformAdmin: false } as const
        const admin = await meta.createUser({ ...base, id: 'u1', username: 'alice', role: 'admin', platformAdmin: true })
        await meta.createUser({ ...base, id: 'u2', username: 'bob', role: 'viewer' })
        await meta.createUser({ ...base, id: 'u3', tenantId: 'other', username: 'carol', role: 'operator' })
        expect(admin).toMatchObject({ id: 'u1', tenantId: 't', username: 'alice', role: 'admin', platformAdmin: true, passwordHash: 'scrypt$abc' })
        expect(admin.createdAt).toBeGreaterThan(0)
        expect(await meta.getUserByName('alice')).toEqual(admin)
        expect(await meta.getUser('u2')).toMatchObject({ username: 'bob', platformAdmin: false })
        expect(await meta.getUser('nope')).toBeNull()
        expect(await meta.getUserByName('nope')).toBeNull()
        expect((await meta.listUsers('t')).map((u) => u.username)).toEqual(['alice', 'bob'])
        expect((await meta.listUsers()).map((u) => u.username)).toEqual(['alice', 'bob', 'carol'])
        expect(await meta.countUsers()).toBe(3)
        await expect(meta.createUser({ ...base, id: 'u4', username: 'alice', role: 'viewer' })).rejects.toBeInstanceOf(MetaConflictError)

        expect(await meta.updateUser('u2', { role: 'operator' })).toMatchObject({ role: 'operator', passwordHash: 'scrypt$abc' })
        expect(await meta.updateUser('u2', { passwordHash: 'new' })).toMatchObject({ role: 'operator', passwordHash: 'new' })
        expect(await meta.updateUser('nope', { role: 'viewer' })).toBeNull()
        expect(await meta.deleteUser('u2')).toBe(true)
        expect(await meta.deleteUser('u2')).toBe(false)
        expect(await meta.countUsers()).toBe(2)
      })

      it('API keys: create, list per tenant, revoke only within the owning tenant', async () => {
        const { meta } = await fresh()
        const k1 = await meta.createApiKey({ id: 'k1', tenantId: 't', name: 'gateway', role: 'ingest', secretHash: 'h1' })
        await meta.createApiKey({ id: 'k2', tenantId: 'other', name: 'theirs', role: 'viewer', secretHash: 'h2' })
        expect(k1).toMatchObject({ id: 'k1', tenantId: 't', name: 'gateway', role: 'ingest', secretHash: 'h1', revokedAt: null })
        expect(await meta.getApiKey('k1')).toEqual(k1)
        expect(await meta.getApiKey('nope')).toBeNull()
        expect((await meta.listApiKeys('t')).map((k) => k.id)).toEqual(['k1'])
        expect((await meta.listApiKeys()).map((k) => k.id).sort()).toEqual(['k1', 'k2'])
        await expect(meta.createApiKey({ id: 'k1', tenantId: 't', name: 'dup', role: 'ingest', secretHash: 'h' })).rejects.toBeInstanceOf(MetaConflictError)

        expect(await meta.revokeApiKey('k1', 'other')).toBe(false)
        expect((await meta.getApiKey('k1'))?.revokedAt).toBeNull()
        expect(await meta.revokeApiKey('k1', 't')).toBe(true)
        expect((await meta.getApiKey('k1'))?.revokedAt).toBeGreaterThan(0)
        expect(await meta.revokeApiKey('k1', 't')).toBe(false)
        expect(await meta.revokeApiKey('k2')).toBe(true)
        expect(await meta.revokeApiKey('nope')).toBe(false)
      })

      it('refresh tokens: save, get, revoke', async () => {
        const { meta } = await fresh()
        const expiresAt = Date.now() + DAY_MS
        await meta.saveRefreshToken({ tokenHash: 'th1', userId: 'u1', expiresAt })
        expect(await meta.getRefreshToken('th1')).toEqual({ tokenHash: 'th1', userId: 'u1', expiresAt, revokedAt: null })
        expect(await meta.getRefreshToken('nope')).toBeNull()
        await meta.revokeRefreshToken('th1')
        const revoked = await meta.getRefreshToken('th1')
        expect(revoked?.revokedAt).toBeGreaterThan(0)
        await meta.revokeRefreshToken('th1')
        expect(await meta.getRefreshToken('th1')).toEqual(revoked)
      })

      it('settings: setSettingIfAbsent keeps the first value, even under concurrency', async () => {
        const { meta } = await fresh()
        expect(await meta.getSetting('jwt.secret')).toBeNull()
        expect(await meta.setSettingIfAbsent('jwt.secret', 'first')).toBe('first')
        expect(await meta.setSettingIfAbsent('jwt.secret', 'second')).toBe('first')
        expect(await meta.getSetting('jwt.secret')).toBe('first')
        const raced = await Promise.all(Array.from({ length: 8 }, (_, i) => meta.setSettingIfAbsent('instance.id', `v${i}`)))
        expect(new Set(raced).size).toBe(1)
        expect(await meta.getSetting('instance.id')).toBe(raced[0])
      })
    })

    describe('series', () => {
      it('range: ascending, half-open [from, to), one series only, values exact', async () => {
        const { series } = await fresh()
        const values = [0.1 + 0.2, -123.456, 1e-300, 1.7976931348623157e308, 0, -0.5, 42, 2 ** 53]
        const rows: Row[] = values.map((v, i) => [7, T0 + i * 1000, v])
        // appended out of order, and interleaved with another series
        const shuffled = [...rows].reverse().flatMap((r): Row[] => [r, [8, r[1], -1]])
        await series.append(batchOf(shuffled))

        const all = await series.range(7, T0, T0 + values.length * 1000)
        expect(all.ts).toEqual(rows.map((r) => r[1]))
        expect(all.value).toEqual(values)

        const cases: { from: number; to: number; idx: number[] }[] = [
          { from: T0 + 1000, to: T0 + 3000, idx: [1, 2] }, // from inclusive, to exclusive
          { from: T0 + 1001, to: T0 + 3001, idx: [2, 3] },
          { from: T0 + 2000, to: T0 + 2000, idx: [] },
          { from: T0 - 10_000, to: T0, idx: [] },
          { from: T0 + 7000, to: T0 + DAY_MS, idx: [7] },
        ]
        for (const { from, to, idx } of cases) {
          const got = await series.range(7, from, to)
          expect(got, `[${from - T0}, ${to - T0})`).toEqual({ ts: idx.map((i) => rows[i]![1]), value: idx.map((i) => rows[i]![2]) })
        }
        expect(await series.range(9, T0, T0 + DAY_MS)).toEqual({ ts: [], value: [] })
      })

      it('count: per series over [from, to); series without readings are absent', async () => {
        const { series } = await fresh()
        const rows: Row[] = []
        for (let i = 0; i < 50; i++) rows.push([1, T0 + i * 60_000, i])
        for (let i = 0; i < 20; i++) rows.push([2, T0 + i * 60_000, i])
        await series.append(batchOf(rows))
        await series.append(batchOf([]))
        const cases: { keys: number[]; from: number; to: number; want: [number, number][] }[] = [
          { keys: [1, 2, 3], from: T0, to: T0 + HOUR_MS, want: [[1, 50], [2, 20]] },
          { keys: [1, 2], from: T0 + 10 * 60_000, to: T0 + 30 * 60_000, want: [[1, 20], [2, 10]] },
          { keys: [2], from: T0 + 20 * 60_000, to: T0 + HOUR_MS, want: [] },
          { keys: [], from: T0, to: T0 + HOUR_MS, want: [] },
        ]
        for (const { keys, from, to, want } of cases) {
          const got = await series.count(keys, from, to)
          expect([...got.entries()].sort((a, b) => a[0] - b[0]), JSON.stringify(keys)).toEqual(want)
        }
      })

      it('buckets: min/avg/max/count per aligned bucket, across series and bucket boundaries', async () => {
        const { series } = await fresh()
        const random = rng(42)
        const bucketMs = 15 * 60_000
        const rows: Row[] = []
        for (const s of [11, 12, 13]) {
          for (let i = 0; i < 400; i++) rows.push([s, T0 + Math.floor(random() * 3 * HOUR_MS), Math.round((random() * 200 - 100) * 1000) / 1000])
          // readings exactly on a bucket start belong to that bucket; one ms earlier, to the one before
          rows.push([s, T0 + 4 * bucketMs, 1000 + s])
          rows.push([s, T0 + 4 * bucketMs - 1, -1000 - s])
        }
        await series.append(batchOf(rows.slice(0, 600)))
        await series.append(batchOf(rows.slice(600)))

        const cases = [
          { keys: [11, 12, 13], from: T0, to: T0 + 3 * HOUR_MS, bucketMs },
          // bounds that are not aligned: partial first and last buckets
          { keys: [11, 13], from: T0 + 7 * 60_000 + 123, to: T0 + 2 * HOUR_MS + 1, bucketMs },
          { keys: [12], from: T0, to: T0 + 3 * HOUR_MS, bucketMs: HOUR_MS },
          { keys: [12, 99], from: T0, to: T0 + 3 * HOUR_MS, bucketMs: DAY_MS },
        ]
        for (const c of cases) {
          const got = await series.buckets(c.keys, c.from, c.to, c.bucketMs)
          const want = expectedBuckets(rows, c.keys, c.from, c.to, c.bucketMs)
          expect(want.length).toBeGreaterThan(0)
          expectBucketsMatch(got, want)
        }
        const boundary = await series.buckets([11], T0, T0 + 3 * HOUR_MS, bucketMs)
        expect(boundary.find((b) => b.ts === T0 + 4 * bucketMs)?.max).toBe(1011)
        expect(boundary.find((b) => b.ts === T0 + 3 * bucketMs)?.min).toBe(-1011)
        expect(await series.buckets([], T0, T0 + HOUR_MS, bucketMs)).toEqual([])
      })

      it('latest: the newest reading per series, whatever the append order; absent series omitted', async () => {
        const { series } = await fresh()
        await series.append(batchOf([[1, T0 + 5000, 5], [1, T0 + 1000, 1], [2, T0 + 2000, 20]]))
        // an older reading appended later must not win; a newer one on the next day must
        await series.append(batchOf([[1, T0 + 3000, 3], [2, T0 + DAY_MS, 21]]))
        await series.append(batchOf([[3, T0 - DAY_MS, -3]]))
        const got = await series.latest([1, 2, 3, 4])
        expect([...got.entries()].sort((a, b) => a[0] - b[0])).toEqual([
          [1, { ts: T0 + 5000, value: 5 }],
          [2, { ts: T0 + DAY_MS, value: 21 }],
          [3, { ts: T0 - DAY_MS, value: -3 }],
        ])
        expect((await series.latest([])).size).toBe(0)
        expect((await series.latest([4])).size).toBe(0)
      })

      it('concurrent appends are each stored exactly once', async () => {
        const { series } = await fresh()
        const appends = 20
        const perAppend = 500
        await Promise.all(
          Array.from({ length: appends }, (_, a) => {
            const rows: Row[] = []
            for (let i = 0; i < perAppend; i++) rows.push([a % 3, T0 + (i * appends + a) * 1000, a * 10_000 + i])
            return series.append(batchOf(rows))
          }),
        )
        const counts = await series.count([0, 1, 2], T0, T0 + DAY_MS * 2)
        expect([...counts.values()].reduce((x, y) => x + y, 0)).toBe(appends * perAppend)
        for (const s of [0, 1, 2]) {
          const { ts, value } = await series.range(s, T0, T0 + DAY_MS * 2)
          const expected: number[] = []
          for (let a = s; a < appends; a += 3) for (let i = 0; i < perAppend; i++) expected.push(a * 10_000 + i)
          expect(new Set(ts).size).toBe(ts.length)
          expect([...value].sort((x, y) => x - y)).toEqual(expected.sort((x, y) => x - y))
        }
      })

      it('a batch of 100k readings over several days', async () => {
        const { series } = await fresh()
        const n = 100_000
        const keys = [101, 102, 103, 104]
        const b = new ReadingBatchBuilder(n)
        const stepMs = 10_000 // 4 series × 25k readings × 10 s ≈ 2.9 days
        for (let i = 0; i < n; i++) b.push(keys[i % 4]!, T0 + Math.floor(i / 4) * stepMs, (i % 1000) / 8)
        await series.append(b.build())
        const lastTs = T0 + (n / 4 - 1) * stepMs
        const to = lastTs + 1
        const counts = await series.count(keys, T0, to)
        expect(keys.map((k) => counts.get(k))).toEqual([25_000, 25_000, 25_000, 25_000])
        const daily = await series.buckets([101], T0, to, DAY_MS)
        expect(daily.reduce((x, d) => x + d.count, 0)).toBe(25_000)
        expect(daily.length).toBe(4)
        expect((await series.latest(keys)).get(104)).toEqual({ ts: lastTs, value: (n - 1) % 1000 / 8 })
        const window = await series.range(102, T0 + DAY_MS, T0 + DAY_MS + HOUR_MS)
        expect(window.ts.length).toBe(HOUR_MS / stepMs)
        expect(window.ts[0]).toBe(T0 + DAY_MS)
      })

      describe('exactly once per (series, ts)', () => {
        it('a retried batch stores nothing again and reports every reading as a duplicate', async () => {
          const { series } = await fresh()
          const rows: Row[] = []
          for (let i = 0; i < 300; i++) rows.push([1 + (i % 3), T0 + Math.floor(i / 3) * 60_000, i])
          const first = await series.append(batchOf(rows))
          expect({ written: first.written, duplicates: first.duplicates }).toEqual({ written: 300, duplicates: 0 })
          expect(rowsOf(first.stored)).toEqual(rows)
          // The retry carries other values: the first write wins.
          const retry = await series.append(batchOf(rows.map(([s, t, v]): Row => [s, t, v + 0.5])))
          expect({ written: retry.written, duplicates: retry.duplicates, stored: retry.stored.length }).toEqual({ written: 0, duplicates: 300, stored: 0 })
          expect(await storedRows(series, [1, 2, 3])).toEqual([...rows].sort((a, b) => a[0] - b[0] || a[1] - b[1]))
        })

        it('duplicates inside one batch: the first occurrence is stored, the rest counted', async () => {
          const { series } = await fresh()
          const rows: Row[] = [
            [1, T0, 1],
            [1, T0, 2],
            [2, T0, 3],
            [1, T0 + 1, 4],
            [1, T0, 5],
            [2, T0 + DAY_MS, 6],
            [2, T0 + DAY_MS, 7],
            [1, T0 - 1, 8],
          ]
          const r = await series.append(batchOf(rows))
          const kept: Row[] = [[1, T0, 1], [2, T0, 3], [1, T0 + 1, 4], [2, T0 + DAY_MS, 6], [1, T0 - 1, 8]]
          expect({ written: r.written, duplicates: r.duplicates }).toEqual({ written: 5, duplicates: 3 })
          expect(rowsOf(r.stored)).toEqual(kept)
          expect(await storedRows(series, [1, 2])).toEqual([[1, T0 - 1, 8], [1, T0, 1], [1, T0 + 1, 4], [2, T0, 3], [2, T0 + DAY_MS, 6]])
        })

        it('concurrent appends of the same readings store each reading once', async () => {
          const { series } = await fresh()
          const shared: Row[] = []
          for (let i = 0; i < 400; i++) shared.push([1 + (i % 4), T0 + Math.floor(i / 4) * 1000, i])
          const appends = 10
          const results = await Promise.all(
            Array.from({ length: appends }, (_, a) => {
              // Each append also carries a reading of its own, and its copy of the shared ones in another order.
              const own: Row = [9, T0 + a, a]
              const rows = a % 2 === 0 ? [...shared, own] : [own, ...[...shared].reverse()]
              return series.append(batchOf(rows))
            }),
          )
          const written = results.reduce((n, r) => n + r.written, 0)
          const duplicates = results.reduce((n, r) => n + r.duplicates, 0)
          expect({ written, duplicates }).toEqual({ written: 400 + appends, duplicates: (appends - 1) * 400 })
          for (const r of results) expect(r.written + r.duplicates).toBe(401)
          const stored = await storedRows(series, [1, 2, 3, 4, 9])
          expect(stored.length).toBe(400 + appends)
          expect(new Set(stored.map(([s, t]) => `${s}/${t}`)).size).toBe(stored.length)
          // Whoever won, the values are the one value every copy carried.
          expect(stored.filter(([s]) => s !== 9)).toEqual([...shared].sort((a, b) => a[0] - b[0] || a[1] - b[1]))
        })

        it('late readings below the newest stored one: new ones are stored, stored ones dropped', async () => {
          const { series } = await fresh()
          await series.append(batchOf([[1, T0 + 10_000, 10], [1, T0 + 20_000, 20], [2, T0 + 20_000, 200]]))
          const late: Row[] = [
            [1, T0 + 15_000, 15], // new, below the newest of series 1
            [1, T0 + 10_000, -1], // stored
            [1, T0 - 2 * DAY_MS, -2], // new, days older (another partition)
            [2, T0 + 10_000, 100], // new, below the newest of series 2
            [2, T0 + 20_000, -3], // stored
            [1, T0 + 30_000, 30], // new, above
            [1, T0 + 15_000, -4], // earlier in this batch
          ]
          const r = await series.append(batchOf(late))
          expect({ written: r.written, duplicates: r.duplicates }).toEqual({ written: 4, duplicates: 3 })
          expect(rowsOf(r.stored)).toEqual([late[0], late[2], late[3], late[5]])
          expect(await storedRows(series, [1, 2])).toEqual([
            [1, T0 - 2 * DAY_MS, -2],
            [1, T0 + 10_000, 10],
            [1, T0 + 15_000, 15],
            [1, T0 + 20_000, 20],
            [1, T0 + 30_000, 30],
            [2, T0 + 10_000, 100],
            [2, T0 + 20_000, 200],
          ])
          expect((await series.latest([1])).get(1)).toEqual({ ts: T0 + 30_000, value: 30 })
        })

        it('after close and reopen, a retry of what was stored before is dropped', async () => {
          const first = await fresh()
          const rows: Row[] = Array.from({ length: 200 }, (_, i): Row => [1 + (i % 2), T0 + i * 1000, i])
          await first.series.append(batchOf(rows))
          await first.close()
          const second = await fresh(first)
          const more: Row[] = [[1, T0 + 500_000, -5], [3, T0, -6]]
          const r = await second.series.append(batchOf([...rows, ...more]))
          expect({ written: r.written, duplicates: r.duplicates }).toEqual({ written: 2, duplicates: 200 })
          expect(rowsOf(r.stored)).toEqual(more)
          expect((await second.series.count([1, 2, 3], -(2 ** 52), 2 ** 52)).get(1)).toBe(101)
          expect(await storedRows(second.series, [1, 2, 3])).toEqual([...rows, ...more].sort((a, b) => a[0] - b[0] || a[1] - b[1]))
        })
      })

      it('data survives close and reopen of the same store', async () => {
        const first = await fresh()
        await first.meta.createTenant({ id: 't', name: 'Durable' })
        await first.meta.tenant('t').createAsset({ id: 'a', type: 'pump' })
        const [ch] = await first.meta.tenant('t').ensureChannels('a', [{ name: 'flow', unit: 'l/s' }])
        const rows: Row[] = Array.from({ length: 1000 }, (_, i): Row => [ch!.key, T0 + i * 100, i / 10])
        await Promise.all([first.series.append(batchOf(rows.slice(0, 500))), first.series.append(batchOf(rows.slice(500)))])
        await first.close()

        const second = await fresh(first)
        expect((await second.meta.migrationStatus()).pending).toEqual([])
        expect(await second.meta.getTenant('t')).toMatchObject({ name: 'Durable' })
        expect(await second.meta.tenant('t').listChannels('a')).toEqual([ch])
        const got = await second.series.range(ch!.key, T0, T0 + DAY_MS)
        expect(got.ts).toEqual(rows.map((r) => r[1]))
        expect(got.value).toEqual(rows.map((r) => r[2]))
        // the store keeps working after reopening: a new channel gets a new key, appends land
        const [next] = await second.meta.tenant('t').ensureChannels('a', [{ name: 'pressure' }])
        expect(next!.key).not.toBe(ch!.key)
        await second.series.append(batchOf([[ch!.key, T0 + DAY_MS, 9]]))
        expect((await second.series.latest([ch!.key])).get(ch!.key)).toEqual({ ts: T0 + DAY_MS, value: 9 })
      })
    })

    describe('rollups and retention', () => {
      const MINUTE_MS = 60_000
      /** Random readings of `keys` over [from, from + spanMs), values rounded so sums stay exact enough. */
      const randomRows = (seed: number, keys: readonly number[], from: number, spanMs: number, n: number): Row[] => {
        const random = rng(seed)
        return Array.from({ length: n }, (): Row => [keys[Math.floor(random() * keys.length)]!, from + Math.floor(random() * spanMs), Math.round((random() * 200 - 100) * 1000) / 1000])
      }
      /** Runs passes until the watermark reaches upTo and no dirty minute is left. */
      const catchUp = async (stores: Stores, upTo: number, maxSpanMs = 6 * HOUR_MS): Promise<number> => {
        await stores.rollups.announce(upTo)
        let passes = 0
        for (;;) {
          passes++
          const pass = await stores.rollups.rollUp(upTo, maxSpanMs)
          if (pass.caughtUp) return passes
          if (passes > 1000) throw new Error('rollups never caught up')
        }
      }
      const keys = [21, 22, 23]
      // Over three days; the watermark ends 5 h 17 min 30 s before the last reading.
      const START = T0 - 2 * DAY_MS + 7 * MINUTE_MS + 4321
      const SPAN = 3 * DAY_MS
      const WATERMARK = START + SPAN - 5 * HOUR_MS - 17.5 * MINUTE_MS
      const cases = (rows: readonly Row[]): { keys: number[]; from: number; to: number; bucketMs: number }[] => [
        // minute multiples, unaligned bounds, straddling the watermark
        { keys, from: START - 1, to: START + SPAN + 1, bucketMs: 5 * MINUTE_MS },
        { keys: [22], from: START + 13 * MINUTE_MS + 7, to: WATERMARK + 3 * HOUR_MS + 11, bucketMs: 44 * MINUTE_MS },
        // hour and day multiples
        { keys: [21, 23, 99], from: START, to: START + SPAN, bucketMs: 2 * HOUR_MS },
        { keys, from: T0 - 3 * DAY_MS, to: T0 + 2 * DAY_MS, bucketMs: DAY_MS },
        // a range entirely below the watermark, and one entirely past it
        { keys, from: START + HOUR_MS + 1, to: START + DAY_MS + 5, bucketMs: 15 * MINUTE_MS },
        { keys, from: WATERMARK + MINUTE_MS, to: START + SPAN, bucketMs: 10 * MINUTE_MS },
        // a width no rollup divides: raw aggregation
        { keys, from: START, to: START + SPAN, bucketMs: 7 * MINUTE_MS + 1 },
      ].filter((c) => expectedBuckets(rows, c.keys, c.from, c.to, c.bucketMs).length > 0)

      it('buckets from rollups equal the raw aggregation, before and after late data is folded in', async () => {
        const stores = await fresh()
        const rows = randomRows(7, keys, START, SPAN, 6000)
        await stores.series.append(batchOf(rows))
        expect((await stores.rollups.status()).watermark).toBeNull()
        const passes = await catchUp(stores, WATERMARK)
        expect(passes).toBeGreaterThan(5) // bounded: 3 days in slices of 6 h
        const status = await stores.rollups.status()
        expect(status.watermark).toBe(WATERMARK - (WATERMARK % MINUTE_MS))
        expect(status.dirtyMinutes).toBe(0)
        const all = cases(rows)
        expect(all.length).toBe(7)
        for (const c of all) expectBucketsMatch(await stores.series.buckets(c.keys, c.from, c.to, c.bucketMs), expectedBuckets(rows, c.keys, c.from, c.to, c.bucketMs))

        // A few late readings, below the watermark, that change min and max: read raw for their level buckets.
        const few: Row[] = [[21, START + 30 * HOUR_MS + 1, 1e6], [22, START + 40 * HOUR_MS, -1e6], [24, START + 41 * HOUR_MS, 3]]
        await stores.series.append(batchOf(few))
        expect((await stores.rollups.status()).dirtyMinutes).toBe(3)
        for (const c of cases([...rows, ...few])) expectBucketsMatch(await stores.series.buckets(c.keys, c.from, c.to, c.bucketMs), expectedBuckets([...rows, ...few], c.keys, c.from, c.to, c.bucketMs))
        // A backfill: one late minute of 300 series is recorded as that minute for every series.
        const burstAt = START + 20 * HOUR_MS + 30_000
        const burst: Row[] = Array.from({ length: 300 }, (_, i): Row => [i < 3 ? keys[i]! : 1000 + i, burstAt + i, i % 2 === 0 ? 5e5 : -5e5])
        await stores.series.append(batchOf(burst))
        expect((await stores.rollups.status()).dirtyMinutes).toBe(4)
        const sofar = [...rows, ...few, ...burst]
        for (const c of cases(sofar)) expectBucketsMatch(await stores.series.buckets(c.keys, c.from, c.to, c.bucketMs), expectedBuckets(sofar, c.keys, c.from, c.to, c.bucketMs))
        // Many more, including a new series.
        const late: Row[] = [...few, ...burst, ...randomRows(8, [...keys, 24], START, WATERMARK - START, 300)]
        await stores.series.append(batchOf(late.slice(few.length + burst.length)))
        const dirty = (await stores.rollups.status()).dirtyMinutes
        expect(dirty).toBeGreaterThan(250)
        const withLate = [...rows, ...late]
        // Before the job runs: the dirty level buckets are read raw.
        for (const c of cases(withLate)) {
          const want = expectedBuckets(withLate, c.keys, c.from, c.to, c.bucketMs)
          const got = await stores.series.buckets(c.keys, c.from, c.to, c.bucketMs)
          // Beyond a few dozen dirty buckets a read falls back to raw: the answer is the same either way.
          expectBucketsMatch(got, want)
        }
        await catchUp(stores, WATERMARK)
        expect((await stores.rollups.status()).dirtyMinutes).toBe(0)
        for (const c of cases(withLate)) expectBucketsMatch(await stores.series.buckets(c.keys, c.from, c.to, c.bucketMs), expectedBuckets(withLate, c.keys, c.from, c.to, c.bucketMs))
        const hourly = await stores.series.buckets([21], START, START + SPAN, HOUR_MS)
        expect(Math.max(...hourly.map((b) => b.max))).toBe(1e6)
      })

      it('after raw readings expire, buckets still come from the rollups', async () => {
        const stores = await fresh()
        const rows = randomRows(9, keys, START, SPAN, 3000)
        await stores.series.append(batchOf(rows))
        await catchUp(stores, WATERMARK, DAY_MS)
        const w = (await stores.rollups.status()).watermark!
        // Asking for more than is rolled up deletes only what is: raw is cut at the watermark.
        const applied = await stores.rollups.expire({ raw: w + DAY_MS, minute: null, hour: null, day: null })
        expect(applied).toEqual({ raw: w, minute: null, hour: null, day: null })
        expect((await stores.series.count(keys, START, w)).size).toBe(0)
        const kept = rows.filter((r) => r[1] >= w)
        expect([...(await stores.series.count(keys, w, START + SPAN)).values()].reduce((x, y) => x + y, 0)).toBe(kept.length)
        // Whole minutes below the watermark come from the minute rollup, the rest from raw.
        const from = START - (START % MINUTE_MS) + MINUTE_MS
        const expected = expectedBuckets(rows.filter((r) => r[1] >= from), keys, from, START + SPAN, 10 * MINUTE_MS)
        expectBucketsMatch(await stores.series.buckets(keys, from, START + SPAN, 10 * MINUTE_MS), expected)
        // A late reading below the expired raw range leaves the minute rollup alone.
        const before = await stores.series.buckets([21], from, w, 10 * MINUTE_MS)
        await stores.series.append(batchOf([[21, from + 2 * HOUR_MS, 5e5]]))
        await stores.rollups.expire({ raw: w, minute: null, hour: null, day: null })
        await catchUp(stores, WATERMARK, DAY_MS)
        expectBucketsMatch(await stores.series.buckets([21], from, w, 10 * MINUTE_MS), before)
      })

      it('retention deletes each level below its own cutoff, never past what the next level took in', async () => {
        const stores = await fresh()
        const rows = randomRows(10, keys, START, SPAN, 2000)
        await stores.series.append(batchOf(rows))
        await catchUp(stores, WATERMARK, DAY_MS)
        const w = (await stores.rollups.status()).watermark!
        const cut = START + DAY_MS + 90 * MINUTE_MS
        const hourCut = cut - (cut % HOUR_MS)
        const applied = await stores.rollups.expire({ raw: cut, minute: cut, hour: cut + DAY_MS, day: START + HOUR_MS })
        expect(applied).toEqual({ raw: cut, minute: cut, hour: Math.min(cut + DAY_MS, w - (w % DAY_MS)), day: START + HOUR_MS })
        expect((await stores.rollups.status()).expiredBefore).toEqual(applied)
        // Raw: nothing below the cutoff, everything at or above it.
        expect((await stores.series.count(keys, 0, cut)).size).toBe(0)
        expect([...(await stores.series.count(keys, cut, START + SPAN)).values()].reduce((x, y) => x + y, 0)).toBe(rows.filter((r) => r[1] >= cut).length)
        // Minute buckets right after the cutoff still hold their readings.
        const m = await stores.series.buckets(keys, hourCut + HOUR_MS, w - (w % HOUR_MS), 5 * MINUTE_MS)
        expectBucketsMatch(m, expectedBuckets(rows, keys, hourCut + HOUR_MS, w - (w % HOUR_MS), 5 * MINUTE_MS))
        // Day buckets from the day level are kept above its own cutoff.
        const dayStart = Math.ceil((START + HOUR_MS) / DAY_MS) * DAY_MS
        const dayEnd = w - (w % DAY_MS)
        if (dayEnd > dayStart) expectBucketsMatch(await stores.series.buckets(keys, dayStart, dayEnd, DAY_MS), expectedBuckets(rows, keys, dayStart, dayEnd, DAY_MS))
      })

      it('late readings are recorded durably: a pass after reopening folds them in', async () => {
        const first = await fresh()
        const rows = randomRows(11, keys, START, SPAN, 1000)
        await first.series.append(batchOf(rows))
        await catchUp(first, WATERMARK)
        const late: Row[] = [[23, START + 10 * HOUR_MS + 5, 777], [23, START + 10 * HOUR_MS + 6, -777]]
        await first.series.append(batchOf(late))
        await first.close()
        const second = await fresh(first)
        expect((await second.rollups.status()).dirtyMinutes).toBe(1)
        // A late reading after reopening is recorded too, before any new pass.
        await second.series.append(batchOf([[21, START + 3 * HOUR_MS, 555]]))
        expect((await second.rollups.status()).dirtyMinutes).toBe(2)
        await catchUp(second, WATERMARK)
        const all = [...rows, ...late, [21, START + 3 * HOUR_MS, 555] as Row]
        const from = Math.ceil(START / HOUR_MS) * HOUR_MS
        expectBucketsMatch(await second.series.buckets(keys, from, WATERMARK, HOUR_MS), expectedBuckets(all, keys, from, WATERMARK, HOUR_MS))
      })
    })
  })
}
