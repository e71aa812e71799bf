import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, DEFAULT_HTTP_PORT, loadConfig } from './config.js'

const yamlFile = (text: string): string => {
  const f = join(mkdtempSync(join(tmpdir(), 'prognos-cfg-')), 'prognos.yaml')
  writeFileSync(f, text)
  return f
}

describe('loadConfig', () => {
  it('fills every default', () => {
    const c = loadConfig({ env: {} })
    expect(c.http.port).toBe(DEFAULT_HTTP_PORT)
    expect(c.dataDir).toBe('./data')
    expect(c.ingest).toMatchObject({ maxBatchRecords: 10_000, unknownChannels: 'create' })
    expect(c.database.url).toBeUndefined()
  })

  it('reads YAML, and the environment wins over it', () => {
    const file = yamlFile('http:\n  port: 9000\n  host: 0.0.0.0\ningest:\n  unknownChannels: refuse\n')
    const c = loadConfig({ file, env: { PROGNOS_PORT: '9100' } })
    expect(c.http).toMatchObject({ port: 9100, host: '0.0.0.0' })
    expect(c.ingest.unknownChannels).toBe('refuse')
  })

  it('lists every problem together, naming the variable that caused it', () => {
    let err: unknown
    try {
      loadConfig({
        env: { PROGNOS_PORT: 'eighty', PROGNOS_INGEST_UNKNOWN_CHANNELS: 'maybe', PROGNOS_DATABASE_URL: 'mysql://x', PROGNOS_ADMIN_PASSWORD: 'short' },
        file: yamlFile('http:\n  prot: 1\n'),
      })
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(ConfigError)
    const problems = (err as ConfigError).problems.join('\n')
    expect(problems).toMatch(/PROGNOS_PORT \(http\.port\)/)
    expect(problems).toMatch(/PROGNOS_INGEST_UNKNOWN_CHANNELS/)
    expect(problems).toMatch(/PROGNOS_DATABASE_URL/)
    expect(problems).toMatch(/PROGNOS_ADMIN_PASSWORD/)
    expect(problems).toMatch(/http\.prot|prot/)
    // A secret's value never appears in the message.
    expect(problems).not.toContain('short')
    expect(problems).not.toContain('mysql://x')
  })

  it('keeps a year of raw readings and longer rollups by default, and refuses a rollup kept shorter than what it summarises', () => {
    expect(loadConfig({ env: {} }).retention).toEqual({ rawDays: 365, minuteDays: 730, hourDays: 1825, dayDays: 0, featureDays: 90 })
    expect(loadConfig({ env: { PROGNOS_RETENTION_RAW_DAYS: '30', PROGNOS_RETENTION_MINUTE_DAYS: '30', PROGNOS_ROLLUP_INTERVAL_SEC: '0' } })).toMatchObject({
      retention: { rawDays: 30, minuteDays: 30 },
      rollup: { intervalSec: 0, lagSec: 60 },
    })
    const problems = (f: () => unknown): string => {
      try {
        f()
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError)
        return (e as ConfigError).problems.join('\n')
      }
      throw new Error('expected a ConfigError')
    }
    expect(problems(() => loadConfig({ env: { PROGNOS_RETENTION_MINUTE_DAYS: '30' } }))).toBe(
      'PROGNOS_RETENTION_MINUTE_DAYS (retention.minuteDays): keeps minute rollups 30 days, shorter than raw readings (retention.rawDays keeps them 365 days); use 0 (forever) or at least 365',
    )
    // Raw kept forever: every rollup level must be too.
    const forever = problems(() => loadConfig({ env: { PROGNOS_RETENTION_RAW_DAYS: '0' } }))
    expect(forever).toMatch(/retention\.minuteDays.*raw readings \(PROGNOS_RETENTION_RAW_DAYS \(retention\.rawDays\) keeps them forever \(0\)\); use 0 \(forever\)$/m)
    expect(forever).toMatch(/retention\.hourDays/)
    expect(forever).not.toMatch(/retention\.dayDays/)
    expect(problems(() => loadConfig({ file: yamlFile('retention:\n  hourDays: 400\n') }))).toMatch(/^retention\.hourDays: keeps hour rollups 400 days, shorter than minute rollups \(retention\.minuteDays keeps them 730 days\)/)
    expect(problems(() => loadConfig({ env: { PROGNOS_ROLLUP_INTERVAL_SEC: '-1' } }))).toMatch(/PROGNOS_ROLLUP_INTERVAL_SEC \(rollup\.intervalSec\)/)
  })

  it('bounds DuckDB memory by default and refuses a limit it cannot read, naming the variable', () => {
    expect(loadConfig({ env: {} }).database.duckdbMemoryLimit).toBe('128MB')
    expect(loadConfig({ env: { PROGNOS_DUCKDB_MEMORY_LIMIT: '2GB' } }).database.duckdbMemoryLimit).toBe('2GB')
    try {
      loadConfig({ env: { PROGNOS_DUCKDB_MEMORY_LIMIT: 'lots' } })
      expect.unreachable('a limit without a unit must be refused')
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError)
      expect((e as ConfigError).problems.join('\n')).toMatch(/PROGNOS_DUCKDB_MEMORY_LIMIT \(database\.duckdbMemoryLimit\)/)
    }
  })

  it('reports an unreadable YAML file', () => {
    expect(() => loadConfig({ file: yamlFile('http: [unclosed') })).toThrow(ConfigError)
  })

  it.each([
    ['true', 'on'],
    ['off', 'off'],
    ['auto', 'auto'],
  ])('PROGNOS_DEMO=%s means %s', (v, mode) => {
    expect(loadConfig({ env: { PROGNOS_DEMO: v } }).demo.mode).toBe(mode)
  })
})

