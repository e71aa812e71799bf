/**
 * The demo out of the box: `prognos start` with the simulated fleet on embedded defaults (no
 * browser) trains small prognostic models in the background on the shared reference data,
 * registers and promotes them, and within minutes of start the demo's engines, packs and meters
 * have stored predictions with the model and version behind them, without anyone training by hand.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { sharedData } from '../helpers/data.js'
import { client, freePort, startPlatformProcess, type Child } from '../helpers/process.js'

const PASSWORD = 'demo-prognostics-password'
const DEADLINE_MS = 8 * 60_000

interface Pred {
  kind: string
  source: string
  value: number
  model: string | null
  version: number | null
  deployment: string | null
  details: Record<string, unknown>
}

describe('demo fleet prognostics out of the box', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prognos-demo-prognostics-'))
  let child: Child | undefined
  afterAll(() => {
    child?.child.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  })

  it('shows RUL, state of health and forecasts of demo assets with model and version, trained in the background', async () => {
    const port = await freePort()
    const t0 = Date.now()
    child = await startPlatformProcess({
      PROGNOS_DATA_DIR: dir,
      PROGNOS_PORT: String(port),
      PROGNOS_ADMIN_PASSWORD: PASSWORD,
      PROGNOS_DEMO: 'on',
      // The embedded broker's port may be taken by another suite; MQTT plays no part here.
      PROGNOS_MQTT: 'off',
      PROGNOS_REFERENCE_DATA: sharedData('.'),
      PROGNOS_LOG_LEVEL: 'info',
    })
    const startedMs = Date.now() - t0
    const base = `http://127.0.0.1:${port}`
    const login = await client(base)<{ accessToken: string }>('POST', '/v1/auth/login', { username: 'admin', password: PASSWORD })
    expect(login.status).toBe(200)
    const api = client(base, { authorization: `Bearer ${login.json.accessToken}` })

    const want: Record<string, { assets: string[]; kinds: string[]; model: string }> = {
      turbofan: { assets: ['tf-001', 'tf-002', 'tf-003', 'tf-004', 'tf-005', 'tf-006'], kinds: ['rul_cycles', 'rul_hours'], model: 'turbofan-rul' },
      pack: { assets: ['li-001', 'li-002', 'li-003'], kinds: ['soh', 'rul_hours'], model: 'liion-soh' },
      meter: { assets: ['em-001', 'em-002', 'em-003', 'em-004', 'em-005', 'em-006'], kinds: ['forecast'], model: 'meter-load-forecast' },
    }
    const found = new Map<string, { assetId: string; p: Pred; afterMs: number }>()
    while (Date.now() - t0 < DEADLINE_MS && found.size < 5) {
      for (const [type, w] of Object.entries(want)) {
        for (const assetId of w.assets) {
          const r = await api<{ items: Pred[] }>('GET', `/v1/assets/${assetId}/predictions/latest`)
          expect(r.status).toBe(200)
          for (const p of r.json.items) {
            if (p.source !== 'prognostics' || !w.kinds.includes(p.kind) || found.has(`${type}:${p.kind}`)) continue
            found.set(`${type}:${p.kind}`, { assetId, p, afterMs: Date.now() - t0 })
          }
        }
      }
      if (found.size < 5) await new Promise((r) => setTimeout(r, 5000))
    }
    // Reported for the record: how long a user waits.
    process.stdout.write(`${JSON.stringify({ startedMs, firstPredictionMs: Object.fromEntries([...found].map(([k, v]) => [k, v.afterMs])) })}\n`)
    expect([...found.keys()].sort(), child.out().slice(-3000)).toEqual(['meter:forecast', 'pack:rul_hours', 'pack:soh', 'turbofan:rul_cycles', 'turbofan:rul_hours'])

    for (const [type, w] of Object.entries(want)) {
      for (const kind of w.kinds) {
        const { p } = found.get(`${type}:${kind}`)!
        expect(p.model).toBe(w.model)
        expect(p.deployment).toBe('production')
        expect(p.version).toBeGreaterThanOrEqual(1)
        // The version carries its held-out figures, and a training run recorded it.
        const v = await api<{ metrics: Record<string, number>; runId: string | null; createdBy: string }>('GET', `/v1/models/${w.model}/versions/${p.version}`)
        expect(v.status).toBe(200)
        expect(Object.keys(v.json.metrics).length).toBeGreaterThan(0)
        expect(v.json.runId).toMatch(/^run_/)
      }
    }
    const tf = found.get('turbofan:rul_cycles')!.p
    expect(tf.value).toBeGreaterThanOrEqual(0)
    // The engine's history starts at its first cycle: the model saw its whole life.
    expect(tf.details.cycle as number).toBeGreaterThan(0)
    const soh = found.get('pack:soh')!.p
    expect(soh.value).toBeGreaterThan(0.6)
    expect(soh.value).toBeLessThan(1.1)
    const fc = found.get('meter:forecast')!.p
    expect((fc.details.mean as number[]).length).toBe(24)
    // Training progress and results went to the log.
    expect(child.out()).toMatch(/turbofan-rul version \d+ trained and promoted/)
  }, DEADLINE_MS + 120_000)
})
