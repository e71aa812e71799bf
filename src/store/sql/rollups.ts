import type { Bucket, RetentionCutoffs, RollupPass, RollupStatus } from '../ports.js'
import type { Migration, SqlClient } from './client.js'
import { inList } from './in-list.js'

/**
 * Rollups of the readings table, in the SQL DuckDB and PostgreSQL share.
 *
 * - `readings_1m`, `readings_1h`, `readings_1d` hold `(series, ts, min, max, sum, count)`
 *   per aligned bucket (`ts - ts % width`), for ts ≥ 0.
 * - `rollup_state` holds the **watermark**: every raw reading with ts below it is in the
 *   minute rollup, except the minutes listed in `rollup_dirty`. Hours are complete below
 *   the watermark floored to the hour, days below it floored to the day.
 * - `rollup_dirty` lists minutes (series, minute start) that received readings below
 *   the announced watermark (`dirty_below`); the append that wrote them records them in
 *   its own transaction, and the next pass recomputes them.
 * - `*_expired` state rows say below which ts a table's rows were deleted by retention,
 *   so that a late reading there never recomputes a bucket from a table that lost its data.
 */

export const MINUTE_MS = 60_000
export const HOUR_MS = 3_600_000
export const DAY_MS = 86_400_000

export interface RollupLevel {
  table: 'readings_1m' | 'readings_1h' | 'readings_1d'
  widthMs: number
}

/** Finest first; each level is computed from the one before it (the minute level from raw readings). */
export const ROLLUP_LEVELS: readonly RollupLevel[] = [
  { table: 'readings_1m', widthMs: MINUTE_MS },
  { table: 'readings_1h', widthMs: HOUR_MS },
  { table: 'readings_1d', widthMs: DAY_MS },
]

export const ROLLUP_MIGRATION_VERSION = 5

/**
 * Migration 5: the rollup tables and their state. PostgreSQL gets (series, ts) indexes;
 * DuckDB prunes with zone maps and has no index to keep up.
 */
export function rollupMigration(indexes: boolean): Migration {
  const table = (name: string): string =>
    `CREATE TABLE ${name} (series INTEGER NOT NULL, ts BIGINT NOT NULL, min DOUBLE PRECISION NOT NULL, max DOUBLE PRECISION NOT NULL, sum DOUBLE PRECISION NOT NULL, count BIGINT NOT NULL)`
  const stmts = [
    ...ROLLUP_LEVELS.map((l) => table(l.table)),
    'CREATE TABLE rollup_dirty (series INTEGER NOT NULL, ts BIGINT NOT NULL)',
    'CREATE TABLE rollup_state (name VARCHAR PRIMARY KEY, value BIGINT)',
    `INSERT INTO rollup_state (name, value) VALUES ('watermark', NULL), ('dirty_below', NULL), ('readings_expired', NULL), ('readings_1m_expired', NULL), ('readings_1h_expired', NULL), ('readings_1d_expired', NULL)`,
  ]
  if (indexes) {
    for (const l of ROLLUP_LEVELS) stmts.push(`CREATE INDEX ${l.table}_series_ts ON ${l.table} (series, ts)`)
    stmts.push('CREATE INDEX rollup_dirty_ts ON rollup_dirty (ts)')
  }
  return { version: ROLLUP_MIGRATION_VERSION, name: 'rollups: minute, hour and day', sql: stmts.join(';\n') }
}

const floorTo = (t: number, w: number): number => Math.floor(t / w) * w

interface StateRow {
  name: string
  value: number | null
}

export interface RollupStateValues {
  watermark: number | null
  dirtyBelow: number | null
  expired: Record<'readings' | RollupLevel['table'], number | null>
}

export async function readRollupState(db: SqlClient): Promise<RollupStateValues> {
  const rows = await db.query<StateRow>('SELECT name, value FROM rollup_state')
  const v = new Map(rows.map((r) => [r.name, r.value === null ? null : Number(r.value)]))
  return {
    watermark: v.get('watermark') ?? null,
    dirtyBelow: v.get('dirty_below') ?? null,
    expired: {
      readings: v.get('readings_expired') ?? null,
      readings_1m: v.get('readings_1m_expired') ?? null,
      readings_1h: v.get('readings_1h_expired') ?? null,
      readings_1d: v.get('readings_1d_expired') ?? null,
    },
  }
}

