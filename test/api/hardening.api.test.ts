import type { InjectOptions } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_PASSWORD, apiKey, seedAsset, startTestPlatform, type TestPlatform } from '../helpers/platform.js'

let t: TestPlatform
const inject = (opts: InjectOptions) => t.platform.app.inject(opts)
const admin = (opts: InjectOptions) => inject({ ...opts, headers: { ...t.admin, ...(opts.headers ?? {}) } })

beforeAll(async () => {
  t = await startTestPlatform()
  await seedAsset(t, t.admin, 'm-1', ['a'])
})
afterAll(() => t.close())

describe('bodies are validated as JSON, not coerced', () => {
  it('keeps an explicit null range as null, and refuses a number sent as a string', async () => {
    const res = await admin({ method: 'POST', url: '/v1/assets/m-1/channels', payload: { name: 'n', unit: null, min: null, max: null } })
    expect(res.json()).toMatchObject({ name: 'n', unit: null, min: null, max: null })
    const str = await admin({ method: 'POST', url: '/v1/sites', payload: { name: 'S', latitude: '45', longitude: 4, timezone: 'UTC' } })
    expect(str.statusCode).toBe(400)
    expect(str.json()).toMatchObject({ details: [expect.objectContaining({ field: 'body.latitude' })] })
  })

  it('refuses an expected range whose min is above its max', async () => {
    const res = await admin({ method: 'POST', url: '/v1/assets/m-1/channels', payload: { name: 'r', min: 10, max: 1 } })
    expect(res.statusCode).toBe(400)
    await admin({ method: 'POST', url: '/v1/assets/m-1/channels', payload: { name: 'r', min: 0, max: 10 } })
    const patch = await admin({ method: 'PATCH', url: '/v1/assets/m-1/channels/r', payload: { max: -1 } })
    expect(patch.statusCode).toBe(400)
  })
})

describe('out-of-range numbers are refused, never a 500', () => {
  it.each([
    ['ts far beyond the range of dates', { records: [{ asset: 'm-1', ts: 1e300, values: { a: 1 } }] }],
    ['ts negative beyond the range of dates', { records: [{ asset: 'm-1', ts: -9e15, values: { a: 1 } }] }],
  ])('%s', async (_name, payload) => {
    const res = await admin({ method: 'POST', url: '/v1/ingest', payload })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'INGEST_REJECTED', details: [{ index: 0, field: 'ts' }] })
  })

  it.each(['from=-1e23', 'to=1e23', 'from=1.5', `to=${'9'.repeat(300)}`])('readings with %s', async (qs) => {
    const res = await admin({ method: 'GET', url: `/v1/assets/m-1/readings?${qs}` })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED' })
  })

  it.each(['offset=1e30', 'offset=9223372036854775807', 'limit=abc'])('asset listing with %s', async (qs) => {
    expect((await admin({ method: 'GET', url: `/v1/assets?${qs}` })).statusCode).toBe(400)
  })
})

describe('media types and URLs', () => {
  it('answers 415 for a text/plain body and 400 for an ingest without a JSON body', async () => {
    const text = await admin({ method: 'POST', url: '/v1/auth/login', headers: { 'content-type': 'text/plain' }, payload: 'admin' })
    expect(text.statusCode).toBe(415)
    const ingestText = await admin({ method: 'POST', url: '/v1/ingest', headers: { 'content-type': 'text/plain' }, payload: 'x' })
    expect(ingestText.statusCode).toBe(415)
    const empty = await admin({ method: 'POST', url: '/v1/ingest' })
    expect(empty.statusCode).toBe(400)
    expect(empty.json()).toMatchObject({ code: 'INGEST_MALFORMED' })
  })

  it('asks for credentials on a percent-encoded /v1 path', async () => {
    const res = await inject({ method: 'GET', url: '/v%31/assets' })
    expect(res.statusCode).toBe(401)
  })
})

describe('hierarchies', () => {
  it('refuses a parent that would make a loop', async () => {
    await admin({ method: 'POST', url: '/v1/assets', payload: { id: 'top', type: 'x' } })
    await admin({ method: 'POST', url: '/v1/assets', payload: { id: 'mid', type: 'x', parentId: 'top' } })
    await admin({ method: 'POST', url: '/v1/assets', payload: { id: 'low', type: 'x', parentId: 'mid' } })
    const res = await admin({ method: 'PATCH', url: '/v1/assets/top', payload: { parentId: 'low' } })
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ code: 'INVALID_REFERENCE', details: [{ field: 'parentId' }] })
  })
})

