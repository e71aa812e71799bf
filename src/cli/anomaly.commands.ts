/**
 * `prognos eval faults`: runs the simulated fleet with injected faults through the anomaly
 * detectors on simulated time and reports detection delay and false alarms per fault kind.
 */
import { Presets, SingleBar } from 'cli-progress'
import type { Command } from 'commander'
import '../models/anomaly/asset-ensemble.model.js'
import { evaluateFaults, type FaultEvalReport } from '../models/anomaly/faults.eval.js'

interface FaultsOptions {
  seed: string
  warmupMin: string
  faultMin: string
  detectors?: string
  json?: boolean
}

function positiveInt(name: string, v: string): number {
  const n = Number(v)
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a whole number ≥ 1, got '${v}'`)
  return n
}

function table(r: FaultEvalReport): string {
  const lines = ['fault            asset         detected  delay s  first alarm from      channels']
  for (const f of r.faults) {
    lines.push(
      `${f.kind.padEnd(16)} ${f.assetId.padEnd(13)} ${(f.detected ? 'yes' : 'NO').padEnd(9)} ${String(f.delaySec ?? '–').padStart(7)}  ${`${f.detector ?? '–'} @ ${f.alarmAsset ?? '–'}`.padEnd(21)} ${f.channels.slice(0, 3).join(', ')}`,
    )
  }
  lines.push('')
  lines.push(`false alarms: ${r.falseAlarms} over ${r.healthyAssetHours.toFixed(1)} healthy asset-hours = ${r.falseAlarmsPerAssetHour.toFixed(2)} per asset-hour (${r.assets} assets, ${r.vectors} vectors, ${r.simulatedMinutes} simulated minutes)`)
  for (const [k, n] of Object.entries(r.falseAlarmsBySource).sort((a, b) => b[1] - a[1])) lines.push(`  ${String(n).padStart(4)}  ${k}`)
  return lines.join('\n')
}

/** Adds `eval faults` (creating the `eval` group unless another module already did). */
export function registerAnomalyCommands(program: Command): void {
  const evalCmd = program.commands.find((c) => c.name() === 'eval') ?? program.command('eval').description('evaluate models on reference or simulated data')
  evalCmd
    .command('faults')
    .description('run a simulated fleet with injected faults through the anomaly detectors (simulated time) and report detection delay and false alarms')
    .option('--seed <n>', 'random seed of the fleet', '1')
    .option('--warmup-min <n>', 'healthy minutes before the faults start', '40')
    .option('--fault-min <n>', 'minutes run after the faults start', '20')
    .option('--detectors <list>', 'comma-separated detectors for every asset (default: per asset type)')
    .option('--json', 'print one JSON line')
    .action((o: FaultsOptions) => {
      const json = o.json === true
      const bar = process.stderr.isTTY ? new SingleBar({ format: 'simulating [{bar}] {percentage}% | {value}/{total} min', stream: process.stderr }, Presets.shades_classic) : null
      const t0 = Date.now()
      const report = evaluateFaults({
        seed: positiveInt('seed', o.seed),
        warmupMin: positiveInt('warmup-min', o.warmupMin),
        faultMin: positiveInt('fault-min', o.faultMin),
        ...(o.detectors ? { ensemble: { detectors: o.detectors.split(',').map((d) => d.trim()) } } : {}),
        onProgress: (done, total) => {
          if (!bar) return
          if (done === 0) bar.start(total, 0)
          bar.update(done)
        },
      })
      bar?.stop()
      const wallSec = (Date.now() - t0) / 1000
      if (json) process.stdout.write(`${JSON.stringify({ ...report, wallSec })}\n`)
      else process.stdout.write(`${table(report)}\n(${wallSec.toFixed(1)} s)\n`)
    })
}
