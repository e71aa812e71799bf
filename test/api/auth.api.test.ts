import type { InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, apiKey, seedAsset, startTestPlatform, type TestPlatform } from '../helpers/platform.js'

let t: TestPlatform
const inject = (opts: InjectOptions) => t.platform.app.inject(opts)

beforeAll(async () => {
  t = await startTestPlatform()
  await seedAsset(t, t.admin)
})
afterAll(() => t.close())

describe('authentication', () => {
  it.each([
    ['GET', '/v1/sites'],
    ['GET', '/v1/assets'],
    ['GET', '/v1/assets/pump-1'],
    ['GET', '/v1/assets/pump-1/readings'],
    ['GET', '/v1/fleet/latest'],
    ['POST', '/v1/ingest'],
    ['GET', '/v1/keys'],
    ['GET', '/v1/no-such-route'],
    ['GET', '/health/detailed'],
  ] as const)('%s %s without credentials answers 401 AUTH_REQUIRED', async (method, url) => {
    const res = await inject({ method, url, payload: method === 'POST' ? { records: [] } : undefined })
    expect(res.statusCode).toBe(401)
    expect(res.json()).toMatchObject({ code: 'AUTH_REQUIRED' })
  })

  it.each(['/health', '/ready', '/metrics', '/openapi.json', '/docs/'])('%s is public', async (url) => {
    const res = await inject({ method: 'GET', url })
    expect(res.statusCode).toBe(200)
  })

  it('openapi.json documents the ingest record schema and security schemes', async () => {
    const doc = (await inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, unknown>; components: { securitySchemes: Record<string, unknown> } }
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/ingest', '/v1/assets/{id}/readings', '/v1/auth/login']))
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['apiKey', 'bearer'])
    expect(JSON.stringify(doc.paths['/v1/ingest'])).toContain('"values"')
  })

  it('refuses a wrong password and an unknown user alike', async () => {
    for (const username of ['admin', 'nobody']) {
      const res = await inject({ method: 'POST', url: '/v1/auth/login', payload: { username, password: 'wrong-password' } })
      expect(res.statusCode).toBe(401)
      expect(res.json()).toMatchObject({ code: 'AUTH_INVALID_CREDENTIALS' })
    }
  })

  it('refuses a forged or malformed bearer token and a malformed API key', async () => {
    const forged = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4IiwidGlkIjoiZGVmYXVsdCIsInJvbGUiOiJhZG1pbiJ9.c2lnbmF0dXJl'
    for (const headers of [{ authorization: `Bearer ${forged}` }, { authorization: 'Bearer x' }, { 'x-api-key': 'not-a-key' }, { 'x-api-key': 'prg_k000000000000_AAAAAAAAAAAAAAAAAAAAAAAA' }]) {
      const res = await inject({ method: 'GET', url: '/v1/sites', headers })
      expect(res.statusCode).toBe(401)
      expect(res.json()).toMatchObject({ code: 'AUTH_INVALID_TOKEN' })
    }
  })

  it('rotates refresh tokens: each works once, logout revokes', async () => {
    const login = (await inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } })).json() as { refreshToken: string }
    const first = await inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: login.refreshToken } })
    expect(first.statusCode).toBe(200)
    const again = await inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: login.refreshToken } })
    expect(again.statusCode).toBe(401)
    const next = (first.json() as { refreshToken: string; accessToken: string }).refreshToken
    expect((await inject({ method: 'POST', url: '/v1/auth/logout', payload: { refreshToken: next } })).statusCode).toBe(204)
    expect((await inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: next } })).statusCode).toBe(401)
  })

  it('a revoked API key stops working', async () => {
    const created = (await inject({ method: 'POST', url: '/v1/keys', headers: t.admin, payload: { name: 'short-lived', role: 'viewer' } })).json() as { id: string; key: string }
    expect((await inject({ method: 'GET', url: '/v1/sites', headers: { 'x-api-key': created.key } })).statusCode).toBe(200)
    expect((await inject({ method: 'DELETE', url: `/v1/keys/${created.id}`, headers: t.admin })).statusCode).toBe(204)
    expect((await inject({ method: 'GET', url: '/v1/sites', headers: { 'x-api-key': created.key } })).statusCode).toBe(401)
  })

  it('never returns secrets in key and user listings', async () => {
    const keys = await inject({ method: 'GET', url: '/v1/keys', headers: t.admin })
    const users = await inject({ method: 'GET', url: '/v1/users', headers: t.admin })
    expect(keys.body).not.toMatch(/secretHash|secret_hash/)
    expect(users.body).not.toMatch(/passwordHash|scrypt\$/)
  })
})