const setState = (db: SqlClient, name: string, value: number): Promise<unknown> => db.query('UPDATE rollup_state SET value = $1 WHERE name = $2', [value, name])

/** A dirty minute of every series (a backfill), instead of one row per series. */
export const ALL_SERIES = -1
/** Beyond this many late (series, minute) pairs in one commit, the minutes are marked for all series. */
export const MAX_DIRTY_PAIRS_PER_COMMIT = 256

/**
 * The distinct minutes (series, minute start) of the rows of `b` with 0 ≤ ts < below:
 * what an append must record in `rollup_dirty`. Late rows are rare, so this is a
 * comparison per reading and nothing more in the usual case. A backfill (more than
 * MAX_DIRTY_PAIRS_PER_COMMIT pairs) is recorded as whole minutes, series ALL_SERIES,
 * so a request of 10,000 series in one second writes one row, not 10,000.
 */
export function lateMinutes(b: { series: Int32Array; ts: Float64Array; length: number }, below: number | null): [number, number][] {
  if (below === null) return []
  let byMinute: Map<number, Set<number>> | null = null
  let pairs = 0
  for (let i = 0; i < b.length; i++) {
    const t = b.ts[i]!
    if (t >= below || t < 0) continue
    const m = t - (t % MINUTE_MS)
    byMinute ??= new Map()
    let set = byMinute.get(m)
    if (!set) byMinute.set(m, (set = new Set()))
    if (pairs <= MAX_DIRTY_PAIRS_PER_COMMIT && !set.has(b.series[i]!)) {
      set.add(b.series[i]!)
      pairs++
    }
  }
  if (!byMinute) return []
  if (pairs > MAX_DIRTY_PAIRS_PER_COMMIT) return [...byMinute.keys()].map((m) => [ALL_SERIES, m])
  const out: [number, number][] = []
  for (const [m, set] of byMinute) for (const s of set) out.push([s, m])
  return out
}

/** Records late minutes in `rollup_dirty`, inside the caller's transaction. */
export async function insertDirty(run: (sql: string) => Promise<unknown>, minutes: readonly [number, number][]): Promise<void> {
  for (let off = 0; off < minutes.length; off += 1000) {
    const values = minutes
      .slice(off, off + 1000)
      .map(([s, m]) => `(${s}, ${m})`)
      .join(',')
    await run(`INSERT INTO rollup_dirty (series, ts) VALUES ${values}`)
  }
}

/** Most dirty minutes one pass recomputes; the rest wait for the next pass. */
export const DEFAULT_MAX_DIRTY_PER_PASS = 20_000

export interface RollUpOptions {
  /** Roll minutes that end at or before this ts (it is floored to a minute). */
  upTo: number
  /** Widest span of raw time this pass rolls. */
  maxSpanMs: number
  /** DuckDB keeps `dirty_below` with the watermark; PostgreSQL announces it in its own transaction. */
  persistDirtyBelow: boolean
  maxDirty?: number
}

/**
 * One bounded rollup pass inside `tx`: rolls raw minutes [watermark, watermark + maxSpanMs)
 * (capped at upTo) into the minute level, the hours and days they complete into the
 * coarser levels, recomputes up to `maxDirty` dirty minutes with their hours and days,
 * and moves the watermark, all in the caller's transaction.
 */
