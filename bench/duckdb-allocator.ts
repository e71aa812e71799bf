/**
 * What DuckDB's allocator keeps of the memory it frees: the store's detector-state table
 * filled as the anomaly stage's checkpoints fill it, in one child process per setting of
 * `allocator_background_threads` (jemalloc's state is the process's), alternated.
 *
 *   npm run build && node dist/bench/duckdb-allocator.js [--states 10000] [--kb 16] [--rounds 2] [--idle-ms 3000]
 *
 * A child creates a file database with the store's settings (`duckDbInstanceOptions`, the
 * background threads on or off), the `detector_state` table of migration 13, and saves
 * `--states` states of `--kb` KB of incompressible text a twelfth at a time through
 * SqlDetectorStateStore (as the anomaly stage's checkpoints do), each twelfth followed by a `CHECKPOINT`, then
 * does it all once more (every row replaced). It reports its RSS and what `duckdb_memory()`
 * says DuckDB holds, right after and after `--idle-ms` without work. The gap between the two
 * is freed memory the allocator has not yet handed back to the system.
 * Progress goes to stderr; the last line on stdout is the figures as JSON (medians over rounds;
 * of two rounds, the higher).
 */
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { DuckDBInstance } from '@duckdb/node-api'
import { duckDbInstanceOptions } from '../src/store/duckdb/open.js'
import { DuckDbSqlClient } from '../src/store/duckdb/client.js'
import { DETECTOR_STATE_MIGRATION, SqlDetectorStateStore } from '../src/store/sql/detector-state.store.js'

const { values: args } = parseArgs({
  options: {
    states: { type: 'string', default: '10000' },
    kb: { type: 'string', default: '16' },
    rounds: { type: 'string', default: '2' },
    'idle-ms': { type: 'string', default: '3000' },
    child: { type: 'string' },
  },
})
const log = (s: string): void => void process.stderr.write(`${s}\n`)
const rssMb = (): number => Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024

interface ChildResult {
  rss_after_mb: number
  rss_idle_mb: number
  duckdb_used_mb: number
}

async function child(background: boolean): Promise<ChildResult> {
  const states = Number(args.states)
  const chars = Math.round((Number(args.kb) * 1024 * 3) / 4)
  const dir = mkdtempSync(join(tmpdir(), 'prognos-allocator-'))
  const db = await DuckDBInstance.create(join(dir, 'state.duckdb'), { ...duckDbInstanceOptions(), allocator_background_threads: String(background) })
  const conn = await db.connect()
  try {
    await conn.run(DETECTOR_STATE_MIGRATION.sql)
    // The store the anomaly stage checkpoints through, so its statements are the ones measured.
    const store = new SqlDetectorStateStore(new DuckDbSqlClient(conn))
    const slice = Math.ceil(states / 12)
    for (let pass = 0; pass < 2; pass++)
      for (let from = 0; from < states; from += slice) {
        const records = Array.from({ length: Math.min(states, from + slice) - from }, (_, k) => ({
          tenantId: 't',
          assetId: `asset-${from + k}`,
          detector: 'anomaly',
          ts: pass,
          state: randomBytes(chars).toString('base64').slice(0, chars),
          summary: '{}',
          updatedAt: pass,
        }))
        await store.save(records)
        await conn.run('CHECKPOINT')
      }
    const rssAfter = rssMb()
    await new Promise((r) => setTimeout(r, Number(args['idle-ms'])))
    const used = (await conn.runAndReadAll('SELECT sum(memory_usage_bytes)::DOUBLE AS b FROM duckdb_memory()')).getRowObjects()[0]!.b as number
    return { rss_after_mb: Math.round(rssAfter), rss_idle_mb: Math.round(rssMb()), duckdb_used_mb: Math.round(used / 2 ** 20) }
  } finally {
    conn.closeSync()
    db.closeSync()
    rmSync(dir, { recursive: true, force: true })
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

if (args.child !== undefined) {
  process.stdout.write(`${JSON.stringify(await child(args.child === 'on'))}\n`)
} else {
  const results: Record<'off' | 'on', ChildResult[]> = { off: [], on: [] }
  const self = fileURLToPath(import.meta.url)
  for (let r = 0; r < Number(args.rounds); r++)
    for (const side of ['off', 'on'] as const) {
      const forwarded = ['states', 'kb', 'idle-ms'].flatMap((k) => [`--${k}`, String(args[k as keyof typeof args])])
      const run = spawnSync(process.execPath, [self, '--child', side, ...forwarded], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
      if (run.status !== 0) throw new Error(`the ${side} child exited with ${run.status}`)
      const res = JSON.parse(run.stdout.trim().split('\n').pop()!) as ChildResult
      results[side].push(res)
      log(`round ${r + 1}, background threads ${side}: RSS ${res.rss_after_mb} MB after the writes, ${res.rss_idle_mb} MB after ${args['idle-ms']} ms idle; DuckDB holds ${res.duckdb_used_mb} MB`)
    }
  const fig = (side: 'off' | 'on', k: keyof ChildResult): number => median(results[side].map((x) => x[k]))
  process.stdout.write(
    `${JSON.stringify({
      states: Number(args.states),
      state_kb: Number(args.kb),
      rounds: Number(args.rounds),
      rss_after_mb_background_off: fig('off', 'rss_after_mb'),
      rss_after_mb_background_on: fig('on', 'rss_after_mb'),
      rss_idle_mb_background_off: fig('off', 'rss_idle_mb'),
      rss_idle_mb_background_on: fig('on', 'rss_idle_mb'),
      duckdb_used_mb_background_off: fig('off', 'duckdb_used_mb'),
      duckdb_used_mb_background_on: fig('on', 'duckdb_used_mb'),
    })}\n`,
  )
}
