import { stat } from 'node:fs/promises'
import type { DuckDBConnection } from '@duckdb/node-api'

/**
 * Keeps the appenders' writers and DuckDB's checkpoints apart.
 *
 * The readings, features and predictions writers move their rows into DuckDB with the
 * appender's `flushSync`, on the event loop. When DuckDB checkpointed on its own (at the
 * commit that took the WAL past its threshold, on a thread of its pool), a flush that came
 * meanwhile waited for the whole checkpoint with the event loop blocked: 60–370 ms stalls,
 * several a minute, under HTTP ingest at 800,000 readings/s. Now writers enter the gate for
 * each transaction, and a checkpoint runs only once every writer is out; writers that come
 * during it wait (asynchronously: the event loop goes on parsing requests, whose readings
 * queue for the next group).
 */
export class WriteGate {
  private inside = 0
  private checkpoint: Promise<void> | null = null
  private drained: (() => void) | null = null

  /** Waits until no checkpoint runs, then counts the caller in; pair with `leave`. */
  async enter(): Promise<void> {
    while (this.checkpoint) await this.checkpoint
    this.inside++
  }

  leave(): void {
    this.inside--
    if (this.inside === 0) this.drained?.()
  }

  /** Runs one writer's transaction inside the gate (enter, then leave however it ends). */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    await this.enter()
    try {
      return await fn()
    } finally {
      this.leave()
    }
  }

  /** Runs `fn` once the writers inside have left, holding new ones at the gate until it settles. */
  async exclusive(fn: () => Promise<void>): Promise<void> {
    while (this.checkpoint) await this.checkpoint
    let open!: () => void
    this.checkpoint = new Promise<void>((r) => (open = r))
    try {
      if (this.inside > 0) await new Promise<void>((r) => (this.drained = r))
      this.drained = null
      await fn()
    } finally {
      this.checkpoint = null
      open()
    }
  }
}

export interface CheckpointerOptions {
  /** The database file; its WAL is `<path>.wal`. */
  path: string
  /** Checkpoint once the WAL holds this many bytes (DuckDB's own default is 16 MiB). */
  walBytes: number
  /** How often the WAL's size is looked at. */
  everyMs: number
  onError: (err: unknown) => void
}

/** The WAL size at which DuckDB itself would checkpoint is set far above this one, as a backstop. */
export const DEFAULT_CHECKPOINT_WAL_BYTES = 16 * 2 ** 20
export const DUCKDB_BACKSTOP_CHECKPOINT_THRESHOLD = '1GiB'

/**
 * Checkpoints the database when its WAL has grown past `walBytes`, through the write gate,
 * so that no appender flush ever waits on one. Other transactions (reads, alert and
 * detector-state writes) go on meanwhile: DuckDB 1.5 checkpoints alongside open read and
 * write transactions (checked on this version: both finish in milliseconds with another
 * connection's transaction open). `FORCE` makes a checkpoint that cannot run yet wait for
 * its lock rather than fail.
 */
export class DuckDbCheckpointer {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null

  constructor(
    private readonly conn: DuckDBConnection,
    private readonly gate: WriteGate,
    private readonly opts: CheckpointerOptions,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.tick(), this.opts.everyMs)
    this.timer.unref()
  }

  /** Checks the WAL once; resolves when a checkpoint it started has ended. */
  tick(): Promise<void> {
    this.running ??= this.check().finally(() => (this.running = null))
    return this.running
  }

  private async check(): Promise<void> {
    try {
      const size = (await stat(`${this.opts.path}.wal`).catch(() => null))?.size ?? 0
      if (size < this.opts.walBytes) return
      await this.gate.exclusive(async () => {
        await this.conn.run('FORCE CHECKPOINT')
      })
    } catch (err) {
      this.opts.onError(err)
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.running
  }
}
