import { describe, expect, it } from 'vitest'
import { MemoryBus } from '../bus/memory.bus.js'
import type { Alert, AlertsMessage, Prediction } from './bus.js'
import { PipelineStages, type AlertingInput } from './stages.js'

const features = { tenantId: 'acme', assets: [{ assetId: 'pump', ts: 1000, vector: { 'temp.w10.mean': 80, 'temp.w10.std': 2 } }], rows: [] }

describe('PipelineStages', () => {
  it('subscribes nothing until a stage is registered', () => {
    const bus = new MemoryBus()
    const stages = new PipelineStages(bus)
    expect(bus.hasSubscribers('features')).toBe(false)
    expect(bus.hasSubscribers('predictions')).toBe(false)
    expect(stages.registered).toEqual({ scoring: [], alerting: [] })
  })

  it('runs scoring stages on feature vectors, publishes their predictions, and alerting stages see both', async () => {
    const bus = new MemoryBus()
    const errors: string[] = []
    const stages = new PipelineStages(bus, (stage) => errors.push(stage))
    stages.registerScoring({
      name: 'hot',
      score: (_t, assets) => assets.map((a): Prediction => ({ assetId: a.assetId, ts: a.ts, source: 'hot', kind: 'anomaly_score', value: a.vector['temp.w10.mean']! / 100 })),
    })
    stages.registerScoring({
      name: 'broken',
      score: () => {
        throw new Error('model missing')
      },
    })
    const inputs: AlertingInput['kind'][] = []
    stages.registerAlerting({
      name: 'threshold',
      evaluate: (_t, input): Alert[] => {
        inputs.push(input.kind)
        if (input.kind !== 'predictions') return []
        return input.predictions.filter((p) => p.value > 0.5).map((p) => ({ assetId: p.assetId, ts: p.ts, source: 'threshold', severity: 'warning', state: 'open', message: `score ${p.value}` }))
      },
    })
    const alerts: AlertsMessage[] = []
    bus.subscribe('alerts', 'test', (m) => void alerts.push(m))
    await bus.publish('features', features)
    await bus.drain()
    expect(errors).toEqual(['broken'])
    expect(inputs.sort()).toEqual(['features', 'predictions'])
    expect(alerts).toEqual([{ tenantId: 'acme', alerts: [{ assetId: 'pump', ts: 1000, source: 'threshold', severity: 'warning', state: 'open', message: 'score 0.8' }] }])
    expect(stages.registered).toEqual({ scoring: ['hot', 'broken'], alerting: ['threshold'] })
    stages.stop()
    expect(bus.hasSubscribers('predictions')).toBe(false)
  })

  it('scoring waits while the consumers of predictions are behind, so predictions stay within their capacity', async () => {
    const bus = new MemoryBus({ capacity: { predictions: 2 } })
    const stages = new PipelineStages(bus)
    stages.registerScoring({ name: 'one', score: (_t, assets) => assets.map((a): Prediction => ({ assetId: a.assetId, ts: a.ts, source: 'one', kind: 'anomaly_score', value: 0.1 })) })
    let release: () => void = () => undefined
    const gate = new Promise<void>((r) => (release = r))
    bus.subscribe('predictions', 'slow-store', () => gate)
    for (let i = 0; i < 6; i++) await bus.publish('features', features, 1)
    await new Promise((r) => setTimeout(r, 50))
    expect(bus.stats('predictions').pending).toBeLessThanOrEqual(2)
    expect(bus.stats('features').pending).toBeGreaterThan(0)
    release()
    await bus.drain()
    expect(bus.stats('predictions').published).toBe(6)
  })
})
