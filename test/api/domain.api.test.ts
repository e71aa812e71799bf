import { Writable } from 'node:stream'
import type { InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.js'
import { createLogger } from '../../src/logger.js'
import { createPlatform } from '../../src/main.js'
import { ADMIN_PASSWORD, startTestPlatform, type TestPlatform } from '../helpers/platform.js'

let t: TestPlatform
const call = async (opts: InjectOptions) => {
  const res = await t.platform.app.inject({ ...opts, headers: { ...t.admin, ...(opts.headers ?? {}) } })
  return { status: res.statusCode, body: res.body ? (res.json() as Record<string, unknown>) : {} }
}

beforeAll(async () => {
  t = await startTestPlatform()
})
afterAll(() => t.close())

describe('sites, assets and channels', () => {
  it('creates, reads, updates and deletes a site, checking coordinates and time zone', async () => {
    expect((await call({ method: 'POST', url: '/v1/sites', payload: { id: 'pune', name: 'Pune', latitude: 18.52, longitude: 73.86, timezone: 'Asia/Kolkata' } })).status).toBe(201)
    expect((await call({ method: 'GET', url: '/v1/sites/pune' })).body).toMatchObject({ name: 'Pune', timezone: 'Asia/Kolkata' })
    const badZone = await call({ method: 'POST', url: '/v1/sites', payload: { name: 'X', latitude: 0, longitude: 0, timezone: 'Mars/Olympus' } })
    expect(badZone).toMatchObject({ status: 400, body: { code: 'VALIDATION_FAILED', details: [{ field: 'timezone' }] } })
    const badLat = await call({ method: 'POST', url: '/v1/sites', payload: { name: 'X', latitude: 91, longitude: 0, timezone: 'UTC' } })
    expect(badLat).toMatchObject({ status: 400, body: { details: [{ field: 'body.latitude' }] } })
    const missing = await call({ method: 'POST', url: '/v1/sites', payload: { latitude: 1 } })
    expect((missing.body.details as { field: string }[]).map((d) => d.field).sort()).toEqual(['body.longitude', 'body.name', 'body.timezone'])
    expect((await call({ method: 'PATCH', url: '/v1/sites/pune', payload: { name: 'Pune Hinjewadi' } })).body).toMatchObject({ name: 'Pune Hinjewadi', latitude: 18.52 })
    expect((await call({ method: 'POST', url: '/v1/sites', payload: { id: 'pune', name: 'Again', latitude: 0, longitude: 0, timezone: 'UTC' } })).body).toMatchObject({ code: 'CONFLICT' })
  })

  it('keeps hierarchies: a string with its cells, and refuses dangling references', async () => {
    expect((await call({ method: 'POST', url: '/v1/assets', payload: { id: 'bs-9', siteId: 'pune', type: 'battery_string', channels: [{ name: 'voltage', unit: 'V', min: 21.6, max: 30 }] } })).status).toBe(201)
    for (const c of ['c1', 'c2']) expect((await call({ method: 'POST', url: '/v1/assets', payload: { id: `bs-9-${c}`, siteId: 'pune', parentId: 'bs-9', type: 'battery_cell', metadata: { position: c } } })).status).toBe(201)
    const cells = (await call({ method: 'GET', url: '/v1/assets?parentId=bs-9' })).body.items as { id: string; metadata: unknown }[]
    expect(cells.map((c) => c.id)).toEqual(['bs-9-c1', 'bs-9-c2'])
    expect(cells[0]!.metadata).toEqual({ position: 'c1' })
    expect((await call({ method: 'POST', url: '/v1/assets', payload: { type: 'x', parentId: 'nope' } })).body).toMatchObject({ code: 'INVALID_REFERENCE', details: [{ field: 'parentId' }] })
    expect((await call({ method: 'POST', url: '/v1/assets', payload: { type: 'x', siteId: 'nope' } })).body).toMatchObject({ code: 'INVALID_REFERENCE', details: [{ field: 'siteId' }] })
    expect((await call({ method: 'DELETE', url: '/v1/assets/bs-9' })).status).toBe(409)
    expect((await call({ method: 'DELETE', url: '/v1/sites/pune' })).status).toBe(409)
  })

  it('onboards many assets in one call, all or none, and they take readings at once', async () => {
    const assets = Array.from({ length: 300 }, (_, i) => ({ id: `wt-${i}`, siteId: 'pune', type: 'wind_turbine', channels: [{ name: 'power', unit: 'kW', min: 0, max: 3000 }, { name: 'rpm' }] }))
    const made = await call({ method: 'POST', url: '/v1/assets/bulk', payload: { assets } })
    expect(made.status).toBe(201)
    expect(made.body.created).toBe(300)
    const items = made.body.items as { id: string; channels: { name: string; key: number; max: number | null }[] }[]
    expect(items[299]).toMatchObject({ id: 'wt-299', channels: [{ name: 'power', max: 3000 }, { name: 'rpm' }] })
    const ts = Date.now()
    const ingest = await call({ method: 'POST', url: '/v1/ingest', payload: { records: [{ asset: 'wt-7', ts, values: { power: 1200, rpm: 14 } }] } })
    expect(ingest.body).toMatchObject({ accepted: 1, readings: 2 })

    const refusals = [
      { payload: { assets: [{ id: 'wt-new', type: 'x' }, { id: 'wt-3', type: 'x' }] }, status: 409, code: 'CONFLICT' },
      { payload: { assets: [{ id: 'wt-new', type: 'x' }, { id: 'wt-new2', type: 'x', siteId: 'atlantis' }] }, status: 400, code: 'INVALID_REFERENCE', field: 'assets.1.siteId' },
      { payload: { assets: [{ id: 'wt-new', type: 'x', channels: [{ name: 'a', min: 5, max: 1 }] }] }, status: 400, code: 'VALIDATION_FAILED', field: 'assets.0.channels.0' },
      { payload: { assets: [] }, status: 400, code: 'VALIDATION_FAILED' },
      { payload: { assets: [{ id: 'wt-new' }] }, status: 400, code: 'VALIDATION_FAILED' },
    ]
    for (const r of refusals) {
      const res = await call({ method: 'POST', url: '/v1/assets/bulk', payload: r.payload })
      expect(res, JSON.stringify(r.payload)).toMatchObject({ status: r.status, body: { code: r.code } })
      if (r.field) expect((res.body.details as { field: string }[])[0]!.field).toBe(r.field)
      expect((await call({ method: 'GET', url: '/v1/assets/wt-new' })).status).toBe(404)
    }
  })

  it('declares, updates and deletes channels; refuses reserved names', async () => {
    expect((await call({ method: 'POST', url: '/v1/assets/bs-9/channels', payload: { name: 'temperature', unit: '°C', min: 5, max: 50 } })).status).toBe(201)
    expect((await call({ method: 'PATCH', url: '/v1/assets/bs-9/channels/temperature', payload: { max: 45 } })).body).toMatchObject({ unit: '°C', min: 5, max: 45 })
    expect((await call({ method: 'POST', url: '/v1/assets/bs-9/channels', payload: { name: '__proto__' } })).status).toBe(400)
    expect((await call({ method: 'DELETE', url: '/v1/assets/bs-9/channels/temperature' })).status).toBe(204)
    const names = ((await call({ method: 'GET', url: '/v1/assets/bs-9/channels' })).body.items as { name: string }[]).map((c) => c.name)
    expect(names).toEqual(['voltage'])
    expect((await call({ method: 'GET', url: '/v1/assets/nope/channels' })).status).toBe(404)
  })
})

describe('secrets stay out of logs', () => {
  it('logs neither passwords, tokens nor API keys, even at trace level', async () => {
    let logged = ''
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        logged += chunk.toString()
        done()
      },
    })
    const config = loadConfig({ env: { PROGNOS_DATA_DIR: ':memory:', PROGNOS_ADMIN_PASSWORD: ADMIN_PASSWORD, PROGNOS_DEMO: 'off', PROGNOS_PORT: '0', PROGNOS_INGEST_PARSE_WORKERS: '0' } })
    const p = await createPlatform(config, createLogger('trace', sink))
    try {
      const login = await p.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } })
      const { accessToken, refreshToken } = login.json() as { accessToken: string; refreshToken: string }
      const key = (await p.app.inject({ method: 'POST', url: '/v1/keys', headers: { authorization: `Bearer ${accessToken}` }, payload: { name: 'k', role: 'ingest' } })).json() as { key: string }
      await p.app.inject({ method: 'POST', url: '/v1/ingest', headers: { 'x-api-key': key.key }, payload: { records: [{ asset: 'nope', ts: Date.now(), values: { a: 1 } }] } })
      await p.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'admin', password: 'wrong-secret-guess' } })
      await p.app.inject({ method: 'GET', url: '/v1/sites', headers: { authorization: `Bearer ${accessToken}x` } })
      // The log did record these requests and refusals…
      expect(logged).toMatch(/incoming request/)
      expect(logged).toMatch(/AUTH_INVALID_CREDENTIALS/)
      expect(logged).toMatch(/AUTH_INVALID_TOKEN/)
      // …without any secret.
      for (const secret of [ADMIN_PASSWORD, 'wrong-secret-guess', accessToken, refreshToken, key.key, key.key.slice('prg_k000000000000_'.length)]) expect(logged).not.toContain(secret)
    } finally {
      await p.close()
    }
  })
})
