import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig, type Config } from '../../src/config.js'
import { createLogger } from '../../src/logger.js'
import { createPlatform, type Platform } from '../../src/main.js'

export const ADMIN_PASSWORD = 'correct-horse-battery'

export interface TestPlatform {
  platform: Platform
  dataDir: string
  /** Headers of the bootstrap admin (platform administrator of tenant `default`). */
  admin: Record<string, string>
  close(opts?: { keepData?: boolean }): Promise<void>
}

/** A platform on DuckDB in a fresh temp directory, demo off, silent logs. */
export async function startTestPlatform(env: Record<string, string> = {}, dataDir?: string): Promise<TestPlatform> {
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'prognos-test-'))
  const config: Config = loadConfig({ env: { PROGNOS_DATA_DIR: dir, PROGNOS_ADMIN_PASSWORD: ADMIN_PASSWORD, PROGNOS_DEMO: 'off', PROGNOS_PORT: '0', PROGNOS_MQTT: 'off', ...env } })
  const platform = await createPlatform(config, createLogger(process.env.TEST_LOG ?? 'silent'))
  const login = await platform.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { username: 'admin', password: ADMIN_PASSWORD } })
  const token = (login.json() as { accessToken: string }).accessToken
  return {
    platform,
    dataDir: dir,
    admin: { authorization: `Bearer ${token}` },
    async close(opts = {}) {
      await platform.close()
      if (!opts.keepData) rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Creates an API key through the API and returns its header. */
export async function apiKey(t: TestPlatform, role: string, tenantId?: string): Promise<Record<string, string>> {
  const res = await t.platform.app.inject({ method: 'POST', url: '/v1/keys', headers: t.admin, payload: { name: `test-${role}`, role, ...(tenantId ? { tenantId } : {}) } })
  if (res.statusCode !== 201) throw new Error(`key creation failed: ${res.statusCode} ${res.body}`)
  return { 'x-api-key': (res.json() as { key: string }).key }
}

/** Creates a site and an asset with channels in the caller's tenant. */
export async function seedAsset(t: TestPlatform, headers: Record<string, string>, assetId = 'pump-1', channels = ['temp', 'vib']): Promise<void> {
  await t.platform.app.inject({ method: 'POST', url: '/v1/sites', headers, payload: { id: 'lyon', name: 'Lyon', latitude: 45.76, longitude: 4.84, timezone: 'Europe/Paris' } })
  const res = await t.platform.app.inject({
    method: 'POST',
    url: '/v1/assets',
    headers,
    payload: { id: assetId, siteId: 'lyon', type: 'rotating_machine', channels: channels.map((name) => ({ name, unit: 'x', min: 0, max: 100 })) },
  })
  if (res.statusCode !== 201) throw new Error(`asset creation failed: ${res.statusCode} ${res.body}`)
}