export async function rollUpSlice(tx: SqlClient, o: RollUpOptions): Promise<RollupPass> {
  const st = await readRollupState(tx)
  const target = floorTo(o.upTo, MINUTE_MS)
  let lo = st.watermark
  if (lo === null) {
    // First pass: start at the oldest reading, so existing history is rolled up too.
    const [r] = await tx.query<{ t: number | null }>('SELECT min(ts) AS t FROM readings WHERE ts >= 0')
    lo = r?.t === null || r?.t === undefined ? target : floorTo(Number(r.t), MINUTE_MS)
  }
  const span = Math.max(MINUTE_MS, floorTo(o.maxSpanMs, MINUTE_MS))
  const hi = Math.max(lo, Math.min(target, lo + span))
  if (hi > lo) {
    await tx.query('DELETE FROM readings_1m WHERE ts >= $1 AND ts < $2', [lo, hi])
    await tx.query(
      `INSERT INTO readings_1m (series, ts, min, max, sum, count)
       SELECT series, ts - ts % ${MINUTE_MS}, min(value), max(value), sum(value), count(*) FROM readings WHERE ts >= $1 AND ts < $2 GROUP BY 1, 2`,
      [lo, hi],
    )
    for (let i = 1; i < ROLLUP_LEVELS.length; i++) {
      const src = ROLLUP_LEVELS[i - 1]!
      const dst = ROLLUP_LEVELS[i]!
      const a = floorTo(lo, dst.widthMs)
      const b = floorTo(hi, dst.widthMs)
      if (b <= a) continue
      await tx.query(`DELETE FROM ${dst.table} WHERE ts >= $1 AND ts < $2`, [a, b])
      await tx.query(
        `INSERT INTO ${dst.table} (series, ts, min, max, sum, count)
         SELECT series, ts - ts % ${dst.widthMs}, min(min), max(max), sum(sum), sum(count) FROM ${src.table} WHERE ts >= $1 AND ts < $2 GROUP BY 1, 2`,
        [a, b],
      )
    }
  }

  // Dirty minutes below the new watermark, oldest first, at most maxDirty of them.
  const maxDirty = o.maxDirty ?? DEFAULT_MAX_DIRTY_PER_PASS
  let dirtyHi = hi
  const [cut] = await tx.query<{ ts: number }>(`SELECT ts FROM (SELECT DISTINCT series, ts FROM rollup_dirty WHERE ts < $1) d ORDER BY ts LIMIT 1 OFFSET ${Math.max(1, Math.floor(maxDirty))}`, [hi])
  if (cut) dirtyHi = Number(cut.ts)
  const [first] = await tx.query<{ ts: number | null }>('SELECT min(ts) AS ts FROM rollup_dirty WHERE ts < $1', [hi])
  const oldest = first?.ts === null || first?.ts === undefined ? null : Number(first.ts)
  // Never stall on one crowded minute: it is taken whole.
  if (oldest !== null && dirtyHi <= oldest) dirtyHi = oldest + 1
  let dirty = 0
  if (oldest !== null) {
    const [n] = await tx.query<{ n: number }>('SELECT count(*) AS n FROM (SELECT DISTINCT series, ts FROM rollup_dirty WHERE ts < $1) d', [dirtyHi])
    dirty = Number(n?.n ?? 0)
    // A minute whose raw readings expired keeps its rollup: recomputing it would keep only the late reading.
    const rawFloor = st.expired.readings ?? -1
    const inRange = `ts >= ${rawFloor} AND ts < ${dirtyHi}`
    // Minutes of every series, then the (series, minute) pairs outside them: disjoint, so nothing is counted twice.
    const allMinutes = `SELECT DISTINCT ts FROM rollup_dirty WHERE series = ${ALL_SERIES} AND ${inRange}`
    const pairs = `SELECT DISTINCT series, ts FROM rollup_dirty WHERE series <> ${ALL_SERIES} AND ${inRange} AND ts NOT IN (${allMinutes})`
    await tx.query(`DELETE FROM readings_1m WHERE ts IN (${allMinutes})`)
    await tx.query(`DELETE FROM readings_1m WHERE EXISTS (SELECT 1 FROM (${pairs}) d WHERE d.series = readings_1m.series AND d.ts = readings_1m.ts)`)
    const minuteRow = `r.series, r.ts - r.ts % ${MINUTE_MS}, min(r.value), max(r.value), sum(r.value), count(*)`
    await tx.query(`INSERT INTO readings_1m (series, ts, min, max, sum, count) SELECT ${minuteRow} FROM readings r JOIN (${allMinutes}) d ON r.ts >= d.ts AND r.ts < d.ts + ${MINUTE_MS} GROUP BY 1, 2`)
    await tx.query(`INSERT INTO readings_1m (series, ts, min, max, sum, count) SELECT ${minuteRow} FROM readings r JOIN (${pairs}) d ON r.series = d.series AND r.ts >= d.ts AND r.ts < d.ts + ${MINUTE_MS} GROUP BY 1, 2`)
    for (let i = 1; i < ROLLUP_LEVELS.length; i++) {
      const src = ROLLUP_LEVELS[i - 1]!
      const dst = ROLLUP_LEVELS[i]!
      const w = dst.widthMs
      // Only complete buckets whose source rows are all still kept.
      const srcFloor = st.expired[src.table] ?? -1
      const bucketCond = `${inRange} AND ts - ts % ${w} >= ${srcFloor} AND ts - ts % ${w} < ${floorTo(hi, w)}`
      const allBuckets = `SELECT DISTINCT ts - ts % ${w} AS b FROM rollup_dirty WHERE series = ${ALL_SERIES} AND ${bucketCond}`
      const buckets = `SELECT DISTINCT series, ts - ts % ${w} AS b FROM rollup_dirty WHERE series <> ${ALL_SERIES} AND ${bucketCond} AND ts - ts % ${w} NOT IN (${allBuckets})`
      const row = `m.series, m.ts - m.ts % ${w}, min(m.min), max(m.max), sum(m.sum), sum(m.count)`
      await tx.query(`DELETE FROM ${dst.table} WHERE ts IN (${allBuckets})`)
      await tx.query(`DELETE FROM ${dst.table} WHERE EXISTS (SELECT 1 FROM (${buckets}) d WHERE d.series = ${dst.table}.series AND d.b = ${dst.table}.ts)`)
      await tx.query(`INSERT INTO ${dst.table} (series, ts, min, max, sum, count) SELECT ${row} FROM ${src.table} m JOIN (${allBuckets}) d ON m.ts >= d.b AND m.ts < d.b + ${w} GROUP BY 1, 2`)
      await tx.query(`INSERT INTO ${dst.table} (series, ts, min, max, sum, count) SELECT ${row} FROM ${src.table} m JOIN (${buckets}) d ON m.series = d.series AND m.ts >= d.b AND m.ts < d.b + ${w} GROUP BY 1, 2`)
    }
    await tx.query('DELETE FROM rollup_dirty WHERE ts < $1', [dirtyHi])
  }
  await setState(tx, 'watermark', hi)
  if (o.persistDirtyBelow) await setState(tx, 'dirty_below', Math.max(hi, st.dirtyBelow ?? hi))
  const [left] = await tx.query<{ n: number }>('SELECT count(*) AS n FROM rollup_dirty WHERE ts < $1', [hi])
  return { from: lo, to: hi, dirtyMinutes: dirty, caughtUp: hi >= target && Number(left?.n ?? 0) === 0 }
}

