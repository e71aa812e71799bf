/**
 * Default rules, installed once per tenant (ids `default-…`, so re-installing replaces
 * nothing a user changed or deleted: see AlertingService.installDefaults). Raw-channel
 * thresholds were chosen on the simulated fleet: a healthy simulated day stays inside
 * them, and each injected fault crosses them (test/e2e/alerts.sim.test.ts).
 *
 * Healthy ranges seen over a simulated day: cell temperature 21–26 °C, cell voltage
 * 1.95–2.27 V (an imbalanced cell sits near 1.88 V), pack temperature 24–39 °C, meter power changes < 10 kW/s at 1 s sampling,
 * turbofans every 10 s.
 */
import type { RuleInput } from './rule.validate.js'

export interface DefaultRule {
  id: string
  input: RuleInput
}

/** Per asset type (battery, turbofan, energy meter), plus the prediction-based rules for every asset. */
export const DEFAULT_RULES: readonly DefaultRule[] = [
  // Lead-acid cells: thermal runaway shows as heat, imbalance as a sagging cell voltage.
  { id: 'default-cell-temperature', input: { name: 'Cell temperature', kind: 'threshold', scope: { assetType: 'battery_cell' }, target: 'temperature', warning: 40, critical: 55, hysteresis: 2, for: '30s' } },
  // Healthy cells never go below 1.95 V, even in discharge; an imbalanced one settles near 1.88 V on float.
  { id: 'default-cell-voltage-low', input: { name: 'Cell voltage low', kind: 'threshold', scope: { assetType: 'battery_cell' }, target: 'voltage', direction: 'below', warning: 1.9, critical: 1.75, hysteresis: 0.02, for: '2m' } },
  { id: 'default-cell-stale', input: { name: 'Cell not reporting', kind: 'staleness', scope: { assetType: 'battery_cell' }, target: 'voltage', stale: '2m' } },
  { id: 'default-string-temperature', input: { name: 'String temperature', kind: 'threshold', scope: { assetType: 'battery_string' }, target: 'temperature', warning: 40, critical: 50, hysteresis: 2, for: '30s' } },
  { id: 'default-string-temperature-stale', input: { name: 'String temperature sensor silent', kind: 'staleness', scope: { assetType: 'battery_string' }, target: 'temperature', stale: '45s' } },
  // Li-ion packs.
  { id: 'default-pack-temperature', input: { name: 'Pack temperature', kind: 'threshold', scope: { assetType: 'li_ion_pack' }, target: 'temperature', warning: 45, critical: 55, hysteresis: 2, for: '30s' } },
  { id: 'default-pack-temperature-stale', input: { name: 'Pack temperature sensor silent', kind: 'staleness', scope: { assetType: 'li_ion_pack' }, target: 'temperature', stale: '45s' } },
  // Turbofans: wear is the RUL and health models' business (issue 6); raw data only tells whether it arrives.
  { id: 'default-turbofan-stale', input: { name: 'Engine not reporting', kind: 'staleness', scope: { assetType: 'turbofan' }, target: 't50', stale: '60s' } },
  // Energy meters: a stuck register repeats itself (energy stops counting); spikes jump far faster than any load.
  { id: 'default-meter-stuck', input: { name: 'Meter stuck', kind: 'rate_of_change', scope: { assetType: 'energy_meter' }, target: 'energy_kwh', direction: 'below', warning: 0, window: '60s', for: '30s' } },
  { id: 'default-meter-spike', input: { name: 'Meter power spike', kind: 'rate_of_change', scope: { assetType: 'energy_meter' }, target: 'power_kw', warning: 50, window: '1s' } },
  { id: 'default-meter-stale', input: { name: 'Meter not reporting', kind: 'staleness', scope: { assetType: 'energy_meter' }, target: 'power_kw', stale: '2m' } },
  // What the models say, for every asset (active once the scoring stages publish these kinds).
  { id: 'default-health', input: { name: 'Health index', kind: 'health', scope: 'tenant', for: '5m' } },
  { id: 'default-rul', input: { name: 'Remaining useful life', kind: 'rul', scope: 'tenant' } },
  { id: 'default-anomaly', input: { name: 'Anomaly score', kind: 'anomaly_score', scope: 'tenant', for: '1m' } },
  { id: 'default-drift', input: { name: 'Model input drift', kind: 'drift', scope: 'tenant', for: '10m' } },
  { id: 'default-model-errors', input: { name: 'Model errors', kind: 'model_error', scope: 'tenant', stale: '10m' } },
]
