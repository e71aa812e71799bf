import type { RecordRefusal } from './errors.js'

/** A wide record that passed shape checks: `names[i]` carries `values[i]`. */
export interface ParsedRecord {
  index: number
  asset: string
  ts: number
  names: string[]
  values: number[]
}

export interface ParseOptions {
  /** Oldest and newest accepted timestamps, epoch ms (inclusive). */
  minTs: number
  maxTs: number
}

export interface ParseResult {
  records: ParsedRecord[]
  refused: RecordRefusal[]
}

export const ASSET_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/
export const CHANNEL_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/
/** ISO 8601 with a date, a time and an explicit zone; `Date.parse` alone accepts far looser text. */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/

/** Channel names already checked: a fleet repeats the same few names in every record. */
const VALID_NAMES = new Set<string>()
const MAX_REMEMBERED_NAMES = 10_000

function validChannelName(name: string): boolean {
  if (VALID_NAMES.has(name)) return true
  if (!CHANNEL_NAME_PATTERN.test(name)) return false
  if (VALID_NAMES.size < MAX_REMEMBERED_NAMES) VALID_NAMES.add(name)
  return true
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function parseTs(v: unknown): number | string {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return 'must be a finite number of epoch milliseconds'
    return Math.round(v)
  }
  if (typeof v === 'string') {
    if (!ISO_8601.test(v)) return 'must be epoch milliseconds or an ISO 8601 date-time with a zone, e.g. 2026-11-22T10:00:00Z'
    const ms = Date.parse(v)
    return Number.isNaN(ms) ? 'is not a valid date-time' : ms
  }
  return 'is required: epoch milliseconds or an ISO 8601 string'
}

/**
 * Checks the shape of wide records (`{asset, ts, values}`) one by one. A bad record is
 * refused with the first problem found; the others carry on. Pure: asset and channel
 * existence is checked later, against the store.
 */
export function parseRecords(input: readonly unknown[], opts: ParseOptions): ParseResult {
  const records: ParsedRecord[] = []
  const refused: RecordRefusal[] = []
  for (let index = 0; index < input.length; index++) {
    const r = input[index]
    const refuse = (field: string, reason: string): void => {
      refused.push({ index, field, reason })
    }
    if (!isPlainObject(r)) {
      refuse('', 'a record must be an object {asset, ts, values}')
      continue
    }
    const asset = r.asset
    if (typeof asset !== 'string' || !ASSET_ID_PATTERN.test(asset)) {
      refuse('asset', typeof asset === 'string' ? 'must be 1–128 letters, digits or _ . : - and start with a letter or digit' : 'is required: the asset id as a string')
      continue
    }
    const ts = parseTs(r.ts)
    if (typeof ts === 'string') {
      refuse('ts', ts)
      continue
    }
    if (ts < opts.minTs || ts > opts.maxTs) {
      refuse('ts', `${new Date(ts).toISOString()} is outside the accepted window ${new Date(opts.minTs).toISOString()} … ${new Date(opts.maxTs).toISOString()}`)
      continue
    }
    const values = r.values
    if (!isPlainObject(values)) {
      refuse('values', 'is required: an object of channel name → number')
      continue
    }
    const names: string[] = []
    const nums: number[] = []
    let bad = false
    for (const name in values) {
      const v = values[name]
      if (!validChannelName(name)) {
        refuse(`values.${name}`, 'channel names are 1–64 letters, digits or _ . - and start with a letter or _')
        bad = true
        break
      }
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        refuse(`values.${name}`, typeof v === 'number' ? 'must be a finite number (NaN and Infinity are refused)' : `must be a number, got ${v === null ? 'null' : typeof v}`)
        bad = true
        break
      }
      names.push(name)
      nums.push(v)
    }
    if (bad) continue
    if (names.length === 0) {
      refuse('values', 'holds no channel')
      continue
    }
    for (const k in r) {
      if (k !== 'asset' && k !== 'ts' && k !== 'values') {
        refuse(k, 'unknown field; a record has only asset, ts and values')
        bad = true
        break
      }
    }
    if (bad) continue
    records.push({ index, asset, ts, names, values: nums })
  }
  return { records, refused }
}