describe('roles', () => {
  it.each([
    ['viewer', 'POST', '/v1/sites', { name: 'X', latitude: 0, longitude: 0, timezone: 'UTC' }, 403],
    ['viewer', 'POST', '/v1/ingest', { records: [] }, 403],
    ['viewer', 'DELETE', '/v1/assets/pump-1', undefined, 403],
    ['viewer', 'GET', '/v1/assets/pump-1', undefined, 200],
    ['ingest', 'GET', '/v1/assets/pump-1', undefined, 403],
    ['ingest', 'POST', '/v1/ingest', { records: [{ asset: 'pump-1', ts: Date.now(), values: { temp: 1 } }] }, 200],
    ['operator', 'POST', '/v1/keys', { name: 'x', role: 'admin' }, 403],
    ['operator', 'POST', '/v1/tenants', { name: 'x' }, 403],
    ['admin', 'GET', '/v1/keys', undefined, 200],
  ] as const)('%s: %s %s answers %i', async (role, method, url, payload, status) => {
    const headers = await apiKey(t, role)
    const res = await inject({ method, url, headers, payload })
    expect(res.statusCode).toBe(status)
    if (status === 403) expect(res.json()).toMatchObject({ code: 'AUTH_FORBIDDEN' })
  })
})

describe('tenant isolation', () => {
  it("tenant A's key cannot see or touch tenant B's asset (404), even with the same asset id", async () => {
    expect((await inject({ method: 'POST', url: '/v1/tenants', headers: t.admin, payload: { id: 'acme', name: 'Acme' } })).statusCode).toBe(201)
    const keyB = await apiKey(t, 'admin', 'acme')
    await seedAsset(t, keyB, 'b-only', ['level'])
    const keyA = await apiKey(t, 'admin')

    for (const [method, url] of [
      ['GET', '/v1/assets/b-only'],
      ['GET', '/v1/assets/b-only/readings'],
      ['GET', '/v1/assets/b-only/latest'],
      ['PATCH', '/v1/assets/b-only'],
      ['DELETE', '/v1/assets/b-only'],
    ] as const) {
      const res = await inject({ method, url, headers: keyA, payload: method === 'PATCH' ? { name: 'hijacked' } : undefined })
      expect(res.statusCode, `${method} ${url}`).toBe(404)
    }
    const listA = (await inject({ method: 'GET', url: '/v1/assets', headers: keyA })).json() as { items: { id: string }[] }
    expect(listA.items.map((a) => a.id)).not.toContain('b-only')
    const ingest = await inject({ method: 'POST', url: '/v1/ingest', headers: keyA, payload: { records: [{ asset: 'b-only', ts: Date.now(), values: { level: 1 } }] } })
    expect(ingest.statusCode).toBe(400)
    expect(ingest.json()).toMatchObject({ code: 'INGEST_REJECTED', details: [{ index: 0, field: 'asset' }] })

    // Tenant B sees its own asset, and its own copy of a shared id stays separate.
    expect((await inject({ method: 'GET', url: '/v1/assets/b-only', headers: keyB })).statusCode).toBe(200)
    await seedAsset(t, keyB, 'pump-1', ['other'])
    const a = (await inject({ method: 'GET', url: '/v1/assets/pump-1', headers: keyA })).json() as { tenantId: string; channels: { name: string }[] }
    const b = (await inject({ method: 'GET', url: '/v1/assets/pump-1', headers: keyB })).json() as { tenantId: string; channels: { name: string }[] }
    expect([a.tenantId, b.tenantId]).toEqual(['default', 'acme'])
    expect(b.channels.map((c) => c.name)).toEqual(['other'])
  })

  it('a tenant admin cannot create keys in another tenant', async () => {
    const keyB = await apiKey(t, 'admin', 'acme')
    const res = await inject({ method: 'POST', url: '/v1/keys', headers: keyB, payload: { name: 'x', role: 'admin', tenantId: 'default' } })
    expect(res.statusCode).toBe(403)
  })
})
