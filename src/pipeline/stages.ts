import type { Alert, AssetFeatures, Bus, Prediction, Subscription } from './bus.js'

/**
 * A scoring stage (a detector, a RUL model …; issue 4 adds them): gets the feature vectors
 * of one tenant's assets as they are emitted and returns predictions, which are published
 * on the `predictions` topic.
 *
 * @example
 * stages.registerScoring({
 *   name: 'temp-zscore',
 *   score: (tenantId, assets) => assets.flatMap((a) => {
 *     const z = a.vector['temp.w60.mean'] === undefined ? [] : [(a.vector['temp.w10.mean']! - a.vector['temp.w60.mean']!) / (a.vector['temp.w60.std'] || 1)]
 *     return z.map((value) => ({ assetId: a.assetId, ts: a.ts, source: 'temp-zscore', kind: 'anomaly_score', value }))
 *   }),
 * })
 */
export interface ScoringStage {
  readonly name: string
  score(tenantId: string, assets: readonly AssetFeatures[]): readonly Prediction[] | Promise<readonly Prediction[]>
}

/** What an alerting stage sees: either feature vectors or predictions, as they are published. */
export type AlertingInput = { kind: 'features'; assets: readonly AssetFeatures[] } | { kind: 'predictions'; predictions: readonly Prediction[] }

/**
 * An alerting stage (rules and their state machine; issue 7 adds them): gets feature vectors
 * and predictions and returns alert transitions, published on the `alerts` topic.
 */
export interface AlertingStage {
  readonly name: string
  evaluate(tenantId: string, input: AlertingInput): readonly Alert[] | Promise<readonly Alert[]>
}

/**
 * The plug-in points of the pipeline after features. No stage is registered by default;
 * until one is, nothing subscribes and features cost nothing downstream. Each kind runs as
 * one consumer group (`scoring`, `alerting`), its stages in registration order; a stage that
 * throws is reported (onError) and the others still run.
 */
export class PipelineStages {
  private readonly scoring: ScoringStage[] = []
  private readonly alerting: AlertingStage[] = []
  private readonly subs: Subscription[] = []
  private scoringSub = false
  private alertingSub = false

  constructor(
    private readonly bus: Bus,
    private readonly onError: (stage: string, error: unknown) => void = () => undefined,
  ) {}

  registerScoring(stage: ScoringStage): void {
    this.scoring.push(stage)
    if (this.scoringSub) return
    this.scoringSub = true
    this.subs.push(
      this.bus.subscribe('features', 'scoring', async (m) => {
        const out: Prediction[] = []
        for (const s of this.scoring) {
          try {
            out.push(...(await s.score(m.tenantId, m.assets)))
          } catch (err) {
            this.onError(s.name, err)
          }
        }
        if (out.length === 0) return
        // Back-pressure: wait while the consumers of predictions (storage, alerting) are behind.
        if (this.bus.saturated('predictions')) await this.bus.waitForRoom('predictions')
        await this.bus.publish('predictions', { tenantId: m.tenantId, predictions: out }, out.length)
      }),
    )
  }

  registerAlerting(stage: AlertingStage): void {
    this.alerting.push(stage)
    if (this.alertingSub) return
    this.alertingSub = true
    const run = async (tenantId: string, input: AlertingInput): Promise<void> => {
      const out: Alert[] = []
      for (const s of this.alerting) {
        try {
          out.push(...(await s.evaluate(tenantId, input)))
        } catch (err) {
          this.onError(s.name, err)
        }
      }
      if (out.length > 0) await this.bus.publish('alerts', { tenantId, alerts: out }, out.length)
    }
    this.subs.push(this.bus.subscribe('features', 'alerting', (m) => run(m.tenantId, { kind: 'features', assets: m.assets })))
    this.subs.push(this.bus.subscribe('predictions', 'alerting', (m) => run(m.tenantId, { kind: 'predictions', predictions: m.predictions })))
  }

  get registered(): { scoring: string[]; alerting: string[] } {
    return { scoring: this.scoring.map((s) => s.name), alerting: this.alerting.map((s) => s.name) }
  }

  stop(): void {
    for (const s of this.subs.splice(0)) s.unsubscribe()
  }
}