describe('sessions and users', () => {
  it('lets only one of several racing refreshes of the same token through', async () => {
    const login = (await inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } })).json() as { refreshToken: string }
    const results = await Promise.all(Array.from({ length: 5 }, () => inject({ method: 'POST', url: '/v1/auth/refresh', payload: { refreshToken: login.refreshToken } })))
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 401, 401, 401, 401])
  })

  it("protects platform administrators from tenant admins, keeps the last one, and a deleted user's token stops working", async () => {
    const tenantAdmin = await admin({ method: 'POST', url: '/v1/users', payload: { username: 'ta', password: 'tenant-admin-pw', role: 'admin' } })
    expect(tenantAdmin.statusCode).toBe(201)
    const taToken = ((await inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'ta', password: 'tenant-admin-pw' } })).json() as { accessToken: string }).accessToken
    const users = (await admin({ method: 'GET', url: '/v1/users' })).json() as { items: { id: string; username: string }[] }
    const bootstrap = users.items.find((u) => u.username === 'admin')!
    const attempt = await inject({ method: 'DELETE', url: `/v1/users/${bootstrap.id}`, headers: { authorization: `Bearer ${taToken}` } })
    expect(attempt.statusCode).toBe(403)
    const last = await admin({ method: 'DELETE', url: `/v1/users/${bootstrap.id}` })
    expect(last.statusCode).toBe(403)
    expect(last.json()).toMatchObject({ message: expect.stringMatching(/last platform administrator/) })

    const viewer = (await admin({ method: 'POST', url: '/v1/users', payload: { username: 'gone', password: 'viewer-pass-1', role: 'viewer' } })).json() as { id: string }
    const viewerToken = ((await inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'gone', password: 'viewer-pass-1' } })).json() as { accessToken: string }).accessToken
    expect((await inject({ method: 'GET', url: '/v1/sites', headers: { authorization: `Bearer ${viewerToken}` } })).statusCode).toBe(200)
    expect((await inject({ method: 'DELETE', url: `/v1/users/${viewer.id}`, headers: { authorization: `Bearer ${taToken}` } })).statusCode).toBe(204)
    expect((await inject({ method: 'GET', url: '/v1/sites', headers: { authorization: `Bearer ${viewerToken}` } })).statusCode).toBe(401)
  })

  it('an operator cannot manage users', async () => {
    const op = await apiKey(t, 'operator')
    expect((await inject({ method: 'GET', url: '/v1/users', headers: op })).statusCode).toBe(403)
  })
})

describe('OpenAPI', () => {
  it('marks public routes as needing no credentials and documents 401/403 on the others', async () => {
    const doc = (await inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>> }
    expect(doc.paths['/health']!.get!.security).toEqual([])
    expect(doc.paths['/v1/auth/login']!.post!.security).toEqual([])
    expect(Object.keys(doc.paths['/v1/assets']!.get!.responses)).toEqual(expect.arrayContaining(['200', '401', '403']))
  })
})

describe('tenants and users administration', () => {
  it('renames and deletes an empty tenant; refuses one that still holds data', async () => {
    expect((await admin({ method: 'POST', url: '/v1/tenants', payload: { id: 'tmp', name: 'Temp' } })).statusCode).toBe(201)
    expect((await admin({ method: 'PATCH', url: '/v1/tenants/tmp', payload: { name: 'Temporary' } })).json()).toMatchObject({ id: 'tmp', name: 'Temporary' })
    expect((await admin({ method: 'GET', url: '/v1/tenants/tmp' })).json()).toMatchObject({ name: 'Temporary' })
    const key = await apiKey(t, 'admin', 'tmp')
    await seedAsset(t, key, 'x-1', ['a'])
    const refused = await admin({ method: 'DELETE', url: '/v1/tenants/tmp' })
    expect(refused.statusCode).toBe(409)
    expect(refused.json()).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/still holds/) })
    expect((await admin({ method: 'DELETE', url: '/v1/tenants/nope' })).statusCode).toBe(404)
    // A tenant admin is not a platform administrator.
    expect((await inject({ method: 'PATCH', url: '/v1/tenants/tmp', headers: key, payload: { name: 'mine' } })).statusCode).toBe(403)
  })

  it("changes a user's role and password; a tenant admin cannot change a platform admin", async () => {
    const u = (await admin({ method: 'POST', url: '/v1/users', payload: { username: 'promoted', password: 'first-password', role: 'viewer' } })).json() as { id: string }
    expect((await admin({ method: 'PATCH', url: `/v1/users/${u.id}`, payload: { role: 'operator', password: 'second-password' } })).json()).toMatchObject({ role: 'operator' })
    expect((await inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'promoted', password: 'first-password' } })).statusCode).toBe(401)
    expect((await inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'promoted', password: 'second-password' } })).statusCode).toBe(200)
    expect((await admin({ method: 'PATCH', url: `/v1/users/${u.id}`, payload: {} })).statusCode).toBe(400)
    const tenantAdmin = await apiKey(t, 'admin')
    const users = (await admin({ method: 'GET', url: '/v1/users' })).json() as { items: { id: string; username: string }[] }
    const root = users.items.find((x) => x.username === 'admin')!
    expect((await inject({ method: 'PATCH', url: `/v1/users/${root.id}`, headers: tenantAdmin, payload: { role: 'viewer' } })).statusCode).toBe(403)
  })
})