describe('anomaly and health settings', () => {
  it('has the product defaults', () => {
    const c = loadConfig({ env: {} })
    expect(c.anomaly).toEqual({ enabled: true, worker: true, probationVectors: 60, alarmScore: 0.7, checkpointIntervalSec: 300, maxAssets: 10_000, idleEvictSec: 600 })
    expect(c.health).toEqual({ warning: 0.7, critical: 0.4 })
  })

  it('reads them from the environment, detectors as a list', () => {
    const c = loadConfig({ env: { PROGNOS_ANOMALY: 'off', PROGNOS_ANOMALY_DETECTORS: 'mad, threshold', PROGNOS_HEALTH_WARNING: '0.8', PROGNOS_HEALTH_CRITICAL: '0.5', PROGNOS_ANOMALY_CHECKPOINT_SEC: '0', PROGNOS_ANOMALY_WORKER: 'off' } })
    expect(c.anomaly.enabled).toBe(false)
    expect(c.anomaly.worker).toBe(false)
    expect(c.anomaly.detectors).toEqual(['mad', 'threshold'])
    expect(c.anomaly.checkpointIntervalSec).toBe(0)
    expect(c.health).toEqual({ warning: 0.8, critical: 0.5 })
  })

  it.each([
    [{ PROGNOS_HEALTH_CRITICAL: '0.8' }, /PROGNOS_HEALTH_CRITICAL \(health\.critical\): 0\.8 must be below PROGNOS_HEALTH_WARNING|health\.critical.*must be below/],
    [{ PROGNOS_HEALTH_WARNING: '1.5' }, /PROGNOS_HEALTH_WARNING \(health\.warning\)/],
    [{ PROGNOS_ANOMALY_DETECTORS: 'mad,magic' }, /anomaly\.detectors\.1/],
    [{ PROGNOS_ANOMALY_PROBATION_VECTORS: '0' }, /PROGNOS_ANOMALY_PROBATION_VECTORS \(anomaly\.probationVectors\)/],
  ])('refuses %j, naming the variable', (env, re) => {
    try {
      loadConfig({ env })
      expect.unreachable('must be refused')
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError)
      expect((e as ConfigError).problems.join('\n')).toMatch(re)
    }
  })
})

describe('artifact storage settings', () => {
  const problemsOf = (env: Record<string, string>): string => {
    try {
      loadConfig({ env })
      return ''
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError)
      return (e as ConfigError).problems.join('\n')
    }
  }

  it('reads the S3 settings from the environment; path-style is left to the endpoint', () => {
    const c = loadConfig({ env: { PROGNOS_REGISTRY_ARTIFACTS_URL: 's3://models/prod', PROGNOS_REGISTRY_S3_ENDPOINT: 'http://minio:9000', PROGNOS_REGISTRY_S3_ACCESS_KEY_ID: 'id', PROGNOS_REGISTRY_S3_SECRET_ACCESS_KEY: 'shh' } })
    expect(c.registry).toMatchObject({ artifactsUrl: 's3://models/prod', s3: { endpoint: 'http://minio:9000', region: 'us-east-1', accessKeyId: 'id', secretAccessKey: 'shh' } })
    expect(c.registry.s3.pathStyle).toBeUndefined()
    expect(loadConfig({ env: { PROGNOS_REGISTRY_S3_PATH_STYLE: 'off' } }).registry.s3.pathStyle).toBe(false)
  })

  it('refuses a directory and a bucket together, half a key pair, and a URL that is not s3://, without echoing secrets', () => {
    expect(problemsOf({ PROGNOS_REGISTRY_ARTIFACT_DIR: '/srv/a', PROGNOS_REGISTRY_ARTIFACTS_URL: 's3://b/p' })).toContain('PROGNOS_REGISTRY_ARTIFACTS_URL')
    const half = problemsOf({ PROGNOS_REGISTRY_ARTIFACTS_URL: 's3://b/p', PROGNOS_REGISTRY_S3_SECRET_ACCESS_KEY: 'hunter2-secret' })
    expect(half).toContain('PROGNOS_REGISTRY_S3_SECRET_ACCESS_KEY')
    expect(half).not.toContain('hunter2-secret')
    const url = problemsOf({ PROGNOS_REGISTRY_ARTIFACTS_URL: 'https://user:pw@bucket/p' })
    expect(url).toContain('PROGNOS_REGISTRY_ARTIFACTS_URL')
    expect(url).not.toContain('pw@')
  })
})
