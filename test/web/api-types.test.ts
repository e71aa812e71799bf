import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { API_TYPES_FILE, generateApiTypes, openApiDocument } from '../../scripts/api-types.js'

/**
 * The dashboard's API types (web/src/api.schema.ts) are generated from the server's OpenAPI
 * document and committed. When a route's schema changes, this fails until `npm run api-types`
 * is run again, so `tsc -p web` checks the dashboard against what the server really declares.
 */
describe('dashboard API types', () => {
  it('web/src/api.schema.ts is what `npm run api-types` generates from the current routes', async () => {
    const committed = readFileSync(API_TYPES_FILE, 'utf8')
    const fresh = await generateApiTypes()
    // A readable failure: the first differing line, not a 9,000-line diff.
    const a = committed.split('\n')
    const b = fresh.split('\n')
    const first = a.findIndex((line, i) => line !== b[i])
    const at = first === -1 ? (a.length === b.length ? -1 : Math.min(a.length, b.length)) : first
    expect(at === -1 ? 'up to date' : `stale from line ${at + 1}: committed ${JSON.stringify(a[at])}, routes give ${JSON.stringify(b[at])}; run npm run api-types`).toBe('up to date')
  }, 120_000)

  it('covers the routes the dashboard calls, with their response shapes', async () => {
    const doc = await openApiDocument()
    const source = readFileSync(API_TYPES_FILE, 'utf8')
    for (const path of ['/v1/auth/login', '/v1/sites', '/v1/assets', '/v1/assets/{id}', '/v1/assets/{id}/readings', '/v1/fleet/latest', '/v1/users', '/v1/keys']) {
      expect(doc.paths?.[path], path).toBeDefined()
      expect(source).toContain(`"${path}": {`)
    }
    // The fleet answer is described field by field (not `unknown`): the dashboard's FleetItem is derived from it.
    expect(source).toMatch(/"\/v1\/fleet\/latest": \{[\s\S]*?items: \{\s*assetId: string;/)
  }, 120_000)
})
