/** Fixtures of the anomaly stage's tests (in-process and worker): two pumps and a cell, and pump-like feature vectors. */
import { gaussian } from '../models/anomaly/testing.fixtures.js'
import type { AnomalyAssetInfo, AnomalyService } from './anomaly.stage.js'
import type { AssetFeatures, Prediction } from './bus.js'

export const INFO: Record<string, AnomalyAssetInfo> = {
  pump: { type: 'rotating_machine', siteId: 'lyon', channels: [{ name: 'temp', min: 5, max: 80 }, { name: 'vib', min: null, max: null }], metadata: {} },
  pump2: { type: 'rotating_machine', siteId: 'lyon', channels: [{ name: 'temp', min: 5, max: 80 }, { name: 'vib', min: null, max: null }], metadata: {} },
  cell: { type: 'battery_cell', siteId: 'pune', channels: [{ name: 'voltage' }, { name: 'temperature' }], metadata: {} },
}
export const assetInfo = async (_t: string, id: string): Promise<AnomalyAssetInfo | null> => INFO[id] ?? null
export const OPTS = { probationVectors: 30, alarmScore: 0.7, checkpointIntervalMs: 0, health: { warning: 0.7, critical: 0.4 } }

/** Feature vectors of the pump, one per 10 s: temp around 40, vib around 1; `hot` adds to temp from index `from`. */
export function vectors(n: number, seed: number, hot?: { from: number; add: number }, assetId = 'pump'): AssetFeatures[] {
  const g = gaussian(seed)
  return Array.from({ length: n }, (_, i) => {
    const temp = 40 + 0.5 * g() + (hot && i >= hot.from ? hot.add : 0)
    const vib = 1 + 0.05 * g()
    const v: Record<string, number> = {}
    for (const [ch, x] of [
      ['temp', temp],
      ['vib', vib],
    ] as const) {
      for (const w of [10, 60]) {
        v[`${ch}.w${w}.mean`] = x
        v[`${ch}.w${w}.count`] = w
        v[`${ch}.w${w}.std`] = 0.1 + 0.01 * g()
        v[`${ch}.w${w}.slope`] = 0.001 * g()
      }
    }
    return { assetId, ts: 1_767_571_200_000 + i * 10_000, vector: v }
  })
}

/** Details' material fields: what a repeat guarantees unchanged (see DETAILS_SCORE_LEVELS). */
const MATERIAL = ['model', 'warmingUp', 'alarm', 'status', 'limiting'] as const

/**
 * Predictions with only the material part of their details and without `detailsRepeat`: a
 * restored or reloaded asset tells its first details in full, where a process that never
 * stopped may repeat the details it told some vectors before.
 */
export const plain = (ps: readonly Prediction[]): Prediction[] =>
  ps.map(({ detailsRepeat: _, details, ...p }) => (details === undefined ? p : { ...p, details: Object.fromEntries(MATERIAL.filter((k) => k in details).map((k) => [k, details[k]])) }))

export async function run(stage: AnomalyService, vs: readonly AssetFeatures[]): Promise<Prediction[]> {
  const out: Prediction[] = []
  for (const v of vs) out.push(...(await stage.score('t1', [v])))
  return out
}

