/**
 * The dashboard's API types, generated from the server's own OpenAPI document (the one
 * `@fastify/swagger` serves at /openapi.json) by `openapi-typescript`.
 *
 *   npm run api-types            # writes web/src/api.schema.ts
 *
 * The server is built in-process on an empty DuckDB store in a temp directory (no socket, no
 * demo), so the document is exactly what the routes declare. test/web/api-types.test.ts fails
 * when the committed file differs from what this produces.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript'
import { loadConfig } from '../src/config.js'
import { createLogger } from '../src/logger.js'
import { createPlatform } from '../src/main.js'

export const API_TYPES_FILE = fileURLToPath(new URL('../web/src/api.schema.ts', import.meta.url))

const HEADER = `/**
 * Generated from the server's OpenAPI document by \`npm run api-types\` (scripts/api-types.ts,
 * openapi-typescript). Do not edit: change the route schemas in src/api/ and regenerate.
 * test/web/api-types.test.ts fails when this file is stale.
 */

`

/** The OpenAPI document the server serves at /openapi.json. */
export async function openApiDocument(): Promise<OpenAPI3> {
  const dir = mkdtempSync(join(tmpdir(), 'prognos-openapi-'))
  const config = loadConfig({ env: { PROGNOS_DATA_DIR: dir, PROGNOS_ADMIN_PASSWORD: 'openapi-types-only', PROGNOS_DEMO: 'off', PROGNOS_MQTT: 'off', PROGNOS_PORT: '0' } })
  const platform = await createPlatform(config, createLogger('silent'))
  try {
    const res = await platform.app.inject({ method: 'GET', url: '/openapi.json' })
    if (res.statusCode !== 200) throw new Error(`GET /openapi.json answered ${res.statusCode}: ${res.body}`)
    return res.json() as OpenAPI3
  } finally {
    await platform.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The TypeScript source of web/src/api.schema.ts for the current routes. */
export async function generateApiTypes(): Promise<string> {
  const doc = await openApiDocument()
  // The package version is not part of the contract: leave it out, so a release does not make the file stale.
  doc.info = { ...doc.info, version: '' }
  const ast = await openapiTS(doc, { alphabetize: true })
  return HEADER + astToString(ast)
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const source = await generateApiTypes()
  writeFileSync(API_TYPES_FILE, source)
  process.stderr.write(`wrote ${API_TYPES_FILE} (${source.split('\n').length} lines)\n`)
}
