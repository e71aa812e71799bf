import type { AssetFeatures, Prediction } from '../pipeline/bus.js'
import type { ScoringStage } from '../pipeline/stages.js'
import type { ModelRouter } from './model.router.js'

/**
 * The pipeline's scoring stage for registered models: every feature vector is scored by
 * each deployed model of its tenant whose inputs it holds, on the version its asset routes
 * to. The predictions carry model, version and deployment; shadow versions are recorded by
 * the router and never published (nothing acts on them).
 */
export function registryScoringStage(router: ModelRouter): ScoringStage {
  return {
    name: 'registry',
    async score(tenantId: string, assets: readonly AssetFeatures[]): Promise<Prediction[]> {
      const out: Prediction[] = []
      for (const s of router.served(tenantId)) {
        const items = assets
          .map((a) => ({ assetId: a.assetId, ts: a.ts, features: a.vector as Readonly<Record<string, number>> }))
          .filter((a) => s.inputs.length > 0 && s.inputs.every((n) => a.features[n] !== undefined))
        if (items.length === 0) continue
        const results = await router.predict(tenantId, s.model, items, { skipUnfit: true, source: 'registry' })
        for (const r of results) out.push(router.toPrediction(s, r, 'registry'))
      }
      return out
    },
  }
}
