import { BatchTooLargeError, MalformedBatchError, MalformedJsonError, type RecordRefusal } from './errors.js'

export interface ParseOptions {
  /** Oldest and newest accepted timestamps, epoch ms (inclusive). */
  minTs: number
  maxTs: number
}

/**
 * Records that passed shape checks, in columns. Record `r` came from `records[index[r]]`
 * of the request, belongs to `assets[asset[r]]` at time `ts[r]`, and carries the values
 * `value[k]` of channels `names[name[k]]` for `start[r] <= k < start[r + 1]`.
 * Columns are typed arrays so a worker thread can hand them over without copying.
 */
export interface ParsedBatch {
  /** Records in the request, accepted or not. */
  total: number
  count: number
  index: Int32Array
  asset: Int32Array
  ts: Float64Array
  start: Int32Array
  name: Int32Array
  value: Float64Array
  assets: string[]
  names: string[]
  refused: RecordRefusal[]
}

export const ASSET_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/
/** Names starting with `__` are reserved: `__proto__` must never become a key anywhere. */
export const CHANNEL_NAME_PATTERN = /^(?!__)[A-Za-z_][A-Za-z0-9_.-]{0,63}$/
/** ISO 8601 with a date, a time and an explicit zone; `Date.parse` alone accepts far looser text. */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/
const NAME_RULE = 'channel names are 1–64 letters, digits or _ . -, start with a letter or _, and do not start with __'

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The largest magnitude a JavaScript Date holds (±100,000,000 days around 1970). */
export const MAX_TS_MAGNITUDE = 8.64e15

/**
 * A query bound: whole epoch milliseconds, an ISO 8601 date-time with a zone, or a
 * plain date (UTC midnight). Null for anything else, including what Date.parse would guess at.
 */
export function parseTimeParam(v: string): number | null {
  const n = /^-?\d+$/.test(v) ? Number(v) : ISO_8601.test(v) || /^\d{4}-\d{2}-\d{2}$/.test(v) ? Date.parse(v) : Number.NaN
  return Number.isFinite(n) && Math.abs(n) <= MAX_TS_MAGNITUDE ? n : null
}

function parseTs(v: unknown): number | string {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return 'must be a finite number of epoch milliseconds'
    if (Math.abs(v) > MAX_TS_MAGNITUDE) return `${v} is outside the range of dates (±${MAX_TS_MAGNITUDE} ms around 1970)`
    return Math.round(v)
  }
  if (typeof v === 'string') {
    if (!ISO_8601.test(v)) return 'must be epoch milliseconds or an ISO 8601 date-time with a zone, e.g. 2026-11-22T10:00:00Z'
    const ms = Date.parse(v)
    return Number.isNaN(ms) ? 'is not a valid date-time' : ms
  }
  return 'is required: epoch milliseconds or an ISO 8601 string'
}

/** Interns strings to small integers, checking each distinct one once. */
class Interner {
  readonly list: string[] = []
  private readonly ids = new Map<string, number>()
  constructor(private readonly check: (s: string) => boolean) {}
  /** The id of `s`, or -1 when it fails the check. */
  id(s: string): number {
    const hit = this.ids.get(s)
    if (hit !== undefined) return hit
    if (!this.check(s)) return -1
    this.list.push(s)
    this.ids.set(s, this.list.length - 1)
    return this.list.length - 1
  }
}

/**
 * Checks the shape of wide records (`{asset, ts, values}`) one by one. A bad record is
 * refused with the first problem found; the others carry on. Pure: asset and channel
 * existence is checked later, against the store.
 */
export function parseBatch(input: readonly unknown[], opts: ParseOptions): ParsedBatch {
  const n = input.length
  const index = new Int32Array(n)
  const assetCol = new Int32Array(n)
  const tsCol = new Float64Array(n)
  const start = new Int32Array(n + 1)
  let nameCol = new Int32Array(n * 8 + 8)
  let valueCol = new Float64Array(n * 8 + 8)
  const assets = new Interner((s) => ASSET_ID_PATTERN.test(s))
  const names = new Interner((s) => CHANNEL_NAME_PATTERN.test(s))
  const refused: RecordRefusal[] = []
  let count = 0
  let k = 0

  for (let i = 0; i < n; i++) {
    const r = input[i]
    const refuse = (field: string, reason: string): void => {
      refused.push({ index: i, field, reason })
      k = start[count]!
    }
    if (!isPlainObject(r)) {
      refuse('', 'a record must be an object {asset, ts, values}')
      continue
    }
    const asset = r.asset
    const assetId = typeof asset === 'string' ? assets.id(asset) : -1
    if (assetId < 0) {
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
    let problem: [string, string] | null = null
    for (const key in values) {
      const v = values[key]
      const nameId = names.id(key)
      if (nameId < 0) {
        problem = [`values.${key}`, NAME_RULE]
        break
      }
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        problem = [`values.${key}`, typeof v === 'number' ? 'must be a finite number (NaN and Infinity are refused)' : `must be a number, got ${v === null ? 'null' : typeof v}`]
        break
      }
      if (k === nameCol.length) {
        const grownNames = new Int32Array(k * 2)
        grownNames.set(nameCol)
        nameCol = grownNames
        const grownValues = new Float64Array(k * 2)
        grownValues.set(valueCol)
        valueCol = grownValues
      }
      nameCol[k] = nameId
      valueCol[k] = v
      k++
    }
    if (problem === null && k === start[count]) problem = ['values', 'holds no channel']
    if (problem === null) {
      for (const key in r) {
        if (key !== 'asset' && key !== 'ts' && key !== 'values') {
          problem = [key, 'unknown field; a record has only asset, ts and values']
          break
        }
      }
    }
    if (problem !== null) {
      refuse(problem[0], problem[1])
      continue
    }
    index[count] = i
    assetCol[count] = assetId
    tsCol[count] = ts
    count++
    start[count] = k
  }
  return {
    total: n,
    count,
    index: index.slice(0, count),
    asset: assetCol.slice(0, count),
    ts: tsCol.slice(0, count),
    start: start.slice(0, count + 1),
    name: nameCol.slice(0, k),
    value: valueCol.slice(0, k),
    assets: assets.list,
    names: names.list,
    refused,
  }
}

/**
 * Parses an ingest request body (`{"records": [...]}`) and checks its records.
 * Throws MalformedJsonError, MalformedBatchError or BatchTooLargeError for the whole body.
 */
export function parseIngestBody(text: string, opts: ParseOptions & { maxRecords: number }): ParsedBatch {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch (err) {
    throw new MalformedJsonError(`the body is not valid JSON: ${(err as Error).message}`)
  }
  const records = isPlainObject(body) ? body.records : undefined
  if (!Array.isArray(records)) throw new MalformedBatchError('the body must be {"records": [ … ]}')
  if (records.length > opts.maxRecords) throw new BatchTooLargeError(records.length, opts.maxRecords)
  return parseBatch(records, opts)
}