/**
 * Retention inside `tx`: deletes raw readings and each rollup level below its cutoff,
 * never past what the coarser level has already taken in (raw below the watermark,
 * minutes below the last complete hour, hours below the last complete day).
 * `dropRaw` lets an adapter remove whole partitions first. Returns the cutoffs applied.
 */
export async function expireSlice(tx: SqlClient, cutoffs: RetentionCutoffs, dropRaw?: (before: number) => Promise<void>): Promise<RetentionCutoffs> {
  const st = await readRollupState(tx)
  const applied: RetentionCutoffs = { raw: null, minute: null, hour: null, day: null }
  // Nothing was rolled up yet: raw readings are all there is.
  if (st.watermark === null) return applied
  const w = st.watermark
  const plan: [keyof RetentionCutoffs, 'readings' | RollupLevel['table'], number | null][] = [
    ['raw', 'readings', cutoffs.raw === null ? null : Math.min(cutoffs.raw, w)],
    ['minute', 'readings_1m', cutoffs.minute === null ? null : Math.min(cutoffs.minute, floorTo(w, HOUR_MS))],
    ['hour', 'readings_1h', cutoffs.hour === null ? null : Math.min(cutoffs.hour, floorTo(w, DAY_MS))],
    ['day', 'readings_1d', cutoffs.day],
  ]
  for (const [key, table, cut] of plan) {
    if (cut === null) continue
    if (table === 'readings' && dropRaw) await dropRaw(cut)
    await tx.query(`DELETE FROM ${table} WHERE ts < $1`, [cut])
    const prev = st.expired[table]
    await setState(tx, `${table}_expired`, prev === null ? cut : Math.max(prev, cut))
    applied[key] = cut
  }
  if (applied.raw !== null) await tx.query('DELETE FROM rollup_dirty WHERE ts < $1', [applied.raw])
  return applied
}

