/**
 * Two instances over one PostgreSQL schema and one artifact directory (the scale-out setup):
 * a deployment change made through one is served by the other within the configured
 * refresh interval, without a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { TEST_PG_URL, testSchemas } from '../helpers/pg.js'
import { registerZScore } from '../helpers/models.js'
import { apiKey, startTestPlatform, type TestPlatform } from '../helpers/platform.js'

const REFRESH_MS = 500
const schemas = testSchemas()
const open: TestPlatform[] = []
const artifactDir = mkdtempSync(join(tmpdir(), 'prognos-artifacts-'))
afterAll(async () => {
  for (const p of open) await p.close()
  rmSync(artifactDir, { recursive: true, force: true })
})

describe('deployment changes across instances', () => {
  it(`a running instance serves a change made on another one within ${REFRESH_MS} ms (the configured interval)`, async () => {
    const schema = schemas()
    const admin = new pg.Pool({ connectionString: TEST_PG_URL, max: 1 })
    await admin.query(`CREATE SCHEMA ${schema}`)
    await admin.end()
    const env = {
      PROGNOS_DATABASE_URL: `${TEST_PG_URL}${TEST_PG_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
      PROGNOS_DATABASE_POOL_SIZE: '4',
      PROGNOS_REGISTRY_REFRESH_INTERVAL_MS: String(REFRESH_MS),
      PROGNOS_REGISTRY_ARTIFACT_DIR: artifactDir,
    }
    const a = await startTestPlatform(env)
    open.push(a)
    const b = await startTestPlatform(env)
    open.push(b)
    const keyA = await apiKey(a, 'operator')
    const keyB = await apiKey(b, 'operator')
    await registerZScore(b, keyB, 'fleet', ['x'])
    await registerZScore(b, keyB, 'fleet', ['x'])
    expect((await b.platform.app.inject({ method: 'POST', url: '/v1/models/fleet/promote', headers: keyB, payload: { version: 1, reason: 'first' } })).statusCode).toBe(200)

    const versionOnA = async (): Promise<number> => {
      const res = await a.platform.app.inject({ method: 'POST', url: '/v1/models/fleet/predict', headers: keyA, payload: { assetId: 'e1', features: { x: 0.2 }, record: false } })
      expect(res.statusCode, res.body).toBe(200)
      return (res.json() as { version: number }).version
    }
    const waitFor = async (version: number): Promise<number> => {
      const t0 = Date.now()
      while ((await versionOnA()) !== version) {
        if (Date.now() - t0 > 10 * REFRESH_MS) throw new Error(`instance A still serves another version after ${Date.now() - t0} ms`)
        await new Promise((r) => setTimeout(r, 10))
      }
      return Date.now() - t0
    }
    // A loads on first use.
    expect(await versionOnA()).toBe(1)

    // Promotion on B: A serves v2 within the interval (plus the few ms one poll takes).
    expect((await b.platform.app.inject({ method: 'POST', url: '/v1/models/fleet/promote', headers: keyB, payload: { version: 2, reason: 'second' } })).statusCode).toBe(200)
    const promoteMs = await waitFor(2)
    expect(promoteMs).toBeLessThanOrEqual(REFRESH_MS + 400)

    // Rollback on B: the same.
    expect((await b.platform.app.inject({ method: 'POST', url: '/v1/models/fleet/rollback', headers: keyB, payload: { reason: 'undo' } })).statusCode).toBe(200)
    const rollbackMs = await waitFor(1)
    expect(rollbackMs).toBeLessThanOrEqual(REFRESH_MS + 400)
  })
})
