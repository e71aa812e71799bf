/**
 * Shapes shared by all simulators. `fleet.sim.ts` re-exports them; other parts of
 * the platform should import from there.
 */
import type { ChannelSpec } from '../domain/model.js'

/** One report of an asset: every channel it measured at `ts` (epoch ms). A channel that did not report is absent, never NaN. */
export interface WideRecord {
  asset: string
  ts: number
  values: Record<string, number>
}

/** A site of the demo fleet. */
export interface SimSite {
  id: string
  name: string
  latitude: number
  longitude: number
  /** IANA zone name. */
  timezone: string
  /** ISO 3166-1 alpha-2. */
  country: string
}

/** An asset as the simulator describes it, ready to be registered. */
export interface SimAsset {
  id: string
  siteId: string
  parentId: string | null
  type: string
  name: string
  metadata: Record<string, unknown>
  channels: ChannelSpec[]
}

/** Faults the demo fleet can inject. */
export type FaultKind = 'degradation' | 'thermal_runaway' | 'cell_imbalance' | 'sensor_dropout' | 'stuck_meter' | 'spikes'

/** A fault that will be injected into `assetId` from `startTs` (epoch ms, wall time). */
export interface FaultEvent {
  assetId: string
  kind: FaultKind
  startTs: number
}

/** Anything that produces records when the clock advances. */
export interface Ticking {
  /** Appends this simulator's records due at `ts` to `out`. `ts` never decreases between calls. */
  tick(ts: number, out: WideRecord[]): void
}
