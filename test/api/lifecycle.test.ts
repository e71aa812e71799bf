import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { createLogger } from '../../src/logger.js'
import { createPlatform } from '../../src/main.js'
import { StoreUnavailableError } from '../../src/store/errors.js'
import { ADMIN_PASSWORD, seedAsset, startTestPlatform, type TestPlatform } from '../helpers/platform.js'

const open: TestPlatform[] = []
afterEach(async () => {
  for (const t of open.splice(0)) await t.close().catch(() => undefined)
})

describe('restart on the same data directory', () => {
  it('keeps assets, readings, users and keys, and does not recreate the admin', async () => {
    const first = await startTestPlatform()
    await seedAsset(first, first.admin, 'm-1', ['a'])
    const key = (await first.platform.app.inject({ method: 'POST', url: '/v1/keys', headers: first.admin, payload: { name: 'dev', role: 'ingest' } })).json() as { key: string }
    const ts = Date.now()
    const records = Array.from({ length: 5000 }, (_, i) => ({ asset: 'm-1', ts: ts - i, values: { a: i } }))
    expect((await first.platform.app.inject({ method: 'POST', url: '/v1/ingest', headers: { 'x-api-key': key.key }, payload: { records } })).json()).toMatchObject({ accepted: 5000 })
    await first.close({ keepData: true })

    const second = await startTestPlatform({ PROGNOS_ADMIN_PASSWORD: 'a-different-password' }, first.dataDir)
    open.push(second)
    expect(second.platform.bootstrap.created).toBe(false)
    // The admin still logs in with the password from the first start.
    const login = await second.platform.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } })
    expect(login.statusCode).toBe(200)
    const res = await second.platform.app.inject({ method: 'GET', url: `/v1/assets/m-1/readings?from=${ts - 10_000}&to=${ts + 1}&maxPoints=20000`, headers: { 'x-api-key': key.key } })
    // The ingest key cannot read; the admin can.
    expect(res.statusCode).toBe(403)
    const read = await second.platform.app.inject({ method: 'GET', url: `/v1/assets/m-1/readings?from=${ts - 10_000}&to=${ts + 1}&maxPoints=20000`, headers: second.admin })
    expect((read.json() as { series: { value: number[] }[] }).series[0]!.value).toHaveLength(5000)
    const latest = await second.platform.app.inject({ method: 'GET', url: '/v1/assets/m-1/latest', headers: second.admin })
    expect(latest.json()).toMatchObject({ values: { a: { ts, value: 0 } } })
  })

  it('generates and reports an admin password when none is configured', async () => {
    const t = await startTestPlatform({ PROGNOS_ADMIN_PASSWORD: '' })
    open.push(t)
    const pw = t.platform.bootstrap.generatedPassword
    expect(pw).toMatch(/^[A-Za-z0-9_-]{20,}$/)
    const login = await t.platform.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'admin', password: pw } })
    expect(login.statusCode).toBe(200)
  })

  it('/ready reports the store and migrations; /health/detailed shows them to an authenticated caller', async () => {
    const t = await startTestPlatform()
    open.push(t)
    expect((await t.platform.app.inject({ method: 'GET', url: '/ready' })).json()).toEqual({ status: 'ready' })
    const detailed = (await t.platform.app.inject({ method: 'GET', url: '/health/detailed', headers: t.admin })).json() as {
      store: { kind: string; ok: boolean; migrations: { pending: number; current: number; latest: number } }
      memory: { rssMb: number; heapUsedMb: number; heapTotalMb: number; storeUsedMb: number; storeLimitMb: number }
    }
    expect(detailed.store).toMatchObject({ kind: 'duckdb', ok: true, migrations: { pending: 0 } })
    expect(detailed.store.migrations.current).toBe(detailed.store.migrations.latest)
    // DuckDB's own accounting, under the configured buffer-pool limit (DuckDB reads 128MB as 128 × 10⁶ bytes).
    expect(detailed.memory.storeLimitMb).toBe(128)
    expect(detailed.memory.storeUsedMb).toBeGreaterThanOrEqual(0)
    expect(detailed.memory.storeUsedMb).toBeLessThanOrEqual(detailed.memory.storeLimitMb)
    expect(detailed.memory.heapUsedMb).toBeGreaterThan(0)
    expect(detailed.memory.heapTotalMb).toBeGreaterThanOrEqual(detailed.memory.heapUsedMb)
  })

  it('stops with one sentence when PostgreSQL cannot be reached', async () => {
    const config = loadConfig({ env: { PROGNOS_DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', PROGNOS_ADMIN_PASSWORD: ADMIN_PASSWORD } })
    const err = await createPlatform(config, createLogger('silent')).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(StoreUnavailableError)
    expect((err as Error).message).toMatch(/cannot reach PostgreSQL at 127\.0\.0\.1:1/)
    expect((err as Error).message).toMatch(/PROGNOS_DATABASE_URL/)
  })
})