export async function rollupStatus(db: SqlClient): Promise<RollupStatus> {
  const st = await readRollupState(db)
  const [d] = await db.query<{ n: number }>('SELECT count(*) AS n FROM rollup_dirty')
  return { watermark: st.watermark, dirtyMinutes: Number(d?.n ?? 0), expiredBefore: { raw: st.expired.readings, minute: st.expired.readings_1m, hour: st.expired.readings_1h, day: st.expired.readings_1d } }
}

/** Dirty level buckets beyond this many send the whole query to raw readings. */
const MAX_DIRTY_BRANCHES = 64

/**
 * Buckets aligned to multiples of bucketMs, read from the coarsest rollup whose width
 * divides bucketMs for the whole level buckets of [from, to) below the watermark, and
 * from raw readings for the rest (the unaligned ends, the tail past the watermark, and
 * level buckets that hold dirty minutes not yet recomputed), merged in one aggregate.
 * The answer equals the raw aggregation (up to the order of floating-point sums).
 */
export async function readBucketsRolled(db: SqlClient, watermark: number | null, series: readonly number[], from: number, to: number, bucketMs: number): Promise<Bucket[] | null> {
  const width = Math.max(1, Math.floor(bucketMs))
  const level = [...ROLLUP_LEVELS].reverse().find((l) => width % l.widthMs === 0)
  if (!level || watermark === null || series.length === 0) return null
  const L = level.widthMs
  const a = Math.max(0, Math.ceil(from / L) * L)
  const c = Math.min(floorTo(to, L), floorTo(watermark, L))
  if (c <= a) return null
  const keys = inList(series)
  const dirty = await db.query<{ series: number; b: number }>(
    `SELECT DISTINCT series, ts - ts % ${L} AS b FROM rollup_dirty WHERE series IN (${keys}, ${ALL_SERIES}) AND ts >= $1 AND ts < $2`,
    [a, c],
  )
  if (dirty.length > MAX_DIRTY_BRANCHES) return null
  const params: number[] = []
  const p = (v: number): string => {
    params.push(v)
    return `$${params.length}`
  }
  // A bucket dirty for every series is read raw for all of them.
  const which = (d: { series: number }): string => (Number(d.series) === ALL_SERIES ? `series IN (${keys})` : `series = ${Number(d.series)}`)
  const exclude = dirty.map((d) => ` AND NOT (${which(d)} AND ts = ${Number(d.b)})`).join('')
  const parts = [`SELECT series, ts, min AS mn, max AS mx, sum AS sm, count AS n FROM ${level.table} WHERE series IN (${keys}) AND ts >= ${p(a)} AND ts < ${p(c)}${exclude}`]
  const raw = (cond: string): string => `SELECT series, ts, value AS mn, value AS mx, value AS sm, 1 AS n FROM readings WHERE ${cond}`
  if (from < a) parts.push(raw(`series IN (${keys}) AND ts >= ${p(from)} AND ts < ${p(a)}`))
  if (c < to) parts.push(raw(`series IN (${keys}) AND ts >= ${p(c)} AND ts < ${p(to)}`))
  // A bucket dirty both for one series and for all is read once.
  const allDirty = new Set(dirty.filter((d) => Number(d.series) === ALL_SERIES).map((d) => Number(d.b)))
  for (const d of dirty) {
    if (Number(d.series) !== ALL_SERIES && allDirty.has(Number(d.b))) continue
    parts.push(raw(`${which(d)} AND ts >= ${p(Number(d.b))} AND ts < ${p(Number(d.b) + L)}`))
  }
  const rows = await db.query<{ series: number; ts: number; min: number; max: number; sum: number; count: number }>(
    `SELECT series, ts - ts % ${width} AS ts, min(mn) AS min, max(mx) AS max, sum(sm) AS sum, CAST(sum(n) AS BIGINT) AS count
     FROM (${parts.join(' UNION ALL ')}) x GROUP BY 1, 2 ORDER BY 1, 2`,
    params,
  )
  return rows.map((r) => ({ series: r.series, ts: Number(r.ts), min: r.min, avg: r.sum / Number(r.count), max: r.max, count: Number(r.count) }))
}
