import { describe, expect, it } from 'vitest'
import type { FaultKind } from '../../sim/sim.types.js'
import './asset-ensemble.model.js'
import { evaluateFaults } from './faults.eval.js'

/**
 * Done-when of issue 4: the simulators' faults are detected on a simulated fleet, with
 * measured delays and false alarms (simulated time, no waiting), and every alarm names the
 * channels that drove it. Bounds hold for the seeds below with some room; the figures are
 * in docs/benchmarks.md (`prognos eval faults`).
 */
const BOUNDS: Record<FaultKind, { maxDelaySec: number; channels: string[] }> = {
  // The engine fails 480 s after onset: it must be caught before.
  degradation: { maxDelaySec: 480, channels: ['t24', 't30', 't50', 'p30', 'nf', 'nc', 'ps30', 'phi', 'nrf', 'nrc', 'bpr', 'htbleed', 'w31', 'w32'] },
  thermal_runaway: { maxDelaySec: 360, channels: ['temperature', 'voltage', 'internal_resistance', 'current'] },
  cell_imbalance: { maxDelaySec: 600, channels: ['voltage', 'dc_voltage', 'current', 'soc'] },
  sensor_dropout: { maxDelaySec: 120, channels: ['temperature'] },
  stuck_meter: { maxDelaySec: 180, channels: ['power_kw', 'energy_kwh'] },
  spikes: { maxDelaySec: 120, channels: ['power_kw'] },
}

describe.each([1, 3])('simulated fleet faults, seed %d', (seed) => {
  const report = evaluateFaults({ seed })

  it.each(Object.keys(BOUNDS) as FaultKind[])('%s is detected within its bound, naming a channel it acts on', (kind) => {
    const f = report.faults.find((x) => x.kind === kind)
    expect(f, `no ${kind} fault in the fleet`).toBeDefined()
    expect(f!.detected).toBe(true)
    expect(f!.delaySec).toBeGreaterThanOrEqual(0)
    expect(f!.delaySec!).toBeLessThanOrEqual(BOUNDS[kind].maxDelaySec)
    expect(f!.channels.length).toBeGreaterThan(0)
    expect(f!.channels.some((c) => BOUNDS[kind].channels.includes(c)), `channels ${f!.channels.join(',')}`).toBe(true)
  })

  it('raises at most 1.5 false alarms per asset-hour on healthy data', () => {
    expect(report.healthyAssetHours).toBeGreaterThan(15)
    expect(report.falseAlarmsPerAssetHour).toBeLessThanOrEqual(1.5)
  })
})
