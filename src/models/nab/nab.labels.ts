/**
 * Parsers for NAB's inputs, pure (they take file contents, not paths): `combined_windows.json`,
 * `config/profiles.json`, and the data and results CSVs.
 */
import { NabInputError } from './errors.js'
import type { CostMatrix, NabProfiles, NabWindow } from './nab.scorer.js'

const TS = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?Z?$/

/** NAB timestamps (`2014-04-10 07:15:00` or `2014-04-10 07:15:00.000000`) as epoch milliseconds, read as UTC. */
export function parseNabTimestamp(s: string): number {
  const m = TS.exec(s.trim())
  if (m === null) throw new NabInputError(`not a NAB timestamp: '${s}'`)
  const ms = m[7] === undefined ? 0 : Math.round(Number(`0.${m[7]}`) * 1000)
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), ms)
}

/** Formats epoch milliseconds the way NAB's CSVs do (`2014-04-10 07:15:00`). */
export function formatNabTimestamp(ts: number): string {
  return new Date(ts).toISOString().slice(0, 19).replace('T', ' ')
}

/** `combined_windows.json`: data file (relative path) → its anomaly windows. */
export function parseWindows(json: unknown): Record<string, NabWindow[]> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new NabInputError('labels: expected an object of "<folder>/<file>.csv": [[start, end], …]')
  const out: Record<string, NabWindow[]> = {}
  for (const [path, wins] of Object.entries(json as Record<string, unknown>)) {
    if (!Array.isArray(wins)) throw new NabInputError(`labels: '${path}' must map to a list of windows`)
    out[normalisePath(path)] = wins.map((w, i) => {
      if (!Array.isArray(w) || w.length !== 2 || typeof w[0] !== 'string' || typeof w[1] !== 'string') {
        throw new NabInputError(`labels: window ${i} of '${path}' must be [start, end] timestamps`)
      }
      return [parseNabTimestamp(w[0]), parseNabTimestamp(w[1])] as const
    })
  }
  return out
}

/** `config/profiles.json`: profile → `{CostMatrix: {tpWeight, fpWeight, fnWeight, tnWeight}}`. */
export function parseProfiles(json: unknown): NabProfiles {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new NabInputError('profiles: expected an object of profile → {CostMatrix}')
  const out: Record<string, CostMatrix> = {}
  for (const [name, p] of Object.entries(json as Record<string, unknown>)) {
    const cm = (p as { CostMatrix?: Record<string, unknown> } | null)?.CostMatrix
    const num = (k: string): number => {
      const v = cm?.[k]
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new NabInputError(`profiles: '${name}.CostMatrix.${k}' must be a number`)
      return v
    }
    out[name] = { tpWeight: num('tpWeight'), fpWeight: num('fpWeight'), fnWeight: num('fnWeight'), tnWeight: typeof cm?.tnWeight === 'number' ? cm.tnWeight : 1 }
  }
  if (Object.keys(out).length === 0) throw new NabInputError('profiles: no profile')
  return out
}

/** A NAB CSV as columns: `timestamp` parsed to epoch ms, every other column as numbers (empty → NaN). */
export interface NabTable {
  readonly timestamps: number[]
  readonly columns: Readonly<Record<string, number[]>>
}

/** Parses a NAB data file (`timestamp,value`) or results file (`timestamp,…,anomaly_score,…`). */
export function parseNabCsv(text: string, name = 'csv'): NabTable {
  const lines = text.split(/\r?\n/)
  const header = (lines[0] ?? '').split(',').map((h) => h.trim())
  const tsCol = header.indexOf('timestamp')
  if (tsCol < 0) throw new NabInputError(`${name}: no 'timestamp' column`)
  const cols: Record<string, number[]> = {}
  const names = header.map((h, i) => (i === tsCol ? '' : h))
  for (const h of names) if (h !== '') cols[h] = []
  const timestamps: number[] = []
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!
    if (line.trim() === '') continue
    const cells = line.split(',')
    timestamps.push(parseNabTimestamp(cells[tsCol] ?? ''))
    names.forEach((h, j) => {
      if (h === '') return
      const c = cells[j]?.trim() ?? ''
      cols[h]!.push(c === '' ? Number.NaN : Number(c))
    })
  }
  return { timestamps, columns: cols }
}

/** Labels keys use '/', whatever the platform. */
export function normalisePath(p: string): string {
  return p.replace(/\\/g, '/').replace(/^\.\//, '')
}
